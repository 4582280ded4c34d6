// Comparison of a restoration preview with its source: how the view area is
// split into panes and what each pane shows. Zoom, pan, slice and
// window/level are shared by every pane, so the views stay synchronised by
// construction; only the pane rectangles differ.
#pragma once

#include <optional>
#include <utility>
#include <vector>

#include "app/view.h"
#include "core/point2.h"

namespace ls {

enum class CompareMode { SideBySide, Swipe, Flicker, Difference };
enum class PaneImage { Source, Restored, Difference };

struct ViewPane {
  ScreenRect rect;
  PaneImage image = PaneImage::Source;
  // Swipe: the restored image is drawn right of this screen x (else < 0).
  double swipeX = -1;
  // Multiplanar layouts (see multiplanar.h): -1 is the main pane (the
  // acquired plane, AppState::view, every tool); >= 0 a reformatted pane with
  // its own zoom and pan. normalAxis: the voxel grid axis the plane holds fixed.
  int slot = -1;
  int normalAxis = 2;
};

struct ComparisonView {
  CompareMode mode = CompareMode::SideBySide;
  double swipe = 0.5;          // divider position across the pane, 0..1
  bool draggingSwipe = false;  // the divider is being dragged
  double flickerHz = 2;        // toggles per second
  double flickerElapsedMs = 0;
  bool flickerShowsRestored = false;
  float differenceRange = 0;   // modality units at full colour (0: 3 x noise sigma)
  bool showRisks = true;       // flagged regions and weakened details outlined
  bool promptOnRestored = false;  // the model sees the restored image (the last prompt was given there)
  // Noise measurement rectangle (image coordinates), drawn by the user.
  std::optional<std::pair<Point2, Point2>> noiseRoi;
  // Slider values being dragged (< 0: none); applied on release, since each
  // change restarts the restoration.
  float pendingSigma = -1, pendingStrength = -1;
};

// The banner shown above the panes for as long as a restoration is compared.
constexpr const char* kRestorationBanner =
    "Restoration preview — not for diagnosis; the source image is unchanged";

// The panes of the view area: one (source, swipe or flicker) or two side by side.
std::vector<ViewPane> layoutPanes(const ComparisonView& view, bool comparing, const ScreenRect& area);
// The pane under `point` (index into panes), or 0.
int paneAt(const std::vector<ViewPane>& panes, Point2 point);
// Whether a prompt at `point` in `pane` is given on the restored image.
bool promptsOnRestored(const ViewPane& pane, Point2 point);
// Advances the flicker; returns true when the shown image changed.
bool advanceFlicker(ComparisonView& view, double elapsedMs);

}  // namespace ls
