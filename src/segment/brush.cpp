#include "segment/brush.h"

#include <algorithm>
#include <cmath>
#include <cstddef>

namespace ls {

int paintDisc(LabelVolume& labels, int slice, Point2 centre, const BrushShape& s, const PaintRule& rule) {
  if (slice < 0 || slice >= labels.slices) return 0;
  const double rx = s.radiusMm / s.columnSpacing, ry = s.radiusMm / s.rowSpacing;  // in pixels
  const int x0 = std::max(0, static_cast<int>(std::floor(centre.x - rx)));
  const int x1 = std::min(labels.columns - 1, static_cast<int>(std::ceil(centre.x + rx)));
  const int y0 = std::max(0, static_cast<int>(std::floor(centre.y - ry)));
  const int y1 = std::min(labels.rows - 1, static_cast<int>(std::ceil(centre.y + ry)));
  std::uint8_t* target = labels.slice(slice);
  int changed = 0;
  for (int y = y0; y <= y1; ++y) {
    for (int x = x0; x <= x1; ++x) {
      const double dx = (x + 0.5 - centre.x) / rx, dy = (y + 0.5 - centre.y) / ry;
      if (dx * dx + dy * dy > 1.0) continue;
      std::uint8_t& v = target[static_cast<std::size_t>(y) * labels.columns + x];
      if (rule.allows(v)) {
        v = rule.value;
        ++changed;
      }
    }
  }
  return changed;
}

int paintStroke(LabelVolume& labels, int slice, Point2 from, Point2 to, const BrushShape& s,
                const PaintRule& rule) {
  const double step = 0.5 * std::min(s.radiusMm / s.columnSpacing, s.radiusMm / s.rowSpacing);
  const double length = std::hypot(to.x - from.x, to.y - from.y);
  const int stamps = std::max(1, static_cast<int>(std::ceil(length / std::max(step, 0.25))));
  int changed = 0;
  for (int i = 0; i <= stamps; ++i) {
    const double t = static_cast<double>(i) / stamps;
    changed += paintDisc(labels, slice, {from.x + (to.x - from.x) * t, from.y + (to.y - from.y) * t}, s, rule);
  }
  return changed;
}

}  // namespace ls
