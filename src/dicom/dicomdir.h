// DICOMDIR: the index a CD or a PACS export writes next to its files. It
// holds no image; LocalSeg reads what it lists (patients, studies, series,
// images and the files they are in) so the loader can say whether every
// listed file was among those opened, instead of calling the index a bad file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/result.h"

namespace ls {

struct DicomDirListing {
  int patients = 0, studies = 0, series = 0, images = 0;
  std::vector<std::string> files;  // each referenced file, components joined by '/'
};

// An error when the bytes are not a DICOMDIR (no Directory Record Sequence).
Result<DicomDirListing> readDicomDir(const std::string& fileName, const std::uint8_t* data, std::size_t size);

}  // namespace ls
