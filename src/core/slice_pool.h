// SlicePool: the decoded pixels of equally sized greyscale slices, back to
// back in one buffer, so a loaded series becomes a Volume by reordering that
// buffer in place instead of copying every slice into a second one (the peak
// of a large series would otherwise be twice its decoded size). Slices whose
// pixels live here carry their index (ImageSlice::pooledIndex).
#pragma once

#include <cstddef>
#include <vector>

namespace ls {

struct SlicePool {
  std::vector<float> pixels;
  std::size_t sliceSize = 0;  // values per slice; 0 until the first slice

  std::size_t count() const { return sliceSize ? pixels.size() / sliceSize : 0; }
  const float* slice(std::size_t index) const { return pixels.data() + index * sliceSize; }
};

// Reorders the pool so that slice i becomes the old slice order[i] (distinct
// indices), with one slice of scratch memory, and drops the slices not named.
void gatherSlicesInPlace(SlicePool& pool, const std::vector<std::size_t>& order);

}  // namespace ls
