// Reopening a series whose annotation this browser saved earlier: the saved
// session (labels, segments, slice, window) is offered, not applied behind
// the user's back; they restore it or start empty. While the offer stands,
// nothing is autosaved, so the saved work cannot be overwritten by accident.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "io/label_storage.h"

namespace ls {

struct AppState;

struct RestoreOffer {
  SavedAnnotation saved;
  std::string savedAt;  // ISO time the browser stored it, as given by the page
  std::size_t labelledVoxels = 0;
  double labelledMillilitres = 0;
};

// Reads a saved annotation of the shown volume and, if it holds any work,
// makes it the pending offer. Unreadable data gets a warning naming the
// series; returns whether an offer is now pending.
bool offerSavedAnnotation(AppState& app, const std::uint8_t* data, std::size_t size, const std::string& savedAt);
// Puts the offered session back exactly (labels, segments, active segment,
// slice, window); the undo history starts from it.
void acceptRestoreOffer(AppState& app);
// Starts empty; the saved copy is replaced by the next edit's autosave.
void declineRestoreOffer(AppState& app);
// What the autosave stores besides the labels.
SessionView currentSessionView(const AppState& app);

}  // namespace ls
