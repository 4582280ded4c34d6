#include "app/view_input.h"

#include <cmath>

namespace ls {

namespace {
constexpr double kZoomStep = 1.2;
}

void applyViewInput(AppState& app, const ViewInput& in) {
  if (!app.volume) return;
  if (in.mouseInView && in.wheel != 0) {
    if (in.ctrl) {
      app.view = zoomAround(app.view, app.viewRect, in.mouse, std::pow(kZoomStep, in.wheel > 0 ? 1 : -1));
    } else {
      scrollSlices(app, in.wheel > 0 ? -1 : 1);
    }
  }
  if (in.rightDragging) dragWindow(app, in.dragDelta.x, in.dragDelta.y);
  if (in.panDragging) {
    app.view.panX += in.dragDelta.x;
    app.view.panY += in.dragDelta.y;
  }
  scrollSlices(app, in.sliceSteps);
  if (in.zoomSteps != 0) {
    const Point2 centre{app.viewRect.x + app.viewRect.width / 2, app.viewRect.y + app.viewRect.height / 2};
    app.view = zoomAround(app.view, app.viewRect, in.mouseInView ? in.mouse : centre,
                          std::pow(kZoomStep, in.zoomSteps));
  }
  if (in.fit) fitToView(app);
  updateCursor(app, in.mouse);
}

}  // namespace ls
