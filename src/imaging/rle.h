// Run-length encoding of byte images (label maps): runs of (value, length).
// Label maps are mostly long runs of 0, so this is what storage and undo keep.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace ls {

struct Run {
  std::uint8_t value = 0;
  std::uint32_t length = 0;
};

std::vector<Run> encodeRuns(const std::uint8_t* data, std::size_t size);
// Appends the decoded bytes; false when the runs do not add up to `expectedSize`.
bool decodeRuns(const std::vector<Run>& runs, std::size_t expectedSize, std::vector<std::uint8_t>& out);

}  // namespace ls
