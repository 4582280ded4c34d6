// Pointer and keyboard input of the page, turned into a ViewInput per drawn
// frame. GLFW callbacks (installed before ImGui's backend, which chains to
// them) queue key presses; mouse buttons are queued too and handed to ImGui
// one change per frame, with the modifiers of a left press, so quick presses
// and clicks are never lost between frames.
#include "platform/web/web_input.h"


#include <imgui.h>
#include <imgui_impl_glfw.h>

#include <deque>
#include <utility>
#include <vector>

#include "platform/web/web_app.h"

namespace ls {
namespace {

struct ButtonEvent {
  int button, action, mods;
  double x, y;  // where the pointer was (framebuffer pixels, as GLFW reports it here)
};

struct InputState {
  std::vector<std::pair<int, int>> pressedKeys;  // (key, modifiers) since the last drawn frame
  std::deque<ButtonEvent> buttonEvents;  // mouse button changes not yet given to ImGui
  bool buttonDown[3] = {};               // the button state ImGui has been given
  bool leftPressInView = false;  // a left press that may become a prompt, stroke or line
  int leftPressModifiers = 0;    // GLFW modifier bits held when it was pressed
};

InputState input;

// Button changes are queued and given to ImGui one per button per frame
// (feedMouseButtons): ImGui 1.86 polls the button state once a frame, so a
// release and a press between two frames (the end of a drag, then a click)
// would look like one long press and the click would be lost.
void onMouseButton(GLFWwindow* window, int button, int action, int mods) {
  double x = 0, y = 0;
  glfwGetCursorPos(window, &x, &y);
  if (button >= 0 && button < 3) input.buttonEvents.push_back({button, action, mods, x, y});
  requestRedraw();
}

// Any input redraws; ImGui's backend chains to these and sees the same events.
void onCursor(GLFWwindow*, double, double) { requestRedraw(); }
void onScroll(GLFWwindow*, double, double) { requestRedraw(); }
// Emscripten 3.1.6's GLFW passes the DOM deltaY through unflipped (positive =
// towards the user) where ImGui, like GLFW elsewhere, wants positive = away:
// without the flip the sidebar scrolled the wrong way. ImGui's handler chains
// on to onScroll.
void onScrollFlipped(GLFWwindow* window, double dx, double dy) { ImGui_ImplGlfw_ScrollCallback(window, dx, -dy); }
// Keys are queued here: a press and release within one frame would be lost
// to ImGui 1.86's polled key state.
void onKey(GLFWwindow*, int key, int, int action, int mods) {
  if (action != GLFW_RELEASE) input.pressedKeys.emplace_back(key, mods);
  requestRedraw();
}
void onChar(GLFWwindow*, unsigned int) { requestRedraw(); }

}  // namespace

void installInputCallbacks(GLFWwindow* window) {
  glfwSetCursorPosCallback(window, onCursor);
  glfwSetScrollCallback(window, onScroll);
  glfwSetKeyCallback(window, onKey);
  glfwSetCharCallback(window, onChar);
}

void takeOverAfterImGui(GLFWwindow* window) {
  glfwSetScrollCallback(window, onScrollFlipped);
  glfwSetMouseButtonCallback(window, onMouseButton);  // ImGui's own would take presses at once
}

void feedMouseButtons() {
  ImGuiIO& io = ImGui::GetIO();
  bool changed[3] = {};
  for (auto event = input.buttonEvents.begin(); event != input.buttonEvents.end();) {
    const int b = event->button;
    if (changed[b]) {  // this button's next change waits for the next frame
      ++event;
      continue;
    }
    const bool down = event->action == GLFW_PRESS;
    if (down != input.buttonDown[b]) {
      input.buttonDown[b] = down;
      changed[b] = true;
      // The pointer where the button changed, not where it is by now: a quick
      // drag starts and ends where it did.
      io.MousePos = ImVec2(static_cast<float>(event->x), static_cast<float>(event->y));
      // Modifiers as they were at the press: a quick Ctrl+click can be over
      // (keys released) before the frame reads ImGui's key state.
      if (b == GLFW_MOUSE_BUTTON_LEFT && down) input.leftPressModifiers = event->mods;
    }
    event = input.buttonEvents.erase(event);
  }
  for (int b = 0; b < 3; ++b) io.MouseDown[b] = input.buttonDown[b];
  if (!input.buttonEvents.empty()) requestRedraw();
}

ViewInput gatherViewInput(const AppState& state, float pixelRatio) {
  const ImGuiIO& io = ImGui::GetIO();
  ViewInput in;
  in.mouse = {io.MousePos.x, io.MousePos.y};
  // Over the pane input goes to (the main pane or a reformatted one).
  const bool paneKnown = state.inputPane >= 0 && state.inputPane < static_cast<int>(state.panes.size());
  const ScreenRect& pane = paneKnown ? state.panes[state.inputPane].rect : state.viewRect;
  in.mouseInView = !io.WantCaptureMouse && pane.contains(in.mouse.x, in.mouse.y);
  in.ctrl = io.KeyCtrl;
  in.shift = io.KeyShift;
  if (in.mouseInView) in.wheel = io.MouseWheel;  // positive = away from the user (see fixScrollDirection)
  const bool dragging = !io.WantCaptureMouse;
  in.rightDragging = dragging && io.MouseDown[ImGuiMouseButton_Right];
  in.panDragging = dragging && (io.MouseDown[ImGuiMouseButton_Middle] ||
                                (io.MouseDown[ImGuiMouseButton_Left] && io.KeyShift));
  in.dragDelta = {io.MouseDelta.x, io.MouseDelta.y};
  // One chord per frame, the rest wait for the next: a command's effect is a
  // flag in ViewInput, so two presses of a toggle (or of undo) in one frame
  // would otherwise count once on a slow frame.
  const bool keysForView = !io.WantCaptureKeyboard || state.rebindingCommand >= 0;
  while (!input.pressedKeys.empty()) {
    const auto [key, mods] = input.pressedKeys.front();
    input.pressedKeys.erase(input.pressedKeys.begin());
    if (!keysForView) continue;
    if (key >= GLFW_KEY_LEFT_SHIFT && key <= GLFW_KEY_MENU) continue;  // a modifier alone is no chord
    const KeyChord chord{key, (mods & (GLFW_MOD_CONTROL | GLFW_MOD_SUPER)) != 0, (mods & GLFW_MOD_SHIFT) != 0,
                         (mods & GLFW_MOD_ALT) != 0};
    if (state.rebindingCommand >= 0) {
      in.capturedChord = chord;  // the key a shortcut is being changed to
    } else if (auto command = commandForChord(state.keymap, chord)) {
      applyCommand(in, *command);
    }
    break;
  }
  if (!input.pressedKeys.empty()) requestRedraw();
  // Left button: a click is a point, a drag is a box (Shift+drag pans); with
  // the brush or eraser it paints from press to release.
  if (io.MouseClicked[ImGuiMouseButton_Left]) {
    input.leftPressInView = in.mouseInView && !io.KeyShift;
    // Every tool sees the press as a stroke start (a swipe divider drag may
    // begin with any tool); the prompt tool turns the drag into a box below.
    if (input.leftPressInView) in.strokeStart = Point2{io.MouseClickedPos[0].x, io.MouseClickedPos[0].y};
  }
  if (input.leftPressInView) {
    in.stroking = io.MouseDown[ImGuiMouseButton_Left];
    in.strokeEnd = io.MouseReleased[ImGuiMouseButton_Left];
  }
  if (state.tool != Tool::Prompt && input.leftPressInView) {
    if (in.strokeEnd) input.leftPressInView = false;
    return in;
  }
  if (io.MouseReleased[ImGuiMouseButton_Left] && input.leftPressInView) {
    input.leftPressInView = false;
    const Point2 start{io.MouseClickedPos[0].x, io.MouseClickedPos[0].y};
    const float slop = 4 * pixelRatio;
    if (io.MouseDragMaxDistanceSqr[ImGuiMouseButton_Left] < slop * slop) {
      in.click = start;
      in.clickExcludes = (input.leftPressModifiers & (GLFW_MOD_CONTROL | GLFW_MOD_ALT)) != 0;
    } else {
      in.boxDrawn = std::make_pair(start, in.mouse);
    }
  }
  return in;
}

// The box being dragged, for drawing before it is released.
std::optional<std::pair<Point2, Point2>> boxInProgress(float pixelRatio) {
  const ImGuiIO& io = ImGui::GetIO();
  if (!input.leftPressInView || !io.MouseDown[ImGuiMouseButton_Left]) return std::nullopt;
  const float slop = 4 * pixelRatio;
  if (io.MouseDragMaxDistanceSqr[ImGuiMouseButton_Left] < slop * slop) return std::nullopt;
  return std::make_pair(Point2{io.MouseClickedPos[0].x, io.MouseClickedPos[0].y},
                        Point2{io.MousePos.x, io.MousePos.y});
}

}  // namespace ls
