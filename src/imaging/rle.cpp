#include "imaging/rle.h"

namespace ls {

std::vector<Run> encodeRuns(const std::uint8_t* data, std::size_t size) {
  std::vector<Run> runs;
  for (std::size_t i = 0; i < size;) {
    std::size_t j = i + 1;
    while (j < size && data[j] == data[i] && j - i < 0xFFFFFFFFu) ++j;
    runs.push_back({data[i], static_cast<std::uint32_t>(j - i)});
    i = j;
  }
  return runs;
}

bool decodeRuns(const std::vector<Run>& runs, std::size_t expectedSize, std::vector<std::uint8_t>& out) {
  std::size_t total = 0;
  for (const Run& r : runs) total += r.length;
  if (total != expectedSize) return false;
  out.reserve(out.size() + total);
  for (const Run& r : runs) out.insert(out.end(), r.length, r.value);
  return true;
}

}  // namespace ls
