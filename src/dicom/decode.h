// DICOM file -> decoded slices. The only place (with its .cpp) that sees DCMTK.
// Works on bytes in memory so the browser (files read by JS) and native tests
// share one code path.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/image_slice.h"
#include "core/result.h"

namespace ls {

// Decodes every frame of one DICOM file. On failure the error names the file
// and the reason (not DICOM, truncated, unsupported encoding, no image...).
// Sets DCMTK up once (its codecs, its data dictionary); decodeDicom does it
// too. Call it before decoding on several threads at once.
void initialiseDicomDecoder();

Result<std::vector<ImageSlice>> decodeDicom(const std::string& fileName, const std::uint8_t* data,
                                            std::size_t size);

}  // namespace ls
