// Input of the page: GLFW callbacks and the per-frame ViewInput (mouse,
// wheel, keys, clicks, boxes, strokes) for the slice view.
#pragma once

#include <GLFW/glfw3.h>

#include <optional>
#include <utility>

#include "app/app_state.h"
#include "app/view_input.h"

namespace ls {

void installInputCallbacks(GLFWwindow* window);
// After ImGui's GLFW backend is installed: gives ImGui the wheel with the
// sign it expects, and mouse buttons through feedMouseButtons.
void takeOverAfterImGui(GLFWwindow* window);
// Each drawn frame, after ImGui_ImplGlfw_NewFrame and before ImGui::NewFrame:
// at most one queued change per mouse button goes to ImGui.
void feedMouseButtons();
// Everything since the last drawn frame; call once per drawn frame, after
// ImGui::NewFrame and the panels (so ImGui knows what the pointer is over).
ViewInput gatherViewInput(const AppState& state, float pixelRatio);
// The box being dragged with the model tool, for drawing before release.
std::optional<std::pair<Point2, Point2>> boxInProgress(float pixelRatio);

}  // namespace ls
