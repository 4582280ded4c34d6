// A minimal ZIP archive writer (PKWARE APPNOTE 6.3): stored (uncompressed)
// entries with CRC-32, local headers, central directory and end record, so the
// browser can offer a whole derived series as one download. DICOM pixel data
// compresses poorly and the files may be large, so nothing is deflated. No
// ZIP64: at most 65535 entries and 4 GiB.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.h"
#include "io/derived_series.h"

namespace ls {

// Entries are named `folder + "/" + file.name` (just `file.name` without a
// folder), e.g. "restored/IM0001.dcm".
Result<std::vector<std::uint8_t>> writeZip(const std::vector<DicomFile>& files, const std::string& folder = "");

// CRC-32 (ISO 3309, as ZIP uses it) of `size` bytes.
std::uint32_t crc32Of(const std::uint8_t* data, std::size_t size);

}  // namespace ls
