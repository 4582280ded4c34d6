// Statistics of modality values inside a region of interest on one slice:
// an axis-aligned rectangle or the ellipse inscribed in it (image
// coordinates; a pixel counts when its centre is inside). Area in mm^2.
#pragma once

#include "core/point2.h"

namespace ls {

struct RoiStats {
  int pixels = 0;
  double mean = 0, standardDeviation = 0, min = 0, max = 0;
  double areaMm2 = 0;
};

RoiStats roiStatistics(const float* slice, int columns, int rows, Point2 a, Point2 b, bool ellipse,
                       double columnSpacing, double rowSpacing);

}  // namespace ls
