"""Noise simulators and synthetic lesions (all deterministic given an rng).

CT low dose: HU -> linear attenuation mu (water 0.0192/mm, air 0), parallel-beam
projections with scikit-image's radon (detector bin = pixel), Poisson counts
on the transmitted intensity I0 * exp(-p), log back to line integrals,
filtered back-projection (iradon) of the *difference* to the noiseless
sinogram, back to HU. The result is clean + realistic streaky, correlated,
signal-dependent quantum noise without the resolution loss of a full FBP round
trip (the clean slice stays the reference pixel for pixel).

MR: Rician magnitude noise |x + n1 + i n2|, n1, n2 ~ N(0, sigma^2).
"""
import numpy as np
from skimage.transform import iradon, radon

MU_WATER = 0.0192          # 1/mm at about 70 keV
CT_FILTERS = ("ramp", "shepp-logan", "cosine", "hamming")


def hu_to_mu(hu):
    return np.clip(MU_WATER * (1.0 + np.asarray(hu, np.float64) / 1000.0), 0.0, None)


def _square(hu):
    h, w = hu.shape
    n = max(h, w)
    out = np.full((n, n), -1000.0)
    y, x = (n - h) // 2, (n - w) // 2
    out[y:y + h, x:x + w] = hu
    return out, (slice(y, y + h), slice(x, x + w))


def ct_angles(n):
    return np.linspace(0.0, 180.0, int(round(1.5 * n)), endpoint=False)


class CtProjector:
    """Projects one slice once; noise() then draws any number of realisations."""

    def __init__(self, hu, spacing_mm=1.0):
        square, self.crop = _square(hu)
        self.n = square.shape[0]
        self.spacing = float(spacing_mm)
        self.theta = ct_angles(self.n)
        self.sinogram = radon(hu_to_mu(square) * self.spacing, self.theta, circle=False)

    def noise(self, i0, rng, filter_name="shepp-logan"):
        """HU noise image for incident photon count i0 per detector bin."""
        p = self.sinogram
        counts = rng.poisson(i0 * np.exp(-p)).astype(np.float64)
        noisy = -np.log(np.maximum(counts, 0.5) / i0)
        delta = iradon(noisy - p, self.theta, output_size=self.n, filter_name=filter_name, circle=False)
        hu = delta / self.spacing / MU_WATER * 1000.0
        return hu[self.crop].astype(np.float32)


def simulate_ct(hu, i0, rng, spacing_mm=1.0, filter_name="shepp-logan"):
    hu = np.asarray(hu, np.float32)
    return hu + CtProjector(hu, spacing_mm).noise(i0, rng, filter_name)


def body_mask(hu):
    from scipy import ndimage as ndi
    return ndi.binary_erosion(np.asarray(hu) > -500, iterations=2)


def noise_sigma_ct(noise, clean_hu):
    """The noise level the model is told: std of the noise inside the body."""
    m = body_mask(clean_hu)
    return float(noise[m].std()) if m.sum() > 50 else float(noise.std())


def rician(image, sigma, rng):
    image = np.asarray(image, np.float32)
    re = image + rng.normal(0.0, sigma, image.shape).astype(np.float32)
    im = rng.normal(0.0, sigma, image.shape).astype(np.float32)
    return np.sqrt(re * re + im * im)


def mr_scale(image, percentile=99.5):
    """The app's normalisation scale for MR: that percentile of the slice."""
    return float(max(np.percentile(image, percentile), 1e-6))


# ---------------------------------------------------------------- lesions
def disc(shape, cy, cx, radius):
    yy, xx = np.ogrid[:shape[0], :shape[1]]
    return (yy - cy) ** 2 + (xx - cx) ** 2 <= radius ** 2


def lesion_masks(shape, cy, cx, radius_px):
    """Inside (disc) and the ring around it used as the local background."""
    inside = disc(shape, cy, cx, radius_px)
    inner = radius_px + max(1.5, 0.5 * radius_px)
    outer = inner + max(3.0, radius_px)
    ring = disc(shape, cy, cx, outer) & ~disc(shape, cy, cx, inner)
    return inside, ring


def place_lesions(clean, tissue, specs, spacing_mm, rng, attempts=4000):
    """Adds disc lesions to a copy of clean. specs: list of dicts with
    diameter_mm and delta (signed, in image units). Centres are drawn inside
    the tissue mask, far enough from each other and with the ring in tissue.
    Returns the image and the placed lesions (spec + cy, cx, radius_px)."""
    from scipy import ndimage as ndi
    out = np.asarray(clean, np.float32).copy()
    taken = np.zeros(clean.shape, bool)
    placed = []
    for spec in specs:
        r = spec["diameter_mm"] / 2.0 / spacing_mm
        reach = r + max(1.5, 0.5 * r) + max(3.0, r) + 1
        ok = ndi.binary_erosion(tissue, iterations=int(np.ceil(reach))) & ~taken
        ys, xs = np.nonzero(ok)
        if len(ys) == 0:
            continue
        k = rng.integers(len(ys))
        cy, cx = ys[k] + rng.uniform(-0.5, 0.5), xs[k] + rng.uniform(-0.5, 0.5)
        inside, ring = lesion_masks(clean.shape, cy, cx, r)
        if not inside.any():
            continue
        out[inside] += spec["delta"]
        taken |= disc(clean.shape, cy, cx, 2 * reach)
        placed.append(dict(spec, cy=float(cy), cx=float(cx), radius_px=float(r)))
    return out, placed


def lesion_contrast(image, lesion):
    inside, ring = lesion_masks(image.shape, lesion["cy"], lesion["cx"], lesion["radius_px"])
    return float(image[inside].mean() - image[ring].mean())
