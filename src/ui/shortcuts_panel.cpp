#include "ui/shortcuts_panel.h"

#include <imgui.h>

namespace ls {
namespace {

// What the mouse does: not remappable, listed first.
constexpr const char* kMouseBindings[][2] = {
    {"Wheel", "previous / next slice (in the pane under the pointer)"},
    {"Right-drag", "window (horizontal), level (vertical)"},
    {"Ctrl+wheel", "zoom around the cursor"},
    {"Middle-drag, Shift+left-drag", "pan"},
    {"Click / Ctrl+click", "include / exclude point (with a model)"},
    {"Left-drag", "box prompt, or the chosen tool"},
    {"Left press in a reformatted pane", "moves the crosshair: every view goes there"},
    {"Right edge of a pane", "its slice scrollbar: press or drag"},
    {"Propagate / Refine / Interpolate", "buttons in the Segmentation and Segments panels"},
    {"Restoration preview", "compare a denoised copy beside the source (sidebar); drag the swipe divider; "
                            "prompts work on either view"},
};

void row(const char* left, const char* right) {
  ImGui::TableNextRow();
  ImGui::TableSetColumnIndex(0);
  ImGui::TextWrapped("%s", left);
  ImGui::TableSetColumnIndex(1);
  ImGui::TextWrapped("%s", right);
}

}  // namespace

std::string shortcutText(const AppState& app, Command command) {
  std::string text;
  for (const KeyChord& chord : chordsOf(app.keymap, command)) text += (text.empty() ? "" : ", ") + chordName(chord);
  return text.empty() ? "-" : text;
}

std::string labelWithShortcut(const AppState& app, const char* label, Command command) {
  const auto chords = chordsOf(app.keymap, command);
  if (chords.empty()) return label;
  return std::string(label) + " (" + chordName(chords.front()) + ")";
}

void drawBindingsTable(const AppState& app) {
  if (!ImGui::BeginTable("keys", 2, ImGuiTableFlags_SizingStretchProp)) return;
  for (const auto& binding : kMouseBindings) row(binding[0], binding[1]);
  for (int i = 0; i < static_cast<int>(Command::Count); ++i) {
    const auto command = static_cast<Command>(i);
    row(shortcutText(app, command).c_str(), commandDescription(command));
  }
  ImGui::EndTable();
}

void drawShortcutsSection(AppState& app) {
  if (!ImGui::CollapsingHeader("Shortcuts")) return;
  ImGui::TextDisabled("Change: press the new key (Esc cancels).");
  ImGui::TextDisabled("Kept in this browser.");
  if (!app.keymapMessage.empty()) ImGui::TextWrapped("%s", app.keymapMessage.c_str());
  if (ImGui::Button("Reset all to defaults")) {
    app.keymap = defaultKeymap();
    app.rebindingCommand = -1;
    app.keymapMessage = "shortcuts reset to the defaults";
    ++app.keymapVersion;
  }
  if (!ImGui::BeginTable("shortcuts", 3, ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_RowBg)) return;
  for (int i = 0; i < static_cast<int>(Command::Count); ++i) {
    const auto command = static_cast<Command>(i);
    ImGui::PushID(i);
    ImGui::TableNextRow();
    ImGui::TableSetColumnIndex(0);
    ImGui::TextWrapped("%s", commandDescription(command));
    ImGui::TableSetColumnIndex(1);
    const bool waiting = app.rebindingCommand == i;
    ImGui::TextUnformatted(waiting ? "press a key..." : shortcutText(app, command).c_str());
    ImGui::TableSetColumnIndex(2);
    if (ImGui::SmallButton(waiting ? "Cancel" : "Change")) app.rebindingCommand = waiting ? -1 : i;
    ImGui::PopID();
  }
  ImGui::EndTable();
}

}  // namespace ls
