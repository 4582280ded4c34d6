// Volume: a stack of parallel slices on a regular grid, in modality units,
// with the geometry that maps voxel indices to patient millimetres.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/image_slice.h"
#include "core/vec3.h"

namespace ls {

struct VolumeGeometry {
  int columns = 0, rows = 0, slices = 0;
  double columnSpacing = 1, rowSpacing = 1, sliceSpacing = 1;  // mm
  Vec3 origin;                     // centre of voxel (0,0,0)
  Vec3 rowDirection{1, 0, 0};      // +column index
  Vec3 columnDirection{0, 1, 0};   // +row index
  Vec3 sliceDirection{0, 0, 1};    // +slice index
  // False when the files give no ImageOrientationPatient/Position (ultrasound,
  // secondary captures): the directions above are then placeholders, and no
  // patient orientation may be shown.
  bool orientationKnown = true;
  // False when the files give no PixelSpacing (or ImagerPixelSpacing): the
  // 1 mm spacings are placeholders and lengths are in pixels, not mm.
  bool spacingKnown = true;

  // Patient position (mm) of a continuous voxel coordinate.
  Vec3 toPatient(double column, double row, double slice) const {
    return origin + rowDirection * (column * columnSpacing) +
           columnDirection * (row * rowSpacing) + sliceDirection * (slice * sliceSpacing);
  }
};

struct Volume {
  VolumeGeometry geometry;
  std::vector<float> voxels;  // slice-major, then row-major (colour series: luma 0..255)
  // Colour series: each voxel as RGBA8 (red in the low byte), same order; empty for greyscale.
  std::vector<std::uint32_t> colour;
  std::vector<std::string> sliceFiles;  // source file of each slice, for the UI
  std::vector<std::string> sliceSopClassUids, sliceSopInstanceUids;  // of each slice's source file
  std::vector<DicomHeader> sliceHeaders;  // each slice's source header (see ImageSlice), same order
  // Each slice's frame (1-based) in its multi-frame source file, 0 for a
  // single-frame file: references to a frame need its number as well as the
  // file's SOP Instance UID. May be empty (no multi-frame source).
  std::vector<int> sliceFrameNumbers;
  int frameNumberOf(int slice) const {
    return slice < static_cast<int>(sliceFrameNumbers.size()) ? sliceFrameNumbers[slice] : 0;
  }
  // Each slice's own ImagePositionPatient (the regular grid's position when
  // the file has none): files round positions, so the grid is only close to them.
  std::vector<Vec3> slicePositions;
  std::vector<WindowLevel> windows;     // file presets, then "auto"
  bool invertDisplay = false;
  std::optional<ValueRange> padding;  // see ImageSlice::padding
  SeriesInfo info;
  float minValue = 0, maxValue = 0;
  // A first look while the rest of a large drop still decodes: one image,
  // shown at once; replaced by the whole series when it is in (no edits on it).
  bool firstLook = false;

  std::size_t sliceSize() const {
    return static_cast<std::size_t>(geometry.columns) * geometry.rows;
  }
  const float* slice(int index) const { return voxels.data() + sliceSize() * index; }
  bool isColour() const { return !colour.empty(); }
  const std::uint32_t* colourSlice(int index) const { return colour.data() + sliceSize() * index; }
  float at(int column, int row, int slice) const {
    return voxels[sliceSize() * slice + static_cast<std::size_t>(row) * geometry.columns + column];
  }
};

}  // namespace ls
