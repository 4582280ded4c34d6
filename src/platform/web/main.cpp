// Browser entry point: GLFW window on the page's canvas (WebGL2), Dear ImGui,
// and the Emscripten main loop that decodes queued files, handles input and
// draws. The page (web/page/page.js) feeds files in through web_bridge.cpp;
// input is gathered in web_input.cpp.
#include <GLES3/gl3.h>
#include <GLFW/glfw3.h>
#include <emscripten.h>
#include <emscripten/html5.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <ctime>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/classical_restore.h"
#include "app/segmentation_import.h"
#include "io/derived_series.h"
#include "io/label_storage.h"
#include "io/zip_writer.h"
#include "platform/web/web_app.h"
#include "platform/web/web_denoiser.h"
#include "platform/web/web_inference.h"
#include "platform/web/web_input.h"
#include "render/slice_renderer.h"
#include "render/thumbnail_textures.h"
#include "ui/panels.h"

namespace ls {
namespace {

// Per frame, the main thread takes decoded files (worker threads decode them)
// for at most this long, and never waits for one: the page keeps drawing.
constexpr double kDecodeBudgetMs = 12;
constexpr double kProgressFrameIntervalMs = 150;
// Autosave at most this often (the issue allows a second between an edit and its save).
constexpr double kAutosaveIntervalMs = 500;
// Budget for restoring slices in the background per frame.
constexpr double kRestoreBudgetMs = 12;

struct Platform {
  GLFWwindow* window = nullptr;
  SliceRenderer renderer;
  ThumbnailTextures thumbnails;  // of the series browser
  WebInferenceBackend inference;
  WebDenoiserBackend denoiser;
  int framesToDraw = 2;          // see requestRedraw()
  int savedAnnotationVersion = 0, annotationsLookedUpFor = 0;  // autosave bookkeeping
  double lastAutosaveMs = -1e9;
  float pixelRatio = 1;
  int framebufferWidth = 0, framebufferHeight = 0;
  int framesDrawn = 0;
  double lastFrameEndMs = 0;
  bool captureRequested = false;      // "Save view as PNG" asked from outside ImGui (the bridge)
  std::optional<ScreenRect> capture;  // the area to save as PNG once this frame is drawn
  std::vector<SeriesLoader::SegmentationFile> segmentationsToImport;  // dropped SEG files, waiting for their series
};

Platform platform;

EM_JS(void, jsOpenFilePicker, (int folder), { LocalSeg.openPicker(folder !== 0); });
EM_JS(void, jsOpenModelPicker, (), { LocalSeg.openModelPicker(); });
EM_JS(void, jsOpenSegmentationPicker, (), { LocalSeg.openSegmentationPicker(); });
EM_JS(void, jsDownloadPng, (const char* name, const std::uint8_t* rgba, int width, int height),
      { LocalSeg.downloadPng(UTF8ToString(name), rgba, width, height); });
EM_JS(void, jsSaveAnnotation, (const char* key, const std::uint8_t* data, int size),
      { LocalSeg.saveAnnotation(UTF8ToString(key), data, size); });
EM_JS(void, jsLoadAnnotation, (const char* key, int generation),
      { LocalSeg.loadAnnotation(UTF8ToString(key), generation); });
EM_JS(void, jsAppendPreference, (const char* line), { LocalSeg.appendPreference(UTF8ToString(line)); });
EM_JS(void, jsExportPreferences, (), { LocalSeg.exportPreferences(); });
EM_JS(void, jsSetBackend, (const char* kind), { LocalSegInference.setBackend(UTF8ToString(kind)); });
EM_JS(void, jsReportFatal, (const char* message), { LocalSeg.fatal(UTF8ToString(message)); });

// Keeps the canvas backing store at CSS size x devicePixelRatio so text and
// images are sharp on HiDPI screens; everything inside works in those pixels.
void syncCanvasSize() {
  double cssWidth = 0, cssHeight = 0;
  emscripten_get_element_css_size("#canvas", &cssWidth, &cssHeight);
  const double ratio = emscripten_get_device_pixel_ratio();
  const int width = std::max(1, static_cast<int>(std::lround(cssWidth * ratio)));
  const int height = std::max(1, static_cast<int>(std::lround(cssHeight * ratio)));
  if (width != platform.framebufferWidth || height != platform.framebufferHeight) {
    emscripten_set_canvas_element_size("#canvas", width, height);
    platform.framebufferWidth = width;
    platform.framebufferHeight = height;
    app().viewNeedsFit = true;
    requestRedraw();
  }
}

void setUpImGui() {
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // layout is fixed; nothing to persist
  platform.pixelRatio = static_cast<float>(emscripten_get_device_pixel_ratio());
  ImFontConfig config;
  config.OversampleH = 2;
  // Latin-1 plus the dashes, quotes and minus sign the banners and units use.
  static const ImWchar kGlyphs[] = {0x0020, 0x00FF, 0x2010, 0x2027, 0x2212, 0x2212, 0};
  if (!io.Fonts->AddFontFromFileTTF("/fonts/DejaVuSans.ttf", 15.0f * platform.pixelRatio, &config, kGlyphs)) {
    io.Fonts->AddFontDefault();
  }
  ImGui::StyleColorsDark();
  ImGuiStyle& style = ImGui::GetStyle();
  style.WindowRounding = 0;
  style.ScaleAllSizes(platform.pixelRatio);
  installInputCallbacks(platform.window);  // first: ImGui's backend chains to them
  ImGui_ImplGlfw_InitForOpenGL(platform.window, true);
  takeOverAfterImGui(platform.window);
  ImGui_ImplOpenGL3_Init("#version 300 es");
}

// What the autosave watches: labels, segments and measurements.
int sessionVersion(const AppState& state) { return state.annotationVersion + state.measurementsVersion; }

// Autosave: every change to the labels goes to the browser's storage; a newly
// shown volume gets its saved labels back.
void syncAnnotationStorage(AppState& state) {
  if (!state.volume || state.volume->firstLook) return;  // nothing is saved or offered for a first look
  const std::string key = annotationKey(state);
  if (platform.annotationsLookedUpFor != state.volumeGeneration) {
    platform.annotationsLookedUpFor = state.volumeGeneration;
    platform.savedAnnotationVersion = sessionVersion(state);
    jsLoadAnnotation(key.c_str(), state.volumeGeneration);
  }
  // While a saved session is offered, the saved copy must stay as it is.
  // At most one save per kAutosaveIntervalMs: encoding a large label volume
  // takes tens of milliseconds, too much for every step of a propagation.
  const double now = emscripten_get_now();
  if (sessionVersion(state) != platform.savedAnnotationVersion && !state.restoreOffer &&
      now - platform.lastAutosaveMs >= kAutosaveIntervalMs) {
    platform.savedAnnotationVersion = sessionVersion(state);
    platform.lastAutosaveMs = now;
    const std::vector<std::uint8_t> bytes =
        serializeAnnotation(state.labels, state.segments, currentSessionView(state));
    jsSaveAnnotation(key.c_str(), bytes.data(), static_cast<int>(bytes.size()));
  }
}

// The view area as drawn this frame (banner, panes, overlays; no sidebar),
// read back from the framebuffer and saved as a PNG by the page.
void saveCapturedView(const AppState& state, const ScreenRect& area) {
  const int x = std::max(0, static_cast<int>(area.x)), width = std::max(1, static_cast<int>(area.width));
  const int height = std::max(1, static_cast<int>(area.height));
  const int y = std::max(0, platform.framebufferHeight - static_cast<int>(area.y) - height);  // GL: bottom-up
  std::vector<std::uint8_t> rgba(static_cast<std::size_t>(width) * height * 4);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadPixels(x, y, width, height, GL_RGBA, GL_UNSIGNED_BYTE, rgba.data());
  const std::string name = "localseg-view-slice-" + std::to_string(state.slice + 1) + ".png";
  jsDownloadPng(name.c_str(), rgba.data(), width, height);
}

// SEG files dropped with (or after) their series: onto the shown volume,
// once the browser's storage has answered, so a restore offer comes first.
void importDroppedSegmentations(AppState& state) {
  for (auto& file : state.loader.takeSegmentationFiles()) platform.segmentationsToImport.push_back(std::move(file));
}

void importWaitingSegmentations(AppState& state) {
  if (platform.segmentationsToImport.empty() || !state.volume) return;
  if (!state.savedSessionChecked || state.restoreOffer) return;
  for (const auto& file : platform.segmentationsToImport) importSegmentation(state, file.name, file.bytes);
  platform.segmentationsToImport.clear();
  requestRedraw();
}

constexpr double kHoldFramesForDecodeMs = 120;

void frame() {
  AppState& state = app();
  // While files load, the progress bar is redrawn a few times a second only:
  // on a software GPU each frame costs as much as decoding several files.
  static double lastProgressFrame = 0;
  if (const double started = emscripten_get_now();
      state.loader.busy() && started - lastProgressFrame > kProgressFrameIntervalMs) {
    lastProgressFrame = started;
    requestRedraw();
  }
  const bool wasLoading = state.loader.busy();
  if (auto volume = state.loader.process(kDecodeBudgetMs, SeriesLoader::Wait::Never)) {
    showVolume(state, std::move(*volume));
    requestRedraw();
  } else if (auto first = state.loader.takeFirstLook()) {
    showVolume(state, std::move(*first));
    requestRedraw();
  }
  if (wasLoading && !state.loader.busy()) {
    importDroppedSegmentations(state);
    requestRedraw();  // the batch's messages, also when no volume came of it
  }
  syncAnnotationStorage(state);
  importWaitingSegmentations(state);
  // Cine keeps the page drawing while it plays.
  static double lastFrame = emscripten_get_now();
  const double now = emscripten_get_now();
  if (state.cinePlaying) {
    advanceCine(state, now - lastFrame);
    requestRedraw();
  }
  if (comparing(state)) {
    state.restoration->update(*state.volume, state.slice, kRestoreBudgetMs);
    if (state.comparison.showRisks) currentRisk(state);  // once per restored slice
    // Draw when a slice was restored (image, progress) or to flicker; not
    // while only waiting for a learned result: a software-GPU frame would
    // take the CPU the model runs on.
    static int drawnContent = -1;
    if (state.restoration->contentVersion() != drawnContent || state.comparison.mode == CompareMode::Flicker) {
      drawnContent = state.restoration->contentVersion();
      requestRedraw();
    }
    if (advanceFlicker(state.comparison, now - lastFrame)) requestRedraw();
  }
  lastFrame = now;
  if (state.propagation.running || state.refinement.running) {
    advancePropagation(state);
    advanceRefinement(state);
    requestRedraw();  // show each propagated slice, each refinement round
  }
  if (state.prompts) state.prompts->update();  // queued prompts, pre-encoding

  glfwPollEvents();
  syncCanvasSize();
  if (platform.framesToDraw == 0) return;  // nothing changed: keep the last frame
  // While a decode runs (briefly), keep the main thread free: its result is
  // then post-processed the moment it arrives instead of waiting behind a
  // frame (20-30 ms on a software GPU); marker and mask appear together.
  if (state.prompts && state.prompts->decoding() && state.prompts->decodeRunningMilliseconds() < kHoldFramesForDecodeMs) {
    return;
  }
  --platform.framesToDraw;
  const bool decodingBefore = state.prompts && state.prompts->decoding();
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  feedMouseButtons();
  ImGuiIO& io = ImGui::GetIO();
  // The backend reads GLFW's idea of the window; the canvas is sized here.
  io.DisplaySize = ImVec2(static_cast<float>(platform.framebufferWidth),
                          static_cast<float>(platform.framebufferHeight));
  io.DisplayFramebufferScale = ImVec2(1, 1);
  ImGui::NewFrame();

  UiLayout layout;
  layout.sidebarWidth = 340 * platform.pixelRatio;
  layout.statusHeight = ImGui::GetFrameHeightWithSpacing() + 8 * platform.pixelRatio;
  state.seriesThumbnailTextures = platform.thumbnails.update(state.loader);
  UiRequests requests = drawPanels(state, layout, io.DisplaySize.x, io.DisplaySize.y);
  // A drag in progress stays with its pane; a press this frame picks the pane under the pointer.
  bool dragging = false;
  for (int button = 0; button < 3; ++button) dragging |= io.MouseDown[button] && !io.MouseClicked[button];
  layoutViewPanes(state, {io.MousePos.x, io.MousePos.y}, dragging);
  if (requests.openFiles) jsOpenFilePicker(0);
  if (requests.openFolder) jsOpenFilePicker(1);
  if (requests.loadModel) jsOpenModelPicker();
  if (requests.importSegmentation) jsOpenSegmentationPicker();
  if ((requests.saveViewPng || platform.captureRequested) && state.volume) {
    platform.captureRequested = false;
    platform.capture = ScreenRect{layout.sidebarWidth, 0, io.DisplaySize.x - layout.sidebarWidth,
                                  io.DisplaySize.y - layout.statusHeight};
  }
  if (requests.exportNifti) exportNifti(state);
  if (requests.exportDicomSeg) exportDicomSeg(state);
  if (requests.exportRestored) exportRestoredSeries(state);
  if (requests.chooseThreshold >= 0) chooseThreshold(state, requests.chooseThreshold, isoTimeNow());
  if (requests.exportPreferences) jsExportPreferences();
  for (const std::string& line : state.newPreferences) jsAppendPreference(line.c_str());
  state.newPreferences.clear();
  if (!requests.backend.empty()) {
    state.backendPreference = requests.backend;
    jsSetBackend(requests.backend.c_str());
  }
  if (state.volume && state.viewNeedsFit) fitToView(state);
  fitReformatPanes(state);
  applyViewInput(state, gatherViewInput(state, platform.pixelRatio));
  saveShortcutsIfChanged(state);
  if (state.prompts) state.prompts->update();
  drawPromptMarkers(state, boxInProgress(platform.pixelRatio));
  if (!decodingBefore && state.prompts && state.prompts->decoding()) {
    // This frame sent a prompt: end it undrawn. On a software GPU its fill
    // would take the CPU the decoder runs on; the marker appears with the
    // mask (frames are held while the decode runs, see above).
    ImGui::EndFrame();
    platform.framesToDraw = std::max(platform.framesToDraw, 1);
    return;
  }

  ImGui::Render();
  glViewport(0, 0, platform.framebufferWidth, platform.framebufferHeight);
  glClearColor(0.05f, 0.05f, 0.06f, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  platform.renderer.draw(state, platform.framebufferWidth, platform.framebufferHeight);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
  if (platform.capture) {
    saveCapturedView(state, *platform.capture);
    platform.capture.reset();
  }
  ++platform.framesDrawn;
  platform.lastFrameEndMs = emscripten_get_now();
}

}  // namespace

void requestRedraw() { platform.framesToDraw = 2; }

int framesDrawn() { return platform.framesDrawn; }
double lastFrameEndMs() { return platform.lastFrameEndMs; }

bool autosaveWaiting() {
  const AppState& state = app();
  return state.volume && sessionVersion(state) != platform.savedAnnotationVersion && !state.restoreOffer;
}

void requestViewPng() {
  platform.captureRequested = true;
  requestRedraw();
}

std::string isoTimeNow() {
  const std::time_t now = std::time(nullptr);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  return text;
}


}  // namespace ls

int main() {
  using namespace ls;
  if (!glfwInit()) {
    jsReportFatal("GLFW could not start");
    return 1;
  }
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
  // Nothing is depth-tested or stencilled, and the canvas is opaque: without
  // these buffers (GLFW asks for all three by default) the browser neither
  // clears them nor blends the canvas with the page on every frame.
  glfwWindowHint(GLFW_DEPTH_BITS, 0);
  glfwWindowHint(GLFW_STENCIL_BITS, 0);
  glfwWindowHint(GLFW_ALPHA_BITS, 0);
  platform.window = glfwCreateWindow(1280, 800, "LocalSeg", nullptr, nullptr);
  if (!platform.window) {
    jsReportFatal("WebGL2 is not available in this browser: LocalSeg needs it to draw images");
    return 1;
  }
  glfwMakeContextCurrent(platform.window);
  app().prompts = std::make_unique<PromptSession>(platform.inference, app().embeddings);
  app().restoration = std::make_unique<RestorationPreview>(runClassicalFilter, &platform.denoiser);
  syncCanvasSize();
  setUpImGui();
  if (std::string error = platform.renderer.init(); !error.empty()) {
    jsReportFatal(("slice shader failed: " + error).c_str());
    return 1;
  }
  emscripten_set_main_loop(frame, 0, false);
  EM_ASM({ LocalSeg.ready(); });
  return 0;
}
