#include "io/nifti.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <set>

#include <nlohmann/json.hpp>

#include "io/gzip.h"

namespace ls {

// [SECTION] Shared layout -----------------------------------------------------

namespace {

constexpr std::size_t kHeaderSize = 348;
constexpr std::size_t kDataOffset = 352;  // header + 4-byte extension flag
constexpr std::int32_t kCommentExtension = 6;  // NIFTI_ECODE_COMMENT: any text; ours is JSON
constexpr const char* kExtensionFormat = "LocalSeg segments";

template <typename T>
void put(std::vector<std::uint8_t>& out, std::size_t offset, T value) {
  std::memcpy(out.data() + offset, &value, sizeof(T));  // NIfTI here: little-endian, as wasm and x86
}

std::string fmt(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.6g", v);
  return text;
}

std::string fmt(Vec3 v) { return "(" + fmt(v.x) + ", " + fmt(v.y) + ", " + fmt(v.z) + ")"; }

// [SECTION] Writing -------------------------------------------------------------

std::string segmentsJson(const std::vector<Segment>& segments) {
  nlohmann::json list = nlohmann::json::array();
  for (const Segment& s : segments) {
    list.push_back({{"label", s.label},
                    {"name", s.name},
                    {"colour", {s.colour.r, s.colour.g, s.colour.b}},
                    {"opacity", s.opacity},
                    {"visible", s.visible},
                    {"locked", s.locked},
                    {"modelAssisted", s.modelAssisted}});
  }
  return nlohmann::json{{"format", kExtensionFormat}, {"version", 1}, {"segments", list}}.dump();
}

std::vector<std::uint8_t> buildFile(const LabelVolume& labels, const VolumeGeometry& g, const std::string& description,
                                    const std::string* extensionText) {
  // The standard wants each extension's size, and so vox_offset (352 + sizes),
  // a multiple of 16; the text is padded with NULs.
  const std::size_t extensionSize = extensionText ? (8 + extensionText->size() + 1 + 15) / 16 * 16 : 0;
  const std::size_t dataOffset = kDataOffset + extensionSize;
  std::vector<std::uint8_t> out;
  out.reserve(dataOffset + labels.labels.size());
  out.resize(dataOffset, 0);
  put<std::int32_t>(out, 0, static_cast<std::int32_t>(kHeaderSize));
  const std::int16_t dims[8] = {3, static_cast<std::int16_t>(labels.columns), static_cast<std::int16_t>(labels.rows),
                                static_cast<std::int16_t>(labels.slices), 1, 1, 1, 1};
  for (int i = 0; i < 8; ++i) put<std::int16_t>(out, 40 + 2 * i, dims[i]);
  put<std::int16_t>(out, 70, 2);  // DT_UINT8
  put<std::int16_t>(out, 72, 8);  // bitpix
  const float pixdim[8] = {1, float(g.columnSpacing), float(g.rowSpacing), float(g.sliceSpacing), 1, 1, 1, 1};
  for (int i = 0; i < 8; ++i) put<float>(out, 76 + 4 * i, pixdim[i]);
  put<float>(out, 108, float(dataOffset));
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
  if (extensionText) {
    out[348] = 1;  // extension flag: extensions follow the header
    put<std::int32_t>(out, 352, static_cast<std::int32_t>(extensionSize));
    put<std::int32_t>(out, 356, kCommentExtension);
    std::memcpy(out.data() + 360, extensionText->data(), extensionText->size());
  }
  out.insert(out.end(), labels.labels.begin(), labels.labels.end());
  return out;
}

}  // namespace

std::vector<std::uint8_t> writeNiftiLabels(const LabelVolume& labels, const VolumeGeometry& g,
                                           const std::string& description) {
  return buildFile(labels, g, description, nullptr);
}

std::vector<std::uint8_t> writeNiftiLabels(const LabelVolume& labels, const VolumeGeometry& g,
                                           const std::string& description, const std::vector<Segment>& segments,
                                           bool gzip) {
  const std::string text = segmentsJson(segments);
  std::vector<std::uint8_t> file = buildFile(labels, g, description, &text);
  return gzip ? gzipCompress(file.data(), file.size()) : file;
}

Segment defaultSegment(std::uint8_t label) {
  // SegmentList::add() owns the naming and the palette; it takes the lowest
  // free label, so a full list holds every label's default once.
  static const std::vector<Segment> all = [] {
    SegmentList list;
    while (list.add()) {
    }
    return list.all();
  }();
  return all[std::clamp<int>(label, 1, 255) - 1];
}

// [SECTION] Reading the header ------------------------------------------------

namespace {

// Reads the header's fields in the file's byte order.
struct HeaderReader {
  const std::vector<std::uint8_t>& bytes;
  bool swap = false;

  template <typename T>
  T get(std::size_t offset) const {
    std::uint8_t raw[sizeof(T)];
    std::memcpy(raw, bytes.data() + offset, sizeof(T));
    if (swap) std::reverse(raw, raw + sizeof(T));
    T value;
    std::memcpy(&value, raw, sizeof(T));
    return value;
  }
};

struct Datatype {
  int code;
  int size;
  const char* name;
};
constexpr Datatype kDatatypes[] = {{2, 1, "uint8"},   {256, 1, "int8"},   {4, 2, "int16"},    {512, 2, "uint16"},
                                   {8, 4, "int32"},   {768, 4, "uint32"}, {16, 4, "float32"}, {64, 8, "float64"}};

std::string datatypeName(int code) {
  switch (code) {
    case 1: return "binary (1 bit)";
    case 32: return "complex64";
    case 128: return "RGB24";
    case 1024: return "int64";
    case 1280: return "uint64";
    case 1536: return "float128";
    case 1792: return "complex128";
    case 2048: return "complex256";
    case 2304: return "RGBA32";
    default: return "unknown";
  }
}

// Voxel index (i, j, k) -> LPS millimetres: p = axis[0]*i + axis[1]*j + axis[2]*k + origin.
struct Affine {
  Vec3 axis[3];
  Vec3 origin;
};

// From NIfTI's RAS rows to DICOM's LPS: negate x and y.
Affine affineFromRas(const double m[3][4]) {
  Affine a;
  for (int c = 0; c < 3; ++c) a.axis[c] = {-m[0][c], -m[1][c], m[2][c]};
  a.origin = {-m[0][3], -m[1][3], m[2][3]};
  return a;
}

// The qform: a rotation quaternion (b, c, d; a from unit length), voxel sizes
// and qfac (pixdim[0] = -1 flips k), as nifti1.h defines it.
Affine affineFromQuaternion(double b, double c, double d, const double pixdim[4], Vec3 offset) {
  double a = 1.0 - (b * b + c * c + d * d);
  a = a > 0 ? std::sqrt(a) : 0;  // rounding may push it a hair below 0
  const double r[3][3] = {{a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c)},
                          {2 * (b * c + a * d), a * a + c * c - b * b - d * d, 2 * (c * d - a * b)},
                          {2 * (b * d - a * c), 2 * (c * d + a * b), a * a + d * d - c * c - b * b}};
  const double qfac = pixdim[0] < 0 ? -1 : 1;
  const double size[3] = {pixdim[1], pixdim[2], pixdim[3] * qfac};
  double m[3][4];
  for (int row = 0; row < 3; ++row) {
    for (int col = 0; col < 3; ++col) m[row][col] = r[row][col] * size[col];
  }
  m[0][3] = offset.x, m[1][3] = offset.y, m[2][3] = offset.z;
  return affineFromRas(m);
}

struct Header {
  bool swap = false;
  long long dims[3] = {1, 1, 1};
  Datatype type{};
  std::size_t voxOffset = kDataOffset;
  double slope = 1, intercept = 0;
  Affine affine;
  std::vector<std::uint8_t> segmentsJson;  // our extension's text, if present
};

Result<Header> parseHeader(const std::vector<std::uint8_t>& b, const std::string& file) {
  auto fail = [&](const std::string& what) { return Error{file, file + ": " + what}; };
  if (b.size() < kHeaderSize) {
    return fail("not a NIfTI-1 file (" + std::to_string(b.size()) + " bytes; a NIfTI-1 header alone is 348)");
  }
  Header h;
  HeaderReader r{b};
  if (r.get<std::int32_t>(0) != 348) {
    r.swap = true;  // a big-endian header reads as 0x5c010000 here
    if (r.get<std::int32_t>(0) != 348) {
      HeaderReader le{b};
      if (le.get<std::int32_t>(0) == 540 || (r.get<std::int32_t>(0) == 540)) {
        return fail("a NIfTI-2 file; LocalSeg reads NIfTI-1 (save it as NIfTI-1, e.g. with nibabel's Nifti1Image)");
      }
      return fail("not a NIfTI-1 file (the header size field is not 348)");
    }
  }
  h.swap = r.swap;
  if (std::memcmp(&b[344], "ni1\0", 4) == 0) {
    return fail("the header of a .hdr/.img pair; LocalSeg reads single-file NIfTI (.nii or .nii.gz)");
  }
  if (std::memcmp(&b[344], "n+1\0", 4) != 0) {
    return fail("not a NIfTI-1 file (no \"n+1\" magic; an ANALYZE 7.5 file has no patient geometry)");
  }

  const int rank = r.get<std::int16_t>(40);
  if (rank < 1 || rank > 7) return fail("corrupt header: dim[0] is " + std::to_string(rank) + " (must be 1..7)");
  for (int i = 1; i <= rank; ++i) {
    const int n = r.get<std::int16_t>(40 + 2 * i);
    if (n < 1) return fail("corrupt header: dim[" + std::to_string(i) + "] is " + std::to_string(n));
    if (i <= 3) h.dims[i - 1] = n;
    if (i > 3 && n > 1) {
      return fail("holds " + std::to_string(n) + " volumes along dimension " + std::to_string(i) +
                  "; a label file is one 3D volume");
    }
  }

  const int datatype = r.get<std::int16_t>(70);
  const auto type = std::find_if(std::begin(kDatatypes), std::end(kDatatypes),
                                 [&](const Datatype& t) { return t.code == datatype; });
  if (type == std::end(kDatatypes)) {
    return fail("voxels of datatype " + std::to_string(datatype) + " (" + datatypeName(datatype) +
                "); labels must be integers stored as (u)int8/16/32 or float32/64");
  }
  h.type = *type;

  const double voxOffset = r.get<float>(108);
  if (!std::isfinite(voxOffset) || voxOffset < 0 || voxOffset != std::floor(voxOffset)) {
    return fail("corrupt header: vox_offset is " + fmt(voxOffset));
  }
  h.voxOffset = std::max<std::size_t>(static_cast<std::size_t>(voxOffset), kDataOffset);
  const double slope = r.get<float>(112), intercept = r.get<float>(116);
  if (std::isfinite(slope) && slope != 0) {  // 0 means "no scaling" in NIfTI-1
    h.slope = slope;
    h.intercept = std::isfinite(intercept) ? intercept : 0;
  }

  // Geometry: the sform if set (the general affine), else the qform.
  const int qformCode = r.get<std::int16_t>(252), sformCode = r.get<std::int16_t>(254);
  if (sformCode > 0) {
    double m[3][4];
    for (int row = 0; row < 3; ++row) {
      for (int col = 0; col < 4; ++col) m[row][col] = r.get<float>(280 + 16 * row + 4 * col);
    }
    h.affine = affineFromRas(m);
  } else if (qformCode > 0) {
    double pixdim[4];
    for (int i = 0; i < 4; ++i) pixdim[i] = r.get<float>(76 + 4 * i);
    h.affine = affineFromQuaternion(r.get<float>(256), r.get<float>(260), r.get<float>(264), pixdim,
                                    {r.get<float>(268), r.get<float>(272), r.get<float>(276)});
  } else {
    return fail("no patient geometry (sform_code and qform_code are both 0), so the labels cannot be placed on the series");
  }
  for (const Vec3& v : h.affine.axis) {
    if (!std::isfinite(v.x + v.y + v.z) || length(v) <= 0) return fail("corrupt geometry: a voxel axis has zero or no length");
  }

  // Extensions: a chain of (esize, ecode, data) between the header and the voxels.
  if (b.size() > 348 && b[348] != 0) {
    std::size_t at = kDataOffset;
    while (at + 8 <= h.voxOffset && at + 8 <= b.size()) {
      const std::int32_t size = r.get<std::int32_t>(at), code = r.get<std::int32_t>(at + 4);
      if (size < 8 || at + size > h.voxOffset || at + size > b.size()) break;  // malformed: ignore the rest
      if (code == kCommentExtension) {
        std::vector<std::uint8_t> text(b.begin() + at + 8, b.begin() + at + size);
        while (!text.empty() && text.back() == 0) text.pop_back();
        const std::string s(text.begin(), text.end());
        if (s.find(kExtensionFormat) != std::string::npos) h.segmentsJson = std::move(text);
      }
      at += size;
    }
  }
  return h;
}

}  // namespace

// [SECTION] Matching the file's grid to the series' grid -----------------------

namespace {

// NIfTI axis i runs along the series' axis `target[i]` (0 columns, 1 rows,
// 2 slices), backwards when flip[i].
struct AxisMap {
  int target[3] = {0, 1, 2};
  bool flip[3] = {false, false, false};
};

constexpr double kDirectionTolerance = 1e-3;  // sine of the angle between axes
constexpr double kSpacingTolerance = 1e-3;    // relative
constexpr double kOriginTolerance = 0.01;     // mm (float32 sforms hold ~1e-4 mm at 1 m)

Result<AxisMap> matchGrid(const Header& h, const VolumeGeometry& g, const std::string& file) {
  auto fail = [&](const std::string& what) { return Error{file, file + ": " + what}; };
  const Vec3 dirs[3] = {normalized(g.rowDirection), normalized(g.columnDirection), normalized(g.sliceDirection)};
  const double spacing[3] = {g.columnSpacing, g.rowSpacing, g.sliceSpacing};
  const long long n[3] = {g.columns, g.rows, g.slices};
  const char* names[3] = {"columns", "rows", "slices"};
  auto size = [](const long long d[3]) {
    return std::to_string(d[0]) + "×" + std::to_string(d[1]) + "×" + std::to_string(d[2]);
  };

  long long sortedFile[3] = {h.dims[0], h.dims[1], h.dims[2]}, sortedSeries[3] = {n[0], n[1], n[2]};
  std::sort(sortedFile, sortedFile + 3);
  std::sort(sortedSeries, sortedSeries + 3);
  if (!std::equal(sortedFile, sortedFile + 3, sortedSeries)) {
    return fail("dimensions " + size(h.dims) + " do not match the open series' " + size(n) +
                " (columns×rows×slices): the labels belong to another series");
  }

  AxisMap map;
  bool used[3] = {false, false, false};
  for (int i = 0; i < 3; ++i) {
    const Vec3 d = normalized(h.affine.axis[i]);
    int best = 0;
    for (int a = 1; a < 3; ++a) {
      if (std::fabs(dot(d, dirs[a])) > std::fabs(dot(d, dirs[best]))) best = a;
    }
    if (length(cross(d, dirs[best])) > kDirectionTolerance || used[best]) {
      return fail("orientation does not match the open series: the file's axis " + std::to_string(i + 1) +
                  " runs along " + fmt(d) + " (LPS), the series' columns along " + fmt(dirs[0]) + ", rows along " +
                  fmt(dirs[1]) + ", slices along " + fmt(dirs[2]));
    }
    used[best] = true;
    map.target[i] = best;
    map.flip[i] = dot(d, dirs[best]) < 0;
    const double step = length(h.affine.axis[i]);
    if (std::fabs(step - spacing[best]) > kSpacingTolerance * spacing[best]) {
      return fail("spacing does not match the open series: " + fmt(step) + " mm along the file's axis " +
                  std::to_string(i + 1) + ", " + fmt(spacing[best]) + " mm between the series' " + names[best]);
    }
    if (h.dims[i] != n[best]) {
      return fail("dimensions " + size(h.dims) + " do not match the open series' " + size(n) + ": the file's axis " +
                  std::to_string(i + 1) + " (along the series' " + names[best] + ") has " +
                  std::to_string(h.dims[i]) + " voxels, the series " + std::to_string(n[best]));
    }
  }
  // The file's first voxel must be the series' corner its flips point to.
  double corner[3] = {0, 0, 0};
  for (int i = 0; i < 3; ++i) {
    if (map.flip[i]) corner[map.target[i]] = static_cast<double>(n[map.target[i]] - 1);
  }
  const Vec3 expected = g.toPatient(corner[0], corner[1], corner[2]);
  const double off = length(h.affine.origin - expected);
  if (off > kOriginTolerance) {
    return fail("origin does not match the open series: the file's first voxel lies at " + fmt(h.affine.origin) +
                " mm (LPS), the series' matching voxel at " + fmt(expected) + ", " + fmt(off) + " mm apart");
  }
  return map;
}

// [SECTION] Voxels and segments ---------------------------------------------------

// Copies the voxels onto the series' grid through `map`; fails on values that
// are not labels.
template <typename T>
std::string copyVoxels(const std::uint8_t* data, const Header& h, const AxisMap& map, LabelVolume& out) {
  const long long stride[3] = {1, out.columns, static_cast<long long>(out.columns) * out.rows};
  const long long extent[3] = {out.columns, out.rows, out.slices};
  long long step[3], base = 0;
  for (int i = 0; i < 3; ++i) {
    step[i] = stride[map.target[i]] * (map.flip[i] ? -1 : 1);
    if (map.flip[i]) base += stride[map.target[i]] * (extent[map.target[i]] - 1);
  }
  const bool scaled = h.slope != 1 || h.intercept != 0;
  const bool integral = std::is_integral<T>::value;
  std::size_t at = 0;
  for (long long k = 0; k < h.dims[2]; ++k) {
    for (long long j = 0; j < h.dims[1]; ++j) {
      long long target = base + j * step[1] + k * step[2];
      for (long long i = 0; i < h.dims[0]; ++i, at += sizeof(T), target += step[0]) {
        std::uint8_t raw[sizeof(T)];
        std::memcpy(raw, data + at, sizeof(T));
        if (h.swap) std::reverse(raw, raw + sizeof(T));
        T stored;
        std::memcpy(&stored, raw, sizeof(T));
        double v = scaled ? static_cast<double>(stored) * h.slope + h.intercept : static_cast<double>(stored);
        // Float labels (or scaled ones) may carry rounding noise, e.g. 2.9999998.
        const double whole = std::round(v);
        if (!(whole >= 0 && whole <= 255) || std::fabs(v - whole) > ((integral && !scaled) ? 0 : 1e-3)) {
          return "voxel (" + std::to_string(i) + ", " + std::to_string(j) + ", " + std::to_string(k) + ") holds " +
                 fmt(v) + "; labels must be whole numbers 0..255";
        }
        out.labels[static_cast<std::size_t>(target)] = static_cast<std::uint8_t>(whole);
      }
    }
  }
  return {};
}

// The segments of our extension, checked: labels 1..255, each once.
std::vector<Segment> segmentsFromJson(const std::vector<std::uint8_t>& text, std::vector<std::string>& notes) {
  std::vector<Segment> segments;
  const auto doc = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("segments") || !doc["segments"].is_array()) {
    notes.push_back("the segment description in the file is unreadable; default names and colours are used");
    return segments;
  }
  std::set<int> seen;
  for (const auto& item : doc["segments"]) {
    try {
      const int label = item.at("label").get<int>();
      if (label < 1 || label > 255 || !seen.insert(label).second) {
        notes.push_back("a segment with label " + std::to_string(label) + " in the file was skipped (invalid or repeated)");
        continue;
      }
      Segment s = defaultSegment(static_cast<std::uint8_t>(label));
      s.name = item.value("name", s.name);
      if (item.contains("colour") && item["colour"].is_array() && item["colour"].size() == 3) {
        const auto& c = item["colour"];
        s.colour = {static_cast<std::uint8_t>(std::clamp(c[0].get<int>(), 0, 255)),
                    static_cast<std::uint8_t>(std::clamp(c[1].get<int>(), 0, 255)),
                    static_cast<std::uint8_t>(std::clamp(c[2].get<int>(), 0, 255))};
      }
      s.opacity = std::clamp(item.value("opacity", s.opacity), 0.0f, 1.0f);
      s.visible = item.value("visible", s.visible);
      s.locked = item.value("locked", s.locked);
      s.modelAssisted = item.value("modelAssisted", s.modelAssisted);
      segments.push_back(s);
    } catch (const std::exception&) {  // a field of the wrong type
      notes.push_back("a segment description in the file was skipped (malformed)");
    }
  }
  return segments;
}

}  // namespace

Result<ImportedLabels> readNiftiLabels(const std::vector<std::uint8_t>& input, const VolumeGeometry& target,
                                       const std::string& fileName) {
  std::vector<std::uint8_t> inflated;
  if (isGzip(input)) {
    auto unpacked = gzipDecompress(input, fileName);
    if (!unpacked) return unpacked.error();
    inflated = std::move(unpacked.value());
  }
  const std::vector<std::uint8_t>& bytes = isGzip(input) ? inflated : input;

  auto header = parseHeader(bytes, fileName);
  if (!header) return header.error();
  const Header& h = header.value();
  auto map = matchGrid(h, target, fileName);
  if (!map) return map.error();

  const std::size_t voxels = static_cast<std::size_t>(h.dims[0] * h.dims[1] * h.dims[2]);
  const std::size_t need = voxels * h.type.size;
  if (h.voxOffset > bytes.size() || bytes.size() - h.voxOffset < need) {
    const std::size_t have = bytes.size() > h.voxOffset ? bytes.size() - h.voxOffset : 0;
    return Error{fileName, fileName + ": truncated: header says " + std::to_string(need) + " bytes of voxels from offset " +
                               std::to_string(h.voxOffset) + ", file has " + std::to_string(have)};
  }

  ImportedLabels result;
  result.labels.reset(target.columns, target.rows, target.slices);
  const std::uint8_t* data = bytes.data() + h.voxOffset;
  std::string bad;
  switch (h.type.code) {
    case 2: bad = copyVoxels<std::uint8_t>(data, h, map.value(), result.labels); break;
    case 256: bad = copyVoxels<std::int8_t>(data, h, map.value(), result.labels); break;
    case 4: bad = copyVoxels<std::int16_t>(data, h, map.value(), result.labels); break;
    case 512: bad = copyVoxels<std::uint16_t>(data, h, map.value(), result.labels); break;
    case 8: bad = copyVoxels<std::int32_t>(data, h, map.value(), result.labels); break;
    case 768: bad = copyVoxels<std::uint32_t>(data, h, map.value(), result.labels); break;
    case 16: bad = copyVoxels<float>(data, h, map.value(), result.labels); break;
    case 64: bad = copyVoxels<double>(data, h, map.value(), result.labels); break;
  }
  if (!bad.empty()) return Error{fileName, fileName + ": " + bad};

  const AxisMap& m = map.value();
  if (m.target[0] != 0 || m.target[1] != 1 || m.target[2] != 2 || m.flip[0] || m.flip[1] || m.flip[2]) {
    const char* names[3] = {"columns", "rows", "slices"};
    std::string how;
    for (int i = 0; i < 3; ++i) {
      how += std::string(i ? ", " : "") + "axis " + std::to_string(i + 1) + " = " + (m.flip[i] ? "reversed " : "") +
             names[m.target[i]];
    }
    result.notes.push_back("the file stores the grid in another axis order (" + how + "); reoriented onto the series");
  }

  if (!h.segmentsJson.empty()) result.segments = segmentsFromJson(h.segmentsJson, result.notes);
  const auto counts = countLabels(result.labels);
  for (int label = 1; label < 256; ++label) {
    const bool described = std::any_of(result.segments.begin(), result.segments.end(),
                                       [&](const Segment& s) { return s.label == label; });
    if (counts[label] > 0 && !described) {
      result.segments.push_back(defaultSegment(static_cast<std::uint8_t>(label)));
      if (!h.segmentsJson.empty()) result.notes.push_back("label " + std::to_string(label) + " has no description in the file; named \"" + result.segments.back().name + "\"");
    }
  }
  return result;
}

}  // namespace ls
