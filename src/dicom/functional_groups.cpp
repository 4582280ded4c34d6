#include "dicom/functional_groups.h"

#include "dicom/dataset_values.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcitem.h>
#include <dcmtk/dcmdata/dcsequen.h>

#include <string>

namespace ls {
namespace {

// Fills what `group` says and `frame` does not yet know: called with the
// frame's own item first, then with the shared one.
void readGroup(DcmItem* group, FrameFunctionalGroups& frame) {
  if (group == nullptr) return;
  if (DcmItem* m = firstItem(group, DCM_PlanePositionSequence); m && !frame.position) {
    if (auto p = finiteDoubles(*m, DCM_ImagePositionPatient); p.size() == 3) frame.position = Vec3{p[0], p[1], p[2]};
  }
  if (DcmItem* m = firstItem(group, DCM_PlaneOrientationSequence); m && !frame.orientation) {
    if (auto o = finiteDoubles(*m, DCM_ImageOrientationPatient); o.size() == 6) {
      frame.orientation = std::array<double, 6>{o[0], o[1], o[2], o[3], o[4], o[5]};
    }
  }
  if (DcmItem* m = firstItem(group, DCM_PixelMeasuresSequence)) {
    if (auto s = finiteDoubles(*m, DCM_PixelSpacing); s.size() == 2 && !frame.pixelSpacing) frame.pixelSpacing = {{s[0], s[1]}};
    if (auto t = finiteDoubles(*m, DCM_SliceThickness); !t.empty() && !frame.sliceThickness) frame.sliceThickness = t[0];
    if (auto t = finiteDoubles(*m, DCM_SpacingBetweenSlices); !t.empty() && !frame.spacingBetweenSlices) {
      frame.spacingBetweenSlices = t[0];
    }
  }
  if (DcmItem* m = firstItem(group, DCM_PixelValueTransformationSequence); m && !frame.rescale) {
    auto slope = finiteDoubles(*m, DCM_RescaleSlope), intercept = finiteDoubles(*m, DCM_RescaleIntercept);
    if (!slope.empty() && slope[0] != 0) frame.rescale = {{slope[0], intercept.empty() ? 0.0 : intercept[0]}};
  }
  if (DcmItem* m = firstItem(group, DCM_FrameVOILUTSequence); m && frame.windows.empty()) {
    frame.windows = readWindowPresets(*m);
  }
}

}  // namespace

std::vector<WindowLevel> readWindowPresets(DcmItem& item) {
  std::vector<WindowLevel> windows;
  const auto centers = finiteDoubles(item, DCM_WindowCenter);
  const auto widths = finiteDoubles(item, DCM_WindowWidth);
  OFString function;
  item.findAndGetOFString(DCM_VOILUTFunction, function);
  const double minWidth = function == "LINEAR_EXACT" ? 1e-12 : 1.0;  // C.11.2.1.3.2: any width > 0
  for (std::size_t i = 0; i < centers.size() && i < widths.size(); ++i) {
    if (widths[i] < minWidth) continue;
    OFString explanation;
    item.findAndGetOFString(DCM_WindowCenterWidthExplanation, explanation, static_cast<unsigned long>(i));
    windows.push_back({centers[i], widths[i],
                       explanation.empty() ? "file preset " + std::to_string(i + 1) : explanation.c_str()});
  }
  return windows;
}

std::vector<FrameFunctionalGroups> readFunctionalGroups(DcmItem& dataset, std::size_t frameCount) {
  DcmItem* shared = nullptr;
  dataset.findAndGetSequenceItem(DCM_SharedFunctionalGroupsSequence, shared, 0);
  DcmSequenceOfItems* perFrame = nullptr;
  dataset.findAndGetSequence(DCM_PerFrameFunctionalGroupsSequence, perFrame);
  if (shared == nullptr && perFrame == nullptr) return {};
  std::vector<FrameFunctionalGroups> frames(frameCount);
  for (std::size_t f = 0; f < frameCount; ++f) {
    if (perFrame != nullptr && f < perFrame->card()) readGroup(perFrame->getItem(static_cast<unsigned long>(f)), frames[f]);
    readGroup(shared, frames[f]);
  }
  return frames;
}

}  // namespace ls
