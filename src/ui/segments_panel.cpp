#include "ui/segments_panel.h"

#include <imgui.h>

#include <array>
#include <cstdio>

namespace ls {

namespace {

double millilitres(const AppState& app, std::size_t voxels) {
  const auto& g = app.volume->geometry;
  return voxels * g.columnSpacing * g.rowSpacing * g.sliceSpacing / 1000.0;
}

// One row: active marker and name (click: make active), colour, visible, locked, volume.
void drawSegmentRow(AppState& app, int index) {
  Segment& s = app.segments.at(index);
  ImGui::PushID(index);
  ImGui::TableNextRow();
  ImGui::TableSetColumnIndex(0);
  float colour[3] = {s.colour.r / 255.f, s.colour.g / 255.f, s.colour.b / 255.f};
  if (ImGui::ColorEdit3("##colour", colour, ImGuiColorEditFlags_NoInputs | ImGuiColorEditFlags_NoLabel)) {
    s.colour = {static_cast<std::uint8_t>(colour[0] * 255 + 0.5f), static_cast<std::uint8_t>(colour[1] * 255 + 0.5f),
                static_cast<std::uint8_t>(colour[2] * 255 + 0.5f)};
    segmentsEdited(app);
  }
  ImGui::TableSetColumnIndex(1);
  const bool active = index == app.segments.activeIndex();
  if (active) {
    std::array<char, 64> name{};
    std::snprintf(name.data(), name.size(), "%s", s.name.c_str());
    ImGui::SetNextItemWidth(-1);
    if (ImGui::InputText("##name", name.data(), name.size())) {
      s.name = name.data();
      segmentsEdited(app);
    }
  } else if (ImGui::Selectable(s.name.c_str(), false)) {
    app.segments.setActive(index);
  }
  if (ImGui::IsItemHovered()) app.hoveredSegmentLabel = s.label;
  ImGui::TableSetColumnIndex(2);
  if (ImGui::Checkbox("##visible", &s.visible)) segmentsEdited(app);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Visible");
  ImGui::TableSetColumnIndex(3);
  if (ImGui::Checkbox("##locked", &s.locked)) segmentsEdited(app);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Locked: no edit changes it");
  ImGui::TableSetColumnIndex(4);
  ImGui::Text("%.2f", millilitres(app, app.voxelsPerLabel[s.label]));
  ImGui::PopID();
}

}  // namespace

void drawSegmentsSection(AppState& app) {
  app.hoveredSegmentLabel = -1;  // set again below while a row is hovered
  if (!app.volume || !ImGui::CollapsingHeader("Segments", ImGuiTreeNodeFlags_DefaultOpen)) return;
  constexpr ImGuiTableFlags kFlags = ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_RowBg;
  if (ImGui::BeginTable("segments", 5, kFlags)) {
    ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthFixed);
    ImGui::TableSetupColumn("Name", ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableSetupColumn("Show");
    ImGui::TableSetupColumn("Lock");
    ImGui::TableSetupColumn("ml");
    ImGui::TableHeadersRow();
    for (int i = 0; i < static_cast<int>(app.segments.all().size()); ++i) drawSegmentRow(app, i);
    ImGui::EndTable();
  }
  Segment& active = app.segments.at(app.segments.activeIndex());
  ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x * 0.5f);
  // While dragging only the overlay changes; the annotation is saved once on
  // release (saving serialises the whole label volume).
  if (ImGui::SliderFloat("Opacity", &active.opacity, 0.f, 1.f, "%.2f")) app.segments.touch();
  if (ImGui::IsItemDeactivatedAfterEdit()) segmentsEdited(app);
  ImGui::SameLine();
  if (ImGui::Checkbox("Outlines", &app.outlineSegments)) app.segments.touch();
  if (ImGui::Button("Add (N)")) addSegment(app);
  ImGui::SameLine();
  ImGui::BeginDisabled(app.segments.all().size() < 2);
  if (ImGui::Button("Delete")) deleteSegment(app, app.segments.activeIndex());
  ImGui::EndDisabled();
  ImGui::SameLine();
  if (ImGui::Button("Interpolate")) interpolateActiveSegment(app);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Fill the slices between slices that hold the active segment");
}

}  // namespace ls
