// Import of segmentations onto the open series: NIfTI (LocalSeg's own files,
// reordered files as other tools write them, bad input) and DICOM SEG
// (round trip on the demo MR series, SEGs of other series, bad input, and a
// real 3D Slicer SEG checked against an independent pydicom reference).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <functional>
#include <optional>
#include <random>
#include <sstream>

#include "dcmtk/dcmdata/dcdeftag.h"
#include "dcmtk/dcmdata/dcfilefo.h"
#include "dcmtk/dcmdata/dcistrmb.h"
#include "dcmtk/dcmdata/dcuid.h"
#include "core/series_assembly.h"
#include "dicom/decode.h"
#include "io/dicom_bytes.h"
#include "io/dicom_seg.h"
#include "io/dicom_seg_import.h"
#include "io/gzip.h"
#include "io/nifti.h"
#include "io/zip_writer.h"  // crc32Of
#include "test_support.h"

using namespace ls;
using namespace ls::test;

namespace {

// [SECTION] Fixtures -------------------------------------------------------------

// An oblique 7 x 5 x 4 grid (odd sizes: 35-pixel frames are not byte aligned).
VolumeGeometry obliqueGeometry() {
  VolumeGeometry g;
  g.columns = 7, g.rows = 5, g.slices = 4;
  g.columnSpacing = 0.7, g.rowSpacing = 0.9, g.sliceSpacing = 2.5;
  const double a = 0.3;  // rotation about z, then the rows tilt a little about x
  g.rowDirection = {std::cos(a), std::sin(a), 0};
  g.columnDirection = normalized(Vec3{-std::sin(a), std::cos(a), 0.2});
  g.sliceDirection = normalized(cross(g.rowDirection, g.columnDirection));
  g.origin = {-120.25, 33.5, -600.75};
  return g;
}

LabelVolume randomLabels(const VolumeGeometry& g, int maxLabel, unsigned seed) {
  LabelVolume labels;
  labels.reset(g.columns, g.rows, g.slices);
  std::mt19937 random(seed);
  for (auto& v : labels.labels) v = static_cast<std::uint8_t>(random() % (maxLabel + 1));
  return labels;
}

std::vector<Segment> someSegments() {
  std::vector<Segment> segments;
  for (int label : {1, 2, 3}) segments.push_back(defaultSegment(static_cast<std::uint8_t>(label)));
  segments[0].name = "Liver \"left\" lobe";  // quotes survive the JSON
  segments[0].colour = {10, 20, 30};
  segments[1].opacity = 0.25f;
  segments[1].visible = false;
  segments[2].locked = true;
  segments[2].name = "Tumour ü";
  return segments;
}

void checkSameSegments(const std::vector<Segment>& a, const std::vector<Segment>& b) {
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    CHECK(a[i].label == b[i].label);
    CHECK(a[i].name == b[i].name);
    CHECK(a[i].colour == b[i].colour);
    CHECK(a[i].opacity == Approx(b[i].opacity));
    CHECK(a[i].visible == b[i].visible);
    CHECK(a[i].locked == b[i].locked);
  }
}

template <typename T>
T get(const std::vector<std::uint8_t>& b, std::size_t at) {
  T v;
  std::memcpy(&v, &b[at], sizeof v);
  return v;
}

// A NIfTI as another tool might write it: file axis i runs along the series'
// axis perm[i], reversed where flip[i]; voxels of `datatype` (NIfTI code),
// stored = (label - inter) / slope; optionally big endian or with a qform only.
struct NiftiRecipe {
  int perm[3] = {0, 1, 2};
  bool flip[3] = {false, false, false};
  int datatype = 2;
  double slope = 0, inter = 0;  // slope 0: no scaling
  bool bigEndian = false;
  bool qformOnly = false;  // only for axis-aligned LPS identity geometry, no reordering
};

std::vector<std::uint8_t> makeNifti(const LabelVolume& labels, const VolumeGeometry& g, const NiftiRecipe& r) {
  const int n[3] = {g.columns, g.rows, g.slices};
  const double spacing[3] = {g.columnSpacing, g.rowSpacing, g.sliceSpacing};
  const Vec3 dirs[3] = {g.rowDirection, g.columnDirection, g.sliceDirection};
  int dims[3];
  Vec3 axis[3];
  double corner[3] = {0, 0, 0};
  for (int i = 0; i < 3; ++i) {
    dims[i] = n[r.perm[i]];
    axis[i] = dirs[r.perm[i]] * (spacing[r.perm[i]] * (r.flip[i] ? -1 : 1));
    if (r.flip[i]) corner[r.perm[i]] = n[r.perm[i]] - 1;
  }
  const Vec3 origin = g.toPatient(corner[0], corner[1], corner[2]);
  int size = 1;
  switch (r.datatype) {
    case 4: case 512: size = 2; break;
    case 8: case 768: case 16: size = 4; break;
    case 64: size = 8; break;
  }
  std::vector<std::uint8_t> out(352, 0);
  auto put = [&](std::size_t at, auto value) {
    std::memcpy(&out[at], &value, sizeof value);
    if (r.bigEndian) std::reverse(out.begin() + at, out.begin() + at + sizeof value);
  };
  put(0, std::int32_t(348));
  put(40, std::int16_t(3));
  for (int i = 0; i < 3; ++i) put(42 + 2 * i, std::int16_t(dims[i]));
  for (int i = 3; i < 7; ++i) put(42 + 2 * i, std::int16_t(1));
  put(70, std::int16_t(r.datatype));
  put(72, std::int16_t(size * 8));
  put(76, 1.0f);
  for (int i = 0; i < 3; ++i) put(80 + 4 * i, float(spacing[r.perm[i]]));
  put(108, 352.0f);
  put(112, float(r.slope));
  put(116, float(r.inter));
  if (r.qformOnly) {
    // LPS identity is RAS diag(-1, -1, 1): a half turn about z, quaternion (0, 0, 0, 1).
    put(252, std::int16_t(1));
    put(264, 1.0f);
    put(268, float(-origin.x));
    put(272, float(-origin.y));
    put(276, float(origin.z));
  } else {
    put(254, std::int16_t(2));  // aligned to another file: any code > 0 counts
    for (int c = 0; c < 3; ++c) {
      put(280 + 4 * c, float(-axis[c].x));
      put(296 + 4 * c, float(-axis[c].y));
      put(312 + 4 * c, float(axis[c].z));
    }
    put(292, float(-origin.x));
    put(308, float(-origin.y));
    put(324, float(origin.z));
  }
  std::memcpy(&out[344], "n+1", 4);
  const long long stride[3] = {1, g.columns, static_cast<long long>(g.columns) * g.rows};
  for (int k = 0; k < dims[2]; ++k) {
    for (int j = 0; j < dims[1]; ++j) {
      for (int i = 0; i < dims[0]; ++i) {
        const int idx[3] = {i, j, k};
        long long at = 0;
        for (int a = 0; a < 3; ++a) at += stride[r.perm[a]] * (r.flip[a] ? n[r.perm[a]] - 1 - idx[a] : idx[a]);
        const double label = labels.labels[static_cast<std::size_t>(at)];
        const double stored = r.slope != 0 ? (label - r.inter) / r.slope : label;
        const std::size_t end = out.size();
        out.resize(end + size);
        switch (r.datatype) {
          case 2: put(end, std::uint8_t(stored)); break;
          case 4: put(end, std::int16_t(stored)); break;
          case 768: put(end, std::uint32_t(stored)); break;
          case 16: put(end, float(stored)); break;
          case 64: put(end, double(stored)); break;
        }
      }
    }
  }
  return out;
}

// [SECTION] DICOM helpers ------------------------------------------------------------

// A minimal source volume on `g` with per-slice SOP Instance UIDs.
Volume syntheticVolume(const VolumeGeometry& g) {
  Volume v;
  v.geometry = g;
  v.voxels.assign(static_cast<std::size_t>(g.columns) * g.rows * g.slices, 0.f);
  v.info.seriesInstanceUid = "1.2.826.0.1.3680043.9.7777.1";
  v.info.frameOfReferenceUid = "1.2.826.0.1.3680043.9.7777.2";
  v.info.studyInstanceUid = "1.2.826.0.1.3680043.9.7777.3";
  for (int k = 0; k < g.slices; ++k) {
    v.sliceSopClassUids.push_back(UID_MRImageStorage);
    v.sliceSopInstanceUids.push_back("1.2.826.0.1.3680043.9.7777.10." + std::to_string(k + 1));
  }
  return v;
}

// A written SEG edited with DCMTK (to make inputs no LocalSeg writer makes).
std::vector<std::uint8_t> editSeg(const std::vector<std::uint8_t>& bytes, const std::function<void(DcmDataset&)>& edit) {
  DcmInputBufferStream stream;
  stream.setBuffer(bytes.data(), static_cast<offile_off_t>(bytes.size()));
  stream.setEos();
  DcmFileFormat file;
  file.transferInit();
  REQUIRE(file.read(stream).good());
  file.transferEnd();
  edit(*file.getDataset());
  return dicomFileBytes(file);
}

// The segments for a SEG: DCMTK's writer refuses characters outside its
// default character set in SegmentLabel, so "Tumour ü" becomes ASCII here.
SegmentList segmentList(std::vector<Segment> segments) {
  for (Segment& s : segments) {
    if (s.name == "Tumour ü") s.name = "Tumour 3";
  }
  SegmentList list;
  list.assign(segments, 0);
  return list;
}

}  // namespace

// [SECTION] gzip and colours -----------------------------------------------------------

TEST_CASE("gzip helper: round trip, framing, corrupt and cut input", "[import]") {
  std::vector<std::uint8_t> data(100000);
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<std::uint8_t>((i * 7) % 13);
  const auto packed = gzipCompress(data.data(), data.size());
  REQUIRE(isGzip(packed));
  CHECK(packed.size() < data.size() / 10);
  // The gzip trailer: CRC-32 and size of the content.
  CHECK(get<std::uint32_t>(packed, packed.size() - 8) == crc32Of(data.data(), data.size()));
  CHECK(get<std::uint32_t>(packed, packed.size() - 4) == data.size());
  auto unpacked = gzipDecompress(packed, "x.gz");
  REQUIRE(unpacked.ok());
  CHECK(unpacked.value() == data);

  auto cut = gzipDecompress(std::vector<std::uint8_t>(packed.begin(), packed.begin() + packed.size() / 2), "x.gz");
  REQUIRE_FALSE(cut.ok());
  CHECK_THAT(cut.error().message, Catch::Contains("x.gz") && Catch::Contains("truncated"));
  auto corrupt = packed;
  for (std::size_t i = 20; i < 60; ++i) corrupt[i] ^= 0x5a;
  CHECK_FALSE(gzipDecompress(corrupt, "x.gz").ok());
  CHECK_FALSE(gzipDecompress(packed, "x.gz", 1000).ok());  // larger than allowed
  // Two concatenated members are one gzip file.
  auto twice = packed;
  twice.insert(twice.end(), packed.begin(), packed.end());
  auto both = gzipDecompress(twice, "x.gz");
  REQUIRE(both.ok());
  CHECK(both.value().size() == 2 * data.size());
}

TEST_CASE("DICOM CIELab colours convert back to the same 8-bit sRGB", "[import]") {
  for (int label = 1; label <= 10; ++label) {
    const Rgb c = defaultSegment(static_cast<std::uint8_t>(label)).colour;
    CHECK(rgbFromDicomLab(dicomLabFromRgb(c)) == c);
  }
  int wrong = 0;
  for (int r = 0; r < 256; r += 5) {
    for (int g = 0; g < 256; g += 5) {
      for (int b = 0; b < 256; b += 5) {
        const Rgb c{std::uint8_t(r), std::uint8_t(g), std::uint8_t(b)};
        wrong += !(rgbFromDicomLab(dicomLabFromRgb(c)) == c);
      }
    }
  }
  CHECK(wrong == 0);
  // Independent values: DICOM's white and a pure red (CIELab 53.24, 80.09, 67.20).
  CHECK(rgbFromDicomLab({65535, 32896, 32896}) == Rgb{255, 255, 255});
  const std::array<std::uint16_t, 3> red = {std::uint16_t(53.24 / 100 * 65535 + 0.5),
                                            std::uint16_t((80.09 + 128) / 255 * 65535 + 0.5),
                                            std::uint16_t((67.20 + 128) / 255 * 65535 + 0.5)};
  CHECK(rgbFromDicomLab(red) == Rgb{255, 0, 0});
}

// [SECTION] NIfTI ---------------------------------------------------------------------

TEST_CASE("NIfTI round trip: labels byte for byte and segments, .nii and .nii.gz", "[import]") {
  const VolumeGeometry g = obliqueGeometry();
  const LabelVolume labels = randomLabels(g, 3, 1);
  const auto segments = someSegments();
  for (bool gz : {false, true}) {
    INFO("gzip " << gz);
    const auto bytes = writeNiftiLabels(labels, g, "test", segments, gz);
    REQUIRE(isGzip(bytes) == gz);
    const std::vector<std::uint8_t> plain = gz ? gzipDecompress(bytes, "t").value() : bytes;
    // The extension as the standard wants it: flagged, sizes multiples of 16.
    CHECK(plain[348] == 1);
    CHECK(get<std::int32_t>(plain, 352) % 16 == 0);
    CHECK(get<std::int32_t>(plain, 356) == 6);
    CHECK(static_cast<int>(get<float>(plain, 108)) == 352 + get<std::int32_t>(plain, 352));
    CHECK(static_cast<int>(get<float>(plain, 108)) % 16 == 0);
    auto read = readNiftiLabels(bytes, g, gz ? "labels.nii.gz" : "labels.nii");
    REQUIRE(read.ok());
    CHECK(read.value().labels.labels == labels.labels);
    checkSameSegments(read.value().segments, segments);
    CHECK(read.value().notes.empty());
  }
}

TEST_CASE("NIfTI without segment descriptions: one default segment per label present", "[import]") {
  const VolumeGeometry g = obliqueGeometry();
  LabelVolume labels;
  labels.reset(g.columns, g.rows, g.slices);
  labels.labels[3] = 2;
  labels.labels[40] = 7;
  auto read = readNiftiLabels(writeNiftiLabels(labels, g, "plain"), g, "plain.nii");
  REQUIRE(read.ok());
  CHECK(read.value().labels.labels == labels.labels);
  REQUIRE(read.value().segments.size() == 2);
  CHECK(read.value().segments[0].label == 2);
  CHECK(read.value().segments[0].name == "Segment 2");
  CHECK(read.value().segments[1].colour == defaultSegment(7).colour);
}

TEST_CASE("NIfTI written in another axis order, flipped, typed or scaled lands on the same voxels", "[import]") {
  const VolumeGeometry g = obliqueGeometry();
  const LabelVolume labels = randomLabels(g, 9, 2);
  NiftiRecipe recipe;
  SECTION("rows and slices reversed (as dcm2niix often stores them)") {
    recipe.flip[1] = recipe.flip[2] = true;
  }
  SECTION("axes permuted and one flipped, int16 big endian") {
    recipe.perm[0] = 2, recipe.perm[1] = 0, recipe.perm[2] = 1;
    recipe.flip[0] = true;
    recipe.datatype = 4;
    recipe.bigEndian = true;
  }
  SECTION("float32 with scl_slope / scl_inter") {
    recipe.perm[0] = 1, recipe.perm[1] = 0;
    recipe.datatype = 16;
    recipe.slope = 0.5, recipe.inter = 1;
  }
  SECTION("uint32 and float64") {
    recipe.datatype = 768;
    auto a = readNiftiLabels(makeNifti(labels, g, recipe), g, "u32.nii");
    REQUIRE(a.ok());
    CHECK(a.value().labels.labels == labels.labels);
    recipe.datatype = 64;
    recipe.flip[0] = true;
  }
  auto read = readNiftiLabels(makeNifti(labels, g, recipe), g, "other.nii");
  REQUIRE(read.ok());
  CHECK(read.value().labels.labels == labels.labels);
  // The reordered file itself differs from ours voxel for voxel: reorientation did the work.
  const auto written = makeNifti(labels, g, recipe);
  if (recipe.datatype == 2) CHECK_FALSE(std::equal(labels.labels.begin(), labels.labels.end(), written.begin() + 352));
}

TEST_CASE("NIfTI with only a qform", "[import]") {
  VolumeGeometry g;
  g.columns = 6, g.rows = 4, g.slices = 3;
  g.columnSpacing = 0.5, g.rowSpacing = 0.75, g.sliceSpacing = 3;
  g.origin = {10, -20, 30};
  const LabelVolume labels = randomLabels(g, 2, 3);
  NiftiRecipe recipe;
  recipe.qformOnly = true;
  auto read = readNiftiLabels(makeNifti(labels, g, recipe), g, "q.nii");
  REQUIRE(read.ok());
  CHECK(read.value().labels.labels == labels.labels);
  // The same file against a shifted series: the qform's origin is really used.
  VolumeGeometry shifted = g;
  shifted.origin.z += 1;
  CHECK_FALSE(readNiftiLabels(makeNifti(labels, g, recipe), shifted, "q.nii").ok());
}

TEST_CASE("NIfTI of another grid is refused with what does not match", "[import]") {
  const VolumeGeometry g = obliqueGeometry();
  const auto bytes = writeNiftiLabels(randomLabels(g, 2, 4), g, "x", someSegments());
  auto refuse = [&](const VolumeGeometry& target) {
    auto r = readNiftiLabels(bytes, target, "seg.nii");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().file == "seg.nii");
    CHECK_THAT(r.error().message, Catch::StartsWith("seg.nii: "));
    return r.error().message;
  };
  VolumeGeometry t = g;
  t.slices = 5;
  CHECK_THAT(refuse(t), Catch::Contains("dimensions 7×5×4") && Catch::Contains("7×5×5"));
  t = g;
  t.columnSpacing = 0.8;
  CHECK_THAT(refuse(t), Catch::Contains("spacing") && Catch::Contains("0.7 mm") && Catch::Contains("0.8 mm"));
  t = g;
  t.origin = t.origin + t.sliceDirection * 1.5;
  CHECK_THAT(refuse(t), Catch::Contains("origin") && Catch::Contains("1.5 mm apart"));
  t = g;
  t.rowDirection = normalized(t.rowDirection + t.columnDirection * 0.2);
  CHECK_THAT(refuse(t), Catch::Contains("orientation"));
  // Same sizes in another arrangement: 5 x 7 x 4 is a permutation of the sizes, not of the grid.
  t = g;
  std::swap(t.columns, t.rows);
  CHECK_THAT(refuse(t), Catch::Contains("dimensions") || Catch::Contains("spacing"));
}

TEST_CASE("NIfTI: truncated, garbage and unsupported input give errors naming the file", "[import]") {
  const VolumeGeometry g = obliqueGeometry();
  const auto nii = writeNiftiLabels(randomLabels(g, 2, 5), g, "x", someSegments());
  const auto gz = writeNiftiLabels(randomLabels(g, 2, 5), g, "x", someSegments(), true);
  auto error = [&](const std::vector<std::uint8_t>& bytes) {
    auto r = readNiftiLabels(bytes, g, "bad.nii");
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.error().message, Catch::StartsWith("bad.nii: "));
    return r.error().message;
  };
  CHECK_THAT(error({}), Catch::Contains("not a NIfTI-1 file"));
  CHECK_THAT(error(std::vector<std::uint8_t>(nii.begin(), nii.begin() + 100)), Catch::Contains("not a NIfTI-1 file"));
  CHECK_THAT(error(std::vector<std::uint8_t>(400, 'x')), Catch::Contains("not a NIfTI-1 file"));
  const std::size_t voxels = static_cast<std::size_t>(g.columns) * g.rows * g.slices;
  CHECK_THAT(error(std::vector<std::uint8_t>(nii.begin(), nii.end() - 10)),
             Catch::Contains("truncated: header says " + std::to_string(voxels) + " bytes of voxels") &&
                 Catch::Contains("file has " + std::to_string(voxels - 10)));
  CHECK_THAT(error(std::vector<std::uint8_t>(gz.begin(), gz.begin() + gz.size() / 2)), Catch::Contains("truncated"));

  auto edited = [&](std::size_t at, auto value) {
    auto b = nii;
    std::memcpy(&b[at], &value, sizeof value);
    return b;
  };
  CHECK_THAT(error(edited(70, std::int16_t(128))), Catch::Contains("datatype 128 (RGB24)"));
  auto fourD = edited(40, std::int16_t(4));  // dim[0] = 4 ...
  const std::int16_t three = 3;
  std::memcpy(&fourD[48], &three, 2);        // ... and dim[4] = 3: three volumes
  CHECK_THAT(error(fourD), Catch::Contains("holds 3 volumes"));
  auto noGeometry = edited(254, std::int16_t(0));
  CHECK_THAT(error(noGeometry), Catch::Contains("no patient geometry"));
  CHECK_THAT(error(edited(344, std::uint32_t(0))), Catch::Contains("not a NIfTI-1 file"));
  CHECK_THAT(error(edited(0, std::int32_t(540))), Catch::Contains("NIfTI-2"));
  // A probability map is not a label file.
  NiftiRecipe floats;
  floats.datatype = 16;
  auto probabilities = makeNifti(randomLabels(g, 2, 6), g, floats);
  const float slope = 0.3f;  // labels 1, 2 now read as 0.3, 0.6
  std::memcpy(&probabilities[112], &slope, 4);
  CHECK_THAT(error(probabilities), Catch::Contains("holds 0.") && Catch::Contains("whole numbers 0..255"));
  NiftiRecipe big;
  big.datatype = 4;
  big.slope = 1, big.inter = -300;  // labels 0..2 stored as 300..302: fine; now shift them past 255
  auto shifted = makeNifti(randomLabels(g, 2, 7), g, big);
  const float inter = 100;
  std::memcpy(&shifted[116], &inter, 4);
  CHECK_THAT(error(shifted), Catch::Contains("labels must be whole numbers 0..255"));

  // Cut and scribbled files never crash and never pass as the full volume.
  std::mt19937 random(8);
  for (int trial = 0; trial < 300; ++trial) {
    auto b = trial % 2 ? nii : gz;
    b.resize(random() % (b.size() + 1));
    for (int k = 0; k < 3 && !b.empty(); ++k) b[random() % b.size()] = static_cast<std::uint8_t>(random());
    auto r = readNiftiLabels(b, g, "fuzz.nii");
    if (!r.ok()) CHECK_THAT(r.error().message, Catch::StartsWith("fuzz.nii: "));
  }
}

// [SECTION] DICOM SEG -----------------------------------------------------------------

TEST_CASE("DICOM SEG round trip on the demo series: labels byte for byte, names and colours", "[import]") {
  Volume volume = loadDemoSeries(4);
  const auto& g = volume.geometry;
  LabelVolume labels;
  labels.reset(g.columns, g.rows, g.slices);
  std::mt19937 random(9);
  for (int z : {0, 2, 3}) {
    for (int i = 0; i < 400; ++i) labels.slice(z)[random() % (g.columns * g.rows)] = static_cast<std::uint8_t>(1 + random() % 3);
  }
  const SegmentList segments = [] {
    auto list = someSegments();
    list[1].colour = {255, 0, 128};
    return segmentList(list);
  }();
  const auto written = writeDicomSeg(labels, segments, volume);
  INFO((written.ok() ? std::string() : written.error().message));
  REQUIRE(written.ok());

  auto read = readDicomSeg(written.value(), volume, "labels.seg.dcm");
  REQUIRE(read.ok());
  CHECK(read.value().labels.labels == labels.labels);
  REQUIRE(read.value().segments.size() == 3);
  for (int i = 0; i < 3; ++i) {
    const Segment& s = segments.all()[i];
    CHECK(read.value().segments[i].label == s.label);
    CHECK(read.value().segments[i].name == s.name);
    CHECK(read.value().segments[i].colour == s.colour);  // exact: see the colour test
  }
  CHECK(read.value().notes.empty());  // every frame placed by its source image, no overlaps

  SECTION("without source UIDs the frames are placed by position") {
    volume.sliceSopInstanceUids.assign(volume.sliceSopInstanceUids.size(), "");
    auto byPosition = readDicomSeg(written.value(), volume, "labels.seg.dcm");
    REQUIRE(byPosition.ok());
    CHECK(byPosition.value().labels.labels == labels.labels);
    REQUIRE(byPosition.value().notes.size() == 1);
    CHECK_THAT(byPosition.value().notes[0], Catch::Contains("3 of 3 frames") || Catch::Contains("frames were placed by their position"));
  }
  SECTION("source UIDs win over positions") {
    // The slices listed backwards with their UIDs: UIDs place each frame on its own slice.
    std::reverse(volume.sliceSopInstanceUids.begin(), volume.sliceSopInstanceUids.end());
    auto byUid = readDicomSeg(written.value(), volume, "labels.seg.dcm");
    REQUIRE(byUid.ok());
    for (int z = 0; z < g.slices; ++z) {
      CHECK(std::equal(labels.slice(z), labels.slice(z) + g.columns * g.rows, byUid.value().labels.slice(g.slices - 1 - z)));
    }
  }
}

TEST_CASE("DICOM SEG of an enhanced multi-frame source references each frame by number and imports onto its slice", "[import]") {
  const auto bytes = readBytes(kDataDir + "/enhanced/ct5n_enhanced.dcm");
  auto decoded = decodeDicom("ct5n_enhanced.dcm", bytes.data(), bytes.size());
  REQUIRE(decoded.ok());
  auto assembled = assembleVolume(std::move(decoded.value()));
  REQUIRE(assembled.ok());
  const Volume& volume = assembled.value().volume;
  const auto& g = volume.geometry;
  REQUIRE(g.slices == 5);
  // The file stores its frames in reverse slice order: slice z is frame 5 - z.
  for (int z = 0; z < 5; ++z) CHECK(volume.frameNumberOf(z) == 5 - z);
  LabelVolume labels;
  labels.reset(g.columns, g.rows, g.slices);
  for (int z : {0, 1, 3}) {
    for (int i = 0; i <= z; ++i) labels.slice(z)[i * 17 + z] = 1;  // a different pattern on each slice
  }
  const auto written = writeDicomSeg(labels, segmentList({someSegments()[0]}), volume);
  INFO((written.ok() ? std::string() : written.error().message));
  REQUIRE(written.ok());

  DcmFileFormat file;
  DcmInputBufferStream stream;
  stream.setBuffer(written.value().data(), static_cast<offile_off_t>(written.value().size()));
  stream.setEos();
  file.transferInit();
  REQUIRE(file.read(stream).good());
  file.transferEnd();
  DcmDataset& ds = *file.getDataset();
  DcmItem* series = nullptr;
  REQUIRE(ds.findAndGetSequenceItem(DCM_ReferencedSeriesSequence, series, 0).good());
  DcmSequenceOfItems* instances = nullptr;
  REQUIRE(series->findAndGetSequence(DCM_ReferencedInstanceSequence, instances).good());
  CHECK(instances->card() == 1);  // one file, listed once
  std::vector<Sint32> frameNumbers;
  for (int f = 0; f < 3; ++f) {
    DcmItem *group = nullptr, *derivation = nullptr, *image = nullptr;
    REQUIRE(ds.findAndGetSequenceItem(DCM_PerFrameFunctionalGroupsSequence, group, f).good());
    REQUIRE(group->findAndGetSequenceItem(DCM_DerivationImageSequence, derivation, 0).good());
    REQUIRE(derivation->findAndGetSequenceItem(DCM_SourceImageSequence, image, 0).good());
    Sint32 number = 0;
    REQUIRE(image->findAndGetSint32(DCM_ReferencedFrameNumber, number).good());
    frameNumbers.push_back(number);
  }
  CHECK(frameNumbers == std::vector<Sint32>{5, 4, 2});  // slices 0, 1, 3

  auto read = readDicomSeg(written.value(), volume, "enhanced.seg.dcm");
  REQUIRE(read.ok());
  CHECK(read.value().labels.labels == labels.labels);
  CHECK(read.value().notes.empty());  // placed by their source frames, not by position
}

TEST_CASE("DICOM SEG with odd frame sizes (frames not byte aligned)", "[import]") {
  const Volume volume = syntheticVolume(obliqueGeometry());
  const LabelVolume labels = randomLabels(volume.geometry, 3, 10);
  const auto written = writeDicomSeg(labels, segmentList(someSegments()), volume);
  INFO((written.ok() ? std::string() : written.error().message));
  REQUIRE(written.ok());
  // DCMTK 3.6.7's writer packs 35-pixel frames wrongly (pydicom reads frame 5
  // of its output shifted by 8 pixels), so the pixel data is packed here as
  // PS3.5 8.1.1 wants: frame after frame, bit after bit, LSB first. Frames are
  // segment-major, one per slice (every slice holds every label here).
  const std::size_t plane = 35;
  const auto repacked = editSeg(written.value(), [&](DcmDataset& ds) {
    Sint32 frames = 0;
    ds.findAndGetSint32(DCM_NumberOfFrames, frames);
    REQUIRE(frames == 12);
    std::vector<Uint8> bits((frames * plane + 7) / 8 + 1, 0);  // + 1: even length
    for (int f = 0; f < frames; ++f) {
      const std::uint8_t label = static_cast<std::uint8_t>(f / 4 + 1);
      for (std::size_t i = 0; i < plane; ++i) {
        const std::size_t bit = f * plane + i;
        if (labels.slice(f % 4)[i] == label) bits[bit >> 3] |= static_cast<Uint8>(1u << (bit & 7));
      }
    }
    ds.putAndInsertUint8Array(DCM_PixelData, bits.data(), static_cast<unsigned long>(bits.size()));
  });
  auto read = readDicomSeg(repacked, volume, "odd.dcm");
  REQUIRE(read.ok());
  CHECK(read.value().labels.labels == labels.labels);
}

TEST_CASE("DICOM SEG of another series is refused with the mismatch", "[import]") {
  const Volume volume = syntheticVolume(obliqueGeometry());
  const auto written = writeDicomSeg(randomLabels(volume.geometry, 2, 11), segmentList(someSegments()), volume);
  INFO((written.ok() ? std::string() : written.error().message));
  REQUIRE(written.ok());
  auto refuse = [&](const Volume& target) {
    auto r = readDicomSeg(written.value(), target, "other.seg.dcm");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().file == "other.seg.dcm");
    CHECK_THAT(r.error().message, Catch::StartsWith("other.seg.dcm: "));
    return r.error().message;
  };
  Volume other = volume;
  other.info.frameOfReferenceUid = "1.2.3.4";
  CHECK_THAT(refuse(other), Catch::Contains("frame of reference") && Catch::Contains("1.2.3.4"));
  other = volume;  // same grid, other images
  other.info.seriesInstanceUid = "1.2.3.5";
  for (auto& uid : other.sliceSopInstanceUids) uid += ".9";
  // LocalSeg's SEG names its source series (Common Instance Reference).
  CHECK_THAT(refuse(other), Catch::Contains("references series " + volume.info.seriesInstanceUid +
                                            ", which is not the open series (1.2.3.5)"));
  // Without that reference, the source images it derives from tell.
  const auto unnamed = editSeg(written.value(), [](DcmDataset& ds) {
    ds.findAndDeleteElement(DCM_ReferencedSeriesSequence);
  });
  auto byImages = readDicomSeg(unnamed, other, "other.seg.dcm");
  REQUIRE_FALSE(byImages.ok());
  CHECK_THAT(byImages.error().message, Catch::Contains("references source images (e.g. " + volume.sliceSopInstanceUids[0] +
                                                ") of which none is in the open series (1.2.3.5)"));
  // A SEG naming its series (as 3D Slicer's and highdicom's do).
  const auto named = editSeg(written.value(), [](DcmDataset& ds) {
    DcmItem* item = nullptr;
    REQUIRE(ds.findOrCreateSequenceItem(DCM_ReferencedSeriesSequence, item, 0).good());
    item->putAndInsertString(DCM_SeriesInstanceUID, "1.2.3.6");
  });
  auto r = readDicomSeg(named, volume, "named.dcm");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message == "named.dcm: references series 1.2.3.6, which is not the open series (" +
                                 volume.info.seriesInstanceUid + ")");
  other = volume;
  other.geometry.columns = 8;
  CHECK_THAT(refuse(other), Catch::Contains("7×5 pixels") && Catch::Contains("8×5"));
  other = volume;
  other.geometry.rowSpacing = 1.0;
  CHECK_THAT(refuse(other), Catch::Contains("pixel spacing"));
  other = volume;
  other.geometry.rowDirection = other.geometry.columnDirection;
  other.geometry.columnDirection = normalized(obliqueGeometry().rowDirection) * -1.0;
  CHECK_THAT(refuse(other), Catch::Contains("oriented"));
  // Without UIDs, positions decide: a series 1 mm (0.4 of a slice) away.
  other = volume;
  other.sliceSopInstanceUids.assign(4, "");
  other.geometry.origin = other.geometry.origin + other.geometry.sliceDirection * 1.0;
  CHECK_THAT(refuse(other), Catch::Contains("lies 1 mm off every slice"));
  other.geometry.origin = volume.geometry.origin + volume.geometry.sliceDirection * 20.0;
  CHECK_THAT(refuse(other), Catch::Contains("outside the open series' slices"));
  other.geometry.origin = volume.geometry.origin + volume.geometry.rowDirection * 2.0;
  CHECK_THAT(refuse(other), Catch::Contains("shifted"));
}

TEST_CASE("DICOM SEG: overlaps, fractional frames and too many segments", "[import]") {
  const Volume volume = syntheticVolume(obliqueGeometry());
  const std::size_t plane = 35;
  LabelVolume labels;
  labels.reset(7, 5, 4);
  labels.slice(1)[3] = 1;
  labels.slice(1)[4] = 1;
  labels.slice(1)[10] = 2;
  labels.slice(2)[0] = 3;  // (DCMTK refuses to write more segments than frames)
  const auto written = writeDicomSeg(labels, segmentList(someSegments()), volume);
  INFO((written.ok() ? std::string() : written.error().message));
  REQUIRE(written.ok());  // frame 1: segment 1 on slice 2; frame 2: segment 2 on slice 2; frame 3: segment 3

  SECTION("a voxel in two segments keeps the last, and is counted") {
    const auto overlapping = editSeg(written.value(), [&](DcmDataset& ds) {
      const Uint8* pixels = nullptr;
      unsigned long count = 0;
      REQUIRE(ds.findAndGetUint8Array(DCM_PixelData, pixels, &count).good());
      std::vector<Uint8> bits(pixels, pixels + count);
      const std::size_t bit = plane + 3;  // frame 2, pixel 3
      bits[bit >> 3] |= static_cast<Uint8>(1u << (bit & 7));
      ds.putAndInsertUint8Array(DCM_PixelData, bits.data(), count);
    });
    auto read = readDicomSeg(overlapping, volume, "o.dcm");
    REQUIRE(read.ok());
    CHECK(read.value().labels.slice(1)[3] == 2);
    CHECK(read.value().labels.slice(1)[4] == 1);
    REQUIRE(read.value().notes.size() == 1);
    CHECK_THAT(read.value().notes[0], Catch::StartsWith("1 voxels belong to more than one segment"));
  }
  SECTION("fractional: on from half the maximum") {
    const auto fractional = editSeg(written.value(), [&](DcmDataset& ds) {
      std::vector<Uint8> values(3 * plane, 0);
      values[3] = 100;   // 100/200: exactly half -> in
      values[4] = 99;    // below half -> out
      values[plane + 10] = 200;
      values[plane + 11] = 1;
      ds.putAndInsertUint8Array(DCM_PixelData, values.data(), values.size());
      ds.putAndInsertString(DCM_SegmentationType, "FRACTIONAL");
      ds.putAndInsertString(DCM_SegmentationFractionalType, "PROBABILITY");
      ds.putAndInsertUint16(DCM_MaximumFractionalValue, 200);
      ds.putAndInsertUint16(DCM_BitsAllocated, 8);
      ds.putAndInsertUint16(DCM_BitsStored, 8);
      ds.putAndInsertUint16(DCM_HighBit, 7);
    });
    auto read = readDicomSeg(fractional, volume, "f.dcm");
    REQUIRE(read.ok());
    LabelVolume expected;
    expected.reset(7, 5, 4);
    expected.slice(1)[3] = 1;
    expected.slice(1)[10] = 2;
    expected.slice(2)[0] = 0;  // its frame is all 0 now
    CHECK(read.value().labels.labels == expected.labels);
  }
  SECTION("more than 255 segments") {
    const auto many = editSeg(written.value(), [&](DcmDataset& ds) {
      for (int i = 4; i <= 256; ++i) {
        DcmItem* item = nullptr;
        REQUIRE(ds.findOrCreateSequenceItem(DCM_SegmentSequence, item, -2).good());
        item->putAndInsertUint16(DCM_SegmentNumber, static_cast<Uint16>(i));
      }
    });
    auto read = readDicomSeg(many, volume, "many.dcm");
    REQUIRE_FALSE(read.ok());
    CHECK_THAT(read.error().message, Catch::Contains("256 segments") && Catch::Contains("at most 255"));
  }
}

TEST_CASE("DICOM SEG: truncated, garbage and non-SEG input give errors naming the file", "[import]") {
  const Volume volume = syntheticVolume(obliqueGeometry());
  const auto written = writeDicomSeg(randomLabels(volume.geometry, 3, 12), segmentList(someSegments()), volume);
  INFO((written.ok() ? std::string() : written.error().message));
  REQUIRE(written.ok());
  const auto& seg = written.value();
  auto error = [&](const std::vector<std::uint8_t>& bytes) {
    auto r = readDicomSeg(bytes, volume, "bad.dcm");
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.error().message, Catch::StartsWith("bad.dcm: "));
    return r.error().message;
  };
  CHECK_THAT(error({}), Catch::Contains("not a DICOM file"));
  CHECK_THAT(error(std::vector<std::uint8_t>(seg.begin(), seg.end() - 3)), Catch::Contains("truncated"));
  error(std::vector<std::uint8_t>(seg.begin(), seg.begin() + seg.size() / 2));
  error(std::vector<std::uint8_t>(5000, 0x41));
  CHECK_THAT(error(readBytes(demoFiles()[0])), Catch::Contains("not a DICOM Segmentation"));
  std::mt19937 random(13);
  for (int trial = 0; trial < 200; ++trial) {
    auto b = seg;
    b.resize(random() % (b.size() + 1));
    for (int k = 0; k < 4 && !b.empty(); ++k) b[random() % b.size()] = static_cast<std::uint8_t>(random());
    auto r = readDicomSeg(b, volume, "fuzz.dcm");
    if (!r.ok()) CHECK_THAT(r.error().message, Catch::StartsWith("fuzz.dcm: "));
  }
}

// [SECTION] A real SEG from 3D Slicer, against pydicom --------------------------------

TEST_CASE("ami.js's 3D Slicer SEG imports as pydicom reads it", "[import]") {
  const std::string dir = kDataDir + "/amijs/";
  auto unpacked = gzipDecompress(readBytes(dir + "dcm.seg.andrei.gz"), "dcm.seg.andrei.gz");
  REQUIRE(unpacked.ok());

  // The reference: header lines describe the missing CT series, rows the frames.
  std::ifstream in(dir + "dcm.seg.andrei.reference.tsv");
  REQUIRE(in);
  struct Frame {
    double z;
    int count;
    std::uint32_t crc;
  };
  std::vector<Frame> frames;
  std::vector<std::string> instances;
  VolumeGeometry g;
  Volume volume;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream f(line);
    std::string key;
    f >> key;
    if (key == "#grid") f >> g.columns >> g.rows >> g.slices;
    if (key == "#pixel_spacing") f >> g.rowSpacing >> g.columnSpacing;
    if (key == "#orientation") f >> g.rowDirection.x >> g.rowDirection.y >> g.rowDirection.z >> g.columnDirection.x >>
                                     g.columnDirection.y >> g.columnDirection.z;
    if (key == "#frame_of_reference") f >> volume.info.frameOfReferenceUid;
    if (key == "#series") f >> volume.info.seriesInstanceUid;
    if (key == "#instance") instances.emplace_back(), f >> instances.back();
    if (key.empty() || key[0] == '#') continue;
    std::string segment, uid, crc;
    Frame fr;
    double x, y;
    f >> segment >> uid >> x >> y >> fr.z >> fr.count >> crc;
    fr.crc = static_cast<std::uint32_t>(std::stoul(crc, nullptr, 16));
    frames.push_back(fr);
  }
  REQUIRE(frames.size() == 275);
  REQUIRE(instances.size() == 275);
  // The stand-in CT: slices from the top down (the opposite of the SEG's frame
  // order), 1 mm apart, starting at the highest frame.
  const auto top = std::max_element(frames.begin(), frames.end(), [](auto& a, auto& b) { return a.z < b.z; });
  g.origin = {-201, -59, top->z};
  g.sliceDirection = {0, 0, -1};
  g.sliceSpacing = 1;
  volume.geometry = g;
  // Its slices carry the SEG's referenced instances (in unknown order): the
  // SEG references all of them from every frame, which places nothing.
  volume.sliceSopInstanceUids = instances;

  auto read = readDicomSeg(unpacked.value(), volume, "dcm.seg.andrei");
  REQUIRE(read.ok());
  REQUIRE(read.value().segments.size() == 1);
  CHECK(read.value().segments[0].name == "Segmentation");
  CHECK(read.value().segments[0].colour == defaultSegment(1).colour);  // the SEG recommends no colour
  REQUIRE(read.value().notes.size() == 1);
  CHECK_THAT(read.value().notes[0], Catch::StartsWith("275 of 275 frames were placed by their position"));
  const std::size_t plane = static_cast<std::size_t>(g.columns) * g.rows;
  int checked = 0, nonEmpty = 0;
  for (const Frame& fr : frames) {
    const int slice = static_cast<int>(std::lround(top->z - fr.z));
    REQUIRE(slice >= 0);
    REQUIRE(slice < g.slices);
    const std::uint8_t* s = read.value().labels.slice(slice);
    std::vector<std::uint8_t> mask(s, s + plane);
    CHECK(std::count(mask.begin(), mask.end(), 1) == fr.count);
    CHECK(crc32Of(mask.data(), mask.size()) == fr.crc);
    ++checked;
    nonEmpty += fr.count > 0;
  }
  CHECK(checked == 275);
  CHECK(nonEmpty == 16);
  CHECK(countLabels(read.value().labels)[1] == 3338);
}
