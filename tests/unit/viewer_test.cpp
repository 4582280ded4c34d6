// Viewer conventions: orientation letters, modality presets, navigation keys.
#include <catch2/catch.hpp>

#include "app/view_input.h"
#include "imaging/orientation.h"
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
