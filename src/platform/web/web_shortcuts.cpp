// The user's keyboard shortcuts in the browser's localStorage: read once when
// the page is ready (ls_load_shortcuts), written whenever they change.
#include <emscripten.h>

#include <string>

#include "platform/web/web_app.h"

namespace ls {
namespace {

EM_JS(void, jsSaveShortcuts, (const char* text), { LocalSeg.saveShortcuts(UTF8ToString(text)); });

int savedKeymapVersion = 0;

}  // namespace

void saveShortcutsIfChanged(const AppState& state) {
  if (state.keymapVersion == savedKeymapVersion) return;
  savedKeymapVersion = state.keymapVersion;
  jsSaveShortcuts(serializeKeymap(state.keymap).c_str());
}

}  // namespace ls

extern "C" {

// Stored shortcuts that cannot be read are left alone (not overwritten) and
// the defaults are used; the Shortcuts panel says why.
EMSCRIPTEN_KEEPALIVE void ls_load_shortcuts(const char* text) {
  ls::AppState& state = ls::app();
  if (std::string(text).empty()) return;
  auto keymap = ls::parseKeymap(text);
  if (keymap.ok()) {
    state.keymap = std::move(keymap.value());
  } else {
    state.keymapMessage = "stored shortcuts not used (" + keymap.error().message + "); the defaults apply";
  }
  ls::requestRedraw();
}

}

extern "C" {

// What a Change button in the Shortcuts panel does, for tests: the next key
// pressed becomes the command's shortcut. Returns 0 for an unknown command.
EMSCRIPTEN_KEEPALIVE int ls_change_shortcut(const char* commandId) {
  for (int i = 0; i < static_cast<int>(ls::Command::Count); ++i) {
    if (std::string(ls::commandId(static_cast<ls::Command>(i))) == commandId) {
      ls::app().rebindingCommand = i;
      ls::requestRedraw();
      return 1;
    }
  }
  return 0;
}

}
