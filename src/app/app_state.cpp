#include "app/app_state.h"

#include <algorithm>
#include <numeric>
#include <cmath>

#include "io/label_storage.h"
#include "ml/mask_output.h"
#include "segment/interpolation.h"
#include "segment/preference_log.h"
#include "segment/region_tools.h"

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
  app.multiplanar.needsFit = true;
  app.multiplanar.crosshairColumn = g.columns / 2.0;
  app.multiplanar.crosshairRow = g.rows / 2.0;
  app.labels.reset(g.columns, g.rows, g.slices);
  app.segments.reset();
  app.removedSegments.clear();
  app.voxelsPerLabel = {};
  app.labelledVoxels = 0;
  app.history.clear();
  app.restoreOffer.reset();
  app.savedSessionChecked = false;
  app.measurements.clear();
  app.histogram = computeHistogram(app.volume->voxels.data(), app.volume->voxels.size(), 128, app.volume->padding);
  closeRestoration(app);  // it belonged to the previous series
  syncPromptImage(app);
}

void syncPromptImage(AppState& app) {
  if (!app.prompts || !app.volume) return;
  const auto& g = app.volume->geometry;
  // Prompts given on the restored view: the model sees the restored slice
  // (once it is ready); masks land on the same geometry either way.
  const float* restored = comparing(app) && app.comparison.promptOnRestored
                              ? app.restoration->restoredSlice(app.slice)
                              : nullptr;
  if (restored) {
    app.prompts->setImage({restored, g.columns, g.rows, app.volumeGeneration, app.slice, app.window, nullptr,
                           g.slices, app.restoration->settingsVersion()});
    return;
  }
  app.prompts->setImage({app.volume->slice(app.slice), g.columns, g.rows, app.volumeGeneration, app.slice,
                         app.window, app.volume->voxels.data(), g.slices});
}

namespace {
// The active segment now holds a model's output (see Segment::modelAssisted).
void noteModelAssisted(AppState& app) {
  Segment& active = app.segments.at(app.segments.activeIndex());
  if (active.modelAssisted) return;
  active.modelAssisted = true;
  app.segments.touch();
}
}  // namespace

int acceptMask(AppState& app) {
  if (!app.prompts || !app.volume) return 0;
  const MaskCandidate* candidate = app.prompts->selectedCandidate();
  if (!candidate) return 0;
  app.history.begin(app.labels, app.slice);
  const int changed = commitMask(app.labels, app.slice, candidate->mask, app.segments.paintRule());
  app.history.commit(app.labels, "accept mask on slice " + std::to_string(app.slice + 1));
  app.prompts->clearPrompts();
  if (changed > 0) noteModelAssisted(app);
  if (changed > 0) afterHistoryChange(app);
  return changed;
}

void chooseThreshold(AppState& app, int index, const std::string& isoTime) {
  if (!app.prompts || !app.volume || index < 0 || index >= static_cast<int>(preferenceThresholds().size())) return;
  const MaskCandidate* candidate = app.prompts->selectedCandidate();
  if (!candidate) return;
  const auto& g = app.volume->geometry;
  PreferenceRecord record;
  record.time = isoTime;
  record.model = app.prompts->model()->name;
  record.seriesInstanceUid = app.volume->info.seriesInstanceUid;
  record.sliceFile = app.slice < static_cast<int>(app.volume->sliceFiles.size()) ? app.volume->sliceFiles[app.slice] : "";
  record.slice = app.slice, record.columns = g.columns, record.rows = g.rows;
  record.points = app.prompts->points();
  record.box = app.prompts->box();
  record.thresholds = preferenceThresholds();
  record.masks = thresholdMasks(*candidate, app.prompts->model()->lowResSize, app.prompts->frame(), record.thresholds);
  record.chosen = index;
  app.history.begin(app.labels, app.slice);
  commitMask(app.labels, app.slice, record.masks[index], app.segments.paintRule());
  app.history.commit(app.labels, "accept mask at p > " + std::to_string(record.thresholds[index]).substr(0, 3));
  noteModelAssisted(app);
  app.newPreferences.push_back(preferenceJsonLine(record));
  ++app.preferenceCount;
  app.prompts->clearPrompts();
  afterHistoryChange(app);
}

bool hasUnexportedWork(const AppState& app) {
  return app.labelledVoxels > 0 && app.annotationVersion != app.exportedAnnotationVersion;
}

namespace {
// A label with voxels but no segment (an undone delete, an old save) gets
// its segment back: the stashed one if it was deleted, else a new one.
void ensureSegmentsForLabels(AppState& app) {
  for (int label = 1; label < 256; ++label) {
    const auto value = static_cast<std::uint8_t>(label);
    if (app.voxelsPerLabel[label] == 0 || app.segments.find(value)) continue;
    auto stashed = std::find_if(app.removedSegments.begin(), app.removedSegments.end(),
                                [&](const Segment& s) { return s.label == value; });
    Segment s;
    if (stashed != app.removedSegments.end()) {
      s = *stashed;
      app.removedSegments.erase(stashed);
    } else {
      s.label = value;
      s.name = "Segment " + std::to_string(label);
    }
    app.segments.insert(s);
  }
}
}  // namespace

CurrentMask currentMask(AppState& app) {
  CurrentMask current;
  syncPromptImage(app);
  if (const MaskCandidate* candidate = app.prompts->selectedCandidate()) {
    current.mask = candidate->mask;
    current.lowRes = candidate->lowRes;
    current.fromPreview = true;
    return current;
  }
  const auto& g = app.volume->geometry;
  const std::uint8_t label = app.segments.active().label;
  const std::uint8_t* labels = app.labels.slice(app.slice);
  current.mask.assign(static_cast<std::size_t>(g.columns) * g.rows, 0);
  for (std::size_t i = 0; i < current.mask.size(); ++i) current.mask[i] = labels[i] == label;
  const ModelManifest& model = *app.prompts->model();
  current.lowRes = imageMaskToLowRes(current.mask.data(), model.lowResSize,
                                     makeModelFrame(g.columns, g.rows, model.inputSize));
  return current;
}

namespace {
// Voxels per label, recounted only on the slices the last edit, undo or redo
// changed (a whole 512 x 512 x 300 recount per brush stroke or per undo step
// would cost tens of milliseconds each); everything when that is unknown.
void updateLabelCounts(AppState& app) {
  const std::size_t plane = static_cast<std::size_t>(app.labels.columns) * app.labels.rows;
  auto changed = app.history.takeChangedSlices();
  if (!changed || app.labelCountsPerSlice.size() != static_cast<std::size_t>(app.labels.slices)) {
    app.labelCountsPerSlice.assign(app.labels.slices, {});
    changed.emplace(app.labels.slices);
    std::iota(changed->begin(), changed->end(), 0);
  }
  for (int z : *changed) {
    auto& counts = app.labelCountsPerSlice[z];
    counts.fill(0);
    const std::uint8_t* s = app.labels.slice(z);
    for (std::size_t i = 0; i < plane; ++i) ++counts[s[i]];
  }
  app.voxelsPerLabel = {};
  for (const auto& counts : app.labelCountsPerSlice) {
    for (int label = 0; label < 256; ++label) app.voxelsPerLabel[label] += counts[label];
  }
}
}  // namespace

void afterHistoryChange(AppState& app) {
  updateLabelCounts(app);
  app.labelledVoxels = app.labels.labels.size() - app.voxelsPerLabel[0];
  ensureSegmentsForLabels(app);
  ++app.annotationVersion;
}

void addSegment(AppState& app) {
  if (app.segments.add()) segmentsEdited(app);
}

void deleteSegment(AppState& app, int index) {
  if (index < 0 || index >= static_cast<int>(app.segments.all().size()) || app.segments.all().size() < 2) return;
  const Segment removed = app.segments.all()[index];
  std::vector<int> slices;
  const std::size_t plane = static_cast<std::size_t>(app.labels.columns) * app.labels.rows;
  for (int z = 0; z < app.labels.slices; ++z) {
    const std::uint8_t* s = app.labels.slice(z);
    if (std::find(s, s + plane, removed.label) != s + plane) slices.push_back(z);
  }
  app.history.begin(app.labels, slices);
  for (int z : slices) std::replace(app.labels.slice(z), app.labels.slice(z) + plane, removed.label, std::uint8_t{0});
  app.history.commit(app.labels, "delete " + removed.name);
  app.removedSegments.push_back(removed);
  app.segments.remove(index);
  afterHistoryChange(app);
}

void measurementsEdited(AppState& app) { ++app.measurementsVersion; }

void deleteMeasurement(AppState& app, std::size_t index) {
  if (index >= app.measurements.size()) return;
  app.measurements.erase(app.measurements.begin() + static_cast<std::ptrdiff_t>(index));
  measurementsEdited(app);
}

void segmentsEdited(AppState& app) {
  app.segments.touch();
  ++app.annotationVersion;
}

namespace {
BrushShape brushShape(const AppState& app) {
  const auto& g = app.volume->geometry;
  return {app.brushRadiusMm, g.columnSpacing, g.rowSpacing, g.slices > 1 ? g.sliceSpacing : 1.0, app.brushSphere};
}
// The threshold-constrained brush; the eraser is never constrained.
IntensityGate brushGate(const AppState& app) {
  if (!app.brushThreshold || app.tool == Tool::Eraser) return {};
  return {app.volume->voxels.data(), app.thresholdLow, app.thresholdHigh};
}
PaintRule strokeRule(const AppState& app) {
  return app.tool == Tool::Eraser ? app.segments.eraseRule() : app.segments.paintRule();
}
}  // namespace

void beginStroke(AppState& app, Point2 image) {
  if (!app.volume || (app.tool != Tool::Brush && app.tool != Tool::Eraser)) return;
  app.history.begin(app.labels, slicesTouched(app.labels, app.slice, brushShape(app)));
  app.stroking = true;
  app.lastStrokePoint = image;
  paintDisc(app.labels, app.slice, image, brushShape(app), strokeRule(app), brushGate(app));
}

void extendStroke(AppState& app, Point2 image) {
  if (!app.stroking) return;
  paintStroke(app.labels, app.slice, app.lastStrokePoint, image, brushShape(app), strokeRule(app), brushGate(app));
  app.lastStrokePoint = image;
}

void endStroke(AppState& app) {
  if (!app.stroking) return;
  app.stroking = false;
  app.history.commit(app.labels, app.tool == Tool::Eraser ? "eraser stroke" : "brush stroke");
  afterHistoryChange(app);
}

void fillAt(AppState& app, Point2 image) {
  if (!app.volume) return;
  const Segment& active = app.segments.active();
  app.history.begin(app.labels, app.slice);
  const FillResult r = fillEnclosed(app.labels, app.slice, static_cast<int>(std::floor(image.x)),
                                    static_cast<int>(std::floor(image.y)), active.label, app.segments.paintRule());
  app.history.commit(app.labels, "fill in " + active.name);
  if (!r.closed) {
    app.loader.addMessage({LoadMessage::Severity::Info,
                           {active.name, "fill: no closed contour of this segment around the click (the region "
                                         "reaches the image edge); nothing filled"}});
  }
  if (r.changed > 0) afterHistoryChange(app);
}

void interpolateActiveSegment(AppState& app) {
  if (!app.volume) return;
  const Segment& active = app.segments.active();
  const std::vector<int> gaps = slicesToInterpolate(app.labels, active.label);
  std::string what = "interpolate " + active.name;
  if (gaps.empty()) {
    app.loader.addMessage({LoadMessage::Severity::Info,
                           {active.name, "interpolation needs two slices holding the segment with slices between"}});
    return;
  }
  app.history.begin(app.labels, gaps);
  const int changed = interpolateBetweenSlices(app.labels, active.label, app.segments.paintRule());
  app.history.commit(app.labels, what);
  app.loader.addMessage({LoadMessage::Severity::Info,
                         {active.name, "interpolated " + std::to_string(gaps.size()) + " slices (" +
                                           std::to_string(changed) + " voxels)"}});
  if (changed > 0) afterHistoryChange(app);
}

void eraseOutside(AppState& app, Point2 a, Point2 b) {
  if (!app.volume) return;
  app.history.begin(app.labels, app.slice);
  const int changed = eraseOutsideBox(app.labels, app.slice, a, b, app.segments.eraseRule());
  app.history.commit(app.labels, "erase " + app.segments.active().name + " outside box");
  if (changed > 0) afterHistoryChange(app);
}

bool undoEdit(AppState& app) { return undoEdits(app, 1) > 0; }

int undoEdits(AppState& app, int steps) {
  int undone = 0;
  while (undone < steps && !app.history.undo(app.labels).empty()) ++undone;
  if (undone > 0) afterHistoryChange(app);  // once: counts for every slice the steps touched
  return undone;
}

bool redoEdit(AppState& app) {
  if (app.history.redo(app.labels).empty()) return false;
  afterHistoryChange(app);
  return true;
}

std::string annotationKey(const AppState& app) {
  if (!app.volume) return {};
  const auto& g = app.volume->geometry;
  return app.volume->info.seriesInstanceUid + (app.volume->info.part.empty() ? "" : "|" + app.volume->info.part) +
         "|" + std::to_string(g.columns) + "x" + std::to_string(g.rows) + "x" + std::to_string(g.slices);
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
  app.multiplanar.needsFit = true;
  fitReformatPanes(app);
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
  // Steps follow the width, but not below what the data's range needs: 10
  // units for CT and MR as viewers do, far less for a dose grid in Gy.
  const double range = std::max(double(app.volume->maxValue) - app.volume->minValue, 1e-6);
  const double step = std::max(app.window.width, std::min(10.0, range / 100)) / 400.0;
  app.window.width = std::max(std::min(1.0, range / 1000), app.window.width + dx * step);
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
  app.cursorSlice = -1;
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
  r.slice = app.cursorSlice >= 0 ? app.cursorSlice : app.slice;
  r.value = app.volume->at(r.column, r.row, r.slice);
  r.padding = app.volume->padding && app.volume->padding->contains(r.value);
  if (app.volume->isColour()) {
    const std::uint32_t rgba = app.volume->colourSlice(r.slice)[static_cast<std::size_t>(r.row) *
                                                                  app.volume->geometry.columns + r.column];
    r.colour = true;
    r.red = rgba & 0xFF, r.green = (rgba >> 8) & 0xFF, r.blue = (rgba >> 16) & 0xFF;
  }
  if (const float* restored = comparing(app) ? app.restoration->restoredSlice(app.slice) : nullptr) {
    r.hasRestored = true;
    r.restoredValue = restored[static_cast<std::size_t>(r.row) * app.volume->geometry.columns + r.column];
  }
  r.patient = app.volume->geometry.toPatient(r.column, r.row, r.slice);
  const std::uint8_t label =
      app.labels.slice(r.slice)[static_cast<std::size_t>(r.row) * app.volume->geometry.columns + r.column];
  const Segment* segment = app.segments.find(label);
  if (segment && segment->visible) r.segmentLabel = label;
  return r;
}

int highlightedSegmentLabel(const AppState& app) {
  if (app.hoveredSegmentLabel >= 0) return app.hoveredSegmentLabel;
  const int underCursor = cursorReadout(app).segmentLabel;
  return underCursor > 0 ? underCursor : -1;
}

}  // namespace ls
