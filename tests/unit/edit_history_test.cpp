// Undo/redo with run-length encoded XOR diffs: correctness and the memory
// bound (100 steps of a 512 x 512 x 300 label volume well within 100 MB).
#include <catch2/catch.hpp>

#include <algorithm>

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
