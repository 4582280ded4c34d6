// Annotations as compact bytes for the browser's storage (autosave): a small
// header (magic, version, dimensions), the segments (label, name, colour,
// opacity, visible, locked; since version 2) and run-length encoded labels.
// Restoring checks the dimensions, so a label map never lands on another grid.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/result.h"
#include "segment/label_volume.h"
#include "segment/segments.h"

namespace ls {

struct SavedAnnotation {
  LabelVolume labels;
  std::vector<Segment> segments;  // empty for version 1 data (labels only)
  int activeSegment = 0;
};

std::vector<std::uint8_t> serializeAnnotation(const LabelVolume& labels, const SegmentList& segments);
Result<SavedAnnotation> deserializeAnnotation(const std::uint8_t* data, std::size_t size, int columns, int rows,
                                              int slices);

}  // namespace ls
