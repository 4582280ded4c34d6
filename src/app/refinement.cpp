#include "app/refinement.h"

#include <algorithm>
#include <cstdio>

#include "app/app_state.h"
#include "ml/mask_output.h"
#include "segment/mask_geometry.h"

namespace ls {

namespace {

void prompt(AppState& app, const std::vector<std::uint8_t>& mask, std::vector<float> lowRes) {
  const auto& g = app.volume->geometry;
  app.refinement.previous = mask;
  app.prompts->seed(maskBoundingBox(mask, g.columns, g.rows), {{deepestPoint(mask, g.columns, g.rows), true}},
                    std::move(lowRes));
}

void finish(AppState& app, const std::string& why) {
  app.refinement.running = false;
  app.refinement.status = why;
}

}  // namespace

void startRefinement(AppState& app, int rounds) {
  Refinement& r = app.refinement;
  if (r.running || !app.volume) return;
  PromptSession* session = app.prompts.get();
  if (!session || !session->hasModel()) {
    r.status = "refinement needs a model";
    return;
  }
  CurrentMask start = currentMask(app);
  std::vector<std::uint8_t>& mask = start.mask;
  if (maskArea(mask) == 0) {
    r.status = "nothing to refine: segment or accept a mask on this slice first";
    return;
  }
  r.running = true;
  r.round = 1;
  r.rounds = rounds;
  r.slice = app.slice;
  r.status = "refining";
  prompt(app, mask, std::move(start.lowRes));
}

void advanceRefinement(AppState& app) {
  Refinement& r = app.refinement;
  if (!r.running || !app.prompts) return;
  if (app.slice != r.slice || !app.prompts->hasPrompts()) {
    finish(app, "refinement stopped");  // scrolled away or discarded
    return;
  }
  if (!app.prompts->lastError().empty()) {
    finish(app, "refinement stopped: " + app.prompts->lastError());
    return;
  }
  if (!app.prompts->resultReady()) return;
  const MaskCandidate* result = app.prompts->selectedCandidate();
  const double change = maskIou(result->mask, r.previous);
  char text[96];
  std::snprintf(text, sizeof text, "round %d of %d: IoU with the previous mask %.3f", r.round, r.rounds, change);
  if (change >= kRefineStableIou) {
    finish(app, std::string(text) + "; stable. Enter accepts.");
  } else if (r.round >= r.rounds) {
    finish(app, std::string(text) + "; last round. Enter accepts.");
  } else {
    r.status = text;
    ++r.round;
    prompt(app, result->mask, result->lowRes);
  }
}

}  // namespace ls
