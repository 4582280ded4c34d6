#include "app/comparison.h"

#include <algorithm>

namespace ls {

std::vector<ViewPane> layoutPanes(const ComparisonView& view, bool comparing, const ScreenRect& area) {
  if (!comparing) return {{area, PaneImage::Source}};
  switch (view.mode) {
    case CompareMode::SideBySide:
    case CompareMode::Difference: {
      const double half = area.width / 2;
      ScreenRect left{area.x, area.y, half - 1, area.height};
      ScreenRect right{area.x + half + 1, area.y, half - 1, area.height};
      return {{left, PaneImage::Source},
              {right, view.mode == CompareMode::Difference ? PaneImage::Difference : PaneImage::Restored}};
    }
    case CompareMode::Swipe:
      return {{area, PaneImage::Source, area.x + std::clamp(view.swipe, 0.0, 1.0) * area.width}};
    case CompareMode::Flicker:
      return {{area, view.flickerShowsRestored ? PaneImage::Restored : PaneImage::Source}};
  }
  return {{area, PaneImage::Source}};
}

int paneAt(const std::vector<ViewPane>& panes, Point2 point) {
  for (std::size_t i = 0; i < panes.size(); ++i) {
    if (panes[i].rect.contains(point.x, point.y)) return static_cast<int>(i);
  }
  return 0;
}

bool promptsOnRestored(const ViewPane& pane, Point2 point) {
  if (pane.swipeX >= 0) return point.x >= pane.swipeX;
  return pane.image == PaneImage::Restored;
}

bool advanceFlicker(ComparisonView& view, double elapsedMs) {
  if (view.mode != CompareMode::Flicker || view.flickerHz <= 0) return false;
  view.flickerElapsedMs += elapsedMs;
  const double period = 1000.0 / view.flickerHz;
  if (view.flickerElapsedMs < period) return false;
  view.flickerElapsedMs = 0;
  view.flickerShowsRestored = !view.flickerShowsRestored;
  return true;
}

}  // namespace ls
