#include "segment/mask_geometry.h"

#include <algorithm>
#include <cstddef>

namespace ls {

std::optional<PromptBox> maskBoundingBox(const std::vector<std::uint8_t>& mask, int width, int height) {
  int x0 = width, y0 = height, x1 = -1, y1 = -1;
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      if (!mask[static_cast<std::size_t>(y) * width + x]) continue;
      x0 = std::min(x0, x), x1 = std::max(x1, x), y0 = std::min(y0, y), y1 = std::max(y1, y);
    }
  }
  if (x1 < 0) return std::nullopt;
  return PromptBox{{double(x0), double(y0)}, {double(x1 + 1), double(y1 + 1)}};
}

Point2 deepestPoint(const std::vector<std::uint8_t>& mask, int width, int height) {
  // Two passes of a city-block distance transform; outside pixels count 0.
  std::vector<int> d(mask.size(), 0);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      const std::size_t i = static_cast<std::size_t>(y) * width + x;
      if (mask[i]) d[i] = std::min(x > 0 ? d[i - 1] + 1 : 1, y > 0 ? d[i - width] + 1 : 1);
    }
  }
  std::size_t best = 0;
  for (int y = height - 1; y >= 0; --y) {
    for (int x = width - 1; x >= 0; --x) {
      const std::size_t i = static_cast<std::size_t>(y) * width + x;
      if (!mask[i]) continue;
      d[i] = std::min({d[i], x < width - 1 ? d[i + 1] + 1 : 1, y < height - 1 ? d[i + width] + 1 : 1});
      if (!mask[best] || d[i] > d[best]) best = i;
    }
  }
  return {static_cast<double>(best % width) + 0.5, static_cast<double>(best / width) + 0.5};
}

double maskIou(const std::vector<std::uint8_t>& a, const std::vector<std::uint8_t>& b) {
  std::size_t both = 0, either = 0;
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
    both += a[i] && b[i];
    either += a[i] || b[i];
  }
  return either == 0 ? 1.0 : static_cast<double>(both) / either;
}

}  // namespace ls
