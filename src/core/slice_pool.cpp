#include "core/slice_pool.h"

#include <algorithm>
#include <stdexcept>

namespace ls {

void gatherSlicesInPlace(SlicePool& pool, const std::vector<std::size_t>& order) {
  const std::size_t n = pool.count(), size = pool.sliceSize;
  // Extend the wanted order to a permutation of every slot: the slices not
  // named go to the end, where they are cut off.
  std::vector<std::size_t> source = order;
  std::vector<bool> named(n, false);
  for (std::size_t s : order) {
    if (s >= n || named[s]) throw std::invalid_argument("gatherSlicesInPlace: index out of range or repeated");
    named[s] = true;
  }
  for (std::size_t s = 0; s < n; ++s) {
    if (!named[s]) source.push_back(s);
  }
  // Follow each cycle of the permutation: slot j takes source[j]'s slice.
  std::vector<float> scratch(size);
  std::vector<bool> done(n, false);
  float* data = pool.pixels.data();
  for (std::size_t start = 0; start < n; ++start) {
    if (done[start] || source[start] == start) continue;
    std::copy_n(data + start * size, size, scratch.data());
    std::size_t j = start;
    for (;;) {
      done[j] = true;
      const std::size_t k = source[j];
      if (k == start) {
        std::copy_n(scratch.data(), size, data + j * size);
        break;
      }
      std::copy_n(data + k * size, size, data + j * size);
      j = k;
    }
  }
  pool.pixels.resize(order.size() * size);
}

}  // namespace ls
