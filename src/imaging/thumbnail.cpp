#include "imaging/thumbnail.h"

#include <algorithm>
#include <cmath>
#include <cstddef>

namespace ls {

Thumbnail makeThumbnail(const float* pixels, int columns, int rows, double columnSpacing, double rowSpacing,
                        int size) {
  Thumbnail t;
  t.size = size;
  t.grey.assign(static_cast<std::size_t>(size) * size, 0);
  if (!pixels || columns <= 0 || rows <= 0 || size <= 0) return t;
  std::vector<float> sorted(pixels, pixels + static_cast<std::size_t>(columns) * rows);
  auto percentile = [&](double p) {
    const std::size_t k = static_cast<std::size_t>(p * (sorted.size() - 1));
    std::nth_element(sorted.begin(), sorted.begin() + k, sorted.end());
    return sorted[k];
  };
  const float low = percentile(0.01), high = percentile(0.99);
  const float range = std::max(high - low, 1e-6f);
  // Fit with the physical aspect, centred.
  const double widthMm = columns * columnSpacing, heightMm = rows * rowSpacing;
  const double scale = size / std::max(widthMm, heightMm);  // thumbnail pixels per mm
  const int w = std::max(1, static_cast<int>(std::lround(widthMm * scale)));
  const int h = std::max(1, static_cast<int>(std::lround(heightMm * scale)));
  const int x0 = (size - w) / 2, y0 = (size - h) / 2;
  for (int y = 0; y < h; ++y) {
    const int r0 = y * rows / h, r1 = std::max(r0 + 1, (y + 1) * rows / h);
    for (int x = 0; x < w; ++x) {
      const int c0 = x * columns / w, c1 = std::max(c0 + 1, (x + 1) * columns / w);
      double sum = 0;
      for (int r = r0; r < r1; ++r)
        for (int c = c0; c < c1; ++c) sum += pixels[static_cast<std::size_t>(r) * columns + c];
      const double mean = sum / ((r1 - r0) * (c1 - c0));
      const double g = std::clamp((mean - low) / range, 0.0, 1.0);
      t.grey[static_cast<std::size_t>(y0 + y) * size + x0 + x] = static_cast<std::uint8_t>(std::lround(g * 255));
    }
  }
  return t;
}

}  // namespace ls
