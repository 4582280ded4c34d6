// Propagation: carries the current slice's mask of the active segment to the
// neighbouring slices with the model. Each next slice is prompted from the
// previous slice's result: a box around it, its deepest interior point and its
// low-resolution logits as mask_input. It stops by itself where the structure
// ends (empty mask, low predicted IoU, area collapsing or exploding against
// the previous slice) or at the end of the series; the user can stop it.
// Every propagated slice is one undo step.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ls {

struct AppState;

struct Propagation {
  bool running = false;
  int direction = 1;      // +1: towards higher slice numbers
  bool bothWays = false;  // after the first direction stops, the other one from the start slice
  int startSlice = 0, targetSlice = -1;
  int slicesDone = 0;
  // The edit history before the first propagated slice and after the last:
  // while nothing else was edited since, the whole run can be undone at once.
  std::size_t historyBefore = 0, historyAfter = 0;
  std::string status;     // what it did / why it stopped, for the panel
  // The last accepted slice's result (the next slice's prompt) and the start slice's.
  std::vector<std::uint8_t> previousMask, startMask;
  std::vector<float> previousLowRes, startLowRes;
  int previousArea = 0, startArea = 0;
};

// Thresholds of the automatic stop.
constexpr float kPropagationMinIou = 0.5f;
constexpr double kPropagationMinAreaRatio = 0.3, kPropagationMaxAreaRatio = 2.5;

// direction: +1, -1, or 0 for both ways. Starts from the selected mask
// candidate (accepted first) or else the active segment on the current slice;
// says why not if there is neither or no model.
void startPropagation(AppState& app, int direction);
void stopPropagation(AppState& app, const std::string& why);
// The last propagation as one action: its slices' undo steps, while nothing
// was edited after it (0 otherwise), and undoing them all at once.
int undoablePropagationSteps(const AppState& app);
int undoPropagation(AppState& app);
// Call once per frame (after the prompt session's results came in).
void advancePropagation(AppState& app);

}  // namespace ls
