"""Classical baselines, each with parameters derived from the noise sigma
(the same sigma the learned model is given). Images in modality units."""
import cv2
import numpy as np
from scipy import ndimage as ndi
from skimage.restoration import denoise_nl_means


def nl_means(image, sigma):
    return denoise_nl_means(image.astype(np.float64), h=0.8 * sigma, sigma=sigma, patch_size=5,
                            patch_distance=6, fast_mode=True).astype(np.float32)


def bilateral(image, sigma):
    return cv2.bilateralFilter(image.astype(np.float32), d=5, sigmaColor=2.0 * sigma, sigmaSpace=1.5)


def perona_malik(image, sigma, iterations=15, step=0.2, k_factor=1.5):
    """Perona-Malik anisotropic diffusion, exponential conductance, K = 1.5 sigma."""
    u = image.astype(np.float64).copy()
    k = max(k_factor * sigma, 1e-6)
    for _ in range(iterations):
        p = np.pad(u, 1, mode="edge")
        dn, ds = p[:-2, 1:-1] - u, p[2:, 1:-1] - u
        de, dw = p[1:-1, 2:] - u, p[1:-1, :-2] - u
        u += step * sum(np.exp(-(d / k) ** 2) * d for d in (dn, ds, de, dw))
    return u.astype(np.float32)


def median3(image, sigma=None):
    return ndi.median_filter(image.astype(np.float32), size=3)


METHODS = {"nl_means": nl_means, "bilateral": bilateral, "perona_malik": perona_malik, "median3": median3}
