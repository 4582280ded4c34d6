#include "restore/median_filter.h"

#include <algorithm>
#include <cstddef>

#include "restore/pixel_ops.h"

namespace ls {
namespace {

inline void sort2(float& a, float& b) {
  const float lo = std::min(a, b), hi = std::max(a, b);
  a = lo;
  b = hi;
}

// The median of nine values (Paeth, Graphics Gems, "median finding on a 3x3 grid").
inline float median9(float p0, float p1, float p2, float p3, float p4, float p5, float p6, float p7, float p8) {
  sort2(p1, p2); sort2(p4, p5); sort2(p7, p8);
  sort2(p0, p1); sort2(p3, p4); sort2(p6, p7);
  sort2(p1, p2); sort2(p4, p5); sort2(p7, p8);
  sort2(p0, p3); sort2(p5, p8); sort2(p4, p7);
  sort2(p3, p6); sort2(p1, p4); sort2(p2, p5);
  sort2(p4, p7); sort2(p4, p2); sort2(p6, p4);
  sort2(p4, p2);
  return p4;
}

}  // namespace

MedianParams medianParamsFor(float) { return MedianParams{}; }

std::vector<float> medianFilter(const float* src, int W, int H, const MedianParams& params) {
  const std::size_t n = static_cast<std::size_t>(W) * H;
  std::vector<float> out(src, src + n);
  const int r = params.radius;
  if (r <= 0 || W <= 0 || H <= 0) return out;
  const int PW = W + 2 * r;
  const std::vector<float> padded = padSymmetric(src, W, H, r);
  if (r == 1) {
    for (int y = 0; y < H; ++y) {
      const float* a = padded.data() + static_cast<std::size_t>(y) * PW;
      const float* b = a + PW;
      const float* c = b + PW;
      float* o = out.data() + static_cast<std::size_t>(y) * W;
      for (int x = 0; x < W; ++x)
        o[x] = median9(a[x], a[x + 1], a[x + 2], b[x], b[x + 1], b[x + 2], c[x], c[x + 1], c[x + 2]);
    }
    return out;
  }
  const int size = 2 * r + 1, count = size * size;
  std::vector<float> window(count);
  for (int y = 0; y < H; ++y) {
    for (int x = 0; x < W; ++x) {
      int k = 0;
      for (int dy = 0; dy < size; ++dy) {
        const float* row = padded.data() + static_cast<std::size_t>(y + dy) * PW + x;
        for (int dx = 0; dx < size; ++dx) window[k++] = row[dx];
      }
      std::nth_element(window.begin(), window.begin() + count / 2, window.end());
      out[static_cast<std::size_t>(y) * W + x] = window[count / 2];
    }
  }
  return out;
}

}  // namespace ls
