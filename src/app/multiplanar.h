// Multiplanar viewing: the layouts of the view area (one view; axial,
// sagittal and coronal side by side; 2x2 with a fourth plane of the user's
// choice), what each pane shows, and the crosshair that links them.
// The pane of the acquired plane is the "main" pane: it uses AppState::view
// and every editing tool works in it. Reformatted panes (slot >= 0) have
// their own zoom and pan; a left press or drag there moves the crosshair,
// which moves the other panes to the point (as OHIF's and Slicer's do).
// Window/level, segments and the slice of the acquired plane are shared.
#pragma once

#include <array>
#include <vector>

#include "app/comparison.h"
#include "app/view.h"
#include "core/volume.h"
#include "imaging/reformat.h"

namespace ls {

struct AppState;
struct ViewInput;

enum class ViewLayout { Single = 0, ThreePlanes = 1, TwoByTwo = 2 };
const char* viewLayoutName(ViewLayout layout);

struct MultiplanarView {
  ViewLayout layout = ViewLayout::Single;
  AnatomicalPlane fourthPlane = AnatomicalPlane::Axial;  // the 2x2 layout's pane of the user's choice
  std::array<SliceView, 4> views;  // zoom and pan of the reformatted panes, by slot
  bool needsFit = true;            // refit every reformatted pane (layout, volume or reset)
  // The crosshair's voxel position in the acquired plane; its slice is AppState::slice.
  double crosshairColumn = 0, crosshairRow = 0;
  bool showCrosshair = true;
  int scrollbarPane = -1;  // the pane whose slice scrollbar is being dragged, else -1
};

// The panes of `area` for a layout (pure: the slot and normal axis of each).
std::vector<ViewPane> layoutMultiplanarPanes(const MultiplanarView& view, const VolumeGeometry& geometry,
                                             const ScreenRect& area);
void setViewLayout(AppState& app, ViewLayout layout);

ReformatPlane panePlane(const AppState& app, const ViewPane& pane);
ImageExtent planeExtent(const ReformatPlane& plane);
// The pane's grid index along its normal (the crosshair's, for reformats).
int panePosition(const AppState& app, const ViewPane& pane);
const SliceView& paneView(const AppState& app, const ViewPane& pane);
SliceView& paneView(AppState& app, const ViewPane& pane);
// The crosshair as a voxel position (the centre of the current slice).
VoxelPoint crosshair(const AppState& app);
void setCrosshair(AppState& app, const VoxelPoint& voxel);
// Moves the pane's plane by `delta` positions (clamped).
void stepPanePosition(AppState& app, const ViewPane& pane, int delta);
void setPanePosition(AppState& app, const ViewPane& pane, int position);
// Fits every reformatted pane that needs it.
void fitReformatPanes(AppState& app);
// The strip along a pane's right edge that scrolls its plane (press or drag).
ScreenRect paneScrollbar(const ScreenRect& pane);
// A press on a pane's scrollbar, and the drag after it; returns true while it
// has the left button (the press is then no prompt, stroke or crosshair move).
bool applyScrollbarDrag(AppState& app, const ViewInput& input);
// Navigation in a reformatted pane: wheel, keys, zoom, pan, crosshair.
void applyReformatPaneInput(AppState& app, const ViewPane& pane, const ViewInput& input);
// The pane input goes to, if it shows a reformat; else null.
const ViewPane* inputReformatPane(const AppState& app);

}  // namespace ls
