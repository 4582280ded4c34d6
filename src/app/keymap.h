// Keymap: which key chord runs which command, remappable by the user and
// kept in the browser as plain text ("command=Ctrl+Z" lines). Key codes are
// GLFW's (printable keys are their ASCII upper-case codes), so the platform
// passes them through unchanged; the defaults follow established viewers
// (see view_input.h). A chord belongs to at most one command.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/result.h"

namespace ls {

struct AppState;
struct ViewInput;

enum class Command {
  NextSlice, PreviousSlice, PageDown, PageUp, FirstSlice, LastSlice,
  ZoomIn, ZoomOut, Fit, ActualPixels, Reset, Invert, Cine,
  ToolPrompt, ToolBrush, ToolEraser, ToolRuler, ToolEllipse, ToolRectangle, ToolAngle, ToolFill,
  ToolEraseOutside, ToolCrosshair, ToolScribble, BrushGrow, BrushShrink,
  NewSegment, NextSegment, PreviousSegment, Thresholds,
  Accept, Discard, Undo, Redo, Help,
  LayoutSingle, LayoutThreePlanes, LayoutTwoByTwo, ToggleCrosshair,
  Count
};

struct KeyChord {
  int key = 0;  // GLFW key code
  bool ctrl = false, shift = false, alt = false;  // ctrl includes the Mac's Command key
  bool operator==(const KeyChord& o) const {
    return key == o.key && ctrl == o.ctrl && shift == o.shift && alt == o.alt;
  }
};

struct Keymap {
  std::vector<std::pair<Command, KeyChord>> bindings;
};

// Stable identifier (used in the stored text) and what the command does.
const char* commandId(Command command);
const char* commandDescription(Command command);
Keymap defaultKeymap();
// The command a pressed chord runs: an exact match, else (without Ctrl) the
// same key without Shift/Alt, so '?' (Shift+/) finds '/'.
std::optional<Command> commandForChord(const Keymap& keymap, KeyChord chord);
std::vector<KeyChord> chordsOf(const Keymap& keymap, Command command);
// Gives `command` this one chord, taking it from any command that had it;
// returns the command it was taken from, if any.
std::optional<Command> rebind(Keymap& keymap, Command command, KeyChord chord);
// "Ctrl+Shift+Z", "Page Down", "A"; empty for a key without a name.
std::string chordName(KeyChord chord);
std::optional<KeyChord> parseChord(const std::string& text);
std::string serializeKeymap(const Keymap& keymap);
// Commands missing from the text keep their default chords (a command added
// later still has a key); an unknown command or key is an error naming the line.
Result<Keymap> parseKeymap(const std::string& text);
// Sets the fields of `input` that run `command`.
void applyCommand(ViewInput& input, Command command);
// The chord pressed while AppState::rebindingCommand waits for one: it
// becomes that command's key (Esc cancels); says what changed.
void applyCapturedChord(AppState& app, KeyChord chord);

}  // namespace ls
