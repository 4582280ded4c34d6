#include "app/keymap.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <sstream>

#include "app/app_state.h"
#include "app/view_input.h"

namespace ls {
namespace {

// GLFW's codes for the keys that are not printable characters.
enum Key : int {
  kSpace = 32, kEscape = 256, kEnter = 257, kTab = 258, kBackspace = 259, kInsert = 260, kDelete = 261,
  kRight = 262, kLeft = 263, kDown = 264, kUp = 265, kPageUp = 266, kPageDown = 267, kHome = 268, kEnd = 269,
  kF1 = 290, kF12 = 301, kKeypad0 = 320, kKeypad9 = 329, kKeypadSubtract = 333, kKeypadAdd = 334, kKeypadEnter = 335,
};

struct CommandText {
  const char* id;
  const char* description;
};

constexpr std::array<CommandText, static_cast<std::size_t>(Command::Count)> kCommands{{
    {"next-slice", "next slice"},
    {"previous-slice", "previous slice"},
    {"page-down", "jump a tenth forward"},
    {"page-up", "jump a tenth back"},
    {"first-slice", "first slice"},
    {"last-slice", "last slice"},
    {"zoom-in", "zoom in"},
    {"zoom-out", "zoom out"},
    {"fit", "fit the image to the view"},
    {"actual-pixels", "1:1: one image pixel per screen pixel"},
    {"reset", "reset view and window"},
    {"invert", "invert"},
    {"cine", "play / pause cine"},
    {"tool-prompt", "model prompts tool"},
    {"tool-brush", "brush"},
    {"tool-eraser", "eraser"},
    {"tool-ruler", "ruler"},
    {"tool-ellipse", "ellipse ROI"},
    {"tool-rectangle", "rectangle ROI"},
    {"tool-angle", "angle"},
    {"tool-fill", "fill a closed contour"},
    {"tool-erase-outside", "keep only what is inside a box"},
    {"tool-crosshair", "crosshair: click to move every view there"},
    {"tool-scribble", "scribble prompts: draw on the structure (Ctrl: outside it)"},
    {"brush-grow", "larger brush"},
    {"brush-shrink", "smaller brush"},
    {"new-segment", "new segment"},
    {"next-segment", "next segment"},
    {"previous-segment", "previous segment"},
    {"thresholds", "compare the mask at 4 probability thresholds"},
    {"accept", "accept the mask"},
    {"discard", "discard the mask / stop"},
    {"undo", "undo"},
    {"redo", "redo"},
    {"help", "this help"},
    {"layout-single", "layout: one view"},
    {"layout-three-planes", "layout: axial, sagittal, coronal"},
    {"layout-2x2", "layout: 2 x 2"},
    {"toggle-crosshair", "show / hide the crosshair lines"},
}};

KeyChord plain(int key) { return {key}; }
KeyChord ctrl(int key, bool shift = false) { return {key, true, shift}; }

struct NamedKey {
  int key;
  const char* name;
};
constexpr NamedKey kNamedKeys[] = {
    {',', "Comma"},  // a name of its own: commas separate a command's chords in the stored text
    {kSpace, "Space"}, {kEscape, "Esc"}, {kEnter, "Enter"}, {kTab, "Tab"}, {kBackspace, "Backspace"},
    {kInsert, "Insert"}, {kDelete, "Delete"}, {kRight, "Right"}, {kLeft, "Left"}, {kDown, "Down"}, {kUp, "Up"},
    {kPageUp, "Page Up"}, {kPageDown, "Page Down"}, {kHome, "Home"}, {kEnd, "End"},
    {kKeypadSubtract, "Keypad -"}, {kKeypadAdd, "Keypad +"}, {kKeypadEnter, "Keypad Enter"},
};

std::string keyName(int key) {
  for (const NamedKey& k : kNamedKeys) {
    if (k.key == key) return k.name;
  }
  if (key >= kF1 && key <= kF12) return "F" + std::to_string(key - kF1 + 1);
  if (key >= kKeypad0 && key <= kKeypad9) return "Keypad " + std::to_string(key - kKeypad0);
  if (key > 32 && key < 127) return std::string(1, static_cast<char>(key));
  return {};
}

std::optional<int> keyFromName(const std::string& name) {
  for (const NamedKey& k : kNamedKeys) {
    if (name == k.name) return k.key;
  }
  if (name.size() >= 2 && name[0] == 'F' && std::all_of(name.begin() + 1, name.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; })) {
    const int n = std::stoi(name.substr(1));
    if (n >= 1 && n <= 12) return kF1 + n - 1;
  }
  if (name.rfind("Keypad ", 0) == 0 && name.size() == 8 && std::isdigit(static_cast<unsigned char>(name[7]))) {
    return kKeypad0 + (name[7] - '0');
  }
  if (name.size() == 1 && name[0] > 32 && name[0] < 127 && !std::islower(static_cast<unsigned char>(name[0]))) {
    return name[0];
  }
  return std::nullopt;
}

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r"), e = s.find_last_not_of(" \t\r");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

std::optional<Command> commandFromId(const std::string& id) {
  for (std::size_t i = 0; i < kCommands.size(); ++i) {
    if (id == kCommands[i].id) return static_cast<Command>(i);
  }
  return std::nullopt;
}

}  // namespace

const char* commandId(Command c) { return kCommands[static_cast<std::size_t>(c)].id; }
const char* commandDescription(Command c) { return kCommands[static_cast<std::size_t>(c)].description; }

Keymap defaultKeymap() {
  using C = Command;
  return {{
      {C::NextSlice, plain(kDown)}, {C::NextSlice, plain(kRight)},
      {C::PreviousSlice, plain(kUp)}, {C::PreviousSlice, plain(kLeft)},
      {C::PageDown, plain(kPageDown)}, {C::PageUp, plain(kPageUp)},
      {C::FirstSlice, plain(kHome)}, {C::LastSlice, plain(kEnd)},
      {C::ZoomIn, plain('=')}, {C::ZoomIn, plain(kKeypadAdd)},
      {C::ZoomOut, plain('-')}, {C::ZoomOut, plain(kKeypadSubtract)},
      {C::Fit, plain('F')}, {C::ActualPixels, plain('Z')}, {C::Reset, plain('R')}, {C::Invert, plain('I')}, {C::Cine, plain(kSpace)},
      {C::ToolPrompt, plain('P')}, {C::ToolBrush, plain('B')}, {C::ToolEraser, plain('E')},
      {C::ToolRuler, plain('M')}, {C::ToolEllipse, plain('O')}, {C::ToolRectangle, plain('Q')},
      {C::ToolAngle, plain('A')}, {C::ToolFill, plain('G')}, {C::ToolEraseOutside, plain('X')},
      {C::ToolCrosshair, plain('C')}, {C::ToolScribble, plain('S')},
      {C::BrushGrow, plain(']')}, {C::BrushShrink, plain('[')},
      {C::NewSegment, plain('N')}, {C::NextSegment, plain('.')}, {C::PreviousSegment, plain(',')},
      {C::Thresholds, plain('T')},
      {C::Accept, plain(kEnter)}, {C::Accept, plain(kKeypadEnter)}, {C::Discard, plain(kEscape)},
      {C::Undo, ctrl('Z')}, {C::Redo, ctrl('Y')}, {C::Redo, ctrl('Z', true)},
      {C::Help, plain(kF1)}, {C::Help, plain('/')},
      {C::LayoutSingle, plain('1')}, {C::LayoutThreePlanes, plain('2')}, {C::LayoutTwoByTwo, plain('3')},
      {C::ToggleCrosshair, {'C', false, true}},
  }};
}

std::optional<Command> commandForChord(const Keymap& keymap, KeyChord chord) {
  for (const auto& [command, bound] : keymap.bindings) {
    if (bound == chord) return command;
  }
  if (chord.ctrl || (!chord.shift && !chord.alt)) return std::nullopt;
  return commandForChord(keymap, plain(chord.key));
}

std::vector<KeyChord> chordsOf(const Keymap& keymap, Command command) {
  std::vector<KeyChord> chords;
  for (const auto& [c, chord] : keymap.bindings) {
    if (c == command) chords.push_back(chord);
  }
  return chords;
}

std::optional<Command> rebind(Keymap& keymap, Command command, KeyChord chord) {
  std::optional<Command> previous;
  auto& b = keymap.bindings;
  for (const auto& [c, bound] : b) {
    if (bound == chord && c != command) previous = c;
  }
  b.erase(std::remove_if(b.begin(), b.end(), [&](const auto& e) { return e.first == command || e.second == chord; }),
          b.end());
  b.emplace_back(command, chord);
  return previous;
}

std::string chordName(KeyChord chord) {
  const std::string key = keyName(chord.key);
  if (key.empty()) return {};
  return std::string(chord.ctrl ? "Ctrl+" : "") + (chord.alt ? "Alt+" : "") + (chord.shift ? "Shift+" : "") + key;
}

std::optional<KeyChord> parseChord(const std::string& text) {
  KeyChord chord;
  std::string rest = trim(text);
  for (;;) {  // modifiers first, in any order
    if (rest.rfind("Ctrl+", 0) == 0) chord.ctrl = true, rest = rest.substr(5);
    else if (rest.rfind("Shift+", 0) == 0) chord.shift = true, rest = rest.substr(6);
    else if (rest.rfind("Alt+", 0) == 0) chord.alt = true, rest = rest.substr(4);
    else break;
  }
  const auto key = keyFromName(rest);
  if (!key) return std::nullopt;
  chord.key = *key;
  return chord;
}

std::string serializeKeymap(const Keymap& keymap) {
  std::ostringstream out;
  for (std::size_t i = 0; i < kCommands.size(); ++i) {
    const auto command = static_cast<Command>(i);
    std::string chords;
    for (const KeyChord& chord : chordsOf(keymap, command)) chords += (chords.empty() ? "" : ", ") + chordName(chord);
    out << commandId(command) << "=" << chords << "\n";
  }
  return out.str();
}

Result<Keymap> parseKeymap(const std::string& text) {
  Keymap keymap;
  std::vector<bool> seen(kCommands.size(), false);
  std::istringstream in(text);
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    line = trim(line);
    if (line.empty() || line[0] == '#') continue;
    const auto equals = line.find('=');
    const auto command = commandFromId(trim(line.substr(0, equals)));
    if (equals == std::string::npos || !command) {
      return Error{"", "shortcuts line " + std::to_string(number) + ": unknown command '" +
                           trim(line.substr(0, equals)) + "'"};
    }
    seen[static_cast<std::size_t>(*command)] = true;
    std::istringstream chords(line.substr(equals + 1));
    std::string name;
    while (std::getline(chords, name, ',')) {
      if (trim(name).empty()) continue;
      const auto chord = parseChord(name);
      if (!chord) return Error{"", "shortcuts line " + std::to_string(number) + ": unknown key '" + trim(name) + "'"};
      keymap.bindings.emplace_back(*command, *chord);
    }
  }
  for (const auto& [command, chord] : defaultKeymap().bindings) {
    const bool taken = commandForChord(keymap, chord).has_value() && *commandForChord(keymap, chord) != command;
    if (!seen[static_cast<std::size_t>(command)] && !taken) keymap.bindings.emplace_back(command, chord);
  }
  return keymap;
}

void applyCommand(ViewInput& in, Command command) {
  using C = Command;
  auto tool = [&](Tool t) { in.tool = static_cast<int>(t); };
  switch (command) {
    case C::NextSlice: ++in.sliceSteps; break;
    case C::PreviousSlice: --in.sliceSteps; break;
    case C::PageDown: ++in.pageSteps; break;
    case C::PageUp: --in.pageSteps; break;
    case C::FirstSlice: in.firstSlice = true; break;
    case C::LastSlice: in.lastSlice = true; break;
    case C::ZoomIn: ++in.zoomSteps; break;
    case C::ZoomOut: --in.zoomSteps; break;
    case C::Fit: in.fit = true; break;
    case C::ActualPixels: in.actualPixels = true; break;
    case C::Reset: in.reset = true; break;
    case C::Invert: in.invert = true; break;
    case C::Cine: in.toggleCine = true; break;
    case C::ToolPrompt: tool(Tool::Prompt); break;
    case C::ToolBrush: tool(Tool::Brush); break;
    case C::ToolEraser: tool(Tool::Eraser); break;
    case C::ToolRuler: tool(Tool::Ruler); break;
    case C::ToolEllipse: tool(Tool::EllipseRoi); break;
    case C::ToolRectangle: tool(Tool::RectangleRoi); break;
    case C::ToolAngle: tool(Tool::Angle); break;
    case C::ToolFill: tool(Tool::Fill); break;
    case C::ToolEraseOutside: tool(Tool::EraseOutsideBox); break;
    case C::ToolCrosshair: tool(Tool::Crosshair); break;
    case C::ToolScribble: tool(Tool::Scribble); break;
    case C::BrushGrow: ++in.brushSteps; break;
    case C::BrushShrink: --in.brushSteps; break;
    case C::NewSegment: in.newSegment = true; break;
    case C::NextSegment: ++in.segmentSteps; break;
    case C::PreviousSegment: --in.segmentSteps; break;
    case C::Thresholds: in.toggleThresholds = true; break;
    case C::Accept: in.accept = true; break;
    case C::Discard: in.discard = true; break;
    case C::Undo: in.undo = true; break;
    case C::Redo: in.redo = true; break;
    case C::Help: in.toggleHelp = true; break;
    case C::LayoutSingle: in.layout = static_cast<int>(ViewLayout::Single); break;
    case C::LayoutThreePlanes: in.layout = static_cast<int>(ViewLayout::ThreePlanes); break;
    case C::LayoutTwoByTwo: in.layout = static_cast<int>(ViewLayout::TwoByTwo); break;
    case C::ToggleCrosshair: in.toggleCrosshair = true; break;
    case C::Count: break;
  }
}

}  // namespace ls

namespace ls {

void applyCapturedChord(AppState& app, KeyChord chord) {
  if (app.rebindingCommand < 0) return;
  const auto command = static_cast<Command>(app.rebindingCommand);
  app.rebindingCommand = -1;
  if (chord == KeyChord{kEscape}) {  // cancels; Esc itself stays "discard"
    app.keymapMessage.clear();
    return;
  }
  const auto previous = rebind(app.keymap, command, chord);
  app.keymapMessage = chordName(chord) + " now " + commandDescription(command) +
                      (previous ? std::string(" (was ") + commandDescription(*previous) + ")" : "");
  ++app.keymapVersion;
}

}  // namespace ls
