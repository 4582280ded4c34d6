// JPEG 2000 frames (transfer syntaxes 1.2.840.10008.1.2.4.90/.91) decoded with
// OpenJPEG from memory. DCMTK 3.6.7's open-source edition has no JPEG 2000
// codec, so decode.cpp hands the encapsulated fragments of each frame here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/result.h"

namespace ls {

struct Jpeg2000Image {
  int width = 0, height = 0, components = 0;
  bool isSigned = false;
  int precision = 0;
  std::vector<std::int32_t> samples;  // first component, row-major
};

// `data` is one frame's codestream (J2K) or JP2 file. Errors say why.
Result<Jpeg2000Image> decodeJpeg2000(const std::uint8_t* data, std::size_t size);

}  // namespace ls
