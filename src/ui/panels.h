// The ImGui panels around the slice view: sidebar (open, series metadata,
// window presets, messages) and the status line. Draws state, returns what the
// user asked for; the platform layer carries the requests out.
#pragma once

#include <optional>
#include <string>
#include <utility>

#include "app/app_state.h"

namespace ls {

struct UiRequests {
  bool openFiles = false;
  bool openFolder = false;
  bool loadModel = false;
  bool exportNifti = false;
  bool exportDicomSeg = false;
  bool importSegmentation = false;  // pick a DICOM SEG or NIfTI file to load onto the series
  bool saveViewPng = false;         // download the view as shown, as a PNG
  bool exportPreferences = false;  // download the preference log (JSON Lines)
  bool exportRestored = false;     // download the restored series as a derived DICOM series (zip)
  int chooseThreshold = -1;        // accept the preview at this threshold and log the choice
  std::string backend;  // non-empty: the user chose this inference backend
};

struct UiLayout {
  float sidebarWidth = 340;  // framebuffer pixels
  float statusHeight = 28;
};

// Draws all panels for a framebuffer of the given size and sets
// app.viewArea, the rectangle left for the slice views.
UiRequests drawPanels(AppState& app, const UiLayout& layout, float width, float height);

// Prompt markers (points, box, the box being drawn) over the slice view.
void drawPromptMarkers(const AppState& app, const std::optional<std::pair<Point2, Point2>>& boxInProgress);

}  // namespace ls
