// The restoration preview's panel (method, noise level, strength, progress,
// comparison mode, risks, export), the "not for diagnosis" banner, and what is
// drawn over the panes (labels, swipe divider, difference scale, risk
// outlines, the noise rectangle).
#pragma once

#include "app/app_state.h"
#include "ui/panels.h"

namespace ls {

void drawRestorationSection(AppState& app, UiRequests& requests);
// Draws the banner at the top of `area` while comparing; returns its height (0 otherwise).
float drawRestorationBanner(const AppState& app, const ScreenRect& area);
void drawComparisonOverlays(const AppState& app);

}  // namespace ls
