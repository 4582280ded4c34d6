#include "app/multiplanar.h"

#include <algorithm>
#include <cmath>

#include "app/app_state.h"
#include "app/view_input.h"

namespace ls {

const char* viewLayoutName(ViewLayout layout) {
  switch (layout) {
    case ViewLayout::Single: return "single";
    case ViewLayout::ThreePlanes: return "three planes";
    case ViewLayout::TwoByTwo: return "2x2";
  }
  return "?";
}

std::vector<ViewPane> layoutMultiplanarPanes(const MultiplanarView& view, const VolumeGeometry& g,
                                             const ScreenRect& area) {
  if (view.layout == ViewLayout::Single) return {{area, PaneImage::Source}};
  const auto normals = normalAxisOfAnatomicalPlanes(g);
  // The order OHIF's MPR layouts use: axial, sagittal, coronal.
  const std::array<AnatomicalPlane, 3> order{AnatomicalPlane::Axial, AnatomicalPlane::Sagittal,
                                             AnatomicalPlane::Coronal};
  std::vector<ViewPane> panes;
  auto add = [&](ScreenRect rect, AnatomicalPlane plane, int slot) {
    ViewPane pane{rect, PaneImage::Source};
    pane.normalAxis = normals[static_cast<int>(plane)];
    // The acquired plane is the main pane (tools); the 2x2's fourth is always its own.
    pane.slot = pane.normalAxis == 2 && slot < 3 ? -1 : slot;
    panes.push_back(pane);
  };
  constexpr double kGap = 2;  // pixels between panes
  if (view.layout == ViewLayout::ThreePlanes) {
    const double w = (area.width - 2 * kGap) / 3;
    for (int i = 0; i < 3; ++i) add({area.x + i * (w + kGap), area.y, w, area.height}, order[i], i);
    return panes;
  }
  const double w = (area.width - kGap) / 2, h = (area.height - kGap) / 2;
  const ScreenRect cells[4] = {{area.x, area.y, w, h},
                               {area.x + w + kGap, area.y, w, h},
                               {area.x, area.y + h + kGap, w, h},
                               {area.x + w + kGap, area.y + h + kGap, w, h}};
  for (int i = 0; i < 3; ++i) add(cells[i], order[i], i);
  add(cells[3], view.fourthPlane, 3);
  return panes;
}

void setViewLayout(AppState& app, ViewLayout layout) {
  if (app.multiplanar.layout == layout) return;
  app.multiplanar.layout = layout;
  app.multiplanar.needsFit = true;
  app.viewNeedsFit = true;
}

ReformatPlane panePlane(const AppState& app, const ViewPane& pane) {
  return reformatPlane(app.volume->geometry, pane.normalAxis);
}

ImageExtent planeExtent(const ReformatPlane& plane) {
  return {plane.columns, plane.rows, plane.columnSpacing, plane.rowSpacing};
}

VoxelPoint crosshair(const AppState& app) {
  return {app.multiplanar.crosshairColumn, app.multiplanar.crosshairRow, app.slice + 0.5};
}

int panePosition(const AppState& app, const ViewPane& pane) {
  if (pane.normalAxis == 2) return app.slice;
  const int length = gridAxisLength(app.volume->geometry, pane.normalAxis);
  return std::clamp(static_cast<int>(std::floor(crosshair(app).axis(pane.normalAxis))), 0, length - 1);
}

const SliceView& paneView(const AppState& app, const ViewPane& pane) {
  return pane.slot < 0 ? app.view : app.multiplanar.views[pane.slot];
}

SliceView& paneView(AppState& app, const ViewPane& pane) {
  return pane.slot < 0 ? app.view : app.multiplanar.views[pane.slot];
}

void setCrosshair(AppState& app, const VoxelPoint& v) {
  const auto& g = app.volume->geometry;
  app.multiplanar.crosshairColumn = std::clamp(v.column, 0.0, g.columns - 1e-6);
  app.multiplanar.crosshairRow = std::clamp(v.row, 0.0, g.rows - 1e-6);
  app.slice = std::clamp(static_cast<int>(std::floor(v.slice)), 0, g.slices - 1);
}

void setPanePosition(AppState& app, const ViewPane& pane, int position) {
  const int length = gridAxisLength(app.volume->geometry, pane.normalAxis);
  VoxelPoint c = crosshair(app);
  c.axis(pane.normalAxis) = std::clamp(position, 0, length - 1) + 0.5;
  setCrosshair(app, c);
}

void stepPanePosition(AppState& app, const ViewPane& pane, int delta) {
  if (delta != 0) setPanePosition(app, pane, panePosition(app, pane) + delta);
}

void fitReformatPanes(AppState& app) {
  if (!app.volume || !app.multiplanar.needsFit) return;
  for (const ViewPane& pane : app.panes) {
    if (pane.slot >= 0) app.multiplanar.views[pane.slot] = fitView(pane.rect, planeExtent(panePlane(app, pane)));
  }
  app.multiplanar.needsFit = false;
}

ScreenRect paneScrollbar(const ScreenRect& pane) {
  const double width = std::clamp(pane.width * 0.015, 10.0, 24.0);
  return {pane.x + pane.width - width, pane.y, width, pane.height};
}

bool applyScrollbarDrag(AppState& app, const ViewInput& in) {
  MultiplanarView& m = app.multiplanar;
  if (in.strokeStart && !comparing(app)) {
    for (std::size_t i = 0; i < app.panes.size(); ++i) {
      if (paneScrollbar(app.panes[i].rect).contains(in.strokeStart->x, in.strokeStart->y)) m.scrollbarPane = int(i);
    }
  }
  if (m.scrollbarPane < 0 || m.scrollbarPane >= static_cast<int>(app.panes.size())) {
    m.scrollbarPane = -1;
    return false;
  }
  const ViewPane& pane = app.panes[m.scrollbarPane];
  const int positions = gridAxisLength(app.volume->geometry, pane.normalAxis);
  const double t = std::clamp((in.mouse.y - pane.rect.y) / pane.rect.height, 0.0, 1.0);
  setPanePosition(app, pane, std::min(positions - 1, static_cast<int>(t * positions)));
  if (in.strokeEnd || !in.stroking) m.scrollbarPane = -1;
  return true;
}

const ViewPane* inputReformatPane(const AppState& app) {
  if (app.inputPane < 0 || app.inputPane >= static_cast<int>(app.panes.size())) return nullptr;
  const ViewPane& pane = app.panes[app.inputPane];
  return pane.slot >= 0 ? &pane : nullptr;
}

void applyReformatPaneInput(AppState& app, const ViewPane& pane, const ViewInput& in) {
  constexpr double kZoomStep = 1.2;
  SliceView& view = paneView(app, pane);
  const ReformatPlane plane = panePlane(app, pane);
  const ImageExtent extent = planeExtent(plane);
  if (in.mouseInView && in.wheel != 0) {
    if (in.ctrl) view = zoomAround(view, pane.rect, in.mouse, std::pow(kZoomStep, in.wheel > 0 ? 1 : -1));
    else stepPanePosition(app, pane, in.wheel > 0 ? -1 : 1);
  }
  if (in.panDragging) {
    view.panX += in.dragDelta.x;
    view.panY += in.dragDelta.y;
  }
  stepPanePosition(app, pane, in.sliceSteps);
  stepPanePosition(app, pane, in.pageSteps * std::max(1, plane.positions / 10));
  if (in.firstSlice) setPanePosition(app, pane, 0);
  if (in.lastSlice) setPanePosition(app, pane, plane.positions - 1);
  if (in.zoomSteps != 0) {
    const Point2 centre{pane.rect.x + pane.rect.width / 2, pane.rect.y + pane.rect.height / 2};
    view = zoomAround(view, pane.rect, in.mouseInView ? in.mouse : centre, std::pow(kZoomStep, in.zoomSteps));
  }
  if (in.fit) view = fitView(pane.rect, extent);
  if (in.actualPixels) view = actualPixels(view, pane.rect, extent);
  // A left press or drag moves the crosshair to the point, in every pane.
  const bool leftHeld = in.strokeStart || in.stroking;
  if (leftHeld && in.mouseInView) {
    const Point2 image = screenToImage(view, pane.rect, extent, in.mouse);
    if (image.x >= 0 && image.y >= 0 && image.x < extent.columns && image.y < extent.rows) {
      setCrosshair(app, planeToVoxel(plane, image, panePosition(app, pane) + 0.5));
    }
  }
  // The readout under the pointer, at the voxel this pane shows there.
  app.cursorOnImage = false;
  const Point2 image = screenToImage(view, pane.rect, extent, in.mouse);
  if (in.mouseInView && image.x >= 0 && image.y >= 0 && image.x < extent.columns && image.y < extent.rows) {
    const VoxelPoint v = planeToVoxel(plane, image, panePosition(app, pane) + 0.5);
    app.cursorOnImage = true;
    app.cursorColumn = v.column, app.cursorRow = v.row;
    app.cursorSlice = static_cast<int>(std::floor(v.slice));
  }
}

}  // namespace ls
