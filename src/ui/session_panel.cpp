#include "ui/session_panel.h"

#include <imgui.h>

#include <cstdio>
#include <string>

namespace ls {

void drawAnnotationFiles(AppState& app, UiRequests& requests) {
  if (ImGui::Button("Export NIfTI")) requests.exportNifti = true;
  ImGui::SameLine();
  if (ImGui::Button("Export DICOM SEG")) requests.exportDicomSeg = true;
  if (ImGui::Button("Import SEG / NIfTI...")) requests.importSegmentation = true;
  ImGui::SameLine();
  if (ImGui::Button("Save view as PNG")) requests.saveViewPng = true;
  if (hasUnexportedWork(app)) ImGui::TextDisabled("Changes since the last export: the page asks before closing.");
}

void drawRestoreOffer(AppState& app) {
  constexpr const char* kTitle = "Saved annotation found";
  if (!app.restoreOffer) return;
  if (!ImGui::IsPopupOpen(kTitle)) ImGui::OpenPopup(kTitle);
  const ScreenRect& r = app.viewArea;
  ImGui::SetNextWindowPos(ImVec2(float(r.x + r.width / 2), float(r.y + r.height / 2)), ImGuiCond_Always,
                          ImVec2(0.5f, 0.5f));
  if (!ImGui::BeginPopupModal(kTitle, nullptr, ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoMove)) return;
  const RestoreOffer& offer = *app.restoreOffer;
  // "2026-11-23T23:05:35.008Z" -> "2026-11-23 23:05 UTC"
  std::string when = offer.savedAt.size() >= 16 ? offer.savedAt.substr(0, 16) + " UTC" : "earlier";
  if (when.size() > 10 && when[10] == 'T') when[10] = ' ';
  ImGui::Text("This browser holds an annotation of this series,");
  ImGui::Text("saved %s:", when.c_str());
  const std::size_t segments = offer.saved.segments.size();
  ImGui::BulletText("%zu segment%s, %zu labelled voxels (%.2f ml)", segments, segments == 1 ? "" : "s",
                    offer.labelledVoxels, offer.labelledMillilitres);
  if (!offer.saved.view.measurements.empty()) {
    ImGui::BulletText("%zu measurements", offer.saved.view.measurements.size());
  }
  ImGui::BulletText("last seen on slice %d", offer.saved.view.slice + 1);
  ImGui::Spacing();
  bool answered = false;
  if (ImGui::Button("Restore it")) {
    acceptRestoreOffer(app);
    answered = true;
  }
  ImGui::SameLine();
  if (ImGui::Button("Start empty")) {
    declineRestoreOffer(app);
    answered = true;
  }
  ImGui::TextDisabled("Starting empty replaces the saved copy at your first edit.");
  if (answered) ImGui::CloseCurrentPopup();
  ImGui::EndPopup();
}

}  // namespace ls
