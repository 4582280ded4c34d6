// ViewInput: one frame of pointer and keyboard input over the slice view, in
// framebuffer pixels, and how it changes the AppState. Conventions follow
// established viewers: wheel scrolls slices (down = next), Ctrl+wheel zooms
// around the cursor, right-drag windows, middle-drag or Shift+left-drag pans,
// and the keys of the user's Keymap (defaults in keymap.cpp: arrows step
// slices, Page Up/Down jump a tenth, Home/End go to the ends, F fits, R resets,
// I inverts, +/- zoom, 1/2/3 pick the layout). With a model loaded, a left
// click adds an include point (Ctrl/Alt + click: exclude), a left drag draws a
// box (with the scribble tool, S, a drag is a scribble: points along it),
// Enter accepts the mask, Escape discards it; Ctrl+Z undoes, Ctrl+Y or
// Ctrl+Shift+Z redoes; N adds a segment, comma/period select the previous/next
// one (as ITK-SNAP's label keys). In a reformatted pane the same navigation
// moves that pane's plane, and a left press moves the crosshair.
#pragma once

#include <optional>
#include <utility>

#include "app/app_state.h"
#include "app/keymap.h"

namespace ls {

struct ViewInput {
  Point2 mouse;
  bool mouseInView = false;  // over the view and not captured by a panel
  double wheel = 0;          // positive = away from the user
  bool ctrl = false, shift = false;
  bool rightDragging = false, panDragging = false;
  Point2 dragDelta;          // mouse movement this frame while dragging
  int sliceSteps = 0;        // from the keyboard: +1 next, -1 previous
  int pageSteps = 0;         // Page Down / Page Up: a tenth of the series
  bool firstSlice = false, lastSlice = false;  // Home / End
  bool invert = false;       // I: toggle inversion
  bool reset = false;        // R: first preset, fitted view
  bool toggleCine = false;   // Space: play / pause cine
  int zoomSteps = 0;         // from the keyboard: +1 in, -1 out
  bool fit = false;
  bool actualPixels = false;  // Z: one image pixel per framebuffer (device) pixel
  // Prompts (screen coordinates); a click is a press and release that did not move.
  std::optional<Point2> click;
  bool clickExcludes = false;
  std::optional<std::pair<Point2, Point2>> boxDrawn;
  bool accept = false, discard = false;
  bool undo = false, redo = false;
  // Brush/eraser strokes (screen coordinates): a press, moves, a release.
  std::optional<Point2> strokeStart;
  bool stroking = false;  // left button still held after the start
  bool strokeEnd = false;
  int tool = -1;          // B / E / P keys: choose Tool (as int), -1 none
  int brushSteps = 0;     // ] / [ : grow / shrink the brush
  bool newSegment = false;  // N: add a segment (it becomes active)
  int segmentSteps = 0;     // . / , : next / previous segment
  bool toggleThresholds = false;  // T: compare the preview at 4 probability thresholds
  bool toggleHelp = false;        // ? or F1: the help overlay
  int layout = -1;                // 1 / 2 / 3: single view, three planes, 2x2 (ViewLayout as int)
  bool toggleCrosshair = false;   // Shift+C: show or hide the crosshair lines
  // The first key pressed while a shortcut is being changed (no command runs).
  std::optional<KeyChord> capturedChord;
};

void applyViewInput(AppState& app, const ViewInput& input);

}  // namespace ls
