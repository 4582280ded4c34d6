// Small pixel-buffer helpers shared by the restoration filters and the risk
// analysis: symmetric border padding (the edge pixel repeated, as
// scipy.ndimage's "reflect" and OpenCV's BORDER_REFLECT), separable Gaussian
// blur, Sobel gradients, the normalised Laplacian of Gaussian, box means,
// 8-connected components and a percentile. Images are row-major floats.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace ls {

// The index that symmetric padding reads for position i of an n-long axis.
inline int mirrorIndex(int i, int n) {
  if (n == 1) return 0;
  const int period = 2 * n;
  i %= period;
  if (i < 0) i += period;
  return i < n ? i : period - 1 - i;
}

// The image with `margin` pixels added each side by symmetric reflection:
// (width + 2 margin) x (height + 2 margin).
std::vector<float> padSymmetric(const float* pixels, int width, int height, int margin);

// Separable Gaussian blur (kernel radius ceil(3 sigma)); sigma <= 0 copies.
std::vector<float> gaussianBlur(const float* pixels, int width, int height, double sigma);

// Sobel derivatives (per pixel, unnormalised kernel [1 2 1] x [-1 0 1]).
void sobel(const float* pixels, int width, int height, std::vector<float>& gx, std::vector<float>& gy);
std::vector<float> gradientMagnitude(const float* pixels, int width, int height);

// sigma^2 * Laplacian(G_sigma * image), the scale-normalised LoG (a bright
// blob gives a negative response). Computed as the 5-point Laplacian of the
// blurred image.
std::vector<float> normalisedLaplacianOfGaussian(const float* pixels, int width, int height, double sigma);
// The same from an image already blurred with G_sigma.
std::vector<float> normalisedLaplacian(const float* blurred, int width, int height, double sigma);

// Mean over the (2 radius + 1)^2 window, symmetric border.
std::vector<float> boxMean(const float* pixels, int width, int height, int radius);

// 8-connected components of the non-zero pixels of `mask`: labels 1..count
// (0: background); returns count.
int labelComponents(const std::uint8_t* mask, int width, int height, std::vector<int>& labels);

// The q-quantile (0..1) of the values (a copy is partially sorted).
float quantile(std::vector<float> values, double q);

}  // namespace ls
