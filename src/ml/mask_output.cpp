#include "ml/mask_output.h"

#include <algorithm>
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

std::vector<std::uint8_t> lowResThumbnail(const float* lowRes, int lowResSize, const ModelFrame& f,
                                          float threshold, int cells) {
  std::vector<std::uint8_t> thumbnail(static_cast<std::size_t>(cells) * cells);
  // Image pixel centre -> input pixels (the resize of each axis) -> low-res
  // position (half-pixel centres), clamped at the border: first cell, weight.
  struct Tap {
    int first;
    float weight;
  };
  const auto tapOf = [&](int pixel, int imageSize, int resizedSize) {
    const double input = (pixel + 0.5) * resizedSize / imageSize;
    const double position = std::clamp(input * lowResSize / f.inputSize - 0.5, 0.0, lowResSize - 1.0);
    const int first = std::min(static_cast<int>(position), lowResSize - 2);
    return Tap{first, static_cast<float>(position - first)};
  };
  if (lowResSize < 2) return thumbnail;
  std::vector<Tap> columns;
  for (int cx = 0; cx < cells; ++cx) columns.push_back(tapOf(cx * f.imageWidth / cells, f.imageWidth, f.resizedWidth));
  for (int cy = 0; cy < cells; ++cy) {
    const Tap ty = tapOf(cy * f.imageHeight / cells, f.imageHeight, f.resizedHeight);
    const float* top = lowRes + static_cast<std::size_t>(ty.first) * lowResSize;
    const float* bottom = top + lowResSize;
    for (int cx = 0; cx < cells; ++cx) {
      const int u = columns[cx].first;
      const float upper = top[u] + (top[u + 1] - top[u]) * columns[cx].weight;
      const float lower = bottom[u] + (bottom[u + 1] - bottom[u]) * columns[cx].weight;
      thumbnail[static_cast<std::size_t>(cy) * cells + cx] =
          static_cast<std::uint8_t>(upper + (lower - upper) * ty.weight > threshold);
    }
  }
  return thumbnail;
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
  // Counted in byte-wide blocks of at most 255 (no overflow): WebAssembly
  // SIMD then adds 16 bytes at a time (2x faster than an int per byte).
  for (std::size_t start = 0; start < n; start += 255) {
    const std::size_t end = std::min(n, start + 255);
    std::uint8_t block = 0;
    for (std::size_t i = start; i < end; ++i) block += in[i] != 0;
    area += block;
  }
  return area;
}

}  // namespace ls
