// Annotations as compact bytes for the browser's storage (autosave): a small
// header (magic, version, dimensions), the segments (label, name, colour,
// opacity, visible, locked; since version 2), where the user was (slice and
// window; since version 3), the measurements (since version 4) and
// run-length encoded labels.
// Restoring checks the dimensions, so a label map never lands on another grid.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/result.h"
#include "segment/label_volume.h"
#include "segment/measurement.h"
#include "segment/segments.h"

namespace ls {

// Where the user was when the annotation was saved, so a restored session
// opens on the same slice with the same window, and what they measured.
struct SessionView {
  int slice = 0;
  float windowCenter = 0, windowWidth = 0;  // width 0: not saved (version 2 and older)
  std::vector<LengthMeasurement> measurements;  // complete ones only
};

struct SavedAnnotation {
  LabelVolume labels;
  std::vector<Segment> segments;  // empty for version 1 data (labels only)
  int activeSegment = 0;
  SessionView view;
};

std::vector<std::uint8_t> serializeAnnotation(const LabelVolume& labels, const SegmentList& segments,
                                              const SessionView& view = {});
Result<SavedAnnotation> deserializeAnnotation(const std::uint8_t* data, std::size_t size, int columns, int rows,
                                              int slices);

}  // namespace ls
