// Manual tools next to the model: 3D sphere brush, threshold-constrained
// brush, fill of a closed contour, erase outside a box; each one undo step.
#include <catch2/catch.hpp>

#include <algorithm>

#include "app/app_state.h"
#include "segment/brush.h"
#include "segment/region_tools.h"
#include "test_support.h"

using namespace ls;

namespace {
std::size_t countOnSlice(const LabelVolume& labels, int slice, std::uint8_t value) {
  const std::uint8_t* s = labels.slice(slice);
  return std::count(s, s + labels.columns * labels.rows, value);
}
}  // namespace

TEST_CASE("a sphere brush paints shrinking discs on the slices within its radius") {
  LabelVolume labels;
  labels.reset(21, 21, 7);
  BrushShape sphere{4.0, 1.0, 1.0, 2.0, true};  // radius 4 mm, slices 2 mm apart
  CHECK(slicesTouched(labels, 3, sphere) == std::vector<int>{1, 2, 3, 4, 5});
  paintDisc(labels, 3, {10.5, 10.5}, sphere, PaintRule::overwrite(1));
  const std::size_t centre = countOnSlice(labels, 3, 1), next = countOnSlice(labels, 4, 1),
                    edge = countOnSlice(labels, 5, 1);
  CHECK(next == countOnSlice(labels, 2, 1));  // symmetric
  CHECK(centre > next);
  CHECK(next > edge);
  CHECK(edge == 0);  // 4 mm away: the sphere's pole, no pixel centre inside
  CHECK(countOnSlice(labels, 0, 1) == 0);
  CHECK(centre == 49);  // integer offsets (dx, dy) with dx^2 + dy^2 <= 16
}

TEST_CASE("the threshold brush paints only voxels inside the range") {
  LabelVolume labels;
  labels.reset(4, 1, 1);
  const float values[4] = {10, 50, 90, 130};
  IntensityGate gate{values, 40, 100};
  BrushShape wide{10.0, 1.0, 1.0};
  CHECK(paintDisc(labels, 0, {2, 0.5}, wide, PaintRule::overwrite(1), gate) == 2);
  CHECK(labels.labels == std::vector<std::uint8_t>{0, 1, 1, 0});
}

TEST_CASE("fill paints the inside of a closed contour and refuses an open one") {
  LabelVolume labels;
  labels.reset(9, 9, 1);
  for (int i = 2; i <= 6; ++i) {  // a square ring of label 1 from (2,2) to (6,6)
    labels.slice(0)[2 * 9 + i] = labels.slice(0)[6 * 9 + i] = 1;
    labels.slice(0)[i * 9 + 2] = labels.slice(0)[i * 9 + 6] = 1;
  }
  auto inside = fillEnclosed(labels, 0, 4, 4, 1, PaintRule::overwrite(1));
  CHECK(inside.closed);
  CHECK(inside.changed == 9);
  CHECK(countOnSlice(labels, 0, 1) == 25);
  LabelVolume open;
  open.reset(9, 9, 1);
  for (int i = 2; i <= 6; ++i) open.slice(0)[6 * 9 + i] = 1;  // just a line
  auto outside = fillEnclosed(open, 0, 4, 4, 1, PaintRule::overwrite(1));
  CHECK_FALSE(outside.closed);
  CHECK(outside.changed == 0);
  CHECK(countOnSlice(open, 0, 1) == 5);
}

TEST_CASE("erase outside box keeps the active segment inside the box only, others untouched") {
  AppState app;
  test::showBlankVolume(app, 10, 10, 2, ScreenRect{0, 0, 100, 100});
  std::fill(app.labels.slice(1), app.labels.slice(1) + 100, std::uint8_t{1});
  app.labels.slice(1)[0] = 2;  // another segment's voxel in a corner
  addSegment(app);             // label 2 exists now; make segment 1 active again
  app.segments.setActive(0);
  afterHistoryChange(app);
  app.slice = 1;
  eraseOutside(app, {2, 2}, {5, 6});  // pixels 2..4 x 2..5
  CHECK(countOnSlice(app.labels, 1, 1) == 12);
  CHECK(app.labels.slice(1)[0] == 2);
  REQUIRE(undoEdit(app));
  CHECK(countOnSlice(app.labels, 1, 1) == 99);

  // Fill through the app: one undo step, a message when the contour is open.
  app.slice = 0;
  fillAt(app, {5, 5});
  CHECK(app.loader.messages().back().error.message.find("no closed contour") != std::string::npos);
}

TEST_CASE("interpolation morphs between two annotated slices, one undo step") {
  AppState app;
  test::showBlankVolume(app, 20, 20, 5, ScreenRect{0, 0, 100, 100});
  auto square = [&](int slice, int x0, int side) {
    for (int y = x0; y < x0 + side; ++y) {
      for (int x = x0; x < x0 + side; ++x) app.labels.slice(slice)[y * 20 + x] = 1;
    }
  };
  square(0, 8, 4);   // 4 x 4
  square(4, 4, 12);  // 12 x 12 around the same centre
  afterHistoryChange(app);
  interpolateActiveSegment(app);
  const std::size_t s1 = countOnSlice(app.labels, 1, 1), s2 = countOnSlice(app.labels, 2, 1),
                    s3 = countOnSlice(app.labels, 3, 1);
  CHECK(16 < s1);
  CHECK(s1 < s2);
  CHECK(s2 < s3);
  CHECK(s3 < 144);
  CHECK(s2 == 64);  // half way: an 8 x 8 square
  CHECK(app.labels.slice(2)[10 * 20 + 10] == 1);
  CHECK(app.history.steps() == 1);
  REQUIRE(undoEdit(app));
  CHECK(countOnSlice(app.labels, 2, 1) == 0);

  // A single annotated slice: nothing to interpolate, and a message says so.
  AppState lonely;
  test::showBlankVolume(lonely, 8, 8, 3, ScreenRect{0, 0, 100, 100});
  lonely.labels.slice(1)[9] = 1;
  afterHistoryChange(lonely);
  interpolateActiveSegment(lonely);
  CHECK(lonely.history.steps() == 0);
  CHECK(lonely.loader.messages().back().error.message.find("needs two slices") != std::string::npos);
}
