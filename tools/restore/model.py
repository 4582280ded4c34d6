"""The denoiser: a small residual U-Net starting at half resolution.

image [1,1,H,W] (normalised) and noise_sigma [1] (same units) in, denoised
[1,1,H,W] out; H and W multiples of SIZE_MULTIPLE (the app pads with reflect).

- head: a 4x4 stride-2 convolution (a learned PixelUnshuffle(2) with some
  context), so every 3x3 convolution runs at H/2 x W/2 or coarser;
- the noise level enters FFDNet-style as a constant map: 20 sigma times a
  learned per-channel vector added after the head and at the bottleneck (the
  same as concatenating a tiled sigma channel, without a Tile in the graph);
- four levels (H/2, H/4, H/8, H/16; widths 16, 32, 48, 64) with additive skips,
  3x3 convs + ReLU, 2x2 strided convs down and 2x2 transposed convs up; the
  H/16 bottleneck gives a receptive field of about 150 pixels (CT streaks);
- tail: a 4x4 stride-2 transposed convolution (a learned PixelShuffle(2))
  predicting the noise; output = image - predicted noise (zero-initialised, so
  training starts from the identity).

A 512 x 512 slice costs about 1.15 GMAC (2.3 GFLOP); see flops(). (A first
version working from H/4 with a 4x4 stride-4 head, 0.76 GMAC, stayed at the
identity much longer in training: 16 signed pixels through 32 ReLU channels;
the 2x2 head/tail of this one learned slower than 4x4 in a 600-step A/B.)
"""
import torch
from torch import nn

SIZE_MULTIPLE = 16
SIGMA_GAIN = 20.0     # sigma (normalised, ~0.005-0.15) times this is O(1) inside the net
WIDTHS = (16, 32, 48, 64)


def conv(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1), nn.ReLU(inplace=True))


class Denoiser(nn.Module):
    def __init__(self, widths=WIDTHS):
        super().__init__()
        c0, c1, c2, c3 = widths
        self.widths = tuple(widths)
        self.head = nn.Conv2d(1, c0, 4, stride=2, padding=1)
        self.sigma0 = nn.Parameter(torch.zeros(1, c0, 1, 1))
        self.enc0 = conv(c0, c0)
        self.down1 = nn.Conv2d(c0, c1, 2, stride=2)
        self.enc1 = conv(c1, c1)
        self.down2 = nn.Conv2d(c1, c2, 2, stride=2)
        self.enc2 = nn.Sequential(conv(c2, c2), conv(c2, c2))
        self.down3 = nn.Conv2d(c2, c3, 2, stride=2)
        self.sigma3 = nn.Parameter(torch.zeros(1, c3, 1, 1))
        self.mid = nn.Sequential(conv(c3, c3), conv(c3, c3), conv(c3, c3))
        self.up3 = nn.ConvTranspose2d(c3, c2, 2, stride=2)
        self.dec2 = conv(c2, c2)
        self.up2 = nn.ConvTranspose2d(c2, c1, 2, stride=2)
        self.dec1 = conv(c1, c1)
        self.up1 = nn.ConvTranspose2d(c1, c0, 2, stride=2)
        self.dec0 = conv(c0, c0)
        self.tail = nn.ConvTranspose2d(c0, 1, 4, stride=2, padding=1)
        self.relu = nn.ReLU(inplace=True)
        nn.init.zeros_(self.tail.weight)   # starts as the identity
        nn.init.zeros_(self.tail.bias)
    def forward(self, image, noise_sigma):
        s = noise_sigma.reshape(-1, 1, 1, 1) * SIGMA_GAIN
        x0 = self.enc0(self.head(image) + s * self.sigma0)
        x1 = self.enc1(self.relu(self.down1(x0)))
        x2 = self.enc2(self.relu(self.down2(x1)))
        x3 = self.mid(self.relu(self.down3(x2) + s * self.sigma3))
        y2 = self.dec2(self.relu(self.up3(x3) + x2))
        y1 = self.dec1(self.relu(self.up2(y2) + x1))
        y0 = self.dec0(self.relu(self.up1(y1) + x0))
        return image - self.tail(y0)


def flops(model, height=512, width=512):
    """Multiply-accumulates of the convolutions for one height x width image."""
    total = 0
    hooks = []

    def count(module, inputs, output):
        nonlocal total
        k = module.weight.shape
        if isinstance(module, nn.ConvTranspose2d):
            total += inputs[0].numel() * k[1] * k[2] * k[3]
        else:
            total += output.numel() * k[1] * k[2] * k[3]

    for m in model.modules():
        if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d)):
            hooks.append(m.register_forward_hook(count))
    with torch.no_grad():
        model(torch.zeros(1, 1, height, width), torch.zeros(1))
    for h in hooks:
        h.remove()
    return total


if __name__ == "__main__":
    m = Denoiser()
    print("parameters", sum(p.numel() for p in m.parameters()), "GMAC/512^2", flops(m) / 1e9)
