#include "ui/restoration_panel.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

namespace ls {
namespace {

const char* const kModeNames[] = {"Side by side", "Swipe", "Flicker", "Difference"};

std::string methodLabel(const RestorationPreview& r, RestoreMethod method, int denoiser) {
  switch (method) {
    case RestoreMethod::NonLocalMeans: return "Non-local means";
    case RestoreMethod::Bilateral: return "Bilateral";
    case RestoreMethod::AnisotropicDiffusion: return "Anisotropic diffusion";
    case RestoreMethod::Median: return "Median 3x3";
    case RestoreMethod::Learned: {
      const auto& m = r.denoisers()[denoiser];
      return "Learned: " + m.name + (m.modality.empty() ? "" : " (" + m.modality + ")");
    }
  }
  return "";
}

// For the pane label, short enough to leave the orientation letter free.
std::string shortMethodLabel(const RestorationPreview& r) {
  if (r.settings().method != RestoreMethod::Learned) return methodLabel(r, r.settings().method, 0);
  const std::string& modality = r.denoisers()[r.settings().denoiser].modality;
  return "learned " + (modality.empty() ? std::string("denoiser") : modality + " denoiser");
}

const char* units(const AppState& app) { return app.volume->info.modality == "CT" ? "HU" : "units"; }

void drawMethodChoice(AppState& app, RestorationPreview& r) {
  RestoreSettings s = r.settings();
  const std::string current = methodLabel(r, s.method, s.denoiser);
  if (!ImGui::BeginCombo("Method", current.c_str())) return;
  for (RestoreMethod m : {RestoreMethod::NonLocalMeans, RestoreMethod::Bilateral,
                          RestoreMethod::AnisotropicDiffusion, RestoreMethod::Median}) {
    if (ImGui::Selectable(methodLabel(r, m, 0).c_str(), s.method == m)) {
      s.method = m;
      r.setSettings(s);
    }
  }
  for (int i = 0; i < static_cast<int>(r.denoisers().size()); ++i) {
    const bool selected = s.method == RestoreMethod::Learned && s.denoiser == i;
    if (ImGui::Selectable(methodLabel(r, RestoreMethod::Learned, i).c_str(), selected)) {
      s.method = RestoreMethod::Learned;
      s.denoiser = i;
      r.setSettings(s);
    }
  }
  ImGui::EndCombo();
}

// Sliders apply on release: every change restarts the restoration.
void drawParameters(AppState& app, RestorationPreview& r) {
  ComparisonView& c = app.comparison;
  RestoreSettings s = r.settings();
  float sigma = c.pendingSigma >= 0 ? c.pendingSigma : s.noiseSigma;
  const float sigmaMax = std::max(50.0f, s.noiseSigma * 4);
  char format[32];
  std::snprintf(format, sizeof format, "%%.1f %s", units(app));
  if (ImGui::SliderFloat("Noise sigma", &sigma, 0.0f, sigmaMax, format)) c.pendingSigma = sigma;
  if (ImGui::IsItemDeactivatedAfterEdit()) {
    s.noiseSigma = sigma;
    c.pendingSigma = -1;
    r.setSettings(s);
  }
  float strength = c.pendingStrength >= 0 ? c.pendingStrength : s.strength;
  if (ImGui::SliderFloat("Strength", &strength, 0.0f, 1.0f, "%.2f")) c.pendingStrength = strength;
  if (ImGui::IsItemDeactivatedAfterEdit()) {
    s.strength = strength;
    c.pendingStrength = -1;
    r.setSettings(s);
  }
}

void drawComparisonControls(AppState& app) {
  ComparisonView& c = app.comparison;
  int mode = static_cast<int>(c.mode);
  for (int i = 0; i < 4; ++i) {
    if (i % 2) ImGui::SameLine();
    if (ImGui::RadioButton(kModeNames[i], mode == i)) {
      c.mode = static_cast<CompareMode>(i);
      app.viewNeedsFit = true;  // one pane or two
    }
  }
  if (c.mode == CompareMode::Swipe) {
    float swipe = static_cast<float>(c.swipe);
    if (ImGui::SliderFloat("Divider", &swipe, 0.0f, 1.0f, "%.2f")) c.swipe = swipe;
  }
  if (c.mode == CompareMode::Flicker) {
    float hz = static_cast<float>(c.flickerHz);
    if (ImGui::SliderFloat("Toggles/s", &hz, 0.5f, 10.0f, "%.1f")) c.flickerHz = hz;
  }
  if (c.mode == CompareMode::Difference) {
    const float automatic = 3 * app.restoration->settings().noiseSigma;
    float range = c.differenceRange > 0 ? c.differenceRange : automatic;
    char format[32];
    std::snprintf(format, sizeof format, "+/- %%.1f %s", units(app));
    if (ImGui::SliderFloat("Colour range", &range, 1.0f, std::max(10.0f, automatic * 4), format)) {
      c.differenceRange = range;
    }
  }
}

void drawProgress(const RestorationPreview& r) {
  char label[96];
  std::snprintf(label, sizeof label, "%d / %d slices", r.slicesDone(), r.sliceCount());
  ImGui::ProgressBar(r.sliceCount() ? float(r.slicesDone()) / r.sliceCount() : 0.f, ImVec2(-1, 0), label);
  if (r.lastSliceMilliseconds() > 0) {
    if (r.settings().method == RestoreMethod::Learned) {
      ImGui::TextDisabled("last slice %.0f ms (model %.0f ms)", r.lastSliceMilliseconds(), r.lastModelMilliseconds());
    } else {
      ImGui::TextDisabled("last slice %.0f ms", r.lastSliceMilliseconds());
    }
  }
  if (!r.error().empty()) ImGui::TextColored(ImVec4(1.0f, 0.45f, 0.4f, 1.0f), "%s", r.error().c_str());
}

const ImVec4 kWarningColour{1.0f, 0.8f, 0.35f, 1.0f};
// Outlines drawn on the view: the strongest regions only, so a heavily
// smoothed slice stays readable (the panel lists how many there are).
constexpr std::size_t kOutlinedRegions = 20;
const ImVec4 kGoodColour{0.55f, 0.85f, 0.55f, 1.0f};

// What the restoration may have removed or invented on this slice, measured.
void drawRiskSection(AppState& app) {
  ComparisonView& c = app.comparison;
  ImGui::Checkbox("Outline risks on the view", &c.showRisks);
  const RiskReport* risk = currentRisk(app);
  if (!risk) {
    ImGui::TextDisabled("once this slice is restored");
    return;
  }
  ImGui::Text("Edge preservation %.2f (1: edges kept)", risk->edgePreservation);
  ImGui::Text("Residual SD %.3g %s (noise-like part %.3g)", risk->residual.sd, units(app), risk->residual.robustSd);
  if (risk->summary.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, kGoodColour);
    ImGui::TextWrapped("No structure found in the residual; no small detail weakened.");
    ImGui::PopStyleColor();
  }
  constexpr std::size_t kShown = 8;
  for (std::size_t i = 0; i < risk->summary.size() && i < kShown; ++i) {
    ImGui::PushStyleColor(ImGuiCol_Text, kWarningColour);
    ImGui::TextWrapped("%s", risk->summary[i].c_str());
    ImGui::PopStyleColor();
  }
  if (risk->summary.size() > kShown) ImGui::TextDisabled("... and %zu more", risk->summary.size() - kShown);
  if (risk->regions.size() > kOutlinedRegions) {
    ImGui::TextDisabled("%zu regions; the %zu strongest outlined", risk->regions.size(), kOutlinedRegions);
  }

  const bool measuring = app.tool == Tool::NoiseRoi;
  if (ImGui::Button(measuring ? "Drawing: drag a rectangle" : "Measure noise in a rectangle")) {
    app.tool = measuring ? Tool::Prompt : Tool::NoiseRoi;
  }
  if (auto noise = noiseInUserRect(app)) {
    ImGui::Text("Noise SD: source %.3g, restored %.3g %s (x%.2f)", noise->sourceSd, noise->restoredSd, units(app),
                noise->sdRatio());
    ImGui::Text("Mean: source %.4g, restored %.4g", noise->sourceMean, noise->restoredMean);
  }
}

// Flagged regions (red: removed edge, orange: removed spot, magenta:
// invented spot) and weakened details (yellow circles) over one pane.
void drawRiskOutlines(const AppState& app, const ScreenRect& pane, ImDrawList* draw) {
  if (!app.comparison.showRisks || app.riskSlice != app.slice ||
      app.riskVersion != app.restoration->settingsVersion()) {
    return;
  }
  const ImageExtent extent = imageExtent(*app.volume);
  auto screen = [&](double x, double y) {
    const Point2 s = imageToScreen(app.view, pane, extent, {x, y});
    return ImVec2(float(s.x), float(s.y));
  };
  constexpr std::size_t kLabelled = 6;  // the strongest get a label; the rest only a box
  for (std::size_t i = 0; i < app.risk.regions.size() && i < kOutlinedRegions; ++i) {
    const RiskRegion& r = app.risk.regions[i];
    const ImU32 colour = r.kind == RiskKind::RemovedEdge ? IM_COL32(255, 60, 60, 255)
                         : r.kind == RiskKind::RemovedSpot ? IM_COL32(255, 150, 30, 255)
                                                           : IM_COL32(255, 60, 255, 255);
    const ImVec2 a = screen(r.x0, r.y0), b = screen(r.x1, r.y1);
    draw->AddRect(a, b, colour, 0, 0, 2.0f);
    if (i < kLabelled) draw->AddText(ImVec2(a.x, b.y + 2), colour, riskKindKey(r.kind));
  }
  for (const DetailContrast& d : app.risk.details) {
    if (!d.weakened) continue;
    const ImVec2 centre = screen(d.x + 0.5, d.y + 0.5);
    const float radius = std::max(6.0f, float(d.diameterMm * app.view.pixelsPerMm));
    draw->AddCircle(centre, radius, IM_COL32(255, 230, 40, 255), 24, 2.0f);
    char text[32];
    std::snprintf(text, sizeof text, "%.0f%%", 100 * d.retained);
    draw->AddText(ImVec2(centre.x + radius + 2, centre.y - 7), IM_COL32(255, 230, 40, 255), text);
  }
}

void drawNoiseRect(const AppState& app, const ScreenRect& pane, ImDrawList* draw) {
  if (!app.comparison.noiseRoi) return;
  const ImageExtent extent = imageExtent(*app.volume);
  const Point2 a = imageToScreen(app.view, pane, extent, app.comparison.noiseRoi->first);
  const Point2 b = imageToScreen(app.view, pane, extent, app.comparison.noiseRoi->second);
  draw->AddRect(ImVec2(float(a.x), float(a.y)), ImVec2(float(b.x), float(b.y)), IM_COL32(80, 220, 255, 255), 0, 0,
                1.5f);
}

// The signed colour scale of the difference view, at the pane's bottom edge.
void drawDifferenceScale(const AppState& app, const ScreenRect& pane, ImDrawList* draw) {
  const float range = app.comparison.differenceRange > 0 ? app.comparison.differenceRange
                                                         : 3 * app.restoration->settings().noiseSigma;
  const float width = std::min(240.0f, float(pane.width) * 0.5f), height = ImGui::GetFontSize() * 0.7f;
  const float x0 = float(pane.x) + 16, y0 = float(pane.y + pane.height) - height * 3.5f;
  constexpr int kSteps = 32;
  for (int i = 0; i < kSteps; ++i) {
    const float t = (i + 0.5f) / kSteps * 2 - 1, a = std::abs(t);
    const ImU32 colour = t >= 0 ? IM_COL32(int(255 * a), int(255 * (0.15f + 0.85f * a * a) * a), int(13 * a), 255)
                                : IM_COL32(int(13 * a), int(255 * (0.35f + 0.65f * a * a) * a), int(255 * a), 255);
    draw->AddRectFilled(ImVec2(x0 + width * i / kSteps, y0), ImVec2(x0 + width * (i + 1) / kSteps, y0 + height),
                        colour);
  }
  char low[48], high[48];
  std::snprintf(low, sizeof low, "-%.3g (lowered)", range);
  std::snprintf(high, sizeof high, "+%.3g (raised)", range);
  draw->AddText(ImVec2(x0, y0 + height + 2), IM_COL32(200, 220, 255, 255), low);
  const ImVec2 size = ImGui::CalcTextSize(high);
  draw->AddText(ImVec2(x0 + width - size.x, y0 + height + 2), IM_COL32(255, 210, 180, 255), high);
}

}  // namespace

void drawRestorationSection(AppState& app, UiRequests& requests) {
  if (!app.volume || !app.restoration) return;
  // Opening a comparison (here or from elsewhere) unfolds its controls.
  static bool wasComparing = false;
  if (comparing(app) && !wasComparing) ImGui::SetNextItemOpen(true);
  wasComparing = comparing(app);
  if (!ImGui::CollapsingHeader("Restoration preview")) return;
  RestorationPreview& r = *app.restoration;
  if (!comparing(app) && app.volume->isColour()) {
    ImGui::TextWrapped("Restoration previews are for greyscale series; this one is colour.");
    return;
  }
  if (!comparing(app)) {
    ImGui::TextWrapped("Denoise this series beside the untouched source, with the risks measured. "
                       "A preview only: nothing replaces the source.");
    if (ImGui::Button("Compare a restoration")) openRestoration(app);
    return;
  }
  drawMethodChoice(app, r);
  drawParameters(app, r);
  if (ImGui::Button("Estimate noise")) openRestoration(app);
  ImGui::SameLine();
  if (ImGui::Button("Close comparison")) {
    closeRestoration(app);
    return;
  }
  drawProgress(r);
  ImGui::Separator();
  ImGui::TextDisabled("Risks on this slice");
  drawRiskSection(app);
  ImGui::Separator();
  ImGui::TextDisabled("Compare");
  drawComparisonControls(app);
  ImGui::Separator();
  ImGui::TextDisabled("Export");
  ImGui::BeginDisabled(!r.complete());
  if (ImGui::Button("Export restored series (DICOM)")) requests.exportRestored = true;
  ImGui::EndDisabled();
  if (!r.complete()) ImGui::TextDisabled("once every slice is restored");
}

float drawRestorationBanner(const AppState& app, const ScreenRect& area) {
  if (!comparing(app)) return 0;
  const float height = ImGui::GetFrameHeight() * 1.4f;
  ImDrawList* draw = ImGui::GetForegroundDrawList();
  const ImVec2 a(float(area.x), float(area.y)), b(float(area.x + area.width), float(area.y) + height);
  draw->AddRectFilled(a, b, IM_COL32(150, 60, 20, 255));
  const ImVec2 text = ImGui::CalcTextSize(kRestorationBanner);
  draw->AddText(ImVec2(a.x + (b.x - a.x - text.x) / 2, a.y + (height - text.y) / 2), IM_COL32(255, 240, 220, 255),
                kRestorationBanner);
  return height;
}

void drawComparisonOverlays(const AppState& app) {
  if (!comparing(app)) return;
  ImDrawList* draw = ImGui::GetBackgroundDrawList();
  const RestorationPreview& r = *app.restoration;
  const bool ready = r.sliceReady(app.slice);
  const ImU32 textColour = IM_COL32(255, 230, 160, 255);
  const float margin = ImGui::GetFontSize() * 0.5f;
  for (const ViewPane& pane : app.panes) {
    const ImVec2 corner(float(pane.rect.x) + margin, float(pane.rect.y) + margin);
    std::string label = pane.image == PaneImage::Source ? "Source"
                        : pane.image == PaneImage::Restored ? "Restored (" + shortMethodLabel(r) + ")"
                                                            : "Difference (restored - source)";
    if (pane.swipeX >= 0) label = "Source | Restored";
    draw->AddText(corner, textColour, label.c_str());
    if (pane.image != PaneImage::Source && !ready) {
      const char* waiting = "restoring this slice...";
      const ImVec2 size = ImGui::CalcTextSize(waiting);
      draw->AddText(ImVec2(float(pane.rect.x + pane.rect.width / 2) - size.x / 2, float(pane.rect.y + pane.rect.height / 2)),
                    textColour, waiting);
    }
    draw->PushClipRect(ImVec2(float(pane.rect.x), float(pane.rect.y)),
                       ImVec2(float(pane.rect.x + pane.rect.width), float(pane.rect.y + pane.rect.height)));
    if (pane.image != PaneImage::Source || pane.swipeX >= 0) drawRiskOutlines(app, pane.rect, draw);
    drawNoiseRect(app, pane.rect, draw);
    if (pane.image == PaneImage::Difference) drawDifferenceScale(app, pane.rect, draw);
    draw->PopClipRect();
    if (pane.swipeX >= 0) {
      draw->AddLine(ImVec2(float(pane.swipeX), float(pane.rect.y)),
                    ImVec2(float(pane.swipeX), float(pane.rect.y + pane.rect.height)), IM_COL32(255, 200, 80, 255), 2.0f);
    }
  }
}

}  // namespace ls
