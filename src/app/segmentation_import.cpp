#include "app/segmentation_import.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <map>

#include "app/app_state.h"
#include "io/dicom_seg_import.h"

namespace ls {
namespace {

constexpr char kSegSopClass[] = "1.2.840.10008.5.1.4.1.1.66.4";

// The SOP Class UID sits in the file meta header (or, without one, in the
// first elements of the data set), so the first few KB tell.
bool mentionsSegSopClass(const std::vector<std::uint8_t>& bytes) {
  const std::size_t scan = std::min<std::size_t>(bytes.size(), 4096);
  const std::size_t length = sizeof kSegSopClass - 1;
  for (std::size_t i = 0; i + length <= scan; ++i) {
    if (std::memcmp(bytes.data() + i, kSegSopClass, length) != 0) continue;
    const std::size_t end = i + length;
    const bool longerUid = end < scan && (std::isdigit(bytes[end]) || bytes[end] == '.');
    if (!longerUid) return true;
  }
  return false;
}

bool endsWith(const std::string& text, const std::string& suffix) {
  if (text.size() < suffix.size()) return false;
  return std::equal(suffix.rbegin(), suffix.rend(), text.rbegin(),
                    [](char a, char b) { return std::tolower(a) == std::tolower(b); });
}

void report(AppState& app, LoadMessage::Severity severity, const std::string& file, const std::string& text) {
  app.loader.addMessage({severity, {file, text}});
}

std::vector<int> slicesHolding(const LabelVolume& labels) {
  std::vector<int> slices;
  const std::size_t plane = static_cast<std::size_t>(labels.columns) * labels.rows;
  for (int z = 0; z < labels.slices; ++z) {
    const std::uint8_t* s = labels.slice(z);
    if (std::any_of(s, s + plane, [](std::uint8_t v) { return v != 0; })) slices.push_back(z);
  }
  return slices;
}

}  // namespace

SegmentationFormat segmentationFormat(const std::string& name, const std::vector<std::uint8_t>& bytes) {
  const bool gzip = bytes.size() >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b;
  if (gzip && endsWith(name, ".nii.gz")) return SegmentationFormat::Nifti;
  if (bytes.size() >= 348 && (std::memcmp(bytes.data() + 344, "n+1", 4) == 0)) return SegmentationFormat::Nifti;
  if (mentionsSegSopClass(bytes)) return SegmentationFormat::DicomSeg;
  if (endsWith(name, ".nii")) return SegmentationFormat::Nifti;  // let the reader say what is wrong
  return SegmentationFormat::None;
}

void importSegmentation(AppState& app, const std::string& name, const std::vector<std::uint8_t>& bytes) {
  if (!app.volume) {
    report(app, LoadMessage::Severity::Error, name,
           "not imported: open the image series it belongs to first (or drop both together)");
    return;
  }
  if (app.restoreOffer) {  // its answer decides what the import is added to
    report(app, LoadMessage::Severity::Error, name,
           "not imported: first restore the saved annotation or start empty, then import again");
    return;
  }
  Result<ImportedLabels> imported = Error{name, "not a DICOM SEG or NIfTI label file"};
  switch (segmentationFormat(name, bytes)) {
    case SegmentationFormat::Nifti: imported = readNiftiLabels(bytes, app.volume->geometry, name); break;
    case SegmentationFormat::DicomSeg: imported = readDicomSeg(bytes, *app.volume, name); break;
    case SegmentationFormat::None: break;
  }
  if (!imported.ok()) {
    report(app, LoadMessage::Severity::Error, name, imported.error().message);
    return;
  }
  applyImportedLabels(app, std::move(imported.value()), name);
}

std::size_t applyImportedLabels(AppState& app, ImportedLabels imported, const std::string& name) {
  const std::vector<int> slices = slicesHolding(imported.labels);
  const std::size_t plane = static_cast<std::size_t>(app.labels.columns) * app.labels.rows;
  std::size_t labelled = 0, overlapping = 0;
  if (app.labelledVoxels == 0) {
    // Nothing to keep: the file's labels and segments, exactly.
    app.history.begin(app.labels, slices);
    app.labels.labels = imported.labels.labels;
    app.history.commit(app.labels, "import " + name);
    app.segments.assign(imported.segments, 0);
    labelled = std::count_if(app.labels.labels.begin(), app.labels.labels.end(), [](std::uint8_t v) { return v; });
  } else {
    // Existing work stays: each imported segment gets a free label.
    std::map<std::uint8_t, std::uint8_t> labelFor;
    for (const Segment& s : imported.segments) {
      Segment* added = app.segments.add();
      if (!added) {
        report(app, LoadMessage::Severity::Error, name,
               "not imported: all 255 segment labels are in use; delete some segments first");
        return 0;
      }
      const std::uint8_t label = added->label;
      *added = s;
      added->label = label;
      labelFor[s.label] = label;
    }
    app.history.begin(app.labels, slices);
    for (int z : slices) {
      const std::uint8_t* from = imported.labels.slice(z);
      std::uint8_t* to = app.labels.slice(z);
      for (std::size_t i = 0; i < plane; ++i) {
        if (!from[i]) continue;
        if (to[i]) {
          ++overlapping;
          continue;
        }
        auto mapped = labelFor.find(from[i]);
        if (mapped == labelFor.end()) continue;
        to[i] = mapped->second;
        ++labelled;
      }
    }
    app.history.commit(app.labels, "import " + name);
  }
  afterHistoryChange(app);
  std::string text = "imported " + std::to_string(imported.segments.size()) + " segment" +
                     (imported.segments.size() == 1 ? "" : "s") + ", " + std::to_string(labelled) +
                     " labelled voxels (one undo step)";
  if (overlapping > 0) {
    text += "; " + std::to_string(overlapping) + " voxels already labelled were kept as they were";
  }
  report(app, LoadMessage::Severity::Info, name, text);
  for (const std::string& note : imported.notes) report(app, LoadMessage::Severity::Warning, name, note);
  return labelled;
}

}  // namespace ls
