#include "app/app_state.h"

#include <algorithm>
#include <cmath>

#include "io/label_storage.h"

namespace ls {

ImageExtent imageExtent(const Volume& v) {
  return {v.geometry.columns, v.geometry.rows, v.geometry.columnSpacing, v.geometry.rowSpacing};
}

void showVolume(AppState& app, Volume volume) {
  app.volume = std::move(volume);
  ++app.volumeGeneration;
  app.slice = app.volume->geometry.slices / 2;
  app.windowPreset = 0;  // the file's first preset, else the modality's, else "auto" (always last)
  app.window = app.volume->windows.front();
  app.invert = false;
  app.viewNeedsFit = true;
  const auto& g = app.volume->geometry;
  app.labels.reset(g.columns, g.rows, g.slices);
  app.labelledVoxels = 0;
  app.history.clear();
  app.measurements.clear();
  app.histogram = computeHistogram(app.volume->voxels.data(), app.volume->voxels.size(), 128);
  syncPromptImage(app);
}

void syncPromptImage(AppState& app) {
  if (!app.prompts || !app.volume) return;
  const auto& g = app.volume->geometry;
  app.prompts->setImage({app.volume->slice(app.slice), g.columns, g.rows, app.volumeGeneration, app.slice,
                         app.window, app.volume->voxels.data(), g.slices});
}

int acceptMask(AppState& app) {
  if (!app.prompts || !app.volume) return 0;
  const MaskCandidate* candidate = app.prompts->selectedCandidate();
  if (!candidate) return 0;
  app.history.begin(app.labels, app.slice);
  const int changed = commitMask(app.labels, app.slice, candidate->mask, 1);
  app.history.commit(app.labels, "accept mask on slice " + std::to_string(app.slice + 1));
  app.prompts->clearPrompts();
  if (changed > 0) ++app.annotationVersion;
  app.labelledVoxels += static_cast<std::size_t>(changed);
  return changed;
}

bool restoreLabels(AppState& app, const std::uint8_t* data, std::size_t size) {
  if (!app.volume) return false;
  const auto& g = app.volume->geometry;
  auto restored = deserializeLabels(data, size, g.columns, g.rows, g.slices);
  if (!restored.ok()) {
    app.loader.addMessage({LoadMessage::Severity::Warning,
                           {app.volume->info.seriesDescription, "saved annotation not restored: " +
                                                                    restored.error().message}});
    return false;
  }
  app.labels = std::move(restored.value());
  app.history.clear();
  ++app.annotationVersion;  // redraws the overlay (and re-saves the same bytes)
  std::size_t voxels = 0;
  for (auto v : app.labels.labels) voxels += v != 0;
  app.labelledVoxels = voxels;
  app.loader.addMessage({LoadMessage::Severity::Info,
                         {app.volume->info.seriesDescription,
                          "annotation restored from this browser's storage (" + std::to_string(voxels) +
                              " labelled voxels)"}});
  return true;
}

namespace {
void afterHistoryChange(AppState& app) {
  std::size_t voxels = 0;
  for (auto v : app.labels.labels) voxels += v != 0;
  app.labelledVoxels = voxels;
  ++app.annotationVersion;
}
}  // namespace

namespace {
BrushShape brushShape(const AppState& app) {
  return {app.brushRadiusMm, app.volume->geometry.columnSpacing, app.volume->geometry.rowSpacing};
}
std::uint8_t strokeValue(const AppState& app) { return app.tool == Tool::Eraser ? 0 : 1; }
}  // namespace

void beginStroke(AppState& app, Point2 image) {
  if (!app.volume || app.tool == Tool::Prompt) return;
  app.history.begin(app.labels, app.slice);
  app.stroking = true;
  app.lastStrokePoint = image;
  paintDisc(app.labels, app.slice, image, brushShape(app), strokeValue(app));
}

void extendStroke(AppState& app, Point2 image) {
  if (!app.stroking) return;
  paintStroke(app.labels, app.slice, app.lastStrokePoint, image, brushShape(app), strokeValue(app));
  app.lastStrokePoint = image;
}

void endStroke(AppState& app) {
  if (!app.stroking) return;
  app.stroking = false;
  app.history.commit(app.labels, app.tool == Tool::Eraser ? "eraser stroke" : "brush stroke");
  afterHistoryChange(app);
}

bool undoEdit(AppState& app) {
  if (app.history.undo(app.labels).empty()) return false;
  afterHistoryChange(app);
  return true;
}

bool redoEdit(AppState& app) {
  if (app.history.redo(app.labels).empty()) return false;
  afterHistoryChange(app);
  return true;
}

std::string annotationKey(const AppState& app) {
  if (!app.volume) return {};
  const auto& g = app.volume->geometry;
  return app.volume->info.seriesInstanceUid + "|" + std::to_string(g.columns) + "x" + std::to_string(g.rows) +
         "x" + std::to_string(g.slices);
}

void discardMask(AppState& app) {
  if (app.prompts) app.prompts->clearPrompts();
}

bool advanceCine(AppState& app, double elapsedMs) {
  if (!app.volume || !app.cinePlaying || app.cineFps <= 0) return false;
  app.cineElapsedMs += elapsedMs;
  const double period = 1000.0 / app.cineFps;
  if (app.cineElapsedMs < period) return false;
  const int steps = static_cast<int>(app.cineElapsedMs / period);
  app.cineElapsedMs -= steps * period;
  const int slices = app.volume->geometry.slices;
  app.slice = (app.slice + steps) % slices;
  return true;
}

void resetView(AppState& app) {
  if (!app.volume) return;
  selectWindowPreset(app, 0);
  app.invert = false;
  fitToView(app);
}

bool displayInverted(const AppState& app) {
  return app.volume && (app.volume->invertDisplay != app.invert);
}

void scrollSlices(AppState& app, int delta) {
  if (!app.volume) return;
  app.slice = std::clamp(app.slice + delta, 0, app.volume->geometry.slices - 1);
}

void selectWindowPreset(AppState& app, int index) {
  if (!app.volume || index < 0 || index >= static_cast<int>(app.volume->windows.size())) return;
  app.windowPreset = index;
  app.window = app.volume->windows[index];
}

void dragWindow(AppState& app, double dx, double dy) {
  if (!app.volume) return;
  const double step = std::max(app.window.width, 10.0) / 400.0;
  app.window.width = std::max(1.0, app.window.width + dx * step);
  app.window.center += dy * step;
  app.window.name = "manual";
  app.windowPreset = -1;
}

void fitToView(AppState& app) {
  if (!app.volume) return;
  app.view = fitView(app.viewRect, imageExtent(*app.volume));
  app.viewNeedsFit = false;
}

void updateCursor(AppState& app, Point2 screen) {
  app.cursorOnImage = false;
  if (!app.volume || !app.viewRect.contains(screen.x, screen.y)) return;
  Point2 p = screenToImage(app.view, app.viewRect, imageExtent(*app.volume), screen);
  const auto& g = app.volume->geometry;
  if (p.x < 0 || p.y < 0 || p.x >= g.columns || p.y >= g.rows) return;
  app.cursorOnImage = true;
  app.cursorColumn = p.x;
  app.cursorRow = p.y;
}

CursorReadout cursorReadout(const AppState& app) {
  CursorReadout r;
  if (!app.volume || !app.cursorOnImage) return r;
  r.valid = true;
  r.column = static_cast<int>(std::floor(app.cursorColumn));
  r.row = static_cast<int>(std::floor(app.cursorRow));
  r.value = app.volume->at(r.column, r.row, app.slice);
  r.patient = app.volume->geometry.toPatient(r.column, r.row, app.slice);
  return r;
}

}  // namespace ls
