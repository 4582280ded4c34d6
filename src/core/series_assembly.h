// Series assembly: groups decoded slices by series and stacks one series into
// a Volume, ordered by ImagePositionPatient projected on the slice normal
// (never by file name). Problems that would distort the volume (localizers of
// another orientation, differing sizes, duplicate positions, uneven spacing)
// are reported as warnings naming the files concerned.
#pragma once

#include <string>
#include <vector>

#include "core/image_slice.h"
#include "core/result.h"
#include "core/slice_pool.h"
#include "core/volume.h"

namespace ls {

struct SeriesGroup {
  std::string seriesInstanceUid;
  std::vector<ImageSlice> slices;
};

// Groups slices by SeriesInstanceUID (and part of it, see SeriesInfo::part),
// largest series first.
std::vector<SeriesGroup> groupBySeries(std::vector<ImageSlice> slices);

struct AssembledVolume {
  Volume volume;
  std::vector<Error> warnings;
};

// Stacks the slices of one series. Fails only when no slice can be used.
// Pooled slices (ImageSlice::pooledIndex) are read from `pool`; with
// `consumePool`, when every stacked slice is pooled, the pool's buffer is
// reordered in place and becomes the volume's (the pool is left empty).
Result<AssembledVolume> assembleVolume(std::vector<ImageSlice> slices, SlicePool* pool = nullptr,
                                       bool consumePool = false);

}  // namespace ls
