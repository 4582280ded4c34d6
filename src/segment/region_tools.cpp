#include "segment/region_tools.h"

#include <algorithm>
#include <cstddef>
#include <vector>

namespace ls {

FillResult fillEnclosed(LabelVolume& labels, int slice, int column, int row, std::uint8_t boundary,
                        const PaintRule& rule) {
  FillResult result;
  const int w = labels.columns, h = labels.rows;
  if (slice < 0 || slice >= labels.slices || column < 0 || row < 0 || column >= w || row >= h) return result;
  std::uint8_t* target = labels.slice(slice);
  const std::size_t seed = static_cast<std::size_t>(row) * w + column;
  if (target[seed] == boundary) return result;  // clicked on the contour itself
  std::vector<std::uint8_t> seen(static_cast<std::size_t>(w) * h, 0);
  std::vector<std::size_t> region, stack{seed};
  seen[seed] = 1;
  while (!stack.empty()) {
    const std::size_t i = stack.back();
    stack.pop_back();
    region.push_back(i);
    const int x = static_cast<int>(i % w), y = static_cast<int>(i / w);
    if (x == 0 || y == 0 || x == w - 1 || y == h - 1) return result;  // leaks out: not enclosed
    for (std::size_t n : {i - 1, i + 1, i - w, i + w}) {
      if (!seen[n] && target[n] != boundary) {
        seen[n] = 1;
        stack.push_back(n);
      }
    }
  }
  result.closed = true;
  for (std::size_t i : region) {
    if (rule.allows(target[i])) {
      target[i] = rule.value;
      ++result.changed;
    }
  }
  return result;
}

int eraseOutsideBox(LabelVolume& labels, int slice, Point2 a, Point2 b, const PaintRule& rule) {
  if (slice < 0 || slice >= labels.slices) return 0;
  const double x0 = std::min(a.x, b.x), x1 = std::max(a.x, b.x);
  const double y0 = std::min(a.y, b.y), y1 = std::max(a.y, b.y);
  std::uint8_t* target = labels.slice(slice);
  int changed = 0;
  for (int y = 0; y < labels.rows; ++y) {
    for (int x = 0; x < labels.columns; ++x) {
      const bool inside = x + 0.5 >= x0 && x + 0.5 <= x1 && y + 0.5 >= y0 && y + 0.5 <= y1;
      std::uint8_t& v = target[static_cast<std::size_t>(y) * labels.columns + x];
      if (!inside && rule.allows(v)) {
        v = rule.value;
        ++changed;
      }
    }
  }
  return changed;
}

}  // namespace ls
