// The page's downloads of the user's work: the annotation as NIfTI or DICOM
// SEG, the restored series as a derived DICOM series. Everything is written
// in memory and handed to the browser as a local blob; nothing is uploaded.
#include <emscripten.h>

#include <cstdint>
#include <string>

#include "io/derived_series.h"
#include "io/dicom_seg.h"
#include "io/nifti.h"
#include "io/zip_writer.h"
#include "platform/web/web_app.h"

namespace ls {
namespace {

EM_JS(void, jsDownload, (const char* name, const std::uint8_t* data, int size),
      { LocalSeg.download(UTF8ToString(name), data, size); });

void download(const std::string& name, const std::vector<std::uint8_t>& bytes) {
  jsDownload(name.c_str(), bytes.data(), static_cast<int>(bytes.size()));
}

}  // namespace

void exportNifti(AppState& state) {
  if (!state.volume) return;
  // gzip: a label map is mostly runs of zeros (1.3 MB of demo labels -> a few KB).
  download("localseg-labels.nii.gz",
           writeNiftiLabels(state.labels, state.volume->geometry,
                            "LocalSeg labels: " + state.volume->info.seriesDescription, state.segments.all(),
                            /*gzip=*/true));
  state.exportedAnnotationVersion = state.annotationVersion;
}

void exportDicomSeg(AppState& state) {
  if (!state.volume) return;
  auto bytes = writeDicomSeg(state.labels, state.segments, *state.volume);
  if (!bytes.ok()) {
    state.loader.addMessage({LoadMessage::Severity::Warning, bytes.error()});
    return;
  }
  download("localseg-seg.dcm", bytes.value());
  state.exportedAnnotationVersion = state.annotationVersion;
}

// The restored series as a new derived DICOM series (new series UID,
// DERIVED\SECONDARY, "not for diagnosis"), zipped; the source is untouched.
void exportRestoredSeries(AppState& state) {
  if (!comparing(state) || !state.restoration->complete()) return;
  DerivedSeriesDescription description;
  description.methodName = state.restoration->methodDescription();
  description.derivationDescription =
      "LocalSeg restoration preview: " + state.restoration->methodDescription() + ". Not for diagnosis.";
  auto series = writeDerivedSeries(*state.volume, state.restoration->restoredVolume(), description);
  if (!series.ok()) {
    state.loader.addMessage({LoadMessage::Severity::Warning, series.error()});
    return;
  }
  auto zip = writeZip(series.value().files, "restored");
  if (!zip.ok()) {
    state.loader.addMessage({LoadMessage::Severity::Warning, zip.error()});
    return;
  }
  if (series.value().clampedVoxels > 0) {
    state.loader.addMessage({LoadMessage::Severity::Warning,
                             {"", std::to_string(series.value().clampedVoxels) +
                                      " restored values did not fit the source's stored range and were clamped"}});
  }
  download("localseg-restored-series.zip", zip.value());
}

}  // namespace ls
