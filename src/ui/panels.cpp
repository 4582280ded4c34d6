#include "ui/panels.h"

#include "imaging/orientation.h"
#include "imaging/roi_stats.h"
#include "segment/preference_log.h"
#include "ui/restoration_panel.h"
#include "ui/segments_panel.h"
#include "ui/session_panel.h"
#include "ui/shortcuts_panel.h"
#include "ui/view_panel.h"

#include <imgui.h>

#include <cstddef>
#include <cstdint>
#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <iterator>
#include <string>
#include <vector>

namespace ls {
namespace {

const ImVec4 kErrorColour{1.0f, 0.45f, 0.4f, 1.0f};
const ImVec4 kWarningColour{1.0f, 0.8f, 0.35f, 1.0f};
const ImVec4 kInfoColour{0.65f, 0.75f, 0.9f, 1.0f};

void metadataRow(const char* label, const std::string& value) {
  ImGui::TableNextRow();
  ImGui::TableSetColumnIndex(0);
  ImGui::TextDisabled("%s", label);
  ImGui::TableSetColumnIndex(1);
  ImGui::TextWrapped("%s", value.empty() ? "-" : value.c_str());
}

std::string formatSpacing(const Volume& v) {
  if (!v.geometry.spacingKnown) return "not in the files: lengths are in pixels";
  char text[96];
  std::snprintf(text, sizeof text, "%.3g x %.3g x %.3g mm", v.geometry.columnSpacing,
                v.geometry.rowSpacing, v.geometry.sliceSpacing);
  return text;
}

void drawOpenSection(AppState& app, UiRequests& requests) {
  if (ImGui::Button("Open files...")) requests.openFiles = true;
  ImGui::SameLine();
  if (ImGui::Button("Open folder...")) requests.openFolder = true;
  ImGui::TextDisabled("or drop files or a folder on the page.");
  ImGui::TextDisabled("Files are read here; nothing is uploaded.");
  if (app.loader.busy()) {
    char label[96];
    std::snprintf(label, sizeof label, "decoding %d / %d", app.loader.filesDone(),
                  app.loader.filesExpected());
    ImGui::ProgressBar(app.loader.progress(), ImVec2(-1, 0), label);
  }
}

// Every series of the last batch, to switch between them.
void drawSeriesBrowser(AppState& app) {
  const auto& series = app.loader.series();
  if (series.size() < 2) return;
  ImGui::TextDisabled("%zu series in these files:", series.size());
  for (int i = 0; i < static_cast<int>(series.size()); ++i) {
    const ImageSlice& first = series[i].slices.front();
    char label[256];
    // The part first: what tells two volumes of one series apart.
    const std::string description =
        (first.info.part.empty() ? "" : first.info.part + ": ") +
        (first.info.seriesDescription.empty() ? "(no description)" : first.info.seriesDescription);
    std::snprintf(label, sizeof label, "%s  %s  (%zu images)##series%d", first.info.modality.c_str(),
                  description.c_str(), series[i].slices.size(), i);
    const float thumbnail = ImGui::GetFontSize() * 3.2f;
    if (i < static_cast<int>(app.seriesThumbnailTextures.size())) {
      ImGui::Image(reinterpret_cast<ImTextureID>(app.seriesThumbnailTextures[i]), ImVec2(thumbnail, thumbnail));
      ImGui::SameLine();
    }
    if (ImGui::Selectable(label, i == app.loader.currentSeries(), 0, ImVec2(0, thumbnail)) &&
        i != app.loader.currentSeries()) {
      if (auto volume = app.loader.openSeries(i)) showVolume(app, std::move(*volume));
    }
  }
}

void drawSeriesSection(AppState& app) {
  if (!app.volume) return;
  if (!ImGui::CollapsingHeader("Series", ImGuiTreeNodeFlags_DefaultOpen)) return;
  const Volume& v = *app.volume;
  if (ImGui::BeginTable("metadata", 2, ImGuiTableFlags_SizingStretchProp)) {
    std::string patient = v.info.patientName;
    if (!v.info.patientId.empty()) patient += patient.empty() ? "ID " + v.info.patientId : " (" + v.info.patientId + ")";
    metadataRow("Patient", patient);
    metadataRow("Study", v.info.studyDescription + (v.info.studyDate.empty() ? "" : " " + v.info.studyDate));
    metadataRow("Series", v.info.part.empty() ? v.info.seriesDescription : v.info.seriesDescription + ", " + v.info.part);
    metadataRow("Modality", v.info.modality);
    metadataRow("Size", std::to_string(v.geometry.columns) + " x " + std::to_string(v.geometry.rows) +
                            " x " + std::to_string(v.geometry.slices));
    metadataRow("Spacing", formatSpacing(v));
    metadataRow("Encoding", v.info.transferSyntax);
    metadataRow("Pixels", v.info.photometric + ", " + std::to_string(v.info.bitsStored) + " bits");
    ImGui::EndTable();
  }
  ImGui::Checkbox("Cine (Space)", &app.cinePlaying);
  ImGui::SameLine();
  float fps = static_cast<float>(app.cineFps);
  ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x * 0.5f);
  if (ImGui::SliderFloat("slices/s", &fps, 1.f, 30.f, "%.0f")) app.cineFps = fps;
  drawSeriesBrowser(app);
}

// "12.3 mm", or an ellipse ROI's statistics in modality units and mm^2.
std::string measurementText(const AppState& app, const LengthMeasurement& m) {
  const auto& g = app.volume->geometry;
  char text[160];
  // Without a pixel spacing in the files the placeholder is 1 mm: say pixels.
  const char* unit = g.spacingKnown ? "mm" : "px";
  if (m.kind == LengthMeasurement::Kind::Length) {
    std::snprintf(text, sizeof text, "%.1f %s", lengthMm(m, g.columnSpacing, g.rowSpacing), unit);
  } else if (m.kind == LengthMeasurement::Kind::Angle) {
    std::snprintf(text, sizeof text, "%.1f deg", angleDegrees(m, g.columnSpacing, g.rowSpacing));
  } else {
    const bool ellipse = m.kind == LengthMeasurement::Kind::Ellipse;
    const RoiStats s = roiStatistics(app.volume->slice(m.slice), g.columns, g.rows, m.a, m.b, ellipse,
                                     g.columnSpacing, g.rowSpacing);
    std::snprintf(text, sizeof text, "mean %.1f  SD %.1f  min %.0f  max %.0f  %.1f %s2", s.mean,
                  s.standardDeviation, s.min, s.max, s.areaMm2, unit);
  }
  return text;
}

// The value distribution with the current window's range marked on it.
void drawHistogram(AppState& app) {
  const Histogram& h = app.histogram;
  if (h.counts.empty()) return;
  std::vector<float> heights(h.counts.size());
  for (std::size_t i = 0; i < h.counts.size(); ++i) {
    heights[i] = app.histogramLog ? std::log1p(float(h.counts[i])) : float(h.counts[i]);
  }
  const ImVec2 size(ImGui::GetContentRegionAvail().x, ImGui::GetFrameHeight() * 3);
  ImGui::PlotHistogram("##histogram", heights.data(), static_cast<int>(heights.size()), 0, nullptr, 0.f, FLT_MAX,
                       size);
  const ImVec2 lo = ImGui::GetItemRectMin(), hi = ImGui::GetItemRectMax();
  auto xOf = [&](double value) {
    return lo.x + float((value - h.min) / (h.max - h.min)) * (hi.x - lo.x);
  };
  const double w0 = app.window.center - app.window.width / 2, w1 = app.window.center + app.window.width / 2;
  ImDrawList* draw = ImGui::GetWindowDrawList();
  draw->PushClipRect(lo, hi, true);
  draw->AddRectFilled(ImVec2(xOf(w0), lo.y), ImVec2(xOf(w1), hi.y), IM_COL32(255, 255, 255, 40));
  draw->AddLine(ImVec2(xOf(w0), lo.y), ImVec2(xOf(w0), hi.y), IM_COL32(255, 220, 120, 255));
  draw->AddLine(ImVec2(xOf(w1), lo.y), ImVec2(xOf(w1), hi.y), IM_COL32(255, 220, 120, 255));
  draw->PopClipRect();
  ImGui::TextDisabled("%.4g .. %.4g", h.min, h.max);
  ImGui::SameLine();
  ImGui::Checkbox("log", &app.histogramLog);
}

void drawMeasurements(AppState& app) {
  if (app.measurements.empty()) return;
  if (!ImGui::CollapsingHeader("Measurements", ImGuiTreeNodeFlags_DefaultOpen)) return;
  for (std::size_t i = 0; i < app.measurements.size(); ++i) {
    const auto& m = app.measurements[i];
    ImGui::PushID(static_cast<int>(i));
    if (ImGui::SmallButton("x")) {
      deleteMeasurement(app, i);
      ImGui::PopID();
      break;
    }
    ImGui::SameLine();
    ImGui::TextWrapped("%s (slice %d)", measurementText(app, m).c_str(), m.slice + 1);
    ImGui::PopID();
  }
}

void drawWindowSection(AppState& app) {
  if (!app.volume) return;
  if (!ImGui::CollapsingHeader("Window / level", ImGuiTreeNodeFlags_DefaultOpen)) return;
  const auto& presets = app.volume->windows;
  const char* current = app.windowPreset >= 0 ? presets[app.windowPreset].name.c_str() : "manual";
  if (ImGui::BeginCombo("preset", current)) {
    for (int i = 0; i < static_cast<int>(presets.size()); ++i) {
      char label[160];
      std::snprintf(label, sizeof label, "%s (L %.0f, W %.0f)", presets[i].name.c_str(), presets[i].center,
                    presets[i].width);
      if (ImGui::Selectable(label, i == app.windowPreset)) selectWindowPreset(app, i);
    }
    ImGui::EndCombo();
  }
  ImGui::Text("L %.4g   W %.4g", app.window.center, app.window.width);
  ImGui::SameLine();
  ImGui::Checkbox("Invert (I)", &app.invert);
  ImGui::TextDisabled("Right-drag on the image to adjust.");
  drawHistogram(app);
}

void drawMessagesSection(AppState& app) {
  const auto& messages = app.loader.messages();
  if (messages.empty()) return;
  char header[64];
  std::snprintf(header, sizeof header, "Messages (%zu)###messages", messages.size());
  if (!ImGui::CollapsingHeader(header, ImGuiTreeNodeFlags_DefaultOpen)) return;
  if (ImGui::SmallButton("Clear")) {
    app.loader.clearMessages();
    return;
  }
  for (const auto& m : messages) {
    const ImVec4 colour = m.severity == LoadMessage::Severity::Error     ? kErrorColour
                          : m.severity == LoadMessage::Severity::Warning ? kWarningColour
                                                                         : kInfoColour;
    ImGui::PushStyleColor(ImGuiCol_Text, colour);
    ImGui::TextWrapped("%s", m.error.file.empty() ? "(series)" : m.error.file.c_str());
    ImGui::PopStyleColor();
    ImGui::Indent();
    ImGui::TextWrapped("%s", m.error.message.c_str());
    ImGui::Unindent();
  }
}

void drawAnnotationStatus(AppState& app, UiRequests& requests) {
  if (!app.volume) return;
  ImGui::Separator();
  ImGui::TextDisabled("Tool (left button on the image):");
  struct ToolButton {
    Tool tool;
    const char* name;
    Command command;
  };
  const ToolButton tools[] = {
      {Tool::Prompt, "Model", Command::ToolPrompt},        {Tool::Scribble, "Scribble", Command::ToolScribble},
      {Tool::Brush, "Brush", Command::ToolBrush},          {Tool::Eraser, "Eraser", Command::ToolEraser},
      {Tool::Fill, "Fill", Command::ToolFill},             {Tool::EraseOutsideBox, "Keep box", Command::ToolEraseOutside},
      {Tool::Ruler, "Ruler", Command::ToolRuler},          {Tool::EllipseRoi, "Ellipse ROI", Command::ToolEllipse},
      {Tool::Crosshair, "Crosshair", Command::ToolCrosshair}};
  for (int i = 0; i < static_cast<int>(std::size(tools)); ++i) {
    if (i % 2 == 1) ImGui::SameLine(ImGui::GetContentRegionAvail().x * 0.5f);
    const std::string label = labelWithShortcut(app, tools[i].name, tools[i].command);
    if (ImGui::RadioButton(label.c_str(), app.tool == tools[i].tool)) app.tool = tools[i].tool;
  }
  if (app.tool == Tool::Brush || app.tool == Tool::Eraser) {
    float radius = static_cast<float>(app.brushRadiusMm);
    if (ImGui::SliderFloat("mm", &radius, 0.5f, 50.f, "%.1f", ImGuiSliderFlags_Logarithmic)) {
      app.brushRadiusMm = radius;
    }
    ImGui::Checkbox("3D sphere", &app.brushSphere);
  }
  if (app.tool == Tool::Brush) {
    if (ImGui::Checkbox("Only values in", &app.brushThreshold) && app.brushThreshold &&
        app.thresholdLow == app.thresholdHigh) {
      // Start from the displayed window: what looks bright and dark now.
      app.thresholdLow = static_cast<float>(app.window.center - app.window.width / 2);
      app.thresholdHigh = static_cast<float>(app.window.center + app.window.width / 2);
    }
    if (app.brushThreshold) {
      // In steps of the window, and shown to 4 digits: HU and dose in Gy alike.
      const float speed = static_cast<float>(std::max(app.window.width, 1e-6) / 200.0);
      ImGui::DragFloatRange2("range", &app.thresholdLow, &app.thresholdHigh, speed, 0, 0, "%.4g", "%.4g");
    }
  }
  if (app.tool == Tool::Fill) ImGui::TextDisabled("Click inside a closed contour of the active segment.");
  if (app.tool == Tool::EraseOutsideBox) ImGui::TextDisabled("Drag a box: the active segment outside it is erased.");
  const std::size_t voxels = app.labelledVoxels;
  ImGui::Separator();
  ImGui::Text("Labels: %zu voxels (%.2f ml)", voxels,
              voxels * app.volume->geometry.columnSpacing * app.volume->geometry.rowSpacing *
                  app.volume->geometry.sliceSpacing / 1000.0);
  if (app.annotationSaved) {
    ImGui::TextDisabled("Saved in this browser after every change.");
  } else {
    ImGui::PushStyleColor(ImGuiCol_Text, kErrorColour);
    ImGui::TextWrapped("Could not save in this browser's storage: export to keep your work.");
    ImGui::PopStyleColor();
  }
  if (ImGui::Button("Undo (Ctrl+Z)") && app.history.canUndo()) undoEdit(app);
  ImGui::SameLine();
  if (ImGui::Button("Redo (Ctrl+Y)") && app.history.canRedo()) redoEdit(app);
  drawAnnotationFiles(app, requests);
}

// One mask as a clickable thumbnail with a caption; true when clicked.
bool drawMaskThumbnail(const std::vector<std::uint8_t>& mask, int columns, int rows, float side, bool selected,
                       const std::string& caption, int id) {
  // Drawn at the candidates' own resolution: their thumbnails map 1:1 to cells.
  constexpr int kCells = kCandidateThumbnailCells;
  ImGui::BeginGroup();
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  ImGui::PushID(id);
  const bool clicked = ImGui::InvisibleButton("thumbnail", ImVec2(side, side));
  ImGui::PopID();
  ImDrawList* draw = ImGui::GetWindowDrawList();
  draw->AddRectFilled(origin, ImVec2(origin.x + side, origin.y + side), IM_COL32(20, 20, 24, 255));
  const float cell = side / kCells;
  // One rectangle per run of set cells in a row keeps the vertex count low.
  for (int cy = 0; cy < kCells; ++cy) {
    const std::uint8_t* row = mask.data() + static_cast<std::size_t>((cy * rows) / kCells) * columns;
    for (int cx = 0; cx < kCells;) {
      if (!row[(cx * columns) / kCells]) {
        ++cx;
        continue;
      }
      const int start = cx;
      while (cx < kCells && row[(cx * columns) / kCells]) ++cx;
      draw->AddRectFilled(ImVec2(origin.x + start * cell, origin.y + cy * cell),
                          ImVec2(origin.x + cx * cell, origin.y + (cy + 1) * cell), IM_COL32(255, 190, 30, 230));
    }
  }
  draw->AddRect(origin, ImVec2(origin.x + side, origin.y + side),
                selected ? IM_COL32(255, 255, 255, 255) : IM_COL32(90, 90, 100, 255), 0, 0, selected ? 2.5f : 1.f);
  ImGui::TextUnformatted(caption.c_str());
  ImGui::EndGroup();
  return clicked;
}

// The model's candidate masks side by side, each with its predicted IoU;
// clicking one selects it.
void drawCandidateThumbnails(const AppState& app, PromptSession& session) {
  const auto& candidates = session.candidates();
  const float side = (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x * 2) / 3;
  for (int i = 0; i < static_cast<int>(candidates.size()); ++i) {
    if (i > 0) ImGui::SameLine();
    char caption[32];
    std::snprintf(caption, sizeof caption, "%s%d  IoU %.2f", i == session.selected() ? "> " : "", i + 1,
                  candidates[i].predictedIou);
    if (drawMaskThumbnail(candidates[i].thumbnail, kCandidateThumbnailCells, kCandidateThumbnailCells, side,
                          i == session.selected(), caption, i)) {
      session.selectCandidate(i);
    }
  }
}

// The preview at probability thresholds 0.3-0.6: clicking one accepts it and
// logs the choice for preference optimisation.
void drawThresholdChoice(const AppState& app, const PromptSession& session, UiRequests& requests) {
  const MaskCandidate* candidate = session.selectedCandidate();
  if (!candidate) return;
  const auto& g = app.volume->geometry;
  const auto& thresholds = preferenceThresholds();
  // Recomputed only when the preview changes, not on every drawn frame.
  static int cachedVersion = -1;
  static std::vector<std::vector<std::uint8_t>> masks;
  if (cachedVersion != session.previewVersion()) {
    masks = thresholdMasks(*candidate, session.model()->lowResSize, session.frame(), thresholds);
    cachedVersion = session.previewVersion();
  }
  const float side = (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x * 3) / 4;
  for (int i = 0; i < static_cast<int>(masks.size()); ++i) {
    if (i > 0) ImGui::SameLine();
    char caption[24];
    std::snprintf(caption, sizeof caption, "p > %.1f", thresholds[i]);
    if (drawMaskThumbnail(masks[i], g.columns, g.rows, side, false, caption, 100 + i)) requests.chooseThreshold = i;
  }
  ImGui::TextDisabled("Click the best one: it is accepted and the choice logged.");
}

// Propagation of the current mask to the neighbouring slices.
void drawPropagationControls(AppState& app) {
  Propagation& p = app.propagation;
  if (p.running) {
    ImGui::Text("Propagating: slice %d, %d done", app.slice + 1, p.slicesDone);
    ImGui::SameLine();
    if (ImGui::Button("Stop (Esc)")) stopPropagation(app, "stopped by the user");
    return;
  }
  ImGui::TextDisabled("Propagate:");
  ImGui::SameLine();
  if (ImGui::Button("<< to slice 1")) startPropagation(app, -1);
  ImGui::SameLine();
  if (ImGui::Button("both")) startPropagation(app, 0);
  ImGui::SameLine();
  if (ImGui::Button("to last >>")) startPropagation(app, +1);
  if (!p.status.empty()) ImGui::TextWrapped("%s", p.status.c_str());
  if (const int steps = undoablePropagationSteps(app); steps > 0) {
    char label[64];
    std::snprintf(label, sizeof label, "Undo this propagation (%d slices)", steps);
    if (ImGui::Button(label)) undoPropagation(app);
  }
  ImGui::BeginDisabled(app.refinement.running);
  if (ImGui::Button("Refine (self-prompt)")) startRefinement(app);
  ImGui::EndDisabled();
  if (!app.refinement.status.empty()) {
    ImGui::SameLine();
    ImGui::TextWrapped("%s", app.refinement.status.c_str());
  }
}

// The model's timings, cache, progress, errors, candidates and accept/discard.
void drawPromptControls(AppState& app, PromptSession& session, UiRequests& requests) {
  ImGui::Text("Encoder %.0f ms   Decoder %.0f ms", session.encoderMilliseconds(), session.decoderMilliseconds());
  ImGui::TextDisabled("Embedding cache: %zu slices, %.1f / %.0f MB", app.embeddings.size(),
                      app.embeddings.bytes() / 1048576.0, app.embeddings.budget() / 1048576.0);
  if (session.encoding()) ImGui::TextDisabled("Encoding this slice...");
  if (session.decoding()) ImGui::TextDisabled("Decoding...");
  if (!session.lastError().empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, kErrorColour);
    ImGui::TextWrapped("%s", session.lastError().c_str());
    ImGui::PopStyleColor();
  }
  drawPropagationControls(app);
  const auto& candidates = session.candidates();
  if (!candidates.empty() && app.volume) drawCandidateThumbnails(app, session);
  ImGui::Checkbox("Compare thresholds (T)", &app.compareThresholds);
  ImGui::SameLine();
  if (ImGui::Button("Export choices")) requests.exportPreferences = true;
  ImGui::SameLine();
  ImGui::TextDisabled("(%d)", app.preferenceCount);
  if (!candidates.empty() && app.volume && app.compareThresholds) drawThresholdChoice(app, session, requests);
  if (!candidates.empty()) {
    if (ImGui::Button("Accept (Enter)")) acceptMask(app);
    ImGui::SameLine();
    if (ImGui::Button("Discard (Esc)")) discardMask(app);
  } else {
    ImGui::TextDisabled("Click on the image to segment; drag for a box.");
  }
}

void drawSegmentationSection(AppState& app, UiRequests& requests) {
  if (!ImGui::CollapsingHeader("Segmentation", ImGuiTreeNodeFlags_DefaultOpen)) return;
  PromptSession* session = app.prompts.get();
  const ModelManifest* model = session ? session->model() : nullptr;
  ImGui::TextWrapped("Model: %s", model ? model->name.c_str() : "none");
  ImGui::TextDisabled("%s", app.inferenceStatus.c_str());
  if (ImGui::Button("Load model...")) requests.loadModel = true;
  ImGui::TextDisabled("Backend:");
  for (const char* choice : {"auto", "webgpu", "wasm"}) {
    ImGui::SameLine();
    if (ImGui::RadioButton(choice, app.backendPreference == choice)) requests.backend = choice;
  }
  if (!app.modelError.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, kErrorColour);
    ImGui::TextWrapped("%s", app.modelError.c_str());
    ImGui::PopStyleColor();
  }
  if (session && model) drawPromptControls(app, *session, requests);
  drawAnnotationStatus(app, requests);
}

// Every mouse and keyboard binding, for the sidebar section and the overlay.
void drawHelpSection(const AppState& app) {
  if (ImGui::CollapsingHeader("Mouse and keys (?)")) drawBindingsTable(app);
}

// The same bindings over the slice view (? or F1 toggles, Esc closes).
void drawHelpOverlay(AppState& app) {
  if (!app.showHelp) return;
  const ScreenRect& r = app.viewRect;
  ImGui::SetNextWindowPos(ImVec2(float(r.x + r.width / 2), float(r.y + r.height / 2)), ImGuiCond_Always,
                          ImVec2(0.5f, 0.5f));
  const float rows = static_cast<float>(Command::Count) + 14;  // + mouse rows, title and margins
  ImGui::SetNextWindowSize(ImVec2(float(std::min(r.width * 0.8, 900.0)),
                                  std::min(float(r.height) * 0.9f, rows * ImGui::GetTextLineHeightWithSpacing())));
  ImGui::SetNextWindowBgAlpha(0.92f);
  if (ImGui::Begin("Mouse and keys", &app.showHelp,
                   ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoMove)) {
    drawBindingsTable(app);
  }
  ImGui::End();
}

void drawStatusLine(const AppState& app) {
  if (!app.volume) {
    ImGui::TextDisabled(app.loader.busy() ? "Loading..." : "No series loaded.");
    return;
  }
  if (app.volume->firstLook) {
    ImGui::TextColored(kInfoColour, "First image shown while the series loads (%d / %d files)",
                       app.loader.filesDone(), app.loader.filesExpected());
    ImGui::SameLine(0, 30);
  }
  const auto& g = app.volume->geometry;
  const Vec3 slicePosition = g.toPatient(0, 0, app.slice);
  ImGui::Text("Slice %d / %d   (%.1f mm along normal)", app.slice + 1, g.slices,
              dot(slicePosition, g.sliceDirection));
  ImGui::SameLine(0, 30);
  auto readout = cursorReadout(app);
  if (readout.valid) {
    if (app.cursorSlice >= 0) {  // over a reformatted pane: the voxel it shows there
      ImGui::Text("Voxel (%d, %d, slice %d)   Patient (%.1f, %.1f, %.1f) mm   Value %.4g", readout.column,
                  readout.row, readout.slice + 1, readout.patient.x, readout.patient.y, readout.patient.z,
                  readout.value);
    } else {
      ImGui::Text("Pixel (%d, %d)   Patient (%.1f, %.1f, %.1f) mm   Value %.4g", readout.column, readout.row,
                  readout.patient.x, readout.patient.y, readout.patient.z, readout.value);
    }
    if (readout.padding) {
      ImGui::SameLine();
      ImGui::TextDisabled("(padding: no image here)");
    }
    if (readout.colour) {
      ImGui::SameLine();
      ImGui::Text("(RGB %d, %d, %d)", readout.red, readout.green, readout.blue);
    }
    if (readout.hasRestored) {
      ImGui::SameLine();
      ImGui::Text("(restored %.4g)", readout.restoredValue);
    }
    if (const Segment* segment = app.segments.find(static_cast<std::uint8_t>(readout.segmentLabel))) {
      ImGui::SameLine();
      ImGui::Text("in %s", segment->name.c_str());
    }
  } else {
    ImGui::TextDisabled("Point at the image for position and value.");
  }
  ImGui::SameLine(0, 30);
  ImGui::Text("L %.4g W %.4g   Zoom %.2f px/mm", app.window.center, app.window.width, app.view.pixelsPerMm);
}

}  // namespace

UiRequests drawPanels(AppState& app, const UiLayout& layout, float width, float height) {
  UiRequests requests;
  // The sidebar and the status bar draw no background of their own: the
  // canvas is cleared to a dark grey within 1 % of the dark style's (the
  // platform's frame), and on a software GPU their blended full-height fill
  // was ~4.5 ms of every frame.
  const ImGuiWindowFlags fixed = ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize |
                                 ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings |
                                 ImGuiWindowFlags_NoBackground;

  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(ImVec2(layout.sidebarWidth, height - layout.statusHeight));
  ImGui::Begin("LocalSeg", nullptr, fixed);
  drawOpenSection(app, requests);
  ImGui::Separator();
  drawSeriesSection(app);
  drawWindowSection(app);
  drawViewSection(app);
  drawSegmentationSection(app, requests);
  drawSegmentsSection(app);
  drawRestorationSection(app, requests);
  drawMeasurements(app);
  drawMessagesSection(app);
  drawHelpSection(app);
  drawShortcutsSection(app);
  ImGui::End();

  ImGui::SetNextWindowPos(ImVec2(0, height - layout.statusHeight));
  ImGui::SetNextWindowSize(ImVec2(width, layout.statusHeight));
  ImGui::Begin("status", nullptr, fixed | ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoScrollbar);
  drawStatusLine(app);
  ImGui::End();

  app.viewArea = {layout.sidebarWidth, 0, width - layout.sidebarWidth, height - layout.statusHeight};
  // Comparing a restoration: the banner sits above the panes, always visible.
  const float banner = drawRestorationBanner(app, app.viewArea);
  app.viewArea.y += banner;
  app.viewArea.height -= banner;
  drawHelpOverlay(app);
  drawRestoreOffer(app);
  return requests;
}

}  // namespace ls

namespace ls {

namespace {

// Markers over one pane: every pane shows the same prompts, measurements and tools.
void drawMarkersInPane(const AppState& app, const ScreenRect& pane,
                       const std::optional<std::pair<Point2, Point2>>& boxInProgress) {
  ImDrawList* draw = ImGui::GetBackgroundDrawList();
  const ImageExtent extent = imageExtent(*app.volume);
  const float radius = 5.0f * ImGui::GetIO().FontGlobalScale * ImGui::GetFontSize() / 15.0f;
  auto screen = [&](Point2 image) {
    Point2 s = imageToScreen(app.view, pane, extent, image);
    return ImVec2(static_cast<float>(s.x), static_cast<float>(s.y));
  };
  draw->PushClipRect(ImVec2(float(pane.x), float(pane.y)), ImVec2(float(pane.x + pane.width), float(pane.y + pane.height)));
  if (app.prompts) {
    for (const auto& p : app.prompts->points()) {
      const ImU32 colour = p.include ? IM_COL32(60, 220, 90, 255) : IM_COL32(240, 70, 60, 255);
      draw->AddCircleFilled(screen(p.image), radius, colour);
      draw->AddCircle(screen(p.image), radius, IM_COL32(0, 0, 0, 255), 0, 1.5f);
    }
    if (const auto& box = app.prompts->box()) {
      draw->AddRect(screen(box->a), screen(box->b), IM_COL32(90, 170, 255, 255), 0, 0, 2.0f);
    }
  }
  // The scribble being drawn, in the colour its points will have.
  for (std::size_t i = 1; i < app.scribble.size(); ++i) {
    draw->AddLine(screen(app.scribble[i - 1]), screen(app.scribble[i]),
                  app.scribbleExcludes ? IM_COL32(240, 70, 60, 255) : IM_COL32(60, 220, 90, 255), 3.0f);
  }
  for (const auto& m : app.measurements) {
    if (m.slice != app.slice) continue;
    const ImVec2 a = screen(m.a), b = screen(m.b);
    const ImU32 colour = IM_COL32(120, 220, 255, 255);
    const std::string text = measurementText(app, m);
    if (m.kind == LengthMeasurement::Kind::Length) {
      draw->AddLine(a, b, colour, 2.0f);
    } else if (m.kind == LengthMeasurement::Kind::Angle) {
      draw->AddLine(a, b, colour, 2.0f);
      draw->AddLine(b, screen(m.c), colour, 2.0f);
    } else if (m.kind == LengthMeasurement::Kind::Rectangle) {
      draw->AddRect(a, b, colour, 0, 0, 2.0f);
    } else {
      const ImVec2 centre((a.x + b.x) / 2, (a.y + b.y) / 2);
      const float rx = std::abs(b.x - a.x) / 2, ry = std::abs(b.y - a.y) / 2;
      constexpr int kSegments = 64;
      ImVec2 points[kSegments];
      for (int i = 0; i < kSegments; ++i) {
        const float t = 6.2831853f * i / kSegments;
        points[i] = ImVec2(centre.x + rx * std::cos(t), centre.y + ry * std::sin(t));
      }
      draw->AddPolyline(points, kSegments, colour, ImDrawFlags_Closed, 2.0f);
    }
    draw->AddText(ImVec2(std::max(a.x, b.x) + 6, std::max(a.y, b.y)), colour, text.c_str());
  }
  if ((app.tool == Tool::Brush || app.tool == Tool::Eraser) && app.cursorOnImage && app.cursorSlice < 0) {
    const Point2 c = imageToScreen(app.view, pane, extent, {app.cursorColumn, app.cursorRow});
    const float rx = float(app.brushRadiusMm * app.view.pixelsPerMm);
    draw->AddCircle(ImVec2(float(c.x), float(c.y)), rx, app.tool == Tool::Eraser ? IM_COL32(240, 90, 90, 220)
                                                                              : IM_COL32(90, 230, 120, 220),
                    48, 1.5f);
  }
  if (app.eraseBox) {
    const Point2 a = imageToScreen(app.view, pane, extent, app.eraseBox->first);
    const Point2 b = imageToScreen(app.view, pane, extent, app.eraseBox->second);
    draw->AddRect(ImVec2(float(a.x), float(a.y)), ImVec2(float(b.x), float(b.y)), IM_COL32(240, 90, 90, 220), 0, 0,
                  2.0f);
  }
  if (boxInProgress && app.tool == Tool::Prompt) {  // other tools' drags are strokes, not boxes
    auto [a, b] = *boxInProgress;
    draw->AddRect(ImVec2(float(a.x), float(a.y)), ImVec2(float(b.x), float(b.y)), IM_COL32(90, 170, 255, 160), 0,
                  0, 1.5f);
  }
  draw->PopClipRect();
}

}  // namespace

void drawPromptMarkers(const AppState& app, const std::optional<std::pair<Point2, Point2>>& boxInProgress) {
  if (!app.volume) return;
  if (app.panes.empty()) drawMarkersInPane(app, app.viewRect, boxInProgress);
  for (const ViewPane& pane : app.panes) {
    // Prompts, measurements and tools live on the acquired slice: the main panes.
    if (pane.slot < 0) drawMarkersInPane(app, pane.rect, boxInProgress);
    drawPaneDecorations(ImGui::GetBackgroundDrawList(), app, pane);
  }
  drawComparisonOverlays(app);
}

}  // namespace ls
