#include "ml/mask_output.h"

#include <cstddef>

#include "imaging/resample.h"

namespace ls {

std::vector<float> lowResToImageLogits(const float* lowRes, int lowResSize, const ModelFrame& f) {
  std::vector<float> cropped =
      resizeBilinearTopLeft(lowRes, lowResSize, lowResSize, f.inputSize, f.inputSize, f.resizedWidth, f.resizedHeight);
  // A resize to the same size is the identity (weights 1 and 0): skipped.
  if (f.resizedWidth == f.imageWidth && f.resizedHeight == f.imageHeight) return cropped;
  return resizeBilinear(cropped.data(), f.resizedWidth, f.resizedHeight, f.imageWidth, f.imageHeight);
}

std::vector<std::uint8_t> lowResToImageMask(const float* lowRes, int lowResSize, const ModelFrame& f, float threshold) {
  if (f.resizedWidth == f.imageWidth && f.resizedHeight == f.imageHeight) {
    return resizeBilinearTopLeftAbove(lowRes, lowResSize, lowResSize, f.inputSize, f.inputSize, f.resizedWidth,
                                      f.resizedHeight, threshold);
  }
  std::vector<float> cropped =
      resizeBilinearTopLeft(lowRes, lowResSize, lowResSize, f.inputSize, f.inputSize, f.resizedWidth, f.resizedHeight);
  return resizeBilinearTopLeftAbove(cropped.data(), f.resizedWidth, f.resizedHeight, f.imageWidth, f.imageHeight,
                                    f.imageWidth, f.imageHeight, threshold);
}

std::vector<float> imageMaskToLowRes(const std::uint8_t* mask, int lowResSize, const ModelFrame& f) {
  std::vector<float> lowRes(static_cast<std::size_t>(lowResSize) * lowResSize, -10.f);
  const double cell = static_cast<double>(f.inputSize) / lowResSize;  // input pixels per low-res cell
  for (int v = 0; v < lowResSize; ++v) {
    for (int u = 0; u < lowResSize; ++u) {
      // The cell's centre in input pixels, then in the image (resize of each axis).
      const double mx = (u + 0.5) * cell, my = (v + 0.5) * cell;
      if (mx >= f.resizedWidth || my >= f.resizedHeight) continue;  // padding
      const int x = static_cast<int>(mx * f.imageWidth / f.resizedWidth);
      const int y = static_cast<int>(my * f.imageHeight / f.resizedHeight);
      if (mask[static_cast<std::size_t>(y) * f.imageWidth + x]) lowRes[static_cast<std::size_t>(v) * lowResSize + u] = 10.f;
    }
  }
  return lowRes;
}

std::vector<std::uint8_t> thresholdMask(const std::vector<float>& logits, float threshold) {
  std::vector<std::uint8_t> mask(logits.size());
  // Plain pointers and a 0/1 cast: the form WebAssembly SIMD vectorises
  // (4x faster than indexing the vectors in the page).
  const float* in = logits.data();
  std::uint8_t* out = mask.data();
  const std::size_t n = logits.size();
  for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<std::uint8_t>(in[i] > threshold);
  return mask;
}

int maskArea(const std::vector<std::uint8_t>& mask) {
  const std::uint8_t* in = mask.data();
  const std::size_t n = mask.size();
  int area = 0;
  for (std::size_t i = 0; i < n; ++i) area += in[i] != 0;
  return area;
}

}  // namespace ls
