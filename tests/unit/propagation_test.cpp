// Propagation and refinement against a fake backend: each next slice (or
// round) is prompted from the previous result (box, interior point, its
// logits as mask_input); every propagated slice is one undo step; propagation
// stops where the structure ends, refinement when the mask stops changing.
#include <catch2/catch.hpp>

#include <algorithm>

#include "app/app_state.h"
#include "ml/fake_backend.h"
#include "test_support.h"

using namespace ls;

namespace {

// A 16 x 16 x 6 volume and a model whose input is the image size (16) with
// 16 x 16 low-res masks, so logits map 1:1 to pixels.
struct World {
  FakeBackend backend;
  AppState app;
  std::vector<int> areaPerSlice = {0, 36, 36, 25, 36, 2};  // the structure's square per slice (side^2)

  World() {
    test::showBlankVolume(app, 16, 16, 6, ScreenRect{0, 0, 100, 100});
    test::attachFakeModel(app, backend);
    app.slice = 2;
    syncPromptImage(app);
  }
  // Answers what the session asks for until propagation settles.
  void run(int maxRounds = 50) {
    for (int round = 0; round < maxRounds && (app.propagation.running || app.refinement.running); ++round) {
      app.prompts->update();
      if (!backend.encodes.empty()) {
        EncodeResult e;
        e.id = backend.encodes.back().id;
        e.embedding = std::make_shared<const std::vector<float>>(4, 0.f);
        backend.encodes.clear();
        app.prompts->onEncoded(e);
        continue;
      }
      if (!backend.decodes.empty()) {
        const DecodeRequest request = backend.decodes.back();
        backend.decodes.clear();
        requests.push_back(request);
        app.prompts->onDecoded(squareOn(request, app.slice));
        continue;
      }
      advancePropagation(app);
      advanceRefinement(app);
    }
  }
  // One mask: a square of the slice's area at the top-left corner (4, 4).
  DecodeResult squareOn(const DecodeRequest& request, int slice) {
    DecodeResult r;
    r.id = request.id;
    r.iouPredictions = {0.9f};
    const int side = static_cast<int>(std::sqrt(areaPerSlice[slice]));
    for (int y = 0; y < 16; ++y) {
      for (int x = 0; x < 16; ++x) r.lowResMasks.push_back(x >= 4 && x < 4 + side && y >= 4 && y < 4 + side ? 9.f : -9.f);
    }
    return r;
  }
  std::vector<DecodeRequest> requests;
};

std::size_t onSlice(const AppState& app, int slice, std::uint8_t label) {
  return std::count(app.labels.slice(slice), app.labels.slice(slice) + 256, label);
}

}  // namespace

TEST_CASE("propagation carries the mask both ways and stops where the structure ends") {
  World w;
  for (int y = 4; y < 10; ++y) {
    for (int x = 4; x < 10; ++x) w.app.labels.slice(2)[y * 16 + x] = 1;  // the start: a 6 x 6 square
  }
  afterHistoryChange(w.app);
  startPropagation(w.app, 0);
  REQUIRE(w.app.propagation.running);
  w.run();
  CHECK_FALSE(w.app.propagation.running);
  // Forward: slice 3 (25 px, > 0.3 x 36) and 4 (36) accepted; slice 5 (2 px) collapses.
  CHECK(onSlice(w.app, 3, 1) == 25);
  CHECK(onSlice(w.app, 4, 1) == 36);
  CHECK(onSlice(w.app, 5, 1) == 0);
  // Backward: slice 1 accepted, slice 0 empty: the structure ends.
  CHECK(onSlice(w.app, 1, 1) == 36);
  CHECK(onSlice(w.app, 0, 1) == 0);
  CHECK(w.app.propagation.slicesDone == 3);
  CHECK_THAT(w.app.propagation.status, Catch::Contains("3 slices propagated"));
  CHECK_THAT(w.app.propagation.status, Catch::Contains("structure ends"));

  // The first propagated slice was prompted from the start mask: a box around
  // it, an interior point, and its logits as mask_input.
  const DecodeRequest& first = w.requests.front();
  REQUIRE(first.pointLabels.size() == 3);  // point, box corners
  CHECK(first.pointLabels[0] == 1.f);
  CHECK(first.pointLabels[1] == 2.f);
  CHECK(first.pointLabels[2] == 3.f);
  CHECK(first.pointCoords[0] > 4.f);
  CHECK(first.pointCoords[0] < 10.f);
  CHECK(first.hasMaskInput);
  CHECK(first.maskInput[6 * 16 + 6] > 0.f);
  CHECK(first.maskInput[12 * 16 + 12] < 0.f);

  // Each propagated slice is one undo step.
  const std::size_t labelledAfter = w.app.labelledVoxels;
  CHECK(undoablePropagationSteps(w.app) == 3);
  REQUIRE(undoEdit(w.app));
  CHECK(onSlice(w.app, 1, 1) == 0);
  CHECK(onSlice(w.app, 4, 1) == 36);
  CHECK(undoablePropagationSteps(w.app) == 0);  // the history moved: no longer one action
  REQUIRE(redoEdit(w.app));
  CHECK(w.app.labelledVoxels == labelledAfter);

  // The whole run as one action: every propagated slice goes, the start slice stays.
  CHECK(undoPropagation(w.app) == 3);
  CHECK(onSlice(w.app, 1, 1) == 0);
  CHECK(onSlice(w.app, 3, 1) == 0);
  CHECK(onSlice(w.app, 4, 1) == 0);
  CHECK(onSlice(w.app, 2, 1) == 36);
  CHECK(w.app.labelledVoxels == 36);  // counts follow a batch undo
  CHECK(undoablePropagationSteps(w.app) == 0);
}

TEST_CASE("propagation needs something to propagate, and stops when the user scrolls away") {
  World w;
  startPropagation(w.app, 1);
  CHECK_FALSE(w.app.propagation.running);
  CHECK_THAT(w.app.propagation.status, Catch::Contains("nothing to propagate"));

  w.app.labels.slice(2)[5 * 16 + 5] = 1;
  startPropagation(w.app, 1);
  REQUIRE(w.app.propagation.running);
  CHECK(w.app.slice == 3);
  w.app.slice = 0;
  advancePropagation(w.app);
  CHECK_FALSE(w.app.propagation.running);
  CHECK_THAT(w.app.propagation.status, Catch::Contains("stopped by the user"));
}

TEST_CASE("refinement feeds the mask back until it stops changing") {
  World w;
  for (int y = 4; y < 9; ++y) {
    for (int x = 4; x < 9; ++x) w.app.labels.slice(2)[y * 16 + x] = 1;  // a brushed 5 x 5 square
  }
  startRefinement(w.app, 5);
  REQUIRE(w.app.refinement.running);
  w.run();
  CHECK_FALSE(w.app.refinement.running);
  // The model answers a 6 x 6 square: round 1 changes the mask, round 2 does not.
  CHECK(w.app.refinement.round == 2);
  CHECK_THAT(w.app.refinement.status, Catch::Contains("stable"));
  REQUIRE(w.requests.size() == 2);
  CHECK(w.requests[0].hasMaskInput);
  CHECK(w.requests[0].maskInput[6 * 16 + 6] > 0.f);
  CHECK(w.requests[1].maskInput[9 * 16 + 9] > 0.f);  // round 2 is prompted with round 1's 6 x 6 result
  REQUIRE(w.app.prompts->selectedCandidate());
  CHECK(w.app.prompts->selectedCandidate()->area == 36);
  CHECK(onSlice(w.app, 2, 1) == 25);  // nothing committed until the user accepts
}
