// Functions JavaScript calls (web/localseg.js): files in, state out. Files
// arrive as bytes the page read locally; nothing here touches the network.
#include <emscripten.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>

#include "app/segmentation_import.h"
#include "dicom/decode.h"
#include "imaging/orientation.h"
#include "platform/web/web_app.h"

namespace ls {

AppState& app() {
  static AppState state;
  return state;
}

namespace {

std::string jsonString(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') out += '\\', out += static_cast<char>(c);
    else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else out += static_cast<char>(c);
  }
  return out + "\"";
}

const char* severityName(LoadMessage::Severity s) {
  switch (s) {
    case LoadMessage::Severity::Error: return "error";
    case LoadMessage::Severity::Warning: return "warning";
    case LoadMessage::Severity::Info: return "info";
  }
  return "error";
}

const char* const kMethodNames[] = {"nlm", "bilateral", "diffusion", "median", "learned"};
const char* const kCompareModeNames[] = {"side-by-side", "swipe", "flicker", "difference"};
const char* const kPaneNames[] = {"source", "restored", "difference"};

// The restoration preview: settings, progress, panes (for the tests).
std::string restorationJson(const AppState& s) {
  if (!s.restoration) return "";
  const RestorationPreview& r = *s.restoration;
  std::ostringstream out;
  out.precision(8);
  out << ",\"restoration\":{\"open\":" << (comparing(s) ? "true" : "false") << ",\"denoisers\":[";
  for (std::size_t i = 0; i < r.denoisers().size(); ++i) {
    out << (i ? "," : "") << "{\"name\":" << jsonString(r.denoisers()[i].name)
        << ",\"modality\":" << jsonString(r.denoisers()[i].modality) << "}";
  }
  out << "]";
  if (comparing(s)) {
    const RestoreSettings& st = r.settings();
    out << ",\"method\":\"" << kMethodNames[static_cast<int>(st.method)] << "\",\"denoiser\":" << st.denoiser
        << ",\"noiseSigma\":" << st.noiseSigma << ",\"strength\":" << st.strength
        << ",\"description\":" << jsonString(r.methodDescription()) << ",\"slicesDone\":" << r.slicesDone()
        << ",\"sliceCount\":" << r.sliceCount() << ",\"currentReady\":" << (r.sliceReady(s.slice) ? "true" : "false")
        << ",\"lastSliceMs\":" << r.lastSliceMilliseconds() << ",\"lastModelMs\":" << r.lastModelMilliseconds() << ",\"error\":" << jsonString(r.error())
        << ",\"mode\":\"" << kCompareModeNames[static_cast<int>(s.comparison.mode)] << "\""
        << ",\"promptOnRestored\":" << (s.comparison.promptOnRestored ? "true" : "false")
        << ",\"banner\":" << jsonString(kRestorationBanner);
    if (s.riskSlice == s.slice && s.riskVersion == r.settingsVersion()) {
      const RiskReport& risk = s.risk;
      out << ",\"risk\":{\"edgePreservation\":" << risk.edgePreservation << ",\"residualSd\":" << risk.residual.sd
          << ",\"details\":" << risk.details.size() << ",\"weakenedDetails\":" << risk.weakenedDetails()
          << ",\"regions\":[";
      for (std::size_t i = 0; i < risk.regions.size(); ++i) {
        const RiskRegion& g = risk.regions[i];
        out << (i ? "," : "") << "{\"kind\":\"" << riskKindKey(g.kind) << "\",\"box\":[" << g.x0 << "," << g.y0
            << "," << g.x1 << "," << g.y1 << "],\"summary\":" << jsonString(g.summary) << "}";
      }
      out << "]}";
    }
    if (auto noise = noiseInUserRect(s)) {
      out << ",\"noiseRect\":{\"sourceSd\":" << noise->sourceSd << ",\"restoredSd\":" << noise->restoredSd
          << ",\"pixels\":" << noise->pixels << "}";
    }
    out << ",\"panes\":[";
    for (std::size_t i = 0; i < s.panes.size(); ++i) {
      const ViewPane& p = s.panes[i];
      out << (i ? "," : "") << "{\"image\":\"" << kPaneNames[static_cast<int>(p.image)] << "\",\"rect\":[" << p.rect.x
          << "," << p.rect.y << "," << p.rect.width << "," << p.rect.height << "],\"swipeX\":" << p.swipeX << "}";
    }
    out << "]";
  }
  out << "}";
  return out.str();
}

// The layout, the crosshair and each pane (plane, position, where its image
// is on screen, the orientation of its right and down edges), for tests.
std::string multiplanarJson(const AppState& s) {
  std::ostringstream out;
  out.precision(10);
  out << ",\"layout\":" << jsonString(viewLayoutName(s.multiplanar.layout)) << ",\"inputPane\":" << s.inputPane;
  if (!s.volume) return out.str();
  const VoxelPoint c = crosshair(s);
  out << ",\"crosshair\":{\"column\":" << c.column << ",\"row\":" << c.row << ",\"slice\":" << s.slice
      << ",\"lines\":" << (s.multiplanar.showCrosshair ? "true" : "false") << "}";
  out << ",\"panes\":[";
  for (std::size_t i = 0; i < s.panes.size(); ++i) {
    const ViewPane& pane = s.panes[i];
    const ReformatPlane plane = panePlane(s, pane);
    const ImageExtent extent = planeExtent(plane);
    const SliceView& view = paneView(s, pane);
    const Point2 a = imageToScreen(view, pane.rect, extent, {0, 0});
    const Point2 b = imageToScreen(view, pane.rect, extent, {double(extent.columns), double(extent.rows)});
    out << (i ? "," : "") << "{\"rect\":[" << pane.rect.x << "," << pane.rect.y << "," << pane.rect.width << ","
        << pane.rect.height << "],\"plane\":" << jsonString(anatomicalPlaneName(plane.anatomy))
        << ",\"normal\":" << pane.normalAxis << ",\"slot\":" << pane.slot << ",\"position\":" << panePosition(s, pane)
        << ",\"positions\":" << plane.positions << ",\"columns\":" << plane.columns << ",\"rows\":" << plane.rows
        << ",\"horizontal\":" << plane.horizontal << ",\"vertical\":" << plane.vertical
        << ",\"flip\":[" << (plane.flipHorizontal ? "true" : "false") << "," << (plane.flipVertical ? "true" : "false")
        << "],\"imageRect\":[" << a.x << "," << a.y << "," << b.x << "," << b.y
        << "],\"right\":" << jsonString(orientationLetters(plane.right))
        << ",\"down\":" << jsonString(orientationLetters(plane.down)) << "}";
  }
  out << "]";
  return out.str();
}

}  // namespace
}  // namespace ls

extern "C" {

// Worker threads may grow the memory; the page's views of it (Module.HEAPU8,
// HEAPF32) are renewed here before it reads or writes (page.js, Module.heap()).
EM_JS(void, renewHeapViews, (), {
  if (wasmMemory.buffer != buffer) updateGlobalBufferAndViews(wasmMemory.buffer);
});
EMSCRIPTEN_KEEPALIVE void ls_refresh_heap_views() { renewHeapViews(); }

EMSCRIPTEN_KEEPALIVE void ls_begin_batch(int expectedFiles, const char* label) {
  ls::app().loader.beginBatch(expectedFiles, label);
  ls::requestRedraw();
}

// Takes ownership of `data` (allocated with malloc by the page).
EMSCRIPTEN_KEEPALIVE void ls_add_file(const char* name, std::uint8_t* data, int size) {
  std::vector<std::uint8_t> bytes(data, data + size);
  std::free(data);
  // No redraw per file: while files load, the progress bar is redrawn a few
  // times a second (main.cpp), and a software-GPU frame per file slowed a
  // large drop's hand-over to the decode threads.
  ls::app().loader.addFile(name, std::move(bytes));
}

// For bench/dicom.mjs: milliseconds of one parse + decode of the bytes (the
// loader's code path), or -1 when the file does not decode. The page keeps
// ownership of `data`.
EMSCRIPTEN_KEEPALIVE double ls_time_decode(const std::uint8_t* data, int size) {
  const double start = emscripten_get_now();
  const bool ok = ls::decodeDicom("timed.dcm", data, static_cast<std::size_t>(size)).ok();
  return ok ? emscripten_get_now() - start : -1;
}

EMSCRIPTEN_KEEPALIVE double ls_queued_bytes() { return static_cast<double>(ls::app().loader.queuedBytes()); }

EMSCRIPTEN_KEEPALIVE void ls_add_unreadable_file(const char* name, const char* reason) {
  ls::app().loader.addUnreadableFile(name, reason);
  ls::requestRedraw();
}

// A snapshot of what the page shows, for the status of the page and its tests.
// The returned string lives until the next call.
EMSCRIPTEN_KEEPALIVE const char* ls_state_json() {
  using namespace ls;
  static std::string json;
  const AppState& s = app();
  std::ostringstream out;
  out.precision(10);
  out << "{\"loading\":" << (s.loader.busy() ? "true" : "false")
      << ",\"progress\":" << s.loader.progress()
      << ",\"volumeGeneration\":" << s.volumeGeneration;
  if (s.volume) {
    const auto& g = s.volume->geometry;
    const ImageExtent extent = imageExtent(*s.volume);
    const Point2 topLeft = imageToScreen(s.view, s.viewRect, extent, {0, 0});
    const Point2 bottomRight = imageToScreen(s.view, s.viewRect, extent, {double(g.columns), double(g.rows)});
    out << ",\"volume\":{\"columns\":" << g.columns << ",\"rows\":" << g.rows << ",\"slices\":" << g.slices
        << ",\"spacing\":[" << g.columnSpacing << "," << g.rowSpacing << "," << g.sliceSpacing << "]"
        << ",\"modality\":" << jsonString(s.volume->info.modality)
        << ",\"seriesDescription\":" << jsonString(s.volume->info.seriesDescription)
        << ",\"invert\":" << (displayInverted(s) ? "true" : "false")
        << ",\"colour\":" << (s.volume->isColour() ? "true" : "false")
        << ",\"orientationKnown\":" << (g.orientationKnown ? "true" : "false")
        << ",\"spacingKnown\":" << (g.spacingKnown ? "true" : "false")
        << ",\"firstLook\":" << (s.volume->firstLook ? "true" : "false")
        << ",\"photometric\":" << jsonString(s.volume->info.photometric)
        << ",\"sliceFile\":" << jsonString(s.volume->sliceFiles[s.slice]) << "}"
        << ",\"slice\":" << s.slice
        << ",\"window\":{\"center\":" << s.window.center << ",\"width\":" << s.window.width
        << ",\"name\":" << jsonString(s.window.name) << "}"
        << ",\"imageRect\":[" << topLeft.x << "," << topLeft.y << "," << bottomRight.x << "," << bottomRight.y
        << "]";
    out << ",\"labelledVoxelsOnSlice\":"
        << std::count_if(s.labels.slice(s.slice), s.labels.slice(s.slice) + s.volume->sliceSize(),
                         [](std::uint8_t v) { return v != 0; });
    out << ",\"measurementsMm\":[";
    bool firstLength = true;
    for (const auto& m : s.measurements) {
      if (m.kind != LengthMeasurement::Kind::Length) continue;
      out << (firstLength ? "" : ",") << lengthMm(m, g.columnSpacing, g.rowSpacing);
      firstLength = false;
    }
    out << "],\"measurements\":[";
    static const char* kKinds[] = {"length", "ellipse", "rectangle", "angle"};
    for (std::size_t i = 0; i < s.measurements.size(); ++i) {
      const auto& m = s.measurements[i];
      const double value = m.kind == LengthMeasurement::Kind::Angle ? angleDegrees(m, g.columnSpacing, g.rowSpacing)
                                                                    : lengthMm(m, g.columnSpacing, g.rowSpacing);
      out << (i ? "," : "") << "{\"kind\":\"" << kKinds[static_cast<int>(m.kind)] << "\",\"slice\":" << m.slice
          << ",\"value\":" << value << ",\"complete\":" << (m.complete ? "true" : "false") << ",\"points\":["
          << m.a.x << "," << m.a.y << "," << m.b.x << "," << m.b.y << "," << m.c.x << "," << m.c.y << "]}";
    }
    out << "]";
    out << ",\"labelledVoxels\":" << s.labelledVoxels << ",\"annotationSaved\":"
        << (s.annotationSaved ? "true" : "false") << ",\"unexportedWork\":"
        << (ls::hasUnexportedWork(s) ? "true" : "false") << ",\"restoreOffer\":";
    if (s.restoreOffer) {
      out << "{\"savedAt\":" << jsonString(s.restoreOffer->savedAt)
          << ",\"labelledVoxels\":" << s.restoreOffer->labelledVoxels
          << ",\"segments\":" << s.restoreOffer->saved.segments.size() << "}";
    } else {
      out << "null";
    }
    out << ",\"savedSessionChecked\":" << (s.savedSessionChecked ? "true" : "false")
        << ",\"highlightedSegment\":" << ls::highlightedSegmentLabel(s);
    out << ",\"propagation\":{\"running\":" << (s.propagation.running ? "true" : "false")
        << ",\"slicesDone\":" << s.propagation.slicesDone << ",\"status\":" << jsonString(s.propagation.status)
        << "},\"refinement\":{\"running\":" << (s.refinement.running ? "true" : "false")
        << ",\"round\":" << s.refinement.round << ",\"status\":" << jsonString(s.refinement.status) << "}";
    out << ",\"preferenceCount\":" << s.preferenceCount << ",\"help\":" << (s.showHelp ? "true" : "false");
    out << ",\"activeSegment\":" << s.segments.activeIndex() << ",\"outlineSegments\":"
        << (s.outlineSegments ? "true" : "false") << ",\"segments\":[";
    for (std::size_t i = 0; i < s.segments.all().size(); ++i) {
      const Segment& seg = s.segments.all()[i];
      out << (i ? "," : "") << "{\"label\":" << int(seg.label) << ",\"name\":" << jsonString(seg.name)
          << ",\"colour\":[" << int(seg.colour.r) << "," << int(seg.colour.g) << "," << int(seg.colour.b) << "]"
          << ",\"opacity\":" << seg.opacity << ",\"visible\":" << (seg.visible ? "true" : "false")
          << ",\"locked\":" << (seg.locked ? "true" : "false") << ",\"voxels\":" << s.voxelsPerLabel[seg.label]
          << "}";
    }
    out << "]";
    auto r = cursorReadout(s);
    if (r.valid) {
      out << ",\"cursor\":{\"column\":" << r.column << ",\"row\":" << r.row << ",\"value\":" << r.value;
      if (r.colour) out << ",\"rgb\":[" << r.red << "," << r.green << "," << r.blue << "]";
      if (r.padding) out << ",\"padding\":true";
      if (r.hasRestored) out << ",\"restoredValue\":" << r.restoredValue;
      out << "}";
    }
  }
  if (PromptSession* p = s.prompts.get()) {
    out << ",\"model\":" << jsonString(p->model() ? p->model()->name : "")
        << ",\"inferenceStatus\":" << jsonString(s.inferenceStatus)
        << ",\"modelError\":" << jsonString(s.modelError)
        << ",\"prompts\":{\"points\":" << p->points().size() << ",\"box\":" << (p->box() ? "true" : "false")
        << ",\"encoding\":" << (p->encoding() ? "true" : "false")
        << ",\"decoding\":" << (p->decoding() ? "true" : "false")
        << ",\"selected\":" << p->selected() << ",\"error\":" << jsonString(p->lastError())
        << ",\"encoderMs\":" << p->encoderMilliseconds() << ",\"decoderMs\":" << p->decoderMilliseconds()
        << ",\"promptToMaskMs\":" << p->promptToMaskMilliseconds()
        << ",\"candidates\":[";
    for (std::size_t i = 0; i < p->candidates().size(); ++i) {
      out << (i ? "," : "") << "{\"iou\":" << p->candidates()[i].predictedIou
          << ",\"area\":" << p->candidateArea(static_cast<int>(i)) << "}";
    }
    out << "]}";
  }
  out << restorationJson(s);
  out << ",\"series\":[";
  for (std::size_t i = 0; i < s.loader.series().size(); ++i) {
    const auto& first = s.loader.series()[i].slices.front();
    out << (i ? "," : "") << "{\"modality\":" << jsonString(first.info.modality)
        << ",\"description\":" << jsonString(first.info.seriesDescription)
        << ",\"images\":" << s.loader.series()[i].slices.size() << "}";
  }
  out << "],\"currentSeries\":" << s.loader.currentSeries();
  out << ",\"viewRect\":[" << s.viewRect.x << "," << s.viewRect.y << "," << s.viewRect.width << ","
      << s.viewRect.height << "]";
  out << multiplanarJson(s);
  out << ",\"shortcuts\":{\"rebinding\":" << s.rebindingCommand << ",\"message\":" << jsonString(s.keymapMessage)
      << ",\"text\":" << jsonString(serializeKeymap(s.keymap)) << "}";
  out << ",\"messages\":[";
  bool first = true;
  for (const auto& m : s.loader.messages()) {
    out << (first ? "" : ",") << "{\"severity\":\"" << severityName(m.severity)
        << "\",\"file\":" << jsonString(m.error.file) << ",\"message\":" << jsonString(m.error.message) << "}";
    first = false;
  }
  out << "]}";
  json = out.str();
  return json.c_str();
}

// The browser's storage answers for the shown series: a saved annotation
// (offered to the user, restore or start empty; never applied unasked), or
// none (size 0).
EMSCRIPTEN_KEEPALIVE void ls_offer_saved_annotation(int generation, std::uint8_t* data, int size,
                                                    const char* savedAt) {
  if (generation == ls::app().volumeGeneration) {
    ls::app().savedSessionChecked = true;
    if (size > 0) ls::offerSavedAnnotation(ls::app(), data, static_cast<std::size_t>(size), savedAt);
  }
  std::free(data);
  ls::requestRedraw();
}

// The offer's buttons: 1 restores, 0 starts empty.
EMSCRIPTEN_KEEPALIVE void ls_answer_restore_offer(int restore) {
  if (restore) ls::acceptRestoreOffer(ls::app());
  else ls::declineRestoreOffer(ls::app());
  ls::requestRedraw();
}

// A DICOM SEG or NIfTI file the user picked (or a NIfTI dropped) for the
// shown series; bad files get a message naming them.
EMSCRIPTEN_KEEPALIVE void ls_import_segmentation(const char* name, std::uint8_t* data, int size) {
  std::vector<std::uint8_t> bytes(data, data + size);
  std::free(data);
  ls::importSegmentation(ls::app(), name, bytes);
  ls::requestRedraw();
}

EMSCRIPTEN_KEEPALIVE int ls_autosave_waiting() { return ls::autosaveWaiting() ? 1 : 0; }

// For the page's "leave this page?" warning.
EMSCRIPTEN_KEEPALIVE int ls_has_unexported_work() { return ls::hasUnexportedWork(ls::app()) ? 1 : 0; }

// Shows series `index` of the last batch (as the Series list does).
EMSCRIPTEN_KEEPALIVE void ls_open_series(int index) {
  if (auto volume = ls::app().loader.openSeries(index)) ls::showVolume(ls::app(), std::move(*volume));
  ls::requestRedraw();
}

EMSCRIPTEN_KEEPALIVE void ls_export_nifti() { ls::exportNifti(ls::app()); }
EMSCRIPTEN_KEEPALIVE void ls_export_seg() { ls::exportDicomSeg(ls::app()); }
EMSCRIPTEN_KEEPALIVE void ls_save_view_png() { ls::requestViewPng(); }
// The label volume (columns x rows x slices bytes, slice-major), for tests.
EMSCRIPTEN_KEEPALIVE const std::uint8_t* ls_label_volume() {
  return ls::app().volume ? ls::app().labels.labels.data() : nullptr;
}

// Propagation as the panel's buttons start it: +1 next slices, -1 previous, 0 both.
EMSCRIPTEN_KEEPALIVE void ls_propagate(int direction) {
  ls::startPropagation(ls::app(), direction);
  ls::requestRedraw();
}

// Undo `steps` edits at once (the benchmark times an undo of a whole
// propagation); returns how many were undone.
EMSCRIPTEN_KEEPALIVE int ls_undo(int steps) {
  const int undone = ls::undoEdits(ls::app(), steps);
  ls::requestRedraw();
  return undone;
}

// Frames drawn so far and when the last one finished (performance.now()
// milliseconds), for the benchmarks' "to screen" times.
EMSCRIPTEN_KEEPALIVE int ls_frames_drawn() { return ls::framesDrawn(); }
EMSCRIPTEN_KEEPALIVE double ls_last_frame_end_ms() { return ls::lastFrameEndMs(); }

EMSCRIPTEN_KEEPALIVE void ls_set_preference_count(int count) { ls::app().preferenceCount = count; }

// The threshold choice (Compare thresholds, then a click on one).
EMSCRIPTEN_KEEPALIVE void ls_choose_threshold(int index) {
  ls::app().compareThresholds = true;
  ls::chooseThreshold(ls::app(), index, ls::isoTimeNow());
  ls::requestRedraw();
}

// "Refine (self-prompt)" in the panel.
EMSCRIPTEN_KEEPALIVE void ls_refine(int rounds) {
  ls::startRefinement(ls::app(), rounds);
  ls::requestRedraw();
}

// The restoration panel's controls, for the tests: open/close the comparison,
// choose method (0 nlm, 1 bilateral, 2 diffusion, 3 median, 4 learned),
// denoiser, noise sigma (< 0 keeps it), strength, and the comparison mode.
EMSCRIPTEN_KEEPALIVE void ls_open_restoration(int open) {
  if (open) ls::openRestoration(ls::app());
  else ls::closeRestoration(ls::app());
  ls::requestRedraw();
}

EMSCRIPTEN_KEEPALIVE void ls_set_restoration(int method, int denoiser, double sigma, double strength) {
  auto& state = ls::app();
  if (!ls::comparing(state)) return;
  ls::RestoreSettings settings = state.restoration->settings();
  settings.method = static_cast<ls::RestoreMethod>(std::clamp(method, 0, 4));
  settings.denoiser = denoiser;
  if (sigma >= 0) settings.noiseSigma = static_cast<float>(sigma);
  settings.strength = static_cast<float>(strength);
  state.restoration->setSettings(settings);
  ls::requestRedraw();
}

EMSCRIPTEN_KEEPALIVE void ls_set_compare_mode(int mode, double swipe) {
  auto& state = ls::app();
  state.comparison.mode = static_cast<ls::CompareMode>(std::clamp(mode, 0, 3));
  state.comparison.swipe = swipe;
  state.viewNeedsFit = true;
  ls::requestRedraw();
}

// The tool a left press uses (as the toolbar or its key picks it): the Tool enum's order.
EMSCRIPTEN_KEEPALIVE void ls_set_tool(int tool) {
  ls::app().tool = static_cast<ls::Tool>(std::clamp(tool, 0, static_cast<int>(ls::Tool::Scribble)));
  ls::requestRedraw();
}

// "Outline risks on the view"; and the noise rectangle removed.
EMSCRIPTEN_KEEPALIVE void ls_show_risks(int show) {
  ls::app().comparison.showRisks = show != 0;
  ls::requestRedraw();
}

EMSCRIPTEN_KEEPALIVE void ls_clear_noise_rect() {
  ls::app().comparison.noiseRoi.reset();
  ls::requestRedraw();
}

EMSCRIPTEN_KEEPALIVE void ls_export_restored() { ls::exportRestoredSeries(ls::app()); }

EMSCRIPTEN_KEEPALIVE void ls_annotation_saved(int ok) {
  ls::app().annotationSaved = ok != 0;
  ls::requestRedraw();
}

// The selected mask candidate (columns x rows bytes, 0/1), or null.
EMSCRIPTEN_KEEPALIVE const std::uint8_t* ls_preview_mask() {
  const ls::PromptSession* p = ls::app().prompts.get();
  const ls::MaskCandidate* c = p ? p->selectedCandidate() : nullptr;
  return c ? c->mask.data() : nullptr;
}

// Changes whenever a new preview is shown (a decode's candidates, another
// pick): a cheap poll for benchmarks, which must not run the state JSON
// on the main thread while a decode competes for the CPU.
EMSCRIPTEN_KEEPALIVE int ls_preview_version() {
  const ls::PromptSession* p = ls::app().prompts.get();
  return p ? p->previewVersion() : 0;
}

}  // extern "C"
