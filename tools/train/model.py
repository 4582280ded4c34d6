"""LocalSeg's built-in promptable model: a small convolutional image encoder and a
SAM-style prompt/mask decoder (two-way attention, multimask output with an IoU
head), with exactly the inputs and outputs of SAM's ONNX decoder export.

Sizes (input 256 x 256):
- encoder: image [B, 3, 256, 256] -> image_embeddings [B, 160, 32, 32]. The
  embedding packs three things into one tensor so the decoder keeps SAM's
  single-embedding signature: 64 channels of 32 x 32 image tokens, 32 channels
  of a 64 x 64 x 8 detail map and 64 channels of a 128 x 128 x 4 detail map,
  both folded to 32 x 32 by space-to-depth. The detail maps give the decoder's
  upscaling path real edges to follow (SAM's ViT tokens are 16 px apart; ours
  8 px, on a model 100x smaller).
- decoder: image_embeddings, point_coords [B, N, 2] (input-space pixels),
  point_labels [B, N] (1 positive, 0 negative, 2/3 box corners, -1 padding),
  mask_input [B, 1, 128, 128], has_mask_input [B] -> low-resolution mask
  logits [B, 3, 128, 128] and predicted IoU [B, 3].
"""
import math

import torch
from torch import nn
from torch.nn import functional as F

INPUT_SIZE = 256
PATCH = 8                 # input pixels per image token
GRID = INPUT_SIZE // PATCH  # image tokens per side (the model also runs at other sizes: training starts at 128)
TOKEN_DIM = 64            # decoder width
DETAIL64, DETAIL128 = 8, 4  # channels of the detail maps at 64 x 64 and 128 x 128
EMBED_CHANNELS = TOKEN_DIM + DETAIL64 * 4 + DETAIL128 * 16
LOW_RES = 4 * GRID        # 128, SAM's low-res mask is 4x its token grid
NUM_MASKS = 3
CLICK_SIGMAS = (0.02, 0.06)   # click bump widths, fractions of the input size
PROMPT_MAPS = 2 * len(CLICK_SIGMAS) + 1   # positive and negative per width, inside the box


def space_to_depth(x, block):
    b, c, h, w = x.shape
    x = x.reshape(b, c, h // block, block, w // block, block)
    return x.permute(0, 1, 3, 5, 2, 4).reshape(b, c * block * block, h // block, w // block)


def depth_to_space(x, block):
    b, c, h, w = x.shape
    x = x.reshape(b, c // (block * block), block, block, h, w)
    return x.permute(0, 1, 4, 2, 5, 3).reshape(b, c // (block * block), h * block, w * block)


def conv_bn(cin, cout, stride=1, dilation=1):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, stride, padding=dilation, dilation=dilation, bias=False),
                         nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class Attention(nn.Module):
    """Multi-head attention written with plain matmuls so it exports to any opset."""

    def __init__(self, dim, heads, inner=None):
        super().__init__()
        inner = inner or dim
        self.heads = heads
        self.q, self.k, self.v = nn.Linear(dim, inner), nn.Linear(dim, inner), nn.Linear(dim, inner)
        self.out = nn.Linear(inner, dim)

    def forward(self, q, k, v):
        b, nq, _ = q.shape
        nk = k.shape[1]
        q, k, v = self.q(q), self.k(k), self.v(v)
        d = q.shape[-1] // self.heads
        q = q.reshape(b, nq, self.heads, d).transpose(1, 2)
        k = k.reshape(b, nk, self.heads, d).transpose(1, 2)
        v = v.reshape(b, nk, self.heads, d).transpose(1, 2)
        attn = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(d), dim=-1)
        return self.out((attn @ v).transpose(1, 2).reshape(b, nq, self.heads * d))


def mlp(dims, act=nn.ReLU):
    layers = []
    for i in range(len(dims) - 1):
        layers.append(nn.Linear(dims[i], dims[i + 1]))
        if i < len(dims) - 2:
            layers.append(act())
    return nn.Sequential(*layers)


class FourierPositions(nn.Module):
    """SAM's random-Fourier positional encoding of coordinates in [0, 1]."""

    def __init__(self, dim, seed=7):
        super().__init__()
        gen = torch.Generator().manual_seed(seed)
        self.register_buffer("gaussian", torch.randn(2, dim // 2, generator=gen))

    def forward(self, coords01):
        proj = (2 * coords01 - 1) @ self.gaussian * (2 * math.pi)
        return torch.cat([torch.sin(proj), torch.cos(proj)], dim=-1)


class Bottleneck(nn.Module):
    """ResNet bottleneck: dense convolutions run well on CPUs (unlike depthwise
    ones in PyTorch's backward pass), the narrow middle keeps them cheap."""

    def __init__(self, channels, dilation=1):
        super().__init__()
        mid = channels // 2
        self.body = nn.Sequential(
            nn.Conv2d(channels, mid, 1, bias=False), nn.BatchNorm2d(mid), nn.ReLU(inplace=True),
            nn.Conv2d(mid, mid, 3, padding=dilation, dilation=dilation, bias=False), nn.BatchNorm2d(mid),
            nn.ReLU(inplace=True), nn.Conv2d(mid, channels, 1, bias=False), nn.BatchNorm2d(channels))

    def forward(self, x):
        return F.relu(x + self.body(x))


def grid_positions(fourier, h, w):
    """Positional encodings of an h x w token grid (token centres in [0, 1]),
    computed from the grid's size so one set of weights serves every input size."""
    ys = (torch.arange(h, dtype=torch.float32) + 0.5) / h
    xs = (torch.arange(w, dtype=torch.float32) + 0.5) / w
    grid = torch.stack([xs.view(1, w).expand(h, w), ys.view(h, 1).expand(h, w)], dim=-1)
    return fourier(grid).reshape(1, h * w, -1)


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.detail128 = nn.Conv2d(3, DETAIL128, 2, 2)                                           # 128: edges
        self.stage64 = nn.Sequential(nn.Conv2d(3, 24, 4, 4), nn.BatchNorm2d(24), nn.ReLU(inplace=True),
                                     conv_bn(24, 32))                                            # 64
        self.stage32 = nn.Sequential(nn.Conv2d(32, 96, 2, 2), nn.BatchNorm2d(96), nn.ReLU(inplace=True),
                                     Bottleneck(96), Bottleneck(96, 2), Bottleneck(96, 4), Bottleneck(96, 8))
        self.positions = FourierPositions(96, seed=11)
        self.norm1, self.norm2 = nn.LayerNorm(96), nn.LayerNorm(96)
        self.attention = Attention(96, 4)
        self.mlp = mlp([96, 192, 96], nn.GELU)
        self.tokens = nn.Conv2d(96, TOKEN_DIM, 1)
        self.detail64 = nn.Conv2d(32, DETAIL64, 1)

    def forward(self, image):
        f64 = self.stage64(image)
        f32 = self.stage32(f64)
        # One global attention layer over 16 x 16 pooled tokens: big structures
        # need context beyond the convolutions' reach (full 32 x 32 attention
        # costs 16x more and dominated the encoder's time).
        pooled = F.avg_pool2d(f32, 2)
        b, c, h, w = pooled.shape
        t = pooled.flatten(2).transpose(1, 2)
        n = self.norm1(t + grid_positions(self.positions, h, w))
        t = t + self.attention(n, n, n)
        t = t + self.mlp(self.norm2(t))
        context = t.transpose(1, 2).reshape(b, c, h, w) - pooled
        f32 = f32 + F.interpolate(context, scale_factor=2.0, mode="nearest")
        return torch.cat([self.tokens(f32), space_to_depth(self.detail64(f64), 2),
                          space_to_depth(self.detail128(image), 4)], dim=1)


class TwoWayBlock(nn.Module):
    """SAM's two-way attention block: tokens attend to themselves, tokens to the
    image, an MLP on tokens, then the image attends to the tokens."""

    def __init__(self, dim, heads, mlp_dim, skip_first_pe=False):
        super().__init__()
        self.self_attn = Attention(dim, heads)
        self.cross_t2i = Attention(dim, heads, dim // 2)
        self.cross_i2t = Attention(dim, heads, dim // 2)
        self.mlp = mlp([dim, mlp_dim, dim])
        self.norms = nn.ModuleList([nn.LayerNorm(dim) for _ in range(4)])
        self.skip_first_pe = skip_first_pe

    def forward(self, queries, keys, query_pe, key_pe):
        if self.skip_first_pe:
            queries = self.self_attn(queries, queries, queries)
        else:
            q = queries + query_pe
            queries = queries + self.self_attn(q, q, queries)
        queries = self.norms[0](queries)
        queries = self.norms[1](queries + self.cross_t2i(queries + query_pe, keys + key_pe, keys))
        queries = self.norms[2](queries + self.mlp(queries))
        keys = self.norms[3](keys + self.cross_i2t(keys + key_pe, queries + query_pe, queries))
        return queries, keys


class LayerNorm2d(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(channels))
        self.bias = nn.Parameter(torch.zeros(channels))

    def forward(self, x):
        mean = x.mean(1, keepdim=True)
        var = (x - mean).pow(2).mean(1, keepdim=True)
        x = (x - mean) / torch.sqrt(var + 1e-6)
        return x * self.weight[:, None, None] + self.bias[:, None, None]


class Decoder(nn.Module):
    def __init__(self):
        super().__init__()
        d = TOKEN_DIM
        self.positions = FourierPositions(d)
        self.label_embed = nn.Embedding(5, d)       # index = label + 1: padding, negative, positive, box corners
        self.no_mask = nn.Parameter(torch.zeros(1, d, 1, 1))
        self.mask_downscale = nn.Sequential(
            nn.Conv2d(1, 8, 2, 2), LayerNorm2d(8), nn.GELU(),
            nn.Conv2d(8, 16, 2, 2), LayerNorm2d(16), nn.GELU(), nn.Conv2d(16, d, 1))
        # The prompts drawn as maps (positive clicks, negative clicks, inside
        # the box) on the low-res grid: a strong spatial hint next to the
        # attention over their Fourier encodings (as click maps in RITM), which
        # makes a small model learn far faster.
        self.prompt_downscale = nn.Sequential(
            nn.Conv2d(PROMPT_MAPS, 8, 2, 2), LayerNorm2d(8), nn.GELU(),
            nn.Conv2d(8, 16, 2, 2), LayerNorm2d(16), nn.GELU(), nn.Conv2d(16, d, 1))
        self.output_tokens = nn.Parameter(torch.randn(1, 1 + NUM_MASKS, d) * 0.1)   # IoU token, mask tokens
        self.blocks = nn.ModuleList([TwoWayBlock(d, 4, 256, skip_first_pe=True), TwoWayBlock(d, 4, 256)])
        self.final_attn = Attention(d, 4, d // 2)
        self.final_norm = nn.LayerNorm(d)
        self.up1 = nn.ConvTranspose2d(d, 32, 2, 2)
        self.up1_detail = nn.Conv2d(DETAIL64, 32, 1)
        self.up1_norm = LayerNorm2d(32)
        self.up2 = nn.ConvTranspose2d(32, 16, 2, 2)
        self.up2_detail = nn.Conv2d(DETAIL128, 16, 1)
        # The same maps once more at the mask's own resolution, so a click
        # flips the mask where it lands even when the coarse tokens miss it
        # (a corrective click on a thin missed part otherwise changed nothing).
        self.up2_prompt = nn.Conv2d(PROMPT_MAPS, 16, 3, padding=1)
        self.hyper = nn.ModuleList([mlp([d, d, d, 16]) for _ in range(NUM_MASKS)])
        self.iou_head = mlp([d, d, NUM_MASKS])

    def embed_points(self, coords, labels, input_size):
        # As SAM: shift to pixel centres, normalise by the input size, zero the
        # position of padding points; every label adds its own learned vector.
        pe = self.positions((coords + 0.5) / input_size)
        is_point = (labels >= 0).to(pe.dtype).unsqueeze(-1)
        index = torch.clamp(labels + 1, 0, 4).to(torch.int64)
        return pe * is_point + self.label_embed(index)

    @staticmethod
    def prompt_maps(coords, labels, size, input_size):
        """[B, PROMPT_MAPS, size, size]: Gaussian bumps at positive and at
        negative clicks, narrow (where the click is) and wide (the region it
        speaks for, reaching several image tokens), and a soft inside-the-box
        indicator (0 without a box)."""
        step = input_size / size
        centres = (torch.arange(size, dtype=torch.float32) + 0.5) * step - 0.5   # pixel-centre convention
        xs, ys = centres.view(1, 1, 1, size), centres.view(1, 1, size, 1)
        px, py = coords[..., 0:1].unsqueeze(-1), coords[..., 1:2].unsqueeze(-1)   # [B, N, 1, 1]
        squared = (xs - px) ** 2 + (ys - py) ** 2                                # [B, N, S, S]
        label = labels.unsqueeze(-1).unsqueeze(-1)
        is_positive, is_negative = (label == 1).to(squared.dtype), (label == 0).to(squared.dtype)
        maps = []
        for sigma in CLICK_SIGMAS:
            bumps = torch.exp(-squared / (2 * (sigma * input_size) ** 2))
            maps += [(bumps * is_positive).amax(dim=1), (bumps * is_negative).amax(dim=1)]
        is_start, is_end = (labels == 2).to(coords.dtype), (labels == 3).to(coords.dtype)
        has_box = is_start.sum(dim=1).clamp(max=1).view(-1, 1, 1)
        x0 = (coords[..., 0] * is_start).sum(dim=1).view(-1, 1, 1)
        y0 = (coords[..., 1] * is_start).sum(dim=1).view(-1, 1, 1)
        x1 = (coords[..., 0] * is_end).sum(dim=1).view(-1, 1, 1)
        y1 = (coords[..., 1] * is_end).sum(dim=1).view(-1, 1, 1)
        xs2, ys2 = xs.view(1, 1, size), ys.view(1, size, 1)
        margin = torch.minimum(torch.minimum(xs2 - x0, x1 - xs2), torch.minimum(ys2 - y0, y1 - ys2))
        maps.append(torch.sigmoid(margin / step) * has_box)
        return torch.stack(maps, dim=1)

    def forward(self, image_embeddings, point_coords, point_labels, mask_input, has_mask_input):
        b, _, grid, _ = image_embeddings.shape
        tokens = image_embeddings[:, :TOKEN_DIM]
        detail64 = depth_to_space(image_embeddings[:, TOKEN_DIM:TOKEN_DIM + DETAIL64 * 4], 2)
        detail128 = depth_to_space(image_embeddings[:, TOKEN_DIM + DETAIL64 * 4:], 4)

        has = has_mask_input.reshape(-1, 1, 1, 1)
        dense = has * self.mask_downscale(mask_input) + (1 - has) * self.no_mask
        maps = self.prompt_maps(point_coords, point_labels, 4 * grid, grid * PATCH)
        dense = dense + self.prompt_downscale(maps)
        keys = (tokens + dense).flatten(2).transpose(1, 2)                        # [B, G*G, d]
        key_pe = grid_positions(self.positions, grid, grid).expand(b, -1, -1)

        prompts = self.embed_points(point_coords, point_labels, grid * PATCH)
        queries = torch.cat([self.output_tokens.expand(b, -1, -1), prompts], dim=1)
        query_pe = queries
        for block in self.blocks:
            queries, keys = block(queries, keys, query_pe, key_pe)
        q = queries + query_pe
        queries = self.final_norm(queries + self.final_attn(q, keys + key_pe, keys))

        image = keys.transpose(1, 2).reshape(b, TOKEN_DIM, grid, grid)
        x = F.gelu(self.up1_norm(self.up1(image) + self.up1_detail(detail64)))
        x = self.up2(x) + self.up2_detail(detail128) + self.up2_prompt(maps)
        x = F.gelu(x)                                                              # [B, 16, 4G, 4G]
        weights = torch.stack([self.hyper[i](queries[:, 1 + i]) for i in range(NUM_MASKS)], dim=1)  # [B, 3, 16]
        masks = (weights @ x.flatten(2)).reshape(b, NUM_MASKS, 4 * grid, 4 * grid)
        iou = torch.sigmoid(self.iou_head(queries[:, 0]))                         # predicted IoU in [0, 1]
        return masks, iou


class SamOnnxDecoder(nn.Module):
    """The decoder with SAM's ONNX export signature (batch 1, orig_im_size
    post-processing to the image size)."""

    def __init__(self, decoder):
        super().__init__()
        self.decoder = decoder

    def forward(self, image_embeddings, point_coords, point_labels, mask_input, has_mask_input, orig_im_size):
        low_res, iou = self.decoder(image_embeddings, point_coords, point_labels, mask_input, has_mask_input)
        masks = F.interpolate(low_res, size=(INPUT_SIZE, INPUT_SIZE), mode="bilinear", align_corners=False)
        scale = INPUT_SIZE / torch.max(orig_im_size)
        resized = torch.floor(orig_im_size * scale + 0.5).to(torch.int64)
        masks = masks[..., : resized[0], : resized[1]]
        size = orig_im_size.to(torch.int64)
        masks = F.interpolate(masks, size=(size[0], size[1]), mode="bilinear", align_corners=False)
        return masks, iou, low_res


def parameter_count(module):
    return sum(p.numel() for p in module.parameters())
