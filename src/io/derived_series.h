// Export of restored (denoised) voxels as a new, clearly derived DICOM series:
// one file per slice, each a copy of its source file's header (patient, study,
// frame of reference, geometry, acquisition attributes, same SOP class) with a
// new series and new instances, ImageType DERIVED\SECONDARY, a derivation
// description and code, a Source Image Sequence pointing at the source slice,
// and the restored values encoded in the source's stored representation
// (rows, columns, bits, sign; the source's rescale unless the restored range
// does not fit). Explicit VR little endian, uncompressed. The source volume
// is not modified, and nothing ever replaces the source series.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.h"
#include "core/volume.h"

namespace ls {

struct DerivationCode {
  std::string value, scheme, meaning;
};

struct DerivedSeriesDescription {
  // Method and parameters in words, e.g. "Non-local means denoising, noise
  // sigma 12 HU, strength 0.8, LocalSeg 0.1 restoration preview" (DICOM
  // Derivation Description, at most 1024 characters).
  std::string derivationDescription;
  std::string methodName;  // e.g. "Non-local means": the contributing equipment's description
  // CID 7203 "Image Derivation": DCM 113087 "Smoothing" is its entry for noise
  // suppression; a caller whose method is something else (e.g. 113086 "Edge
  // enhancement") passes that instead.
  DerivationCode derivationCode{"113087", "DCM", "Smoothing"};
  std::string softwareVersion = "0.1";
};

struct DicomFile {
  std::string name;  // e.g. "IM0001.dcm", in slice order
  std::vector<std::uint8_t> bytes;
};

struct DerivedSeries {
  std::vector<DicomFile> files;
  std::string seriesInstanceUid;
  long long clampedVoxels = 0;  // restored values outside what the stored representation can hold
  int rescaledSlices = 0;       // slices whose rescale slope/intercept had to change to fit the values
};

// The series description every derived series carries. The en dash needs
// UTF-8: it is used when the source is ASCII or UTF-8 (the files then say
// SpecificCharacterSet ISO_IR 192); a source in another character set keeps
// it, and the description uses an ASCII hyphen.
inline constexpr const char* kRestoredSeriesDescription = "RESTORED PREVIEW \xE2\x80\x93 NOT FOR DIAGNOSIS";
inline constexpr const char* kRestoredSeriesDescriptionAscii = "RESTORED PREVIEW - NOT FOR DIAGNOSIS";

// `restoredVoxels` has exactly the layout of `source.voxels` (modality units).
// Errors name the slice's file and the problem: no source header, a
// multi-frame source, a voxel count that does not match, values that are not
// finite, a pixel format the writer does not encode.
Result<DerivedSeries> writeDerivedSeries(const Volume& source, const std::vector<float>& restoredVoxels,
                                         const DerivedSeriesDescription& description);

}  // namespace ls
