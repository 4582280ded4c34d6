#include "ui/view_panel.h"

#include <imgui.h>

#include <cstdio>
#include <string>

#include "imaging/orientation.h"
#include "ui/shortcuts_panel.h"

namespace ls {
namespace {

// Each anatomical plane's colour, as 3D Slicer marks its views: axial red,
// coronal green, sagittal yellow (titles and the crosshair lines of a plane).
ImU32 planeColour(AnatomicalPlane plane, int alpha = 255) {
  switch (plane) {
    case AnatomicalPlane::Axial: return IM_COL32(235, 90, 80, alpha);
    case AnatomicalPlane::Coronal: return IM_COL32(110, 200, 100, alpha);
    case AnatomicalPlane::Sagittal: return IM_COL32(235, 210, 80, alpha);
  }
  return IM_COL32(255, 255, 255, alpha);
}

// Without orientation in the files, planes are named by the grid, not the body.
const char* planeTitle(const ReformatPlane& plane, bool orientationKnown) {
  if (orientationKnown) return anatomicalPlaneName(plane.anatomy);
  return plane.normal == 2 ? "Image" : plane.normal == 1 ? "Rows x slices" : "Columns x slices";
}

void drawOrientationLetters(ImDrawList* draw, const ReformatPlane& plane, const ScreenRect& r) {
  const float margin = ImGui::GetFontSize() * 0.6f;
  const ImU32 colour = IM_COL32(240, 220, 120, 255);
  auto put = [&](const std::string& text, float x, float y, float alignX, float alignY) {
    const ImVec2 size = ImGui::CalcTextSize(text.c_str());
    draw->AddText(ImVec2(x - size.x * alignX, y - size.y * alignY), colour, text.c_str());
  };
  const float cx = float(r.x + r.width / 2), cy = float(r.y + r.height / 2);
  put(orientationLetters(plane.right * -1.0), float(r.x) + margin, cy, 0.f, 0.5f);
  put(orientationLetters(plane.right), float(r.x + r.width) - margin * 2.5f, cy, 1.f, 0.5f);
  put(orientationLetters(plane.down * -1.0), cx, float(r.y) + margin, 0.5f, 0.f);
  put(orientationLetters(plane.down), cx, float(r.y + r.height) - margin, 0.5f, 1.f);
}

void drawScrollbar(ImDrawList* draw, const AppState& app, const ViewPane& pane, const ReformatPlane& plane) {
  const ScreenRect bar = paneScrollbar(pane.rect);
  const float x0 = float(bar.x + 2), x1 = float(bar.x + bar.width - 2);
  draw->AddRectFilled(ImVec2(x0, float(bar.y)), ImVec2(x1, float(bar.y + bar.height)), IM_COL32(255, 255, 255, 28),
                      3.f);
  const double step = bar.height / std::max(1, plane.positions);
  const double top = bar.y + step * panePosition(app, pane);
  draw->AddRectFilled(ImVec2(x0, float(top)), ImVec2(x1, float(top + std::max(step, 6.0))),
                      IM_COL32(200, 200, 210, 170), 3.f);
}

// Two lines through the crosshair: each is where another pane's plane cuts this one.
void drawCrosshair(ImDrawList* draw, const AppState& app, const ViewPane& pane, const ReformatPlane& plane) {
  const auto& g = app.volume->geometry;
  const Point2 image = voxelToPlane(plane, crosshair(app));
  const Point2 s = imageToScreen(paneView(app, pane), pane.rect, planeExtent(plane), image);
  const ScreenRect& r = pane.rect;
  const AnatomicalPlane across = reformatPlane(g, plane.horizontal).anatomy;  // the vertical line
  const AnatomicalPlane along = reformatPlane(g, plane.vertical).anatomy;     // the horizontal line
  const float gap = ImGui::GetFontSize();  // the point itself stays visible
  const float x = float(s.x), y = float(s.y);
  const float top = float(r.y) + ImGui::GetFontSize() * 1.8f;  // below the title
  if (y - gap > top) draw->AddLine(ImVec2(x, top), ImVec2(x, y - gap), planeColour(across, 200), 1.f);
  draw->AddLine(ImVec2(x, y + gap), ImVec2(x, float(r.y + r.height)), planeColour(across, 200), 1.f);
  draw->AddLine(ImVec2(float(r.x), y), ImVec2(x - gap, y), planeColour(along, 200), 1.f);
  draw->AddLine(ImVec2(x + gap, y), ImVec2(float(r.x + r.width), y), planeColour(along, 200), 1.f);
}

void drawTitle(ImDrawList* draw, const AppState& app, const ViewPane& pane, const ReformatPlane& plane) {
  const auto& g = app.volume->geometry;
  const VoxelPoint c = crosshair(app);
  const Vec3 patient = g.toPatient(c.column - 0.5, c.row - 0.5, c.slice - 0.5);
  char text[128];
  std::snprintf(text, sizeof text, "%s%s  %d / %d   %.1f mm", planeTitle(plane, g.orientationKnown),
                pane.slot < 0 ? "" : " (reformat)", panePosition(app, pane) + 1, plane.positions,
                dot(patient, gridAxisDirection(g, pane.normalAxis)));
  const float margin = ImGui::GetFontSize() * 0.4f;
  draw->AddText(ImVec2(float(pane.rect.x) + margin, float(pane.rect.y) + margin), planeColour(plane.anatomy), text);
}

}  // namespace

void drawViewSection(AppState& app) {
  if (!app.volume) return;
  if (!ImGui::CollapsingHeader("View", ImGuiTreeNodeFlags_DefaultOpen)) return;
  const std::pair<ViewLayout, Command> layouts[] = {{ViewLayout::Single, Command::LayoutSingle},
                                                    {ViewLayout::ThreePlanes, Command::LayoutThreePlanes},
                                                    {ViewLayout::TwoByTwo, Command::LayoutTwoByTwo}};
  const char* names[] = {"One view", "Three planes", "2 x 2"};
  for (int i = 0; i < 3; ++i) {
    if (i > 0) ImGui::SameLine();
    const std::string label = labelWithShortcut(app, names[i], layouts[i].second);
    if (ImGui::RadioButton(label.c_str(), app.multiplanar.layout == layouts[i].first)) {
      setViewLayout(app, layouts[i].first);
    }
  }
  if (comparing(app)) ImGui::TextDisabled("Comparing a restoration: one plane, source beside restored.");
  if (app.multiplanar.layout == ViewLayout::TwoByTwo) {
    int fourth = static_cast<int>(app.multiplanar.fourthPlane);
    ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x * 0.5f);
    if (ImGui::Combo("fourth view", &fourth, "Axial\0Coronal\0Sagittal\0")) {
      app.multiplanar.fourthPlane = static_cast<AnatomicalPlane>(fourth);
      app.multiplanar.needsFit = true;
    }
  }
  if (app.multiplanar.layout != ViewLayout::Single) {
    const std::string label = labelWithShortcut(app, "Crosshair lines", Command::ToggleCrosshair);
    ImGui::Checkbox(label.c_str(), &app.multiplanar.showCrosshair);
    ImGui::TextDisabled("Press in a reformatted view to move every view there.");
  }
}

void drawPaneDecorations(ImDrawList* draw, const AppState& app, const ViewPane& pane) {
  const ReformatPlane plane = panePlane(app, pane);
  draw->PushClipRect(ImVec2(float(pane.rect.x), float(pane.rect.y)),
                     ImVec2(float(pane.rect.x + pane.rect.width), float(pane.rect.y + pane.rect.height)));
  if (app.volume->geometry.orientationKnown) drawOrientationLetters(draw, plane, pane.rect);
  if (!comparing(app)) drawScrollbar(draw, app, pane, plane);
  if (app.multiplanar.layout != ViewLayout::Single && !comparing(app)) {
    drawTitle(draw, app, pane, plane);
    if (app.multiplanar.showCrosshair) drawCrosshair(draw, app, pane, plane);
  }
  draw->PopClipRect();
}

}  // namespace ls
