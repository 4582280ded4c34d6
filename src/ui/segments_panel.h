// The Segments panel: the list of segments (colour, name, visibility, lock,
// volume), the active one's opacity, add/delete, filled or outline overlays.
#pragma once

#include "app/app_state.h"

namespace ls {

void drawSegmentsSection(AppState& app);

}  // namespace ls
