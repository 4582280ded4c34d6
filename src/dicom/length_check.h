// A walk over a DICOM file's element headers that finds a length claiming
// more bytes than the file has left, before DCMTK reads the file: DCMTK
// allocates each value by its claimed length first, so one lying length of
// 4 GB in a 500 kB file would take the page's memory (found by the fuzzer).
// Implicit and explicit VR, little and big endian, sequences and items of
// defined or undefined length; deflated datasets are inflated (up to 1 GB) first.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ls {

// Empty when every length fits; else what is wrong, e.g. "element (0028,0010)
// claims 4027576335 bytes at byte 1320, but only 600 remain".
std::string findLyingLength(const std::uint8_t* data, std::size_t size);

struct ByteRange {
  std::size_t offset = 0, size = 0;
};

// The file's bytes without its top-level private elements (odd groups), as
// ranges in file order: what the decoder hands DCMTK. Nothing LocalSeg reads
// or keeps is private, and vendors' private groups are often most of a
// header's elements (two thirds of a GE CT's), each parsed and looked up in
// the dictionary. Nothing when the file is deflated or its elements do not
// walk cleanly (the whole file then goes to DCMTK).
std::optional<std::vector<ByteRange>> rangesWithoutPrivateElements(const std::uint8_t* data, std::size_t size);

}  // namespace ls
