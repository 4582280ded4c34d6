// Label volumes as compact bytes for the browser's storage (autosave): a
// small header (magic, version, dimensions) and run-length encoded labels.
// Restoring checks the dimensions, so a label map never lands on another grid.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/result.h"
#include "segment/label_volume.h"

namespace ls {

std::vector<std::uint8_t> serializeLabels(const LabelVolume& labels);
Result<LabelVolume> deserializeLabels(const std::uint8_t* data, std::size_t size, int columns, int rows,
                                      int slices);

}  // namespace ls
