// Series assembly: order by position along the slice normal, never by file
// name; localizers, duplicates and uneven gaps are reported.
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>

#include "core/series_assembly.h"
#include "dicom/decode.h"
#include "test_support.h"

using namespace ls;
using namespace ls::test;

namespace {

std::vector<ImageSlice> decodeDemo() {
  std::vector<ImageSlice> slices;
  for (const auto& path : demoFiles()) {
    auto bytes = readBytes(path);
    auto r = decodeDicom(path.substr(path.rfind('/') + 1), bytes.data(), bytes.size());
    REQUIRE(r.ok());
    for (auto& s : r.value()) slices.push_back(std::move(s));
  }
  return slices;
}

ImageSlice syntheticSlice(const std::string& name, double z, Vec3 row = {1, 0, 0}, Vec3 column = {0, 1, 0}) {
  ImageSlice s;
  s.sourceFile = name;
  s.rows = 2;
  s.columns = 3;
  s.pixels = std::vector<float>(6, static_cast<float>(z));
  s.position = Vec3{10, 20, z};
  s.rowDirection = row;
  s.columnDirection = column;
  s.columnSpacing = 0.5;
  s.rowSpacing = 0.7;
  return s;
}

}  // namespace

TEST_CASE("the demo series (oblique MR) is ordered along its normal whatever the file order") {
  auto slices = decodeDemo();
  REQUIRE(slices.size() == 20);
  std::mt19937 shuffle(42);
  std::shuffle(slices.begin(), slices.end(), shuffle);
  auto r = assembleVolume(slices);
  REQUIRE(r.ok());
  const Volume& v = r.value().volume;
  CHECK(r.value().warnings.empty());
  CHECK(v.geometry.slices == 20);
  CHECK(v.geometry.columns == 256);
  CHECK(v.geometry.columnSpacing == Approx(0.859375));
  // Oblique: the normal is tilted from the z axis (orientation 1\0\0\0\0.99096\0.134158).
  CHECK(v.geometry.sliceDirection.z == Approx(0.99096).epsilon(1e-4));
  CHECK(v.geometry.sliceDirection.y == Approx(-0.134158).epsilon(1e-4));
  // Each stored slice's position lies one spacing further along the normal.
  for (int i = 0; i < v.geometry.slices; ++i) {
    const ImageSlice* source = nullptr;
    for (const auto& s : slices) if (s.sourceFile == v.sliceFiles[i]) source = &s;
    REQUIRE(source != nullptr);
    double expected = dot(v.geometry.toPatient(0, 0, i), v.geometry.sliceDirection);
    CHECK(dot(*source->position, v.geometry.sliceDirection) == Approx(expected).margin(0.15));
    CHECK(std::equal(source->pixels.begin(), source->pixels.end(), v.slice(i)));
  }
  CHECK(v.geometry.sliceSpacing > 0);
}

TEST_CASE("slices are sorted by position, not by name or arrival") {
  std::vector<ImageSlice> slices{syntheticSlice("a", 5), syntheticSlice("b", -5), syntheticSlice("c", 0)};
  auto r = assembleVolume(slices);
  REQUIRE(r.ok());
  const Volume& v = r.value().volume;
  CHECK(v.sliceFiles == std::vector<std::string>{"b", "c", "a"});
  CHECK(v.geometry.sliceSpacing == Approx(5));
  CHECK(v.geometry.origin.z == Approx(-5));
  CHECK(v.at(0, 0, 2) == Approx(5));
  CHECK(v.geometry.rowSpacing == Approx(0.7));
}

TEST_CASE("a reversed normal still gives increasing positions along it") {
  // Row x column = -z: slices sort by decreasing z.
  std::vector<ImageSlice> slices{syntheticSlice("a", 5, {0, 1, 0}, {1, 0, 0}),
                                 syntheticSlice("b", -5, {0, 1, 0}, {1, 0, 0})};
  auto r = assembleVolume(slices);
  REQUIRE(r.ok());
  CHECK(r.value().volume.sliceFiles == std::vector<std::string>{"a", "b"});
  CHECK(r.value().volume.geometry.sliceDirection.z == Approx(-1));
}

TEST_CASE("localizers, other sizes and duplicates are left out with a reason") {
  std::vector<ImageSlice> slices{syntheticSlice("s1", 0), syntheticSlice("s2", 1), syntheticSlice("s3", 2),
                                 syntheticSlice("dup", 1), syntheticSlice("loc", 0, {1, 0, 0}, {0, 0, 1})};
  ImageSlice small = syntheticSlice("small", 3);
  small.rows = 1;
  small.pixels.resize(3);
  slices.push_back(small);
  auto r = assembleVolume(slices);
  REQUIRE(r.ok());
  CHECK(r.value().volume.geometry.slices == 3);
  std::string all;
  for (const auto& w : r.value().warnings) all += w.file + ": " + w.message + "\n";
  CHECK_THAT(all, Catch::Contains("loc: left out: orientation differs"));
  CHECK_THAT(all, Catch::Contains("small: left out: image size"));
  CHECK_THAT(all, Catch::Contains("duplicate slice"));
}

TEST_CASE("uneven spacing is reported") {
  std::vector<ImageSlice> slices{syntheticSlice("a", 0), syntheticSlice("b", 1), syntheticSlice("c", 2),
                                 syntheticSlice("d", 4)};
  auto r = assembleVolume(slices);
  REQUIRE(r.ok());
  CHECK(r.value().volume.geometry.sliceSpacing == Approx(4.0 / 3));
  REQUIRE(r.value().warnings.size() == 1);
  CHECK(r.value().warnings[0].file == "d");
  CHECK_THAT(r.value().warnings[0].message, Catch::Contains("uneven slice spacing"));
}

TEST_CASE("series are grouped by SeriesInstanceUID, largest first") {
  std::vector<ImageSlice> slices{syntheticSlice("a", 0), syntheticSlice("b", 1), syntheticSlice("c", 2)};
  slices[0].info.seriesInstanceUid = "1.2.3";
  slices[1].info.seriesInstanceUid = "1.2.4";
  slices[2].info.seriesInstanceUid = "1.2.4";
  auto groups = groupBySeries(slices);
  REQUIRE(groups.size() == 2);
  CHECK(groups[0].seriesInstanceUid == "1.2.4");
  CHECK(groups[0].slices.size() == 2);
}

TEST_CASE("a gantry tilt is detected, explained, and the grid follows the real positions") {
  // 2 mm along the normal and 0.35 mm along the column direction per slice: ~9.9 degrees.
  std::vector<ImageSlice> slices;
  for (int k = 0; k < 5; ++k) {
    ImageSlice s = syntheticSlice("t" + std::to_string(k), 2.0 * k);
    s.position = Vec3{10, 20 + 0.35 * k, 2.0 * k};
    slices.push_back(s);
  }
  std::shuffle(slices.begin(), slices.end(), std::mt19937(7));
  auto r = assembleVolume(slices);
  REQUIRE(r.ok());
  const auto& g = r.value().volume.geometry;
  REQUIRE(r.value().warnings.size() == 1);
  CHECK_THAT(r.value().warnings[0].message, Catch::Contains("gantry tilt") && Catch::Contains("9.93 degrees"));
  for (int k = 0; k < 5; ++k) {
    const Vec3 p = g.toPatient(0, 0, k);
    CHECK(p.y == Approx(20 + 0.35 * k));
    CHECK(p.z == Approx(2.0 * k));
  }
  CHECK(g.sliceSpacing == Approx(std::hypot(2.0, 0.35)));
  // An untilted stack gets no warning and a slice axis along the normal.
  std::vector<ImageSlice> straight{syntheticSlice("a", 0), syntheticSlice("b", 2), syntheticSlice("c", 4)};
  auto s = assembleVolume(straight);
  REQUIRE(s.ok());
  CHECK(s.value().warnings.empty());
  CHECK(s.value().volume.geometry.sliceDirection.z == Approx(1));
}

TEST_CASE("gathering pooled slices in place: any order, slices left out are dropped") {
  SlicePool pool;
  pool.sliceSize = 2;
  for (float s = 0; s < 6; ++s) pool.pixels.insert(pool.pixels.end(), {s, s + 0.5f});
  const float* before = pool.pixels.data();
  gatherSlicesInPlace(pool, {4, 0, 5, 2, 1});  // slice 3 is left out
  CHECK(pool.pixels == std::vector<float>{4, 4.5f, 0, 0.5f, 5, 5.5f, 2, 2.5f, 1, 1.5f});
  CHECK(pool.pixels.data() == before);  // the same buffer, reordered
  gatherSlicesInPlace(pool, {0, 1, 2, 3, 4});
  CHECK(pool.count() == 5);
  CHECK_THROWS(gatherSlicesInPlace(pool, {1, 1}));
  CHECK_THROWS(gatherSlicesInPlace(pool, {7}));
}

TEST_CASE("a series whose pixels are pooled becomes a volume in the pool's own buffer") {
  // Files out of order, with a duplicate position and a localizer, all pooled.
  std::vector<ImageSlice> slices;
  SlicePool pool;
  pool.sliceSize = 6;
  const auto pooled = [&](ImageSlice s) {
    s.pooledIndex = static_cast<long>(pool.count());
    pool.pixels.insert(pool.pixels.end(), s.pixels.begin(), s.pixels.end());
    s.pixels.clear();
    return s;
  };
  for (double z : {3.0, 1.0, 2.0, 2.0, 0.0}) slices.push_back(pooled(syntheticSlice("z" + std::to_string(z), z)));
  slices.push_back(pooled(syntheticSlice("localizer", 9, {0, 1, 0}, {0, 0, -1})));

  SECTION("copied when the pool is to be kept (several series)") {
    auto copied = assembleVolume(slices, &pool, false);
    REQUIRE(copied.ok());
    CHECK(copied.value().volume.voxels.size() == 4 * 6);
    CHECK(pool.count() == 6);
  }
  const float* buffer = pool.pixels.data();
  auto r = assembleVolume(slices, &pool, true);
  REQUIRE(r.ok());
  const Volume& v = r.value().volume;
  REQUIRE(v.geometry.slices == 4);
  CHECK(v.voxels.data() == buffer);  // no second copy of the pixels
  for (int k = 0; k < 4; ++k) CHECK(v.slice(k)[0] == Approx(v.slicePositions[k].z));
  CHECK(v.minValue == 0);
  CHECK(v.maxValue == 3);
  CHECK(pool.count() == 0);
  CHECK(r.value().warnings.size() == 2);  // the duplicate and the localizer
}
