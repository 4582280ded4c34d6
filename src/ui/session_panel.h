// The user's annotation as files and sessions: the "saved annotation found"
// dialog, and the buttons that export, import and capture the view.
#pragma once

#include "app/app_state.h"
#include "ui/panels.h"

namespace ls {

// Export NIfTI / DICOM SEG, import a segmentation, save the view as PNG.
void drawAnnotationFiles(AppState& app, UiRequests& requests);
// A modal offer to restore the session saved in this browser (blocks the
// view until answered, so nothing is edited on top of it by accident).
void drawRestoreOffer(AppState& app);

}  // namespace ls
