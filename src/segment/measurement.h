// Measurements on a slice: a length (two points; the distance in millimetres
// from the pixel spacing, anisotropic pixels count), an ellipse or rectangle
// ROI (its bounding box; statistics from imaging/roi_stats), or an angle
// (arms from the vertex b to a and to c, in millimetre space).
#pragma once

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/point2.h"

namespace ls {

struct LengthMeasurement {
  enum class Kind { Length, Ellipse, Rectangle, Angle };
  int slice = 0;
  Point2 a, b;  // continuous image coordinates: the line, the ROI's bounding box, or an angle's first arm (b: vertex)
  Kind kind = Kind::Length;
  Point2 c;             // an angle's second arm ends here
  bool complete = true;  // false while an angle waits for its second arm
};

inline double lengthMm(const LengthMeasurement& m, double columnSpacing, double rowSpacing) {
  return std::hypot((m.b.x - m.a.x) * columnSpacing, (m.b.y - m.a.y) * rowSpacing);
}

// The angle at the vertex b between the arms to a and to c, in degrees.
inline double angleDegrees(const LengthMeasurement& m, double columnSpacing, double rowSpacing) {
  const double ux = (m.a.x - m.b.x) * columnSpacing, uy = (m.a.y - m.b.y) * rowSpacing;
  const double vx = (m.c.x - m.b.x) * columnSpacing, vy = (m.c.y - m.b.y) * rowSpacing;
  const double norms = std::hypot(ux, uy) * std::hypot(vx, vy);
  if (norms == 0) return 0;
  return std::acos(std::clamp((ux * vx + uy * vy) / norms, -1.0, 1.0)) * 180.0 / 3.14159265358979323846;
}

}  // namespace ls
