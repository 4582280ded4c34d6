// The AppState side of the restoration preview: opening and closing the
// comparison, and the pane layout of the view area.
#include "app/app_state.h"

#include <algorithm>
#include <cmath>

#include "restore/noise_estimate.h"

namespace ls {

bool comparing(const AppState& app) {
  return app.restoration && app.restoration->isOpen() && app.volume &&
         app.restoration->generation() == app.volumeGeneration;
}

void openRestoration(AppState& app) {
  if (!app.restoration || !app.volume || app.volume->isColour()) return;  // denoisers are for greyscale images
  const auto& g = app.volume->geometry;
  RestoreSettings settings = app.restoration->settings();
  settings.noiseSigma = estimateNoiseSigma(app.volume->slice(app.slice), g.columns, g.rows);
  app.restoration->open(*app.volume, app.volumeGeneration, settings);
  app.comparison.noiseRoi.reset();
  app.comparison.differenceRange = 0;
  app.viewNeedsFit = true;  // the panes are smaller than the single view
}

void closeRestoration(AppState& app) {
  if (!app.restoration || !app.restoration->isOpen()) return;
  app.restoration->close();
  app.comparison.promptOnRestored = false;
  if (app.tool == Tool::NoiseRoi) app.tool = Tool::Prompt;
  app.viewNeedsFit = true;
  syncPromptImage(app);
}

const RiskReport* currentRisk(AppState& app) {
  if (!comparing(app)) return nullptr;
  const float* restored = app.restoration->restoredSlice(app.slice);
  if (!restored) return nullptr;
  if (app.riskSlice != app.slice || app.riskVersion != app.restoration->settingsVersion()) {
    const auto& g = app.volume->geometry;
    // Judged against the noise the source really has (estimated on it), not
    // the sigma the user gave the filter: over-smoothing must not hide itself.
    app.risk = analyseRestoration(app.volume->slice(app.slice), restored, g.columns, g.rows, g.columnSpacing,
                                  g.rowSpacing, 0.0f);
    app.riskSlice = app.slice;
    app.riskVersion = app.restoration->settingsVersion();
  }
  return &app.risk;
}

std::optional<RegionNoise> noiseInUserRect(const AppState& app) {
  if (!comparing(app) || !app.comparison.noiseRoi) return std::nullopt;
  const float* restored = app.restoration->restoredSlice(app.slice);
  if (!restored) return std::nullopt;
  const auto& [a, b] = *app.comparison.noiseRoi;
  const auto& g = app.volume->geometry;
  RegionNoise noise = noiseInRect(app.volume->slice(app.slice), restored, g.columns, g.rows,
                                  static_cast<int>(std::floor(std::min(a.x, b.x))),
                                  static_cast<int>(std::floor(std::min(a.y, b.y))),
                                  static_cast<int>(std::ceil(std::max(a.x, b.x))),
                                  static_cast<int>(std::ceil(std::max(a.y, b.y))));
  if (noise.pixels < 4) return std::nullopt;
  return noise;
}

void layoutViewPanes(AppState& app, Point2 pointer, bool buttonHeld) {
  const std::size_t previousCount = app.panes.size();
  if (comparing(app) || !app.volume) {
    app.panes = layoutPanes(app.comparison, comparing(app), app.viewArea);
  } else {
    app.panes = layoutMultiplanarPanes(app.multiplanar, app.volume->geometry, app.viewArea);
  }
  // A drag stays with the pane it started in.
  const bool keep = buttonHeld && app.panes.size() == previousCount && app.inputPane < static_cast<int>(previousCount);
  if (!keep) app.inputPane = paneAt(app.panes, pointer);
  const ViewPane& input = app.panes[app.inputPane];
  app.viewRect = input.rect;
  if (input.slot < 0) return;
  for (const ViewPane& pane : app.panes) {
    if (pane.slot < 0) app.viewRect = pane.rect;  // the main pane, whichever is under the pointer
  }
}

}  // namespace ls
