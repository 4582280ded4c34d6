// The single AppState of the page, shared by the main loop and the functions
// JavaScript calls (web_bridge.cpp).
#pragma once

#include "app/app_state.h"
#include "app/view_input.h"

namespace ls {
AppState& app();
}
