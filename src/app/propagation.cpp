#include "app/propagation.h"

#include <algorithm>
#include <cstddef>

#include "app/app_state.h"
#include "ml/mask_output.h"
#include "segment/mask_geometry.h"

namespace ls {

namespace {

// Prompts the model on the next slice in the current direction, or stops.
void stepTo(AppState& app, int slice) {
  Propagation& p = app.propagation;
  if (slice < 0 || slice >= app.volume->geometry.slices) {
    stopPropagation(app, "reached the end of the series");
    return;
  }
  p.targetSlice = slice;
  app.slice = slice;
  syncPromptImage(app);
  const auto& g = app.volume->geometry;
  app.prompts->seed(maskBoundingBox(p.previousMask, g.columns, g.rows),
                    {{deepestPoint(p.previousMask, g.columns, g.rows), true}}, p.previousLowRes);
}

}  // namespace

void startPropagation(AppState& app, int direction) {
  Propagation& p = app.propagation;
  if (p.running || !app.volume) return;
  PromptSession* session = app.prompts.get();
  if (!session || !session->hasModel()) {
    p.status = "propagation needs a model";
    return;
  }
  CurrentMask start = currentMask(app);
  if (start.fromPreview) acceptMask(app);
  p.startMask = std::move(start.mask);
  p.startLowRes = std::move(start.lowRes);
  p.startArea = maskArea(p.startMask);
  if (p.startArea == 0) {
    p.status = "nothing to propagate: segment or accept a mask on this slice first";
    return;
  }
  p.running = true;
  p.historyBefore = p.historyAfter = app.history.doneSteps();
  p.bothWays = direction == 0;
  p.direction = direction < 0 ? -1 : 1;
  p.startSlice = app.slice;
  p.slicesDone = 0;
  p.previousMask = p.startMask, p.previousLowRes = p.startLowRes, p.previousArea = p.startArea;
  p.status = "propagating";
  stepTo(app, p.startSlice + p.direction);
}

void stopPropagation(AppState& app, const std::string& why) {
  Propagation& p = app.propagation;
  if (!p.running) return;
  if (p.bothWays && why != "stopped by the user") {
    // The other direction, from the start slice's mask.
    p.bothWays = false;
    p.direction = -p.direction;
    p.previousMask = p.startMask, p.previousLowRes = p.startLowRes, p.previousArea = p.startArea;
    stepTo(app, p.startSlice + p.direction);
    return;
  }
  p.running = false;
  p.historyAfter = app.history.doneSteps();
  if (app.prompts) app.prompts->clearPrompts();
  p.status = std::to_string(p.slicesDone) + " slices propagated; " + why;
}

int undoablePropagationSteps(const AppState& app) {
  const Propagation& p = app.propagation;
  if (p.running || app.history.doneSteps() != p.historyAfter || p.historyAfter <= p.historyBefore) return 0;
  return static_cast<int>(p.historyAfter - p.historyBefore);
}

int undoPropagation(AppState& app) {
  const int steps = undoablePropagationSteps(app);
  if (steps == 0) return 0;
  app.propagation.historyAfter = app.propagation.historyBefore;
  app.propagation.status = std::to_string(steps) + " propagated slices undone";
  return undoEdits(app, steps);
}

void advancePropagation(AppState& app) {
  Propagation& p = app.propagation;
  if (!p.running || !app.volume || !app.prompts) return;
  if (app.slice != p.targetSlice) {
    stopPropagation(app, "stopped by the user");  // scrolled away
    return;
  }
  PromptSession& session = *app.prompts;
  if (!session.lastError().empty()) {
    stopPropagation(app, "stopped: " + session.lastError());
    return;
  }
  if (!session.resultReady()) return;
  const MaskCandidate* best = session.selectedCandidate();
  const int slice = p.targetSlice;
  const char* stop = nullptr;
  if (best->area == 0) stop = "the structure ends (empty mask)";
  else if (best->predictedIou < kPropagationMinIou) stop = "the structure ends (low predicted IoU)";
  else if (best->area < kPropagationMinAreaRatio * p.previousArea) stop = "the structure ends (area collapses)";
  else if (best->area > kPropagationMaxAreaRatio * p.previousArea) stop = "stopped: area grows too fast (a leak?)";
  if (stop) {
    stopPropagation(app, std::string(stop) + " at slice " + std::to_string(slice + 1));
    return;
  }
  p.previousMask = best->mask;
  p.previousLowRes = best->lowRes;
  p.previousArea = best->area;
  acceptMask(app);  // one undo step for this slice
  ++p.slicesDone;
  stepTo(app, slice + p.direction);
}

}  // namespace ls
