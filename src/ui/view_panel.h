// The multiplanar view's controls and decorations: the sidebar's View section
// (layout, the 2x2 layout's fourth plane, crosshair) and, over every pane,
// its plane's name and position, orientation letters on each edge, the
// crosshair lines and the slice scrollbar along the right edge.
#pragma once

#include "app/app_state.h"

struct ImDrawList;

namespace ls {

void drawViewSection(AppState& app);
void drawPaneDecorations(ImDrawList* draw, const AppState& app, const ViewPane& pane);

}  // namespace ls
