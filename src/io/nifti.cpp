#include "io/nifti.h"

#include <algorithm>
#include <cstddef>
#include <cstring>

namespace ls {
namespace {

constexpr std::size_t kHeaderSize = 348;
constexpr std::size_t kDataOffset = 352;  // header + 4-byte extension flag

template <typename T>
void put(std::vector<std::uint8_t>& out, std::size_t offset, T value) {
  std::memcpy(out.data() + offset, &value, sizeof(T));  // NIfTI here: little-endian, as wasm and x86
}

}  // namespace

std::vector<std::uint8_t> writeNiftiLabels(const LabelVolume& labels, const VolumeGeometry& g,
                                           const std::string& description) {
  std::vector<std::uint8_t> out;
  out.reserve(kDataOffset + labels.labels.size());
  out.resize(kDataOffset, 0);
  put<std::int32_t>(out, 0, static_cast<std::int32_t>(kHeaderSize));
  const std::int16_t dims[8] = {3, static_cast<std::int16_t>(labels.columns), static_cast<std::int16_t>(labels.rows),
                                static_cast<std::int16_t>(labels.slices), 1, 1, 1, 1};
  for (int i = 0; i < 8; ++i) put<std::int16_t>(out, 40 + 2 * i, dims[i]);
  put<std::int16_t>(out, 70, 2);  // DT_UINT8
  put<std::int16_t>(out, 72, 8);  // bitpix
  const float pixdim[8] = {1, float(g.columnSpacing), float(g.rowSpacing), float(g.sliceSpacing), 1, 1, 1, 1};
  for (int i = 0; i < 8; ++i) put<float>(out, 76 + 4 * i, pixdim[i]);
  put<float>(out, 108, float(kDataOffset));
  put<float>(out, 112, 1.0f);  // scl_slope
  out[123] = 2;                // xyzt_units: millimetres
  std::memcpy(out.data() + 148, description.data(), std::min<std::size_t>(description.size(), 79));
  put<std::int16_t>(out, 252, 0);  // qform_code: unused, the sform carries the geometry
  put<std::int16_t>(out, 254, 1);  // sform_code: scanner coordinates
  // Voxel (i, j, k) = (column, row, slice) -> LPS millimetres -> RAS (negate x, y).
  const Vec3 axes[3] = {g.rowDirection * g.columnSpacing, g.columnDirection * g.rowSpacing,
                        g.sliceDirection * g.sliceSpacing};
  const float rows[3][4] = {
      {float(-axes[0].x), float(-axes[1].x), float(-axes[2].x), float(-g.origin.x)},
      {float(-axes[0].y), float(-axes[1].y), float(-axes[2].y), float(-g.origin.y)},
      {float(axes[0].z), float(axes[1].z), float(axes[2].z), float(g.origin.z)},
  };
  for (int r = 0; r < 3; ++r) {
    for (int c = 0; c < 4; ++c) put<float>(out, 280 + 16 * r + 4 * c, rows[r][c]);
  }
  std::memcpy(out.data() + 328, "LocalSeg labels", 15);  // intent_name
  std::memcpy(out.data() + 344, "n+1\0", 4);
  out.insert(out.end(), labels.labels.begin(), labels.labels.end());
  return out;
}

}  // namespace ls
