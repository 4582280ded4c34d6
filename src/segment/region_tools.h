// Region edits on one slice: fill the area a segment's contour encloses, and
// erase a segment everywhere outside a box.
#pragma once

#include "core/point2.h"
#include "segment/label_volume.h"

namespace ls {

struct FillResult {
  bool closed = false;  // false: the region around the seed reaches the image edge
  int changed = 0;
};

// Flood fill (4-connected) from pixel (column, row) over voxels that are not
// `boundary`; if the region reaches the slice's edge it is not enclosed and
// nothing changes. Voxels the rule may not replace (locked) stay.
FillResult fillEnclosed(LabelVolume& labels, int slice, int column, int row, std::uint8_t boundary,
                        const PaintRule& rule);

// Applies `rule` (normally the active segment's erase rule) to every voxel of
// `slice` whose centre lies outside the box spanned by a and b.
int eraseOutsideBox(LabelVolume& labels, int slice, Point2 a, Point2 b, const PaintRule& rule);

}  // namespace ls
