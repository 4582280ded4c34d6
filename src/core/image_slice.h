// ImageSlice: one decoded 2D image (a DICOM frame) with the attributes needed
// to place it in a volume and display it. Pixel values are in modality units
// (rescale slope/intercept already applied, e.g. Hounsfield units for CT).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/vec3.h"

namespace ls {

// A closed range of modality values, e.g. the pixel padding of a CT (the
// value written outside the scanned field of view, which is not image).
struct ValueRange {
  float low = 0, high = 0;
  bool contains(float v) const { return v >= low && v <= high; }
};

struct WindowLevel {
  double center = 0;
  double width = 1;
  std::string name;  // "from file", "auto", or the file's explanation
};

// Identifying and descriptive attributes shown in the metadata panel.
struct SeriesInfo {
  std::string patientName, patientId, patientBirthDate, patientSex;
  std::string studyDescription, studyDate, studyTime, studyInstanceUid, studyId, accessionNumber;
  std::string frameOfReferenceUid;
  std::string seriesDescription, seriesInstanceUid, modality;
  std::string transferSyntax;  // name and UID of the file's encoding
  // Frames of one enhanced file at the same positions (cardiac phases,
  // echoes, b-values...) form separate volumes of the series: "part 2 of 25";
  // empty otherwise. Part of what tells series apart (groupBySeries).
  std::string part;
  std::string photometric;
  int bitsStored = 0;
};

// The source file's attributes without its pixel data and other bulk data
// (overlays, icon, private and padding elements), as an explicit VR little
// endian dataset: what a derived series copies its patient, study, geometry
// and acquisition attributes from. Shared and immutable, so the frames of one
// multi-frame file and copies of a volume hold one copy (a few kB per file).
using DicomHeader = std::shared_ptr<const std::vector<std::uint8_t>>;

struct ImageSlice {
  std::string sourceFile;
  std::string sopClassUid, sopInstanceUid;  // of the source file (what a derived object references)
  int frameIndex = 0;  // frame within a multi-frame file
  int frameCount = 1;  // frames in that file
  DicomHeader sourceHeader;  // null when the header could not be kept
  int rows = 0, columns = 0;
  std::vector<float> pixels;  // rows * columns, row-major, modality units (colour: luma 0..255)
  long pooledIndex = -1;      // >= 0: `pixels` is empty, they are this slice of a SlicePool
  // Colour images: each pixel as RGBA8 (red in the low byte); empty for greyscale.
  std::vector<std::uint32_t> colour;

  double rowSpacing = 1, columnSpacing = 1;  // mm between rows / columns
  bool hasPixelSpacing = false;
  std::optional<Vec3> position;      // ImagePositionPatient of the first pixel
  std::optional<Vec3> rowDirection;  // direction of increasing column index
  std::optional<Vec3> columnDirection;  // direction of increasing row index
  double sliceThickness = 0;
  int instanceNumber = 0;

  bool invertDisplay = false;  // MONOCHROME1: low values are drawn bright
  // Pixel Padding Value (and Range Limit), in modality units: not image. Left
  // out of the automatic window and the histogram and named under the pointer;
  // drawn through the window like any value, as DCMTK renders it.
  std::optional<ValueRange> padding;
  std::vector<WindowLevel> windows;  // presets from the file, in file order
  SeriesInfo info;
};

}  // namespace ls
