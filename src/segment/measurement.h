// Length measurements on a slice: two points in image coordinates, their
// distance in millimetres from the pixel spacing (anisotropic pixels count).
#pragma once

#include <cmath>
#include <vector>

#include "core/point2.h"

namespace ls {

struct LengthMeasurement {
  int slice = 0;
  Point2 a, b;  // continuous image coordinates
};

inline double lengthMm(const LengthMeasurement& m, double columnSpacing, double rowSpacing) {
  return std::hypot((m.b.x - m.a.x) * columnSpacing, (m.b.y - m.a.y) * rowSpacing);
}

}  // namespace ls
