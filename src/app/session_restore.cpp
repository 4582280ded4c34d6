#include "app/session_restore.h"

#include <algorithm>
#include <cmath>

#include "app/app_state.h"

namespace ls {
namespace {

std::size_t countLabelled(const LabelVolume& labels) {
  return static_cast<std::size_t>(
      std::count_if(labels.labels.begin(), labels.labels.end(), [](std::uint8_t v) { return v != 0; }));
}

// A fresh session saves its one default segment too; renamed or added
// segments are work worth offering even before anything is painted.
bool holdsWork(const SavedAnnotation& saved, std::size_t labelled) {
  if (labelled > 0 || saved.segments.size() > 1 || !saved.view.measurements.empty()) return true;
  SegmentList fresh;
  return saved.segments.size() == 1 && saved.segments[0].name != fresh.all()[0].name;
}

}  // namespace

bool offerSavedAnnotation(AppState& app, const std::uint8_t* data, std::size_t size, const std::string& savedAt) {
  app.restoreOffer.reset();
  if (!app.volume) return false;
  const auto& g = app.volume->geometry;
  auto saved = deserializeAnnotation(data, size, g.columns, g.rows, g.slices);
  if (!saved.ok()) {
    app.loader.addMessage({LoadMessage::Severity::Warning,
                           {app.volume->info.seriesDescription,
                            "saved annotation not restored: " + saved.error().message}});
    return false;
  }
  RestoreOffer offer;
  offer.labelledVoxels = countLabelled(saved.value().labels);
  if (!holdsWork(saved.value(), offer.labelledVoxels)) return false;
  offer.labelledMillilitres = offer.labelledVoxels * g.columnSpacing * g.rowSpacing * g.sliceSpacing / 1000.0;
  offer.saved = std::move(saved.value());
  offer.savedAt = savedAt;
  app.restoreOffer = std::move(offer);
  return true;
}

void acceptRestoreOffer(AppState& app) {
  if (!app.restoreOffer || !app.volume) return;
  SavedAnnotation& saved = app.restoreOffer->saved;
  app.labels = std::move(saved.labels);
  if (!saved.segments.empty()) app.segments.assign(std::move(saved.segments), saved.activeSegment);
  if (saved.view.windowWidth > 0) {
    app.window.center = saved.view.windowCenter;
    app.window.width = saved.view.windowWidth;
    // The preset it came from, if it is one (else "manual").
    const auto& presets = app.volume->windows;
    auto same = std::find_if(presets.begin(), presets.end(), [&](const WindowLevel& w) {
      return std::abs(w.center - app.window.center) < 1e-3 && std::abs(w.width - app.window.width) < 1e-3;
    });
    app.windowPreset = same == presets.end() ? -1 : static_cast<int>(same - presets.begin());
  }
  app.slice = std::clamp(saved.view.slice, 0, app.volume->geometry.slices - 1);
  app.measurements = std::move(saved.view.measurements);
  app.restoreOffer.reset();
  app.history.clear();
  afterHistoryChange(app);
  syncPromptImage(app);
  app.loader.addMessage({LoadMessage::Severity::Info,
                         {app.volume->info.seriesDescription,
                          "annotation restored from this browser's storage (" + std::to_string(app.labelledVoxels) +
                              " labelled voxels, " + std::to_string(app.segments.all().size()) + " segments, " +
                              std::to_string(app.measurements.size()) + " measurements)"}});
}

void declineRestoreOffer(AppState& app) {
  if (!app.restoreOffer || !app.volume) return;
  app.restoreOffer.reset();
  app.loader.addMessage({LoadMessage::Severity::Info,
                         {app.volume->info.seriesDescription,
                          "started empty; the saved annotation is replaced by your next edit"}});
}

SessionView currentSessionView(const AppState& app) {
  return {app.slice, static_cast<float>(app.window.center), static_cast<float>(app.window.width), app.measurements};
}

}  // namespace ls
