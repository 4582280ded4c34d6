// Scribbles as prompts: points at equal steps along the stroke, and the
// stroke drawn into the low-resolution mask that is fed back.
#include <catch2/catch.hpp>

#include "segment/scribble.h"

using namespace ls;

TEST_CASE("scribble points are spread evenly along the stroke's length") {
  // A straight 40 px stroke drawn as two pieces: 5 points, 10 px apart.
  auto line = scribblePoints({{0, 0}, {20, 0}, {40, 0}}, 5);
  REQUIRE(line.size() == 5);
  for (int k = 0; k < 5; ++k) {
    CHECK(line[k].x == Approx(10.0 * k));
    CHECK(line[k].y == Approx(0));
  }
  // An L of 2 x 10 px with 3 points: the ends and the corner (half the length).
  auto corner = scribblePoints({{0, 0}, {10, 0}, {10, 10}}, 3);
  REQUIRE(corner.size() == 3);
  CHECK(corner[1].x == Approx(10));
  CHECK(corner[1].y == Approx(0));
  CHECK(corner[2].y == Approx(10));
  // A short stroke gets fewer points (about one per 2 px), a dot one.
  CHECK(scribblePoints({{0, 0}, {3, 0}}, 5).size() == 2);
  CHECK(scribblePoints({{4, 4}}, 5).size() == 1);
  CHECK(scribblePoints({}, 5).empty());
}

TEST_CASE("a scribble is drawn into the low-res logits along its path only") {
  // Image 16 x 8, model input 8 (scale 1/2), low-res 4: one cell is 4 x 4 image pixels.
  const ModelFrame frame = makeModelFrame(16, 8, 8);
  std::vector<float> lowRes(16, -10.f);
  drawStrokeIntoLowRes(lowRes, 4, frame, {{1, 1}, {13, 1}}, true);
  // Row 0, cells 0..3 crossed (x 1..13 -> cells 0..3); nothing else.
  for (int u = 0; u < 4; ++u) CHECK(lowRes[u] == 10.f);
  for (int i = 4; i < 16; ++i) CHECK(lowRes[i] == -10.f);
  // Excluding sets the crossed cells to -10; a mask of the wrong size is left alone.
  drawStrokeIntoLowRes(lowRes, 4, frame, {{1, 1}, {5, 1}}, false);
  CHECK(lowRes[0] == -10.f);
  CHECK(lowRes[1] == -10.f);
  CHECK(lowRes[2] == 10.f);
  std::vector<float> wrong(3, 0.f);
  drawStrokeIntoLowRes(wrong, 4, frame, {{1, 1}, {5, 1}}, true);
  CHECK(wrong == std::vector<float>(3, 0.f));
}
