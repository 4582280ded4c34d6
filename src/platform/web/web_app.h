// The single AppState of the page, shared by the main loop and the functions
// JavaScript calls (web_bridge.cpp).
#pragma once

#include <string>

#include "app/app_state.h"
#include "app/view_input.h"

namespace ls {
AppState& app();
// Asks for the next few frames to be drawn. The page draws only when
// something changed (input, files, results): an idle page costs nothing and
// answers to inference results at once.
void requestRedraw();
// Frames drawn since the start, and when the last one finished (ms, the
// clock of performance.now()).
int framesDrawn();
double lastFrameEndMs();
// An edit is waiting for its autosave (saves are spaced out; see main.cpp).
bool autosaveWaiting();
// Saves the view as drawn by the next frame as a PNG download.
void requestViewPng();
// Offers the labels as a NIfTI file download (a local blob; nothing uploaded).
void exportNifti(AppState& state);
// Offers the segments as a DICOM Segmentation file, or says why not.
void exportDicomSeg(AppState& state);
// Offers the restored series as a zip of a derived DICOM series, or says why not.
void exportRestoredSeries(AppState& state);
// Writes the keymap to the browser's storage when the user changed it.
void saveShortcutsIfChanged(const AppState& state);
// The current time as ISO 8601 UTC (for the preference log).
std::string isoTimeNow();
}
