// Measurements on a slice: a length (two points; the distance in millimetres
// from the pixel spacing, anisotropic pixels count) or an ellipse ROI (its
// bounding box; statistics from imaging/roi_stats).
#pragma once

#include <cmath>
#include <vector>

#include "core/point2.h"

namespace ls {

struct LengthMeasurement {
  enum class Kind { Length, Ellipse };
  int slice = 0;
  Point2 a, b;  // continuous image coordinates: the line, or the ellipse's bounding box
  Kind kind = Kind::Length;
};

inline double lengthMm(const LengthMeasurement& m, double columnSpacing, double rowSpacing) {
  return std::hypot((m.b.x - m.a.x) * columnSpacing, (m.b.y - m.a.y) * rowSpacing);
}

}  // namespace ls
