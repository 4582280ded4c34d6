// MPR: reformatted planes against hand-computed volumes (axial, sagittal and
// oblique acquisitions, non-isotropic spacing), layouts, the crosshair that
// links the panes, the per-pane scrollbar, and remappable shortcuts.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <set>
#include <vector>

#include "app/keymap.h"
#include "app/view_input.h"
#include "imaging/orientation.h"
#include "imaging/reformat.h"

using namespace ls;

namespace {

// 4 columns x 3 rows x 5 slices, value 100 k + 10 j + i, spacing 0.5 / 0.8 / 2 mm.
VolumeGeometry smallGrid(Vec3 rowDir, Vec3 colDir, Vec3 sliceDir) {
  VolumeGeometry g;
  g.columns = 4, g.rows = 3, g.slices = 5;
  g.columnSpacing = 0.5, g.rowSpacing = 0.8, g.sliceSpacing = 2.0;
  g.rowDirection = rowDir, g.columnDirection = colDir, g.sliceDirection = sliceDir;
  return g;
}

std::vector<float> codedVoxels(const VolumeGeometry& g) {
  std::vector<float> v;
  for (int k = 0; k < g.slices; ++k)
    for (int j = 0; j < g.rows; ++j)
      for (int i = 0; i < g.columns; ++i) v.push_back(float(100 * k + 10 * j + i));
  return v;
}

float pixel(const std::vector<float>& image, const ReformatPlane& p, int u, int v) {
  return image[static_cast<std::size_t>(v) * p.columns + u];
}

}  // namespace

TEST_CASE("axial acquisition: coronal and sagittal reformats, superior at the top") {
  const VolumeGeometry g = smallGrid({1, 0, 0}, {0, 1, 0}, {0, 0, 1});
  const auto voxels = codedVoxels(g);
  const auto planes = normalAxisOfAnatomicalPlanes(g);
  CHECK(planes == std::array<int, 3>{2, 1, 0});  // axial, coronal, sagittal

  const ReformatPlane axial = reformatPlane(g, 2);
  CHECK(axial.anatomy == AnatomicalPlane::Axial);
  CHECK((axial.horizontal == 0 && axial.vertical == 1 && !axial.flipHorizontal && !axial.flipVertical));
  CHECK(pixel(reslice(g, voxels.data(), axial, 3), axial, 2, 1) == 312);

  const ReformatPlane coronal = reformatPlane(g, 1);
  CHECK(coronal.anatomy == AnatomicalPlane::Coronal);
  CHECK(coronal.columns == 4);
  CHECK(coronal.rows == 5);
  CHECK(coronal.columnSpacing == 0.5);
  CHECK(coronal.rowSpacing == 2.0);  // slice spacing as the vertical aspect
  CHECK(orientationLetters(coronal.right) == "L");
  CHECK(orientationLetters(coronal.down) == "I");
  const auto c = reslice(g, voxels.data(), coronal, 1);
  CHECK(pixel(c, coronal, 2, 0) == 412);  // the top row is the last (most superior) slice
  CHECK(pixel(c, coronal, 0, 4) == 10);

  const ReformatPlane sagittal = reformatPlane(g, 0);
  CHECK(sagittal.anatomy == AnatomicalPlane::Sagittal);
  CHECK(sagittal.columns == 3);
  CHECK(sagittal.rows == 5);
  CHECK(orientationLetters(sagittal.right) == "P");  // anterior on the left
  CHECK(orientationLetters(sagittal.down) == "I");
  const auto s = reslice(g, voxels.data(), sagittal, 3);
  CHECK(pixel(s, sagittal, 1, 0) == 413);
  CHECK(pixel(s, sagittal, 2, 4) == 23);
}

TEST_CASE("a slice stack ordered feet first is still shown head up") {
  const VolumeGeometry g = smallGrid({1, 0, 0}, {0, 1, 0}, {0, 0, -1});
  const auto voxels = codedVoxels(g);
  const ReformatPlane coronal = reformatPlane(g, 1);
  CHECK_FALSE(coronal.flipVertical);  // slice index already runs inferior
  CHECK(pixel(reslice(g, voxels.data(), coronal, 0), coronal, 1, 0) == 1);
}

TEST_CASE("sagittal acquisition: the reformats are axial and coronal, turned to convention") {
  // Rows run posterior, columns inferior, slices towards the patient's right.
  const VolumeGeometry g = smallGrid({0, 1, 0}, {0, 0, -1}, {-1, 0, 0});
  const auto voxels = codedVoxels(g);
  CHECK(normalAxisOfAnatomicalPlanes(g) == std::array<int, 3>{1, 0, 2});
  CHECK(reformatPlane(g, 2).anatomy == AnatomicalPlane::Sagittal);

  const ReformatPlane axial = reformatPlane(g, 1);
  CHECK(axial.anatomy == AnatomicalPlane::Axial);
  CHECK(axial.horizontal == 2);  // slices across the screen, reversed: patient left on the right
  CHECK(axial.flipHorizontal);
  CHECK(axial.vertical == 0);
  CHECK_FALSE(axial.flipVertical);
  CHECK(orientationLetters(axial.right) == "L");
  CHECK(orientationLetters(axial.down) == "P");
  const auto a = reslice(g, voxels.data(), axial, 2);  // row 2 of every slice
  CHECK(pixel(a, axial, 0, 3) == 400 + 20 + 3);  // the left column is the last slice: the patient's right
  CHECK(pixel(a, axial, 4, 0) == 20);

  const ReformatPlane coronal = reformatPlane(g, 0);
  CHECK(coronal.anatomy == AnatomicalPlane::Coronal);
  CHECK(orientationLetters(coronal.right) == "L");
  CHECK(orientationLetters(coronal.down) == "I");
  CHECK(coronal.columnSpacing == 2.0);
  CHECK(coronal.rowSpacing == 0.8);
}

TEST_CASE("oblique acquisitions: planes follow the grid, labels show the tilt") {
  const double c = std::cos(M_PI / 6), s = std::sin(M_PI / 6);  // 30 degrees about the x axis
  const VolumeGeometry g = smallGrid({1, 0, 0}, {0, c, s}, {0, -s, c});
  CHECK(normalAxisOfAnatomicalPlanes(g) == std::array<int, 3>{2, 1, 0});
  const ReformatPlane coronal = reformatPlane(g, 1);
  CHECK(coronal.flipVertical);
  CHECK(orientationLetters(coronal.down) == "IP");  // (0, 0.5, -0.87)
  // 45 degrees: every grid axis still gets its own anatomical plane.
  const double h = std::sqrt(0.5);
  const auto planes = normalAxisOfAnatomicalPlanes(smallGrid({1, 0, 0}, {0, h, h}, {0, -h, h}));
  CHECK(std::set<int>(planes.begin(), planes.end()).size() == 3);
}

TEST_CASE("plane and voxel coordinates convert both ways, flips included") {
  const VolumeGeometry g = smallGrid({1, 0, 0}, {0, 1, 0}, {0, 0, 1});
  for (int axis = 0; axis < 3; ++axis) {
    const ReformatPlane p = reformatPlane(g, axis);
    const VoxelPoint v{1.25, 2.5, 3.75};
    const Point2 image = voxelToPlane(p, v);
    const VoxelPoint back = planeToVoxel(p, image, v.axis(axis));
    CHECK(back.column == Approx(v.column));
    CHECK(back.row == Approx(v.row));
    CHECK(back.slice == Approx(v.slice));
  }
  const ReformatPlane coronal = reformatPlane(g, 1);
  // Voxel slice 3.75 (in [3, 4)) sits in image row 1 of 5 once flipped.
  CHECK(voxelToPlane(coronal, {1.25, 2.5, 3.75}).y == Approx(1.25));
}

namespace {

AppState appWithVolume(ViewLayout layout) {
  AppState app;
  Volume v;
  v.geometry = smallGrid({1, 0, 0}, {0, 1, 0}, {0, 0, 1});
  v.voxels = codedVoxels(v.geometry);
  v.windows = {{0, 1, "auto"}};
  showVolume(app, std::move(v));
  app.viewArea = {0, 0, 900, 600};
  setViewLayout(app, layout);
  layoutViewPanes(app, {10, 10}, false);
  fitToView(app);
  fitReformatPanes(app);
  return app;
}

Point2 screenOf(const AppState& app, const ViewPane& pane, Point2 image) {
  return imageToScreen(paneView(app, pane), pane.rect, planeExtent(panePlane(app, pane)), image);
}

}  // namespace

TEST_CASE("layouts: three planes side by side and 2x2 with a fourth of the user's choice") {
  AppState app = appWithVolume(ViewLayout::ThreePlanes);
  REQUIRE(app.panes.size() == 3);
  CHECK((app.panes[0].normalAxis == 2 && app.panes[0].slot == -1));  // axial: the acquired plane, tools
  CHECK((app.panes[1].normalAxis == 0 && app.panes[1].slot >= 0));   // sagittal
  CHECK((app.panes[2].normalAxis == 1 && app.panes[2].slot >= 0));   // coronal
  CHECK(app.panes[1].rect.x > app.panes[0].rect.x + app.panes[0].rect.width - 1);
  CHECK(app.viewRect.width == Approx(app.panes[0].rect.width));

  app.multiplanar.fourthPlane = AnatomicalPlane::Coronal;
  setViewLayout(app, ViewLayout::TwoByTwo);
  layoutViewPanes(app, {10, 10}, false);
  REQUIRE(app.panes.size() == 4);
  CHECK(app.panes[3].normalAxis == 1);
  CHECK(app.panes[3].slot == 3);
  CHECK(app.panes[3].rect.y > app.panes[0].rect.y);
  CHECK(app.multiplanar.needsFit);
}

TEST_CASE("a press in a reformatted pane moves the crosshair and the other panes") {
  AppState app = appWithVolume(ViewLayout::ThreePlanes);
  CHECK(app.slice == 2);
  const ViewPane sagittal = app.panes[1];
  CHECK(panePosition(app, sagittal) == 2);  // the centre column
  // Image point (u = row 0.5, v = 0.5): top row = the last slice.
  const Point2 at = screenOf(app, sagittal, {0.5, 0.5});
  layoutViewPanes(app, at, false);
  REQUIRE(app.inputPane == 1);
  ViewInput press;
  press.mouse = at;
  press.mouseInView = true;
  press.strokeStart = at;
  applyViewInput(app, press);
  CHECK(app.slice == 4);
  CHECK(app.multiplanar.crosshairRow == Approx(0.5));
  CHECK(panePosition(app, app.panes[2]) == 0);  // the coronal pane now shows row 0
  CHECK(panePosition(app, sagittal) == 2);      // its own plane did not move
  CHECK(app.labels.slices == 5);  // nothing was painted or prompted
  CHECK(app.labelledVoxels == 0);

  // The readout under the pointer is the voxel the pane shows there.
  const auto readout = cursorReadout(app);
  REQUIRE(readout.valid);
  CHECK(readout.value == Approx(400 + 0 + 2));

  // The wheel over the sagittal pane moves its plane: the crosshair column.
  ViewInput wheel;
  wheel.mouse = at;
  wheel.mouseInView = true;
  wheel.wheel = -1;
  applyViewInput(app, wheel);
  CHECK(panePosition(app, sagittal) == 3);
  CHECK(app.slice == 4);
  // Keys too, clamped at the edge.
  ViewInput keys;
  keys.mouse = at;
  keys.sliceSteps = 5;
  applyViewInput(app, keys);
  CHECK(panePosition(app, sagittal) == 3);
}

TEST_CASE("the crosshair tool moves the crosshair from the main pane") {
  AppState app = appWithVolume(ViewLayout::TwoByTwo);
  app.tool = Tool::Crosshair;
  const Point2 at = screenOf(app, app.panes[0], {3.5, 1.5});
  layoutViewPanes(app, at, false);
  ViewInput press;
  press.mouse = at;
  press.mouseInView = true;
  press.strokeStart = at;
  applyViewInput(app, press);
  CHECK(app.multiplanar.crosshairColumn == Approx(3.5));
  CHECK(app.multiplanar.crosshairRow == Approx(1.5));
  CHECK(panePosition(app, app.panes[1]) == 3);  // sagittal at column 3
  CHECK(panePosition(app, app.panes[2]) == 1);  // coronal at row 1
}

TEST_CASE("a pane's scrollbar sets its position from where it is pressed") {
  AppState app = appWithVolume(ViewLayout::Single);
  const ScreenRect bar = paneScrollbar(app.panes[0].rect);
  const Point2 at{bar.x + bar.width / 2, bar.y + bar.height * 0.9};
  ViewInput press;
  press.mouse = at;
  press.mouseInView = true;
  press.strokeStart = at;
  press.stroking = true;
  applyViewInput(app, press);
  CHECK(app.slice == 4);
  ViewInput drag;
  drag.mouse = {at.x, bar.y + 1};
  drag.stroking = true;
  applyViewInput(app, drag);
  CHECK(app.slice == 0);
  CHECK(app.measurements.empty());
}

TEST_CASE("layout keys switch layouts; each reformatted pane zooms on its own") {
  AppState app = appWithVolume(ViewLayout::Single);
  ViewInput key;
  applyCommand(key, Command::LayoutTwoByTwo);
  applyViewInput(app, key);
  CHECK(app.multiplanar.layout == ViewLayout::TwoByTwo);
  layoutViewPanes(app, {10, 10}, false);
  fitToView(app);
  fitReformatPanes(app);
  const ViewPane coronal = app.panes[2];
  const double mainZoom = app.view.pixelsPerMm, before = paneView(app, coronal).pixelsPerMm;
  const Point2 at{coronal.rect.x + 20, coronal.rect.y + 20};
  layoutViewPanes(app, at, false);
  ViewInput zoom;
  zoom.mouse = at;
  zoom.mouseInView = true;
  zoom.ctrl = true;
  zoom.wheel = 1;
  applyViewInput(app, zoom);
  CHECK(paneView(app, coronal).pixelsPerMm == Approx(before * 1.2));
  CHECK(app.view.pixelsPerMm == mainZoom);
}

TEST_CASE("keymap: defaults, Shift falls back, rebinding takes a key from its old command") {
  Keymap k = defaultKeymap();
  CHECK(commandForChord(k, {264}) == Command::NextSlice);          // Down
  CHECK(commandForChord(k, {'Z', true}) == Command::Undo);
  CHECK(commandForChord(k, {'Z', true, true}) == Command::Redo);
  CHECK(commandForChord(k, {'/', false, true}) == Command::Help);  // '?'
  CHECK(commandForChord(k, {'C', false, true}) == Command::ToggleCrosshair);
  CHECK_FALSE(commandForChord(k, {'B', true}).has_value());        // Ctrl+B is not B

  CHECK_FALSE(rebind(k, Command::NextSlice, {'J'}).has_value());
  CHECK(commandForChord(k, {'J'}) == Command::NextSlice);
  CHECK_FALSE(commandForChord(k, {264}).has_value());  // Down no longer scrolls
  CHECK(rebind(k, Command::Undo, {'B'}) == Command::ToolBrush);
  CHECK(chordsOf(k, Command::ToolBrush).empty());
  CHECK(chordName({'Z', true, true}) == "Ctrl+Shift+Z");
  CHECK(chordName({267}) == "Page Down");
  CHECK(chordName({','}) == "Comma");
}

TEST_CASE("keymap text round-trips, and bad text is refused with the line") {
  Keymap k = defaultKeymap();
  rebind(k, Command::Invert, {'K', false, false, true});
  const auto parsed = parseKeymap(serializeKeymap(k));
  REQUIRE(parsed.ok());
  CHECK(commandForChord(parsed.value(), {'K', false, false, true}) == Command::Invert);
  CHECK_FALSE(commandForChord(parsed.value(), {'I'}).has_value());
  CHECK(commandForChord(parsed.value(), {','}) == Command::PreviousSegment);
  CHECK(parsed.value().bindings.size() == k.bindings.size());

  // A command left out keeps its default keys.
  const auto partial = parseKeymap("invert=K\n");
  REQUIRE(partial.ok());
  CHECK(commandForChord(partial.value(), {'K'}) == Command::Invert);
  CHECK(commandForChord(partial.value(), {'B'}) == Command::ToolBrush);

  const auto unknown = parseKeymap("invert=K\nteleport=J\n");
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().message == "shortcuts line 2: unknown command 'teleport'");
  const auto badKey = parseKeymap("undo=Ctrl+Banana");
  REQUIRE_FALSE(badKey.ok());
  CHECK(badKey.error().message == "shortcuts line 1: unknown key 'Ctrl+Banana'");
}

TEST_CASE("a shortcut is changed by pressing the new key; Esc cancels") {
  AppState app;
  app.rebindingCommand = static_cast<int>(Command::Fit);
  ViewInput in;
  in.capturedChord = KeyChord{'W'};
  applyViewInput(app, in);
  CHECK(app.rebindingCommand == -1);
  CHECK(commandForChord(app.keymap, {'W'}) == Command::Fit);
  CHECK(app.keymapVersion == 1);
  CHECK(app.keymapMessage == "W now fit the image to the view");
  app.rebindingCommand = static_cast<int>(Command::Fit);
  in.capturedChord = KeyChord{256};
  applyViewInput(app, in);
  CHECK(commandForChord(app.keymap, {'W'}) == Command::Fit);
  CHECK(app.keymapVersion == 1);
  CHECK(commandForChord(app.keymap, {256}) == Command::Discard);
}

TEST_CASE("1:1 (Z) shows one image pixel per screen pixel in the pane under the pointer") {
  AppState app = appWithVolume(ViewLayout::ThreePlanes);
  ViewInput in;
  applyCommand(in, Command::ActualPixels);
  applyViewInput(app, in);
  CHECK(app.view.pixelsPerMm == Approx(1 / 0.5));  // 0.5 mm columns
  const ViewPane coronal = app.panes[2];
  const Point2 at{coronal.rect.x + 5, coronal.rect.y + 5};
  layoutViewPanes(app, at, false);
  in.mouse = at;
  applyViewInput(app, in);
  CHECK(paneView(app, coronal).pixelsPerMm == Approx(1 / 0.5));
}
