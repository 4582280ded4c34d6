// Undo/redo with run-length encoded XOR diffs: correctness and the memory
// bound (100 steps of a 512 x 512 x 300 label volume well within 100 MB).
#include <catch2/catch.hpp>

#include <algorithm>

#include "segment/brush.h"
#include "segment/edit_history.h"

using namespace ls;

namespace {
void paintDisc(LabelVolume& labels, int slice, int cx, int cy, int radius, std::uint8_t value) {
  for (int y = 0; y < labels.rows; ++y) {
    for (int x = 0; x < labels.columns; ++x) {
      if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= radius * radius) {
        labels.slice(slice)[y * labels.columns + x] = value;
      }
    }
  }
}
}  // namespace

TEST_CASE("undo and redo restore exactly the previous and next labels") {
  LabelVolume labels;
  labels.reset(32, 16, 3);
  EditHistory history;
  const auto empty = labels.labels;

  history.begin(labels, 1);
  paintDisc(labels, 1, 10, 8, 4, 1);
  history.commit(labels, "disc");
  const auto oneDisc = labels.labels;

  history.begin(labels, 1);
  paintDisc(labels, 1, 12, 8, 3, 2);  // overlaps the first
  history.commit(labels, "second disc");
  const auto twoDiscs = labels.labels;

  CHECK(history.undo(labels) == "second disc");
  CHECK(labels.labels == oneDisc);
  CHECK(history.undo(labels) == "disc");
  CHECK(labels.labels == empty);
  CHECK(history.undo(labels).empty());
  CHECK(history.redo(labels) == "disc");
  CHECK(history.redo(labels) == "second disc");
  CHECK(labels.labels == twoDiscs);
  CHECK_FALSE(history.canRedo());

  // A new edit after an undo drops the redo branch.
  history.undo(labels);
  history.begin(labels, 0);
  paintDisc(labels, 0, 5, 5, 2, 1);
  history.commit(labels, "other");
  CHECK_FALSE(history.canRedo());
  CHECK(history.steps() == 2);

  // An edit that changes nothing is not a step.
  history.begin(labels, 2);
  history.commit(labels, "nothing");
  CHECK(history.steps() == 2);
}

TEST_CASE("100 steps on a 512 x 512 x 300 volume stay far below 100 MB") {
  LabelVolume labels;
  labels.reset(512, 512, 300);
  EditHistory history(100u << 20);
  for (int step = 0; step < 100; ++step) {
    const int slice = (step * 7) % 300;
    history.begin(labels, slice);
    paintDisc(labels, slice, 100 + step, 200, 60, 1);
    history.commit(labels, "step");
  }
  CHECK(history.steps() == 100);
  CHECK(history.bytes() < (1u << 20));  // well under a megabyte (a full copy would be 75 MB)
  for (int step = 0; step < 100; ++step) REQUIRE_FALSE(history.undo(labels).empty());
  CHECK(std::all_of(labels.labels.begin(), labels.labels.end(), [](std::uint8_t v) { return v == 0; }));
}

TEST_CASE("the oldest steps are forgotten beyond the budget") {
  LabelVolume labels;
  labels.reset(64, 64, 1);
  EditHistory history(2000);  // a tiny budget
  for (int step = 0; step < 50; ++step) {
    history.begin(labels, 0);
    labels.slice(0)[step * 64 + step % 7] ^= 1;
    history.commit(labels, "toggle");
  }
  CHECK(history.bytes() <= 2000);
  CHECK(history.steps() < 50);
  CHECK(history.canUndo());
}

#include "app/view_input.h"
#include "test_support.h"

TEST_CASE("brush discs are round in millimetres; a stroke is one undo step") {
  LabelVolume labels;
  labels.reset(40, 40, 1);
  BrushShape shape{2.0, 0.5, 1.0};  // 2 mm: 4 pixels across columns, 2 along rows
  CHECK(paintDisc(labels, 0, {20, 20}, shape, 1) > 0);
  CHECK(labels.slice(0)[20 * 40 + 23] == 1);  // 3.5 px = 1.75 mm to the right
  CHECK(labels.slice(0)[20 * 40 + 25] == 0);  // 5.5 px = 2.75 mm
  CHECK(labels.slice(0)[21 * 40 + 20] == 1);  // 1.5 mm down
  CHECK(labels.slice(0)[22 * 40 + 20] == 0);  // 2.5 mm down

  AppState app;
  test::showBlankVolume(app, 40, 40, 1, {0, 0, 40, 40});  // 1 screen pixel per image pixel
  app.tool = Tool::Brush;
  app.brushRadiusMm = 1.5;
  ViewInput in;
  in.strokeStart = Point2{5, 5};
  in.stroking = true;
  in.mouse = {5, 5};
  applyViewInput(app, in);
  for (double x = 6; x <= 30; x += 3) {
    ViewInput move;
    move.stroking = true;
    move.mouse = {x, 5};
    applyViewInput(app, move);
  }
  ViewInput end;
  end.strokeEnd = true;
  end.mouse = {30, 5};
  applyViewInput(app, end);
  // A continuous line from x = 5 to 30 along row 4.
  for (int x = 5; x < 30; ++x) CHECK(app.labels.slice(0)[4 * 40 + x] == 1);
  CHECK(app.history.steps() == 1);
  CHECK(app.labelledVoxels > 25);
  const int version = app.annotationVersion;

  ViewInput eraser;
  eraser.tool = static_cast<int>(Tool::Eraser);
  eraser.strokeStart = Point2{10, 5};
  eraser.strokeEnd = true;
  eraser.mouse = {10, 5};
  applyViewInput(app, eraser);
  CHECK(app.labels.slice(0)[4 * 40 + 10] == 0);
  CHECK(app.history.steps() == 2);
  CHECK(app.annotationVersion > version);

  ViewInput undo;
  undo.undo = true;
  applyViewInput(app, undo);
  CHECK(app.labels.slice(0)[4 * 40 + 10] == 1);
}

TEST_CASE("the slices an edit, undo or redo changed are handed out once") {
  LabelVolume labels;
  labels.reset(4, 4, 5);
  EditHistory history;
  CHECK_FALSE(history.takeChangedSlices());  // nothing known yet
  history.begin(labels, std::vector<int>{1, 3});
  labels.slice(3)[5] = 2;  // slice 1 snapshotted but left as it was
  history.commit(labels, "paint");
  auto changed = history.takeChangedSlices();
  REQUIRE(changed);
  CHECK(*changed == std::vector<int>{3});
  CHECK_FALSE(history.takeChangedSlices());  // once
  history.undo(labels);
  CHECK(history.takeChangedSlices() == std::optional<std::vector<int>>(std::vector<int>{3}));
  history.redo(labels);
  CHECK(history.takeChangedSlices() == std::optional<std::vector<int>>(std::vector<int>{3}));
  history.undo(labels);
  history.clear();  // labels may be replaced wholesale after a clear: unknown
  CHECK_FALSE(history.takeChangedSlices());
}
