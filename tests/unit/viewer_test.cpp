// Viewer conventions: orientation letters, modality presets, navigation keys.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "app/view_input.h"
#include "imaging/orientation.h"
#include "test_support.h"
#include "imaging/window_presets.h"

using namespace ls;

TEST_CASE("orientation letters follow DICOM's LPS axes") {
  CHECK(orientationLetters({1, 0, 0}) == "L");
  CHECK(orientationLetters({-1, 0, 0}) == "R");
  CHECK(orientationLetters({0, 1, 0}) == "P");
  CHECK(orientationLetters({0, -1, 0}) == "A");
  CHECK(orientationLetters({0, 0, 1}) == "S");
  CHECK(orientationLetters({0, 0, -1}) == "I");
  // The demo's oblique column direction (0, 0.991, 0.134): mostly posterior.
  CHECK(orientationLetters({0, 0.991, 0.134}) == "P");
  // 30 degrees tilt: both letters, the strongest first.
  CHECK(orientationLetters({0, 0.866, -0.5}) == "PI");
}

TEST_CASE("CT gets the workstation window presets, MR none") {
  auto ct = modalityPresets("CT");
  REQUIRE(ct.size() == 8);
  CHECK(ct[0].name == "CT brain");
  CHECK(ct[0].center == 40);
  CHECK(ct[0].width == 80);
  CHECK(ct[3].name == "CT lung");
  CHECK(ct[3].center == -600);
  CHECK(modalityPresets("MR").empty());
}

TEST_CASE("Page Up/Down, Home/End, invert and reset") {
  AppState app;
  Volume v;
  v.geometry.columns = v.geometry.rows = 4;
  v.geometry.slices = 50;
  v.voxels.assign(4 * 4 * 50, 0.f);
  v.windows = {{10, 20, "file"}, {0, 1, "auto"}};
  v.invertDisplay = true;  // MONOCHROME1
  showVolume(app, std::move(v));
  app.viewRect = {0, 0, 100, 100};
  REQUIRE(app.slice == 25);
  ViewInput in;
  in.pageSteps = 1;
  applyViewInput(app, in);
  CHECK(app.slice == 30);
  in = {};
  in.lastSlice = true;
  applyViewInput(app, in);
  CHECK(app.slice == 49);
  in = {};
  in.firstSlice = true;
  in.invert = true;
  applyViewInput(app, in);
  CHECK(app.slice == 0);
  CHECK_FALSE(displayInverted(app));  // MONOCHROME1 inverted back by the user
  selectWindowPreset(app, 1);
  in = {};
  in.reset = true;
  applyViewInput(app, in);
  CHECK(app.window.name == "file");
  CHECK(displayInverted(app));
}

#include "imaging/histogram.h"

TEST_CASE("histogram bins cover the value range") {
  std::vector<float> values{-1000, -1000, 0, 40, 40, 40, 3000};
  Histogram h = computeHistogram(values.data(), values.size(), 4);  // bins of 1000
  CHECK(h.min == -1000);
  CHECK(h.max == 3000);
  CHECK(h.binWidth() == Approx(1000));
  CHECK(h.counts == std::vector<std::size_t>{2, 4, 0, 1});  // the maximum lands in the last bin
  std::vector<float> flat(5, 7.f);
  CHECK(computeHistogram(flat.data(), flat.size(), 3).counts[0] == 5);
}

TEST_CASE("the ruler measures in millimetres on anisotropic pixels") {
  LengthMeasurement m{0, {10, 10}, {13, 14}};
  CHECK(lengthMm(m, 1, 1) == Approx(5));
  CHECK(lengthMm(m, 0.5, 2) == Approx(std::hypot(1.5, 8)));

  AppState app;
  test::showBlankVolume(app, 20, 20, 1, {0, 0, 10, 20});
  app.volume->geometry.columnSpacing = 0.5;
  fitToView(app);  // 1 screen pixel per mm
  ViewInput in;
  in.tool = static_cast<int>(Tool::Ruler);
  in.strokeStart = Point2{1, 1};
  in.strokeEnd = true;
  in.mouse = {7, 9};  // 6 mm across, 8 mm down
  applyViewInput(app, in);
  REQUIRE(app.measurements.size() == 1);
  CHECK(lengthMm(app.measurements[0], 0.5, 1) == Approx(10).epsilon(0.01));
  CHECK(app.labelledVoxels == 0);  // measuring paints nothing
}

TEST_CASE("the angle tool: drag the first arm, click the second; angles in millimetre space") {
  LengthMeasurement right{0, {10, 0}, {0, 0}, LengthMeasurement::Kind::Angle, {0, 10}};
  CHECK(angleDegrees(right, 1, 1) == Approx(90));
  LengthMeasurement diagonal{0, {10, 0}, {0, 0}, LengthMeasurement::Kind::Angle, {10, 10}};
  CHECK(angleDegrees(diagonal, 1, 1) == Approx(45));
  CHECK(angleDegrees(diagonal, 1, 2) == Approx(std::atan2(2, 1) * 180 / 3.14159265358979).epsilon(1e-6));

  AppState app;
  test::showBlankVolume(app, 20, 20, 1, {0, 0, 20, 20});
  const int version = app.measurementsVersion;
  // The first arm as the page delivers it: press, drag, release in separate frames.
  ViewInput press;
  press.tool = static_cast<int>(Tool::Angle);
  press.strokeStart = Point2{15, 5};
  press.stroking = true;
  press.mouse = {15, 5};
  applyViewInput(app, press);
  ViewInput dragging;
  dragging.stroking = true;
  dragging.mouse = {9, 5};
  applyViewInput(app, dragging);
  ViewInput release;
  release.strokeEnd = true;
  release.mouse = {5, 5};  // the vertex
  applyViewInput(app, release);
  REQUIRE(app.measurements.size() == 1);
  CHECK_FALSE(app.measurements[0].complete);  // waits for the second arm
  CHECK(app.measurementsVersion == version);
  ViewInput move;
  move.mouse = {5, 15};
  applyViewInput(app, move);
  CHECK(app.measurements[0].c.y > app.measurements[0].b.y + 5);  // the second arm follows the pointer
  ViewInput click;
  click.strokeStart = Point2{5, 15};
  click.strokeEnd = true;
  click.mouse = {5, 15};
  applyViewInput(app, click);
  REQUIRE(app.measurements.size() == 1);
  CHECK(app.measurements[0].complete);
  CHECK(angleDegrees(app.measurements[0], 1, 1) == Approx(90).margin(0.5));
  CHECK(app.measurementsVersion > version);
}

TEST_CASE("the rectangle ROI gives rectangle statistics; deleting a measurement is saved") {
  AppState app;
  test::showBlankVolume(app, 20, 20, 1, {0, 0, 20, 20});
  ViewInput in;
  in.tool = static_cast<int>(Tool::RectangleRoi);
  in.strokeStart = Point2{2, 2};
  in.strokeEnd = true;
  in.mouse = {10, 6};
  applyViewInput(app, in);
  REQUIRE(app.measurements.size() == 1);
  CHECK(app.measurements[0].kind == LengthMeasurement::Kind::Rectangle);
  const int version = app.measurementsVersion;
  deleteMeasurement(app, 0);
  CHECK(app.measurements.empty());
  CHECK(app.measurementsVersion > version);
}

TEST_CASE("cine steps through the slices at its rate and loops") {
  AppState app;
  test::showBlankVolume(app, 4, 4, 5, {0, 0, 10, 10});
  app.slice = 3;
  CHECK_FALSE(advanceCine(app, 1000));  // not playing
  ViewInput space;
  space.toggleCine = true;
  applyViewInput(app, space);
  REQUIRE(app.cinePlaying);
  app.cineFps = 10;
  CHECK_FALSE(advanceCine(app, 60));  // less than one period
  CHECK(advanceCine(app, 60));        // 120 ms: one step
  CHECK(app.slice == 4);
  CHECK(advanceCine(app, 200));       // two steps, wrapping to the first slice
  CHECK(app.slice == 1);
  applyViewInput(app, space);
  CHECK_FALSE(app.cinePlaying);
}

#include "imaging/roi_stats.h"

TEST_CASE("ROI statistics: rectangle and inscribed ellipse, area in mm^2") {
  // 4 x 4 image with values 0..15 row by row.
  std::vector<float> slice(16);
  for (int i = 0; i < 16; ++i) slice[i] = static_cast<float>(i);
  RoiStats rect = roiStatistics(slice.data(), 4, 4, {1, 1}, {3, 3}, false, 0.5, 2.0);  // pixels 5, 6, 9, 10
  CHECK(rect.pixels == 4);
  CHECK(rect.mean == Approx(7.5));
  CHECK(rect.min == 5);
  CHECK(rect.max == 10);
  CHECK(rect.standardDeviation == Approx(std::sqrt((2.5 * 2.5 + 1.5 * 1.5) * 2 / 4)));
  CHECK(rect.areaMm2 == Approx(4 * 0.5 * 2.0));
  // The ellipse inscribed in the whole image leaves out the 4 corner pixels.
  RoiStats ellipse = roiStatistics(slice.data(), 4, 4, {0, 0}, {4, 4}, true, 1, 1);
  CHECK(ellipse.pixels == 12);
  CHECK(ellipse.mean == Approx((120.0 - 0 - 3 - 12 - 15) / 12));
}
