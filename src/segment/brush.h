// Brush and eraser: discs of a radius in millimetres (so strokes look round on
// anisotropic pixels) stamped along the pointer's path, or spheres (the same
// disc on the neighbouring slices within the radius, shrinking with the
// distance); optionally only on voxels whose value lies in a range (the
// threshold-constrained brush).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/point2.h"
#include "segment/label_volume.h"

namespace ls {

struct BrushShape {
  double radiusMm = 3;
  double columnSpacing = 1, rowSpacing = 1;  // mm per pixel
  double sliceSpacing = 1;                   // mm between slices (spheres)
  bool sphere = false;
};

// Only voxels of `volume` (slice-major, the label volume's grid) with values
// in [low, high] are painted; no volume: every voxel.
struct IntensityGate {
  const float* volume = nullptr;
  float low = 0, high = 0;
  bool allows(std::size_t index) const { return !volume || (volume[index] >= low && volume[index] <= high); }
};

// Applies `rule` to every voxel whose centre lies within the disc (or sphere)
// around `centre` (continuous image coordinates on `slice`); returns how many changed.
int paintDisc(LabelVolume& labels, int slice, Point2 centre, const BrushShape& shape, const PaintRule& rule,
              const IntensityGate& gate = {});
inline int paintDisc(LabelVolume& labels, int slice, Point2 centre, const BrushShape& shape, std::uint8_t value) {
  return paintDisc(labels, slice, centre, shape, PaintRule::overwrite(value));
}

// Discs along the segment from `from` to `to`, close enough to leave no gaps.
int paintStroke(LabelVolume& labels, int slice, Point2 from, Point2 to, const BrushShape& shape,
                const PaintRule& rule, const IntensityGate& gate = {});

// The slices a stroke of this shape on `slice` can touch (for undo).
std::vector<int> slicesTouched(const LabelVolume& labels, int slice, const BrushShape& shape);

}  // namespace ls
