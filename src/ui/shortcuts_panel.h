// Keyboard shortcuts: the help table (mouse bindings, then every command with
// its keys from the user's keymap) and the editor that changes them.
#pragma once

#include <string>

#include "app/app_state.h"

namespace ls {

// "Brush (B)": a label with the command's first key, as the keymap has it now.
std::string labelWithShortcut(const AppState& app, const char* label, Command command);
// The keys of a command, "Down, Right"; "-" when it has none.
std::string shortcutText(const AppState& app, Command command);
void drawBindingsTable(const AppState& app);
// Sidebar section: each command, its keys and a Change button (press the new
// key; Esc cancels), and Reset to the defaults. Every change bumps
// AppState::keymapVersion, which the platform watches to save the keymap.
void drawShortcutsSection(AppState& app);

}  // namespace ls
