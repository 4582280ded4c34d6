#include "app/view_input.h"

#include <algorithm>
#include <cmath>

namespace ls {

namespace {
constexpr double kZoomStep = 1.2;

// An angle: drag the first arm (to the vertex), then click where the second
// arm ends; until then the second arm follows the pointer.
template <typename ToImage>
void applyAngleInput(AppState& app, const ViewInput& in, const ToImage& toImage) {
  const bool open = !app.measurements.empty() && !app.measurements.back().complete;
  if (!open) {
    if (in.strokeStart) {
      const Point2 start = toImage(*in.strokeStart);
      LengthMeasurement m{app.slice, start, start, LengthMeasurement::Kind::Angle, start};
      m.complete = false;
      app.measurements.push_back(m);
    } else {
      return;
    }
  }
  LengthMeasurement& m = app.measurements.back();
  if (open && in.strokeStart) {  // the click that ends the second arm
    m.c = toImage(*in.strokeStart);
    m.complete = true;
    measurementsEdited(app);
    return;
  }
  if (in.stroking || in.strokeEnd) {  // still dragging the first arm
    m.b = m.c = toImage(in.mouse);
    if (in.strokeEnd && std::hypot(m.b.x - m.a.x, m.b.y - m.a.y) < 0.5) app.measurements.pop_back();  // a click
    return;
  }
  m.c = toImage(in.mouse);  // the second arm follows the pointer
}

// Keys that choose a tool, a brush size, a segment: the same in every pane.
void applyEditingKeys(AppState& app, const ViewInput& in) {
  if (in.tool >= 0) app.tool = static_cast<Tool>(in.tool);
  if (in.brushSteps != 0) app.brushRadiusMm = std::clamp(app.brushRadiusMm * std::pow(1.25, in.brushSteps), 0.5, 50.0);
  if (in.newSegment) addSegment(app);
  if (in.toggleThresholds) app.compareThresholds = !app.compareThresholds;
  if (in.segmentSteps != 0) {
    const int count = static_cast<int>(app.segments.all().size());
    app.segments.setActive(((app.segments.activeIndex() + in.segmentSteps) % count + count) % count);
  }
  if (in.layout >= 0) setViewLayout(app, static_cast<ViewLayout>(in.layout));
  if (in.toggleCrosshair) app.multiplanar.showCrosshair = !app.multiplanar.showCrosshair;
}

void applyBrushInput(AppState& app, const ViewInput& in) {
  if (app.tool == Tool::Prompt || app.tool == Tool::Scribble) return;
  const ImageExtent extent = imageExtent(*app.volume);
  auto toImage = [&](Point2 screen) { return screenToImage(app.view, app.viewRect, extent, screen); };
  if (app.tool == Tool::Angle) {
    applyAngleInput(app, in, toImage);
    return;
  }
  if (app.tool == Tool::Crosshair) {
    if ((in.strokeStart || in.stroking) && in.mouseInView) {
      const Point2 p = toImage(in.mouse);
      setCrosshair(app, {p.x, p.y, app.slice + 0.5});
    }
    return;
  }
  if (app.tool == Tool::Ruler || app.tool == Tool::EllipseRoi || app.tool == Tool::RectangleRoi) {
    // A drag from press to release is one measurement: a line or an ROI's box.
    const auto kind = app.tool == Tool::Ruler        ? LengthMeasurement::Kind::Length
                      : app.tool == Tool::EllipseRoi ? LengthMeasurement::Kind::Ellipse
                                                     : LengthMeasurement::Kind::Rectangle;
    if (in.strokeStart) {
      app.measurements.push_back({app.slice, toImage(*in.strokeStart), toImage(*in.strokeStart), kind});
    }
    if ((in.stroking || in.strokeEnd) && !app.measurements.empty()) app.measurements.back().b = toImage(in.mouse);
    if (in.strokeEnd && !app.measurements.empty()) {
      const auto& m = app.measurements.back();
      if (std::hypot(m.b.x - m.a.x, m.b.y - m.a.y) < 0.5) app.measurements.pop_back();  // a click, not a line
      else measurementsEdited(app);
    }
    return;
  }
  if (app.tool == Tool::NoiseRoi) {
    // A drag spans the rectangle where noise is measured on both images.
    auto& roi = app.comparison.noiseRoi;
    if (in.strokeStart) roi = std::make_pair(toImage(*in.strokeStart), toImage(*in.strokeStart));
    if ((in.stroking || in.strokeEnd) && roi) roi->second = toImage(in.mouse);
    return;
  }
  if (app.tool == Tool::Fill) {
    if (in.strokeStart) fillAt(app, toImage(*in.strokeStart));
    return;
  }
  if (app.tool == Tool::EraseOutsideBox) {
    // A drag from press to release spans the box; nothing changes before the release.
    if (in.strokeStart) app.eraseBox = std::make_pair(toImage(*in.strokeStart), toImage(*in.strokeStart));
    if ((in.stroking || in.strokeEnd) && app.eraseBox) app.eraseBox->second = toImage(in.mouse);
    if (in.strokeEnd && app.eraseBox) {
      eraseOutside(app, app.eraseBox->first, app.eraseBox->second);
      app.eraseBox.reset();
    }
    return;
  }
  if (in.strokeStart) beginStroke(app, toImage(*in.strokeStart));
  if (in.stroking || in.strokeEnd) extendStroke(app, toImage(in.mouse));
  if (in.strokeEnd) endStroke(app);
}

// The scribble tool: press, drag, release draws a stroke; on release it
// becomes prompts (PromptSession::addScribble). Ctrl at the press excludes.
template <typename ToImage>
void applyScribbleInput(AppState& app, PromptSession& session, const ViewInput& in, ToImage toImage,
                        const ImageExtent& extent) {
  auto clamp = [&](Point2 p) {
    return Point2{std::clamp(p.x, 0.0, extent.columns - 0.5), std::clamp(p.y, 0.0, extent.rows - 0.5)};
  };
  if (in.strokeStart) {
    app.scribble = {clamp(toImage(*in.strokeStart))};
    app.scribbleExcludes = in.ctrl;
  }
  if ((in.stroking || in.strokeEnd) && !app.scribble.empty()) {
    const Point2 p = clamp(toImage(in.mouse));
    if (std::hypot(p.x - app.scribble.back().x, p.y - app.scribble.back().y) >= 0.5) app.scribble.push_back(p);
  }
  if (in.strokeEnd && !app.scribble.empty()) {
    session.addScribble(app.scribble, !app.scribbleExcludes);
    app.scribble.clear();
  }
}

void applyPromptInput(AppState& app, const ViewInput& in) {
  // Comparing: a prompt on the restored image makes the model look at it.
  const bool scribbleStart = app.tool == Tool::Scribble && in.strokeStart;
  if (comparing(app) && ((app.tool == Tool::Prompt && (in.click || in.boxDrawn)) || scribbleStart)) {
    const Point2 at = in.click ? *in.click : in.boxDrawn ? in.boxDrawn->first : *in.strokeStart;
    app.comparison.promptOnRestored = promptsOnRestored(app.panes[paneAt(app.panes, at)], at);
  }
  syncPromptImage(app);
  PromptSession* session = app.prompts.get();
  if (!session || !session->hasModel()) return;
  const ImageExtent extent = imageExtent(*app.volume);
  auto toImage = [&](Point2 screen) { return screenToImage(app.view, app.viewRect, extent, screen); };
  auto onImage = [&](Point2 p) { return p.x >= 0 && p.y >= 0 && p.x < extent.columns && p.y < extent.rows; };
  if (app.tool == Tool::Scribble) {
    applyScribbleInput(app, *session, in, toImage, extent);
  } else if (app.tool != Tool::Prompt) {
    return;  // left presses paint instead
  }
  if (in.click && onImage(toImage(*in.click))) session->addPoint(toImage(*in.click), !in.clickExcludes);
  if (in.boxDrawn) {
    auto clamp = [&](Point2 p) {
      return Point2{std::clamp(p.x, 0.0, double(extent.columns)), std::clamp(p.y, 0.0, double(extent.rows))};
    };
    session->setBox(clamp(toImage(in.boxDrawn->first)), clamp(toImage(in.boxDrawn->second)));
  }
  if (in.accept) acceptMask(app);
  if (in.discard) discardMask(app);
}

// Swipe: a left drag that starts on the divider moves it; returns true while
// it does (the drag is then not a prompt or a stroke).
bool applySwipeDrag(AppState& app, const ViewInput& in) {
  ComparisonView& c = app.comparison;
  if (!comparing(app) || c.mode != CompareMode::Swipe || app.panes.empty()) {
    c.draggingSwipe = false;
    return false;
  }
  const ViewPane& pane = app.panes.front();
  constexpr double kGrabPixels = 10;
  if (in.strokeStart && std::abs(in.strokeStart->x - pane.swipeX) <= kGrabPixels) c.draggingSwipe = true;
  if (!c.draggingSwipe) return false;
  c.swipe = std::clamp((in.mouse.x - pane.rect.x) / pane.rect.width, 0.0, 1.0);
  if (in.strokeEnd || !in.stroking) c.draggingSwipe = in.stroking && !in.strokeEnd;
  return true;
}

// Wheel, keys, zoom and pan in the main pane (the acquired plane).
void applyMainPaneNavigation(AppState& app, const ViewInput& in) {
  if (in.mouseInView && in.wheel != 0) {
    if (in.ctrl) {
      app.view = zoomAround(app.view, app.viewRect, in.mouse, std::pow(kZoomStep, in.wheel > 0 ? 1 : -1));
    } else {
      scrollSlices(app, in.wheel > 0 ? -1 : 1);
    }
  }
  if (in.panDragging) {
    app.view.panX += in.dragDelta.x;
    app.view.panY += in.dragDelta.y;
  }
  scrollSlices(app, in.sliceSteps);
  if (in.pageSteps != 0) {
    scrollSlices(app, in.pageSteps * std::max(1, app.volume->geometry.slices / 10));
  }
  if (in.firstSlice) app.slice = 0;
  if (in.lastSlice) app.slice = app.volume->geometry.slices - 1;
  if (in.zoomSteps != 0) {
    const Point2 centre{app.viewRect.x + app.viewRect.width / 2, app.viewRect.y + app.viewRect.height / 2};
    app.view = zoomAround(app.view, app.viewRect, in.mouseInView ? in.mouse : centre,
                          std::pow(kZoomStep, in.zoomSteps));
  }
  if (in.fit) fitToView(app);
  if (in.actualPixels) app.view = actualPixels(app.view, app.viewRect, imageExtent(*app.volume));
  updateCursor(app, in.mouse);
}

void applyUndoRedo(AppState& app, const ViewInput& in) {
  if (in.undo) {
    endStroke(app);
    undoEdit(app);
  }
  if (in.redo) redoEdit(app);
}

}  // namespace

void applyViewInput(AppState& app, const ViewInput& in) {
  if (in.capturedChord) applyCapturedChord(app, *in.capturedChord);
  if (in.toggleHelp) app.showHelp = !app.showHelp;
  if (in.discard) app.showHelp = false;
  if (!app.volume) return;
  if (in.discard) stopPropagation(app, "stopped by the user");
  if (in.rightDragging) dragWindow(app, in.dragDelta.x, in.dragDelta.y);
  if (in.invert) app.invert = !app.invert;
  if (in.reset) resetView(app);
  if (in.toggleCine) {
    app.cinePlaying = !app.cinePlaying;
    app.cineElapsedMs = 0;
  }
  applyEditingKeys(app, in);
  const bool scrollbar = applyScrollbarDrag(app, in);
  if (const ViewPane* reformat = inputReformatPane(app)) {
    // A reformatted pane: navigation and the crosshair; edits stay in the main pane.
    ViewInput navigation = in;
    if (scrollbar) navigation.strokeStart.reset(), navigation.stroking = false;
    applyReformatPaneInput(app, *reformat, navigation);
    if (in.accept) acceptMask(app);
    if (in.discard) discardMask(app);
    applyUndoRedo(app, in);
    return;
  }
  applyMainPaneNavigation(app, in);
  if (app.volume->firstLook) return;  // the series is still loading: look, but edit the whole one
  if (scrollbar || applySwipeDrag(app, in)) {
    applyUndoRedo(app, in);
    return;
  }
  applyBrushInput(app, in);
  applyPromptInput(app, in);
  applyUndoRedo(app, in);
}

}  // namespace ls
