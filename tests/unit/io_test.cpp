// Run-length encoding, the autosave format and the NIfTI export.
#include <catch2/catch.hpp>

#include <cstring>

#include "imaging/rle.h"
#include "io/label_storage.h"
#include "io/nifti.h"

using namespace ls;

TEST_CASE("run-length encoding round-trips and compresses label maps") {
  std::vector<std::uint8_t> data(10000, 0);
  for (int i = 4000; i < 4100; ++i) data[i] = 3;
  auto runs = encodeRuns(data.data(), data.size());
  REQUIRE(runs.size() == 3);
  CHECK(runs[1].value == 3);
  CHECK(runs[1].length == 100);
  std::vector<std::uint8_t> back;
  REQUIRE(decodeRuns(runs, data.size(), back));
  CHECK(back == data);
  std::vector<std::uint8_t> wrong;
  CHECK_FALSE(decodeRuns(runs, data.size() + 1, wrong));
}

TEST_CASE("autosaved labels restore only onto a volume of the same size") {
  LabelVolume labels;
  labels.reset(8, 4, 3);
  labels.slice(2)[5] = 1;
  labels.slice(0)[0] = 2;
  auto bytes = serializeAnnotation(labels, SegmentList{});
  CHECK(bytes.size() < labels.labels.size() + 40);  // RLE of a mostly empty map
  auto restored = deserializeAnnotation(bytes.data(), bytes.size(), 8, 4, 3);
  REQUIRE(restored.ok());
  CHECK(restored.value().labels.labels == labels.labels);

  auto otherGrid = deserializeAnnotation(bytes.data(), bytes.size(), 8, 4, 4);
  REQUIRE_FALSE(otherGrid.ok());
  CHECK_THAT(otherGrid.error().message, Catch::Contains("another size"));
  auto cut = deserializeAnnotation(bytes.data(), bytes.size() - 2, 8, 4, 3);
  CHECK_FALSE(cut.ok());
  const std::uint8_t junk[24] = {'n', 'o', 'p', 'e'};
  CHECK_FALSE(deserializeAnnotation(junk, sizeof junk, 8, 4, 3).ok());

  // The session's view and measurements (complete ones) come back too.
  SessionView view{2, 40.f, 400.f};
  view.measurements.push_back({1, {1, 2}, {3, 4}, LengthMeasurement::Kind::Angle, {5, 6}});
  view.measurements.push_back({0, {0, 0}, {2, 2}, LengthMeasurement::Kind::Rectangle});
  view.measurements.push_back({0, {0, 0}, {1, 1}, LengthMeasurement::Kind::Angle});
  view.measurements.back().complete = false;  // still being drawn: not saved
  auto withView = serializeAnnotation(labels, SegmentList{}, view);
  auto back = deserializeAnnotation(withView.data(), withView.size(), 8, 4, 3);
  REQUIRE(back.ok());
  CHECK(back.value().view.slice == 2);
  CHECK(back.value().view.windowWidth == 400.f);
  REQUIRE(back.value().view.measurements.size() == 2);
  CHECK(back.value().view.measurements[0].kind == LengthMeasurement::Kind::Angle);
  CHECK(back.value().view.measurements[0].c.x == 5);
  CHECK(back.value().view.measurements[1].slice == 0);
  CHECK(back.value().labels.labels == labels.labels);

  // Saves of format version 1 (labels only, before segments) still restore.
  std::vector<std::uint8_t> v1 = {'L', 'S', 'L', 'B', 1, 0, 0, 0, 8, 0, 0, 0, 4, 0, 0, 0, 3, 0, 0, 0};
  v1.insert(v1.end(), {0, 95, 0, 0, 0, 3, 1, 0, 0, 0});  // 95 zeros, one 3
  auto old = deserializeAnnotation(v1.data(), v1.size(), 8, 4, 3);
  REQUIRE(old.ok());
  CHECK(old.value().labels.labels[95] == 3);
  CHECK(old.value().segments.empty());
}

TEST_CASE("NIfTI export: header, RAS sform from the DICOM geometry, data") {
  LabelVolume labels;
  labels.reset(4, 3, 2);
  labels.slice(1)[4 * 2 + 3] = 1;  // column 3, row 2, slice 1
  VolumeGeometry g;
  g.columns = 4, g.rows = 3, g.slices = 2;
  g.columnSpacing = 0.5, g.rowSpacing = 0.75, g.sliceSpacing = 2;
  g.origin = {10, 20, 30};  // LPS
  auto bytes = writeNiftiLabels(labels, g, "test");
  REQUIRE(bytes.size() == 352 + 24);
  auto i32 = [&](std::size_t at) { std::int32_t v; std::memcpy(&v, &bytes[at], 4); return v; };
  auto i16 = [&](std::size_t at) { std::int16_t v; std::memcpy(&v, &bytes[at], 2); return v; };
  auto f32 = [&](std::size_t at) { float v; std::memcpy(&v, &bytes[at], 4); return v; };
  CHECK(i32(0) == 348);
  CHECK(i16(40) == 3);
  CHECK(i16(42) == 4);
  CHECK(i16(44) == 3);
  CHECK(i16(46) == 2);
  CHECK(i16(70) == 2);
  CHECK(f32(80) == Approx(0.5));
  CHECK(f32(108) == Approx(352));
  CHECK(i16(254) == 1);
  CHECK(std::memcmp(&bytes[344], "n+1", 4) == 0);
  // Voxel (3, 2, 1) in LPS is origin + (1.5, 1.5, 2) = (11.5, 21.5, 32); in RAS (-11.5, -21.5, 32).
  auto world = [&](int row, double i, double j, double k) {
    return f32(280 + 16 * row) * i + f32(284 + 16 * row) * j + f32(288 + 16 * row) * k + f32(292 + 16 * row);
  };
  CHECK(world(0, 3, 2, 1) == Approx(-11.5));
  CHECK(world(1, 3, 2, 1) == Approx(-21.5));
  CHECK(world(2, 3, 2, 1) == Approx(32));
  CHECK(bytes[352 + 12 + 2 * 4 + 3] == 1);
}
