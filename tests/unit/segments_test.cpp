// Segments: the list, the paint rules (active segment, locks, eraser), the
// colour table, deletion as one undoable step, and saving with the annotation.
#include <catch2/catch.hpp>

#include "app/app_state.h"
#include "io/label_storage.h"
#include "segment/brush.h"
#include "segment/segments.h"
#include "test_support.h"

using namespace ls;

TEST_CASE("segments: add takes the lowest free label, remove keeps one") {
  SegmentList list;
  REQUIRE(list.all().size() == 1);
  CHECK(list.active().label == 1);
  CHECK(list.active().name == "Segment 1");
  list.add();
  list.add();
  CHECK(list.active().label == 3);
  CHECK(list.remove(1) == 2);
  list.add();
  CHECK(list.active().label == 2);  // reused
  CHECK_FALSE(list.all()[0].colour == list.all()[1].colour);
  while (list.all().size() > 1) list.remove(0);
  CHECK(list.remove(0) == 0);  // never empty
  for (int i = 0; i < 300; ++i) list.add();
  CHECK(list.all().size() == 255);
  CHECK(list.add() == nullptr);
}

TEST_CASE("segments: painting respects locks, erasing touches only the active segment") {
  SegmentList list;
  list.add();  // label 2, active
  LabelVolume labels;
  labels.reset(4, 1, 1);
  labels.slice(0)[0] = 1;
  labels.slice(0)[1] = 2;
  const std::vector<std::uint8_t> all(4, 1);

  list.at(0).locked = true;  // segment 1 locked
  CHECK(commitMask(labels, 0, all, list.paintRule()) == 2);
  CHECK(labels.labels == std::vector<std::uint8_t>{1, 2, 2, 2});

  list.setActive(0);  // the locked one is active: nothing happens
  CHECK(commitMask(labels, 0, all, list.paintRule()) == 0);
  CHECK(commitMask(labels, 0, all, list.eraseRule()) == 0);
  list.at(0).locked = false;
  CHECK(commitMask(labels, 0, all, list.eraseRule()) == 1);  // only segment 1's voxel
  CHECK(labels.labels == std::vector<std::uint8_t>{0, 2, 2, 2});

  BrushShape shape{1.0, 1.0, 1.0};
  CHECK(paintDisc(labels, 0, {0.5, 0.5}, shape, list.paintRule()) == 2);  // pixels 0 and 1
  CHECK(labels.labels == std::vector<std::uint8_t>{1, 1, 2, 2});
}

TEST_CASE("segments: the colour table hides invisible segments and strengthens the highlighted one") {
  SegmentList list;
  list.add();
  list.at(0).opacity = 0.4f;
  list.at(1).visible = false;
  auto table = list.colourTable();
  CHECK(table[1 * 4 + 3] == 102);
  CHECK(table[2 * 4 + 3] == 0);
  CHECK(table[3 * 4 + 3] == 0);  // unused label
  CHECK(table[1 * 4 + 0] == list.at(0).colour.r);
  CHECK(list.colourTable(1)[1 * 4 + 3] > 102);
}

TEST_CASE("deleting a segment clears its voxels in one undo step; undo brings the segment back") {
  AppState app;
  test::showBlankVolume(app, 6, 5, 4, ScreenRect{0, 0, 100, 100});
  addSegment(app);  // label 2 active
  app.labels.slice(0)[3] = 2;
  app.labels.slice(3)[7] = 2;
  app.labels.slice(2)[1] = 1;
  afterHistoryChange(app);
  REQUIRE(app.voxelsPerLabel[2] == 2);
  app.segments.at(1).name = "Liver";

  deleteSegment(app, 1);
  CHECK(app.segments.all().size() == 1);
  CHECK(app.voxelsPerLabel[2] == 0);
  CHECK(app.labels.slice(2)[1] == 1);  // other segments untouched
  CHECK(app.history.steps() == 1);

  REQUIRE(undoEdit(app));
  CHECK(app.labels.slice(0)[3] == 2);
  CHECK(app.labels.slice(3)[7] == 2);
  REQUIRE(app.segments.find(2));
  CHECK(app.segments.find(2)->name == "Liver");
  REQUIRE(redoEdit(app));
  CHECK(app.voxelsPerLabel[2] == 0);
}

TEST_CASE("segments are saved with the annotation and restored") {
  LabelVolume labels;
  labels.reset(3, 2, 2);
  labels.slice(1)[4] = 2;
  SegmentList list;
  list.add();
  list.at(1).name = "Tumour";
  list.at(1).locked = true;
  list.at(1).opacity = 0.8f;
  list.at(0).visible = false;
  list.at(0).modelAssisted = true;
  auto bytes = serializeAnnotation(labels, list);
  auto back = deserializeAnnotation(bytes.data(), bytes.size(), 3, 2, 2);
  REQUIRE(back.ok());
  CHECK(back.value().labels.labels == labels.labels);
  REQUIRE(back.value().segments.size() == 2);
  CHECK(back.value().segments[1].name == "Tumour");
  CHECK(back.value().segments[1].locked);
  CHECK(back.value().segments[1].opacity == Approx(0.8f).margin(0.01));
  CHECK_FALSE(back.value().segments[0].visible);
  CHECK(back.value().segments[0].modelAssisted);
  CHECK_FALSE(back.value().segments[1].modelAssisted);
  CHECK(back.value().activeSegment == 1);
  auto cut = deserializeAnnotation(bytes.data(), 30, 3, 2, 2);
  CHECK_FALSE(cut.ok());
}
