// ViewInput: one frame of pointer and keyboard input over the slice view, in
// framebuffer pixels, and how it changes the AppState. Conventions follow
// established viewers: wheel scrolls slices (down = next), Ctrl+wheel zooms
// around the cursor, right-drag windows, middle-drag or Shift+left-drag pans,
// arrow keys step slices, F fits, +/- zoom.
#pragma once

#include "app/app_state.h"

namespace ls {

struct ViewInput {
  Point2 mouse;
  bool mouseInView = false;  // over the view and not captured by a panel
  double wheel = 0;          // positive = away from the user
  bool ctrl = false, shift = false;
  bool rightDragging = false, panDragging = false;
  Point2 dragDelta;          // mouse movement this frame while dragging
  int sliceSteps = 0;        // from the keyboard: +1 next, -1 previous
  int zoomSteps = 0;         // from the keyboard: +1 in, -1 out
  bool fit = false;
};

void applyViewInput(AppState& app, const ViewInput& input);

}  // namespace ls
