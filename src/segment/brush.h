// Brush and eraser: discs of a radius in millimetres (so strokes look round on
// anisotropic pixels), stamped along the pointer's path on one slice.
#pragma once

#include <cstdint>

#include "core/point2.h"
#include "segment/label_volume.h"

namespace ls {

struct BrushShape {
  double radiusMm = 3;
  double columnSpacing = 1, rowSpacing = 1;  // mm per pixel
};

// Applies `rule` to every pixel whose centre lies within the disc around
// `centre` (continuous image coordinates); returns how many changed.
int paintDisc(LabelVolume& labels, int slice, Point2 centre, const BrushShape& shape, const PaintRule& rule);
inline int paintDisc(LabelVolume& labels, int slice, Point2 centre, const BrushShape& shape, std::uint8_t value) {
  return paintDisc(labels, slice, centre, shape, PaintRule::overwrite(value));
}

// Discs along the segment from `from` to `to`, close enough to leave no gaps.
int paintStroke(LabelVolume& labels, int slice, Point2 from, Point2 to, const BrushShape& shape,
                const PaintRule& rule);

}  // namespace ls
