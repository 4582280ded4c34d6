// Refinement by self-prompting (SAM-SP): the current mask is fed back as the
// next prompt (its low-resolution logits as mask_input, a box around it and
// its deepest interior point), round after round, until the mask stops
// changing (IoU with the previous round >= 0.98) or after a fixed number of
// rounds. Each round's result is shown as the preview; Enter accepts it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ls {

struct AppState;

struct Refinement {
  bool running = false;
  int round = 0, rounds = 5;
  int slice = -1;
  std::vector<std::uint8_t> previous;  // the mask the current round was prompted with
  std::string status;
};

constexpr double kRefineStableIou = 0.98;

// From the preview (selected candidate) or else the active segment's mask on
// this slice; says why not if there is neither or no model.
void startRefinement(AppState& app, int rounds = 5);
// Call once per frame.
void advanceRefinement(AppState& app);

}  // namespace ls
