// Screen <-> image mapping: physical aspect, fit, zoom around the cursor.
#include <catch2/catch.hpp>

#include "app/view.h"

using namespace ls;

TEST_CASE("fit keeps the physical aspect ratio from pixel spacing") {
  ScreenRect rect{0, 0, 800, 600};
  ImageExtent image{256, 128, 0.5, 2.0};  // 128 mm wide, 256 mm tall
  SliceView v = fitView(rect, image);
  CHECK(v.pixelsPerMm == Approx(600.0 / 256));
  Point2 topLeft = imageToScreen(v, rect, image, {0, 0});
  Point2 bottomRight = imageToScreen(v, rect, image, {256, 128});
  CHECK(bottomRight.y - topLeft.y == Approx(600));
  CHECK(bottomRight.x - topLeft.x == Approx(300));  // half as wide as tall, as in millimetres
  CHECK(topLeft.x == Approx(250));
}

TEST_CASE("screenToImage inverts imageToScreen") {
  ScreenRect rect{100, 50, 640, 480};
  ImageExtent image{512, 512, 0.7, 0.7};
  SliceView v{1.7, 13, -8};
  Point2 p = screenToImage(v, rect, image, imageToScreen(v, rect, image, {123.25, 301.5}));
  CHECK(p.x == Approx(123.25));
  CHECK(p.y == Approx(301.5));
}

TEST_CASE("zoom keeps the point under the cursor in place") {
  ScreenRect rect{0, 0, 800, 600};
  ImageExtent image{100, 100, 1, 1};
  SliceView v = fitView(rect, image);
  Point2 anchor{612, 77};
  Point2 before = screenToImage(v, rect, image, anchor);
  SliceView zoomed = zoomAround(v, rect, anchor, 2.5);
  CHECK(zoomed.pixelsPerMm == Approx(v.pixelsPerMm * 2.5));
  Point2 after = screenToImage(zoomed, rect, image, anchor);
  CHECK(after.x == Approx(before.x));
  CHECK(after.y == Approx(before.y));
}

#include "app/view_input.h"
#include "test_support.h"

TEST_CASE("view input: wheel scrolls, ctrl+wheel zooms, drags window and pan") {
  AppState app;
  test::showBlankVolume(app, 10, 10, 5, {0, 0, 100, 100}, {50, 100, "auto"});
  REQUIRE(app.slice == 2);

  ViewInput in;
  in.mouse = {50, 50};
  in.mouseInView = true;
  in.wheel = -1;  // towards the user: next slice
  applyViewInput(app, in);
  CHECK(app.slice == 3);
  CHECK(app.cursorOnImage);

  in.ctrl = true;
  in.wheel = 1;
  const double before = app.view.pixelsPerMm;
  applyViewInput(app, in);
  CHECK(app.slice == 3);
  CHECK(app.view.pixelsPerMm == Approx(before * 1.2));

  ViewInput drag;
  drag.rightDragging = true;
  drag.dragDelta = {0, 40};
  applyViewInput(app, drag);
  CHECK(app.window.center == Approx(60));  // 40 px * (100 / 400)

  ViewInput pan;
  pan.panDragging = true;
  pan.dragDelta = {7, -3};
  applyViewInput(app, pan);
  CHECK(app.view.panY == Approx(-3));

  ViewInput keys;
  keys.sliceSteps = -2;
  keys.fit = true;
  applyViewInput(app, keys);
  CHECK(app.slice == 1);
  CHECK(app.view.panX == 0);
}
