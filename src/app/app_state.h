// AppState: everything the viewer shows, and the actions that change it.
// Plain data plus small functions: the UI draws it and emits actions, the
// platform layer feeds it input and files. No GL, no browser.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/comparison.h"
#include "app/keymap.h"
#include "app/multiplanar.h"
#include "app/propagation.h"
#include "app/refinement.h"
#include "app/restoration_preview.h"
#include "app/series_loader.h"
#include "app/session_restore.h"
#include "app/view.h"
#include "core/volume.h"
#include "ml/embedding_cache.h"
#include "restore/risk_report.h"
#include "imaging/histogram.h"
#include "segment/brush.h"
#include "segment/measurement.h"
#include "segment/edit_history.h"
#include "segment/label_volume.h"
#include "segment/prompt_session.h"
#include "segment/segments.h"

namespace ls {

// What a left press on the image does.
enum class Tool { Prompt, Brush, Eraser, Ruler, EllipseRoi, Fill, EraseOutsideBox, NoiseRoi, RectangleRoi, Angle, Crosshair, Scribble };

struct AppState {
  std::optional<Volume> volume;
  int volumeGeneration = 0;  // bumps when a new volume replaces the old one
  int slice = 0;
  WindowLevel window;
  int windowPreset = 0;  // index into volume->windows, -1 once adjusted by hand
  bool invert = false;   // the user's invert, on top of MONOCHROME1
  bool cinePlaying = false;
  double cineFps = 8;            // slices per second
  double cineElapsedMs = 0;      // time not yet turned into slice steps
  SliceView view;
  ScreenRect viewArea;  // the whole area for views this frame (below the restoration banner)
  std::vector<ViewPane> panes;  // the views in it: a layout's planes, or source and restoration side by side
  // The main pane, where the tools work on the acquired slice with `view`:
  // when comparing, the pane under the pointer (every pane shares zoom and pan).
  ScreenRect viewRect;
  int inputPane = 0;  // index into panes of the pane input goes to (under the pointer, kept while dragging)
  MultiplanarView multiplanar;  // layout, reformatted panes, crosshair
  bool viewNeedsFit = true;
  SeriesLoader loader;
  // The series browser's thumbnails as texture handles (ImTextureID), one per
  // loader.series(); set by the platform, which owns the GL textures.
  std::vector<std::uintptr_t> seriesThumbnailTextures;

  // Annotation: committed labels and the prompt -> mask loop (created by the
  // platform, which owns the inference backend).
  LabelVolume labels;
  SegmentList segments;                 // every edit goes to the active one
  std::vector<Segment> removedSegments;  // deleted ones, brought back if an undo restores their voxels
  std::array<std::size_t, 256> voxelsPerLabel{};
  std::vector<std::array<std::uint32_t, 256>> labelCountsPerSlice;  // summed into voxelsPerLabel
  int hoveredSegmentLabel = -1;  // the segment under the pointer in the list (see highlightedSegmentLabel)
  bool outlineSegments = false;  // overlays as outlines instead of filled
  EditHistory history;
  Tool tool = Tool::Prompt;
  double brushRadiusMm = 3;
  bool brushSphere = false;      // 3D brush: a sphere over the neighbouring slices
  bool brushThreshold = false;   // paint only voxels with values in [thresholdLow, thresholdHigh]
  float thresholdLow = 0, thresholdHigh = 0;
  std::optional<std::pair<Point2, Point2>> eraseBox;  // being dragged (image coordinates)
  std::vector<Point2> scribble;  // the scribble being drawn (image coordinates)
  bool scribbleExcludes = false;  // drawn with Ctrl: marks what is not the structure
  bool stroking = false;
  Point2 lastStrokePoint;  // image coordinates
  std::vector<LengthMeasurement> measurements;  // saved with the session
  int measurementsVersion = 0;  // bumps when one is added or deleted (autosave watches it)
  Histogram histogram;  // of the whole volume, for the window panel
  bool histogramLog = true;
  int annotationVersion = 0;  // bumps with every change to `labels` (autosave watches it)
  int exportedAnnotationVersion = 0;  // annotationVersion at the last SEG or NIfTI export
  bool annotationSaved = true;  // the last autosave succeeded
  std::optional<RestoreOffer> restoreOffer;  // a saved session of this series, not yet restored or declined
  bool savedSessionChecked = false;  // the browser's storage has answered for the shown volume
  std::size_t labelledVoxels = 0;  // non-zero voxels of `labels`, kept up to date
  EmbeddingCache embeddings{512u << 20};
  std::unique_ptr<PromptSession> prompts;
  Propagation propagation;
  Refinement refinement;
  // Restoration preview beside the source (created by the platform, which
  // owns the denoiser backend) and how the two are compared.
  std::unique_ptr<RestorationPreview> restoration;
  ComparisonView comparison;
  // The risk analysis of the current restored slice, for the slice and
  // restoration settings it was computed from (once per slice and settings,
  // not again when other slices finish in the background).
  RiskReport risk;
  int riskSlice = -1, riskVersion = -1;
  bool showHelp = false;  // the mouse and keyboard overlay
  Keymap keymap = defaultKeymap();  // the user's shortcuts (kept in the browser)
  int keymapVersion = 0;            // bumps when the user changes a shortcut (the platform saves it)
  int rebindingCommand = -1;        // a Command waiting for its new key, else -1
  std::string keymapMessage;        // what the last change did
  bool compareThresholds = false;         // show the preview at 4 probability thresholds to choose from
  std::vector<std::string> newPreferences;  // records not yet handed to the browser's storage
  int preferenceCount = 0;                // records kept in this browser
  std::string inferenceStatus = "model not loaded";
  std::string backendPreference = "auto";  // "auto", "webgpu" or "wasm"
  std::string modelError;

  // Cursor readout, valid when the pointer is over the image.
  bool cursorOnImage = false;
  double cursorColumn = 0, cursorRow = 0;
  int cursorSlice = -1;  // the slice under the pointer in a reformatted pane; -1: the main pane's slice
};

ImageExtent imageExtent(const Volume& volume);

// Actions.
void showVolume(AppState& app, Volume volume);
void scrollSlices(AppState& app, int delta);
void selectWindowPreset(AppState& app, int index);
// Right-drag: horizontal changes width, vertical changes level; the step
// scales with the current width so both CT (HU) and MR feel alike.
void dragWindow(AppState& app, double dx, double dy);
void fitToView(AppState& app);
// Cine: moves through the slices at cineFps, looping; returns true when the
// slice changed.
bool advanceCine(AppState& app, double elapsedMs);
// Back to the first window preset and a fitted view, no inversion.
void resetView(AppState& app);
// MONOCHROME1 and the user's invert combined.
bool displayInverted(const AppState& app);
// Tells the prompt session which slice and window it works on (every frame).
void syncPromptImage(AppState& app);
// Restoration preview: opens the comparison for the shown volume with a
// default method and the noise level estimated on the current slice; closing
// drops the restored copy (the source was never touched).
void openRestoration(AppState& app);
void closeRestoration(AppState& app);
bool comparing(const AppState& app);
// The risk analysis of the current slice's restoration (computed once per
// slice and result), or null while the slice is not restored yet.
const RiskReport* currentRisk(AppState& app);
// Noise inside the user's rectangle on source and restored, or null.
std::optional<RegionNoise> noiseInUserRect(const AppState& app);
// Splits app.viewArea into panes and picks the one input goes to (the pane
// under `pointer`, kept while a button is held).
void layoutViewPanes(AppState& app, Point2 pointer, bool buttonHeld);
// Commits the preview thresholded at preferenceThresholds()[index] and logs
// the choice (chosen and rejected masks) as a preference record.
void chooseThreshold(AppState& app, int index, const std::string& isoTime);
// Commits the selected mask candidate to the label volume; returns voxels changed.
int acceptMask(AppState& app);
void discardMask(AppState& app);
// A brush or eraser stroke on the current slice: begin, extend, end (one
// undo step per stroke). Points are in image coordinates.
void beginStroke(AppState& app, Point2 image);
void extendStroke(AppState& app, Point2 image);
void endStroke(AppState& app);
// Segments: add one (it becomes active), delete one with all its voxels (one
// undo step; undo brings both back), and note a change of name, colour,
// opacity, visibility or lock (saved with the annotation).
void addSegment(AppState& app);
void deleteSegment(AppState& app, int index);
void segmentsEdited(AppState& app);
// A measurement was added or deleted (saved with the session).
void measurementsEdited(AppState& app);
void deleteMeasurement(AppState& app, std::size_t index);
// The mask to start a model-driven edit from: the preview (selected
// candidate) with its logits, or else the active segment on this slice with
// logits made from it. Needs a model; `fromPreview` says which.
struct CurrentMask {
  std::vector<std::uint8_t> mask;
  std::vector<float> lowRes;
  bool fromPreview = false;
};
CurrentMask currentMask(AppState& app);
// Recounts the labels after any change to them and notes the change.
void afterHistoryChange(AppState& app);
// Fill: the area the active segment encloses around `image` on this slice
// (one undo step); says so if the contour is open. Erase outside box: removes
// the active segment outside the box on this slice (one undo step).
void fillAt(AppState& app, Point2 image);
// Interpolation: fills the slices between slices that hold the active segment
// (shape-based, one undo step); says what it did.
void interpolateActiveSegment(AppState& app);
void eraseOutside(AppState& app, Point2 a, Point2 b);
// Undo/redo of label edits (each accept is one step); false if nothing to do.
bool undoEdit(AppState& app);
// Several undo steps at once (e.g. a whole propagation); returns how many.
int undoEdits(AppState& app, int steps);
bool redoEdit(AppState& app);
// Labels exist that changed since the last SEG or NIfTI export (the page
// warns before it is closed).
bool hasUnexportedWork(const AppState& app);
// Where the annotation of the current volume is saved: series UID and size.
std::string annotationKey(const AppState& app);
void updateCursor(AppState& app, Point2 screen);

// What the status line and tests read: value (modality units) and patient
// position (mm) under the cursor.
struct CursorReadout {
  bool valid = false;
  int column = 0, row = 0, slice = 0;
  float value = 0;  // colour images: the luma
  bool colour = false;
  int red = 0, green = 0, blue = 0;
  bool padding = false;  // the file's pixel padding: no image here
  bool hasRestored = false;  // a restoration preview of this slice is shown
  float restoredValue = 0;
  Vec3 patient;
  int segmentLabel = 0;  // the visible segment under the pointer, 0 if none
};
CursorReadout cursorReadout(const AppState& app);
// The segment drawn stronger: the one hovered in the list, else the one
// under the pointer in the view; -1 for none.
int highlightedSegmentLabel(const AppState& app);

}  // namespace ls
