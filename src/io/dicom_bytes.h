// A DCMTK file object written to bytes in memory (explicit VR little endian,
// meta header included): what the DICOM writers hand to the page's download.
#pragma once

#include <cstdint>
#include <vector>

class DcmFileFormat;

namespace ls {

// Empty when DCMTK refuses to write the object.
std::vector<std::uint8_t> dicomFileBytes(DcmFileFormat& file);

}  // namespace ls
