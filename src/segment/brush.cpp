#include "segment/brush.h"

#include <algorithm>
#include <cmath>
#include <cstddef>

namespace ls {

namespace {

// How many slices either side a sphere reaches.
int sphereReach(const BrushShape& s) {
  return s.sphere && s.sliceSpacing > 0 ? static_cast<int>(std::floor(s.radiusMm / s.sliceSpacing)) : 0;
}

int paintEllipse(LabelVolume& labels, int slice, Point2 centre, double rx, double ry, const PaintRule& rule,
                 const IntensityGate& gate) {
  if (slice < 0 || slice >= labels.slices || rx <= 0 || ry <= 0) return 0;
  const int x0 = std::max(0, static_cast<int>(std::floor(centre.x - rx)));
  const int x1 = std::min(labels.columns - 1, static_cast<int>(std::ceil(centre.x + rx)));
  const int y0 = std::max(0, static_cast<int>(std::floor(centre.y - ry)));
  const int y1 = std::min(labels.rows - 1, static_cast<int>(std::ceil(centre.y + ry)));
  const std::size_t sliceStart = static_cast<std::size_t>(labels.columns) * labels.rows * slice;
  std::uint8_t* target = labels.slice(slice);
  int changed = 0;
  for (int y = y0; y <= y1; ++y) {
    for (int x = x0; x <= x1; ++x) {
      const double dx = (x + 0.5 - centre.x) / rx, dy = (y + 0.5 - centre.y) / ry;
      if (dx * dx + dy * dy > 1.0) continue;
      const std::size_t i = static_cast<std::size_t>(y) * labels.columns + x;
      if (rule.allows(target[i]) && gate.allows(sliceStart + i)) {
        target[i] = rule.value;
        ++changed;
      }
    }
  }
  return changed;
}

}  // namespace

int paintDisc(LabelVolume& labels, int slice, Point2 centre, const BrushShape& s, const PaintRule& rule,
              const IntensityGate& gate) {
  int changed = 0;
  const int reach = sphereReach(s);
  for (int dz = -reach; dz <= reach; ++dz) {
    // The sphere's cross-section at this slice's distance from the centre.
    const double r2 = s.radiusMm * s.radiusMm - (dz * s.sliceSpacing) * (dz * s.sliceSpacing);
    if (r2 <= 0) continue;
    const double r = std::sqrt(r2);
    changed += paintEllipse(labels, slice + dz, centre, r / s.columnSpacing, r / s.rowSpacing, rule, gate);
  }
  return changed;
}

int paintStroke(LabelVolume& labels, int slice, Point2 from, Point2 to, const BrushShape& s,
                const PaintRule& rule, const IntensityGate& gate) {
  const double step = 0.5 * std::min(s.radiusMm / s.columnSpacing, s.radiusMm / s.rowSpacing);
  const double length = std::hypot(to.x - from.x, to.y - from.y);
  const int stamps = std::max(1, static_cast<int>(std::ceil(length / std::max(step, 0.25))));
  int changed = 0;
  for (int i = 0; i <= stamps; ++i) {
    const double t = static_cast<double>(i) / stamps;
    changed += paintDisc(labels, slice, {from.x + (to.x - from.x) * t, from.y + (to.y - from.y) * t}, s, rule, gate);
  }
  return changed;
}

std::vector<int> slicesTouched(const LabelVolume& labels, int slice, const BrushShape& shape) {
  std::vector<int> slices;
  const int reach = sphereReach(shape);
  for (int z = std::max(0, slice - reach); z <= std::min(labels.slices - 1, slice + reach); ++z) slices.push_back(z);
  return slices;
}

}  // namespace ls
