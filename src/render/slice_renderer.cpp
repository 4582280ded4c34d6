#include "render/slice_renderer.h"

#include <GLES3/gl3.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "imaging/reformat.h"
#include "render/shaders_embedded.h"

namespace ls {
namespace {

std::string compile(GLuint shader, const char* source) {
  glShaderSource(shader, 1, &source, nullptr);
  glCompileShader(shader);
  GLint ok = 0;
  glGetShaderiv(shader, GL_COMPILE_STATUS, &ok);
  if (ok) return {};
  char log[1024] = {};
  glGetShaderInfoLog(shader, sizeof log, nullptr, log);
  return log;
}

// Compiles and links the shared vertex shader with `fragment`.
std::string link(GLuint& program, const char* fragment, const char* name) {
  GLuint vs = glCreateShader(GL_VERTEX_SHADER), fs = glCreateShader(GL_FRAGMENT_SHADER);
  if (auto e = compile(vs, kSliceVertexShader); !e.empty()) return std::string("slice.vert: ") + e;
  if (auto e = compile(fs, fragment); !e.empty()) return std::string(name) + ": " + e;
  program = glCreateProgram();
  glAttachShader(program, vs);
  glAttachShader(program, fs);
  glLinkProgram(program);
  GLint ok = 0;
  glGetProgramiv(program, GL_LINK_STATUS, &ok);
  return ok ? std::string() : std::string(name) + ": program failed to link";
}

GLuint makeTexture() {
  GLuint texture = 0;
  glGenTextures(1, &texture);
  glBindTexture(GL_TEXTURE_2D, texture);
  // Nearest: every screen pixel shows a real stored value (float textures are
  // not filterable everywhere in WebGL2 either).
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  return texture;
}

void uploadMask(GLuint texture, int width, int height, const std::uint8_t* data) {
  glBindTexture(GL_TEXTURE_2D, texture);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_R8, width, height, 0, GL_RED, GL_UNSIGNED_BYTE, data);
}

}  // namespace

std::string SliceRenderer::init() {
  if (auto e = link(program_, kSliceFragmentShader, "slice.frag"); !e.empty()) return e;
  if (auto e = link(overlayProgram_, kOverlayFragmentShader, "overlay.frag"); !e.empty()) return e;
  if (auto e = link(colourProgram_, kColourFragmentShader, "colour.frag"); !e.empty()) return e;
  uColourRect_ = glGetUniformLocation(colourProgram_, "uRectNdc");
  uColourCenter_ = glGetUniformLocation(colourProgram_, "uCenter");
  uColourWidth_ = glGetUniformLocation(colourProgram_, "uWidth");
  uColourInvert_ = glGetUniformLocation(colourProgram_, "uInvert");
  uColourSlice_ = glGetUniformLocation(colourProgram_, "uSlice");
  uRectNdc_ = glGetUniformLocation(program_, "uRectNdc");
  uCenter_ = glGetUniformLocation(program_, "uCenter");
  uWidth_ = glGetUniformLocation(program_, "uWidth");
  uInvert_ = glGetUniformLocation(program_, "uInvert");
  uSlice_ = glGetUniformLocation(program_, "uSlice");
  uOther_ = glGetUniformLocation(program_, "uOther");
  uMode_ = glGetUniformLocation(program_, "uMode");
  uRange_ = glGetUniformLocation(program_, "uRange");
  uOverlayRect_ = glGetUniformLocation(overlayProgram_, "uRectNdc");
  uLabels_ = glGetUniformLocation(overlayProgram_, "uLabels");
  uPreview_ = glGetUniformLocation(overlayProgram_, "uPreview");
  uLut_ = glGetUniformLocation(overlayProgram_, "uLut");
  uOutline_ = glGetUniformLocation(overlayProgram_, "uOutline");
  uPreviewColour_ = glGetUniformLocation(overlayProgram_, "uPreviewColour");

  const float corners[] = {0, 0, 1, 0, 0, 1, 1, 1};
  glGenVertexArrays(1, &vao_);
  glBindVertexArray(vao_);
  glGenBuffers(1, &vbo_);
  glBindBuffer(GL_ARRAY_BUFFER, vbo_);
  glBufferData(GL_ARRAY_BUFFER, sizeof corners, corners, GL_STATIC_DRAW);
  glEnableVertexAttribArray(0);
  glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, 0, nullptr);
  glBindVertexArray(0);

  texture_ = makeTexture();
  restoredTexture_ = makeTexture();
  const float nothing = 0;  // a complete texture until a restored slice exists
  glTexImage2D(GL_TEXTURE_2D, 0, GL_R32F, 1, 1, 0, GL_RED, GL_FLOAT, &nothing);
  labelTexture_ = makeTexture();
  previewTexture_ = makeTexture();
  lutTexture_ = makeTexture();
  for (ReformatTextures& t : reformat_) t.image = makeTexture(), t.labels = makeTexture();
  blankMask_ = makeTexture();
  const std::uint8_t zero = 0;
  uploadMask(blankMask_, 1, 1, &zero);
  return {};
}

void SliceRenderer::uploadIfChanged(const AppState& app) {
  const auto& g = app.volume->geometry;
  if (uploadedGeneration_ != app.volumeGeneration || uploadedSlice_ != app.slice) {
    glBindTexture(GL_TEXTURE_2D, texture_);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    if (app.volume->isColour()) {
      glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, g.columns, g.rows, 0, GL_RGBA, GL_UNSIGNED_BYTE,
                   app.volume->colourSlice(app.slice));
    } else {
      glTexImage2D(GL_TEXTURE_2D, 0, GL_R32F, g.columns, g.rows, 0, GL_RED, GL_FLOAT, app.volume->slice(app.slice));
    }
    uploadedGeneration_ = app.volumeGeneration;
    uploadedSlice_ = app.slice;
  }
  const float* restored = comparing(app) ? app.restoration->restoredSlice(app.slice) : nullptr;
  restoredReady_ = restored != nullptr;
  // A restored slice, once ready, changes only with the settings.
  const int version = app.restoration ? app.restoration->settingsVersion() : -1;
  if (restored && (restoredSlice_ != app.slice || restoredVersion_ != version)) {
    glBindTexture(GL_TEXTURE_2D, restoredTexture_);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_R32F, g.columns, g.rows, 0, GL_RED, GL_FLOAT, restored);
    restoredSlice_ = app.slice;
    restoredVersion_ = version;
  }
}

void SliceRenderer::uploadOverlays(const AppState& app) {
  const auto& g = app.volume->geometry;
  const std::size_t size = static_cast<std::size_t>(g.columns) * g.rows;
  // Labels change while a stroke paints (the version moves at its end).
  if (app.stroking || labelsGeneration_ != app.volumeGeneration || labelsSlice_ != app.slice ||
      labelsVersion_ != app.annotationVersion) {
    const std::uint8_t* labels = app.labels.slices > app.slice ? app.labels.slice(app.slice) : nullptr;
    std::vector<std::uint8_t> empty(labels ? 0 : size, 0);
    uploadMask(labelTexture_, g.columns, g.rows, labels ? labels : empty.data());
    labelsShown_ = labels && std::any_of(labels, labels + size, [](std::uint8_t v) { return v != 0; });
    labelsGeneration_ = app.volumeGeneration, labelsSlice_ = app.slice, labelsVersion_ = app.annotationVersion;
  }
  const int previewVersion = app.prompts ? app.prompts->previewVersion() : 0;
  if (previewGeneration_ != app.volumeGeneration || previewSlice_ != app.slice ||
      previewVersion_ != previewVersion) {
    const MaskCandidate* preview = app.prompts ? app.prompts->selectedCandidate() : nullptr;
    std::vector<std::uint8_t> scaled(size, 0);
    for (std::size_t i = 0; preview && i < size; ++i) scaled[i] = preview->mask[i] ? 255 : 0;
    uploadMask(previewTexture_, g.columns, g.rows, scaled.data());
    previewShown_ = preview != nullptr;
    previewGeneration_ = app.volumeGeneration, previewSlice_ = app.slice, previewVersion_ = previewVersion;
  }
  const int highlight = highlightedSegmentLabel(app);
  if (lutVersion_ != app.segments.version() || lutHighlight_ != highlight) {
    const auto table = app.segments.colourTable(highlight);
    glBindTexture(GL_TEXTURE_2D, lutTexture_);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, 256, 1, 0, GL_RGBA, GL_UNSIGNED_BYTE, table.data());
    lutVersion_ = app.segments.version(), lutHighlight_ = highlight;
  }
}

void SliceRenderer::draw(const AppState& app, int fbWidth, int fbHeight) {
  if (!app.volume) return;
  uploadIfChanged(app);
  uploadOverlays(app);
  glViewport(0, 0, fbWidth, fbHeight);
  glEnable(GL_SCISSOR_TEST);
  glBindVertexArray(vao_);
  if (app.panes.empty()) {
    drawPane(app, {app.viewRect, PaneImage::Source}, fbWidth, fbHeight);
  }
  for (const ViewPane& pane : app.panes) {
    if (pane.slot >= 0) drawReformatPane(app, pane, fbWidth, fbHeight);
    else drawPane(app, pane, fbWidth, fbHeight);
  }
  glBindVertexArray(0);
  glDisable(GL_SCISSOR_TEST);
}

void SliceRenderer::drawReformatPane(const AppState& app, const ViewPane& pane, int fbWidth, int fbHeight) {
  const Volume& volume = *app.volume;
  const ReformatPlane plane = panePlane(app, pane);
  const int position = panePosition(app, pane);
  ReformatTextures& t = reformat_[pane.slot];
  // A second view of the acquired plane shows the main pane's textures (no copy).
  const bool acquired = pane.normalAxis == 2;
  const bool moved = t.generation != app.volumeGeneration || t.normal != pane.normalAxis || t.position != position;
  if (moved && !acquired) {
    glBindTexture(GL_TEXTURE_2D, t.image);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    if (volume.isColour()) {
      const auto image = reslice(volume.geometry, volume.colour.data(), plane, position);
      glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, plane.columns, plane.rows, 0, GL_RGBA, GL_UNSIGNED_BYTE, image.data());
    } else {
      const auto image = reslice(volume.geometry, volume.voxels.data(), plane, position);
      glTexImage2D(GL_TEXTURE_2D, 0, GL_R32F, plane.columns, plane.rows, 0, GL_RED, GL_FLOAT, image.data());
    }
  }
  if (!acquired && (moved || t.labelsVersion != app.annotationVersion)) {
    const bool hasLabels = app.labels.slices == volume.geometry.slices && !app.labels.labels.empty();
    std::vector<std::uint8_t> labels = hasLabels ? reslice(volume.geometry, app.labels.labels.data(), plane, position)
                                                 : std::vector<std::uint8_t>(std::size_t(plane.columns) * plane.rows, 0);
    uploadMask(t.labels, plane.columns, plane.rows, labels.data());
    t.hasLabels = std::any_of(labels.begin(), labels.end(), [](std::uint8_t v) { return v != 0; });
  }
  t.generation = app.volumeGeneration, t.normal = pane.normalAxis, t.position = position;
  t.labelsVersion = app.annotationVersion;

  const SliceView& view = paneView(app, pane);
  const ImageExtent extent = planeExtent(plane);
  const Point2 a = imageToScreen(view, pane.rect, extent, {0, 0});
  const Point2 b = imageToScreen(view, pane.rect, extent, {double(extent.columns), double(extent.rows)});
  const float rect[4] = {float(a.x / fbWidth * 2 - 1), float(1 - a.y / fbHeight * 2), float(b.x / fbWidth * 2 - 1),
                         float(1 - b.y / fbHeight * 2)};
  glScissor(int(pane.rect.x), int(fbHeight - pane.rect.y - pane.rect.height), int(pane.rect.width),
            int(pane.rect.height));
  useImageProgram(app, rect);
  const GLuint image = acquired ? texture_ : t.image;
  glActiveTexture(GL_TEXTURE0);
  glBindTexture(GL_TEXTURE_2D, image);
  if (!volume.isColour()) {  // the greyscale program's samplers (the colour one has only uSlice, set)
    glUniform1i(uSlice_, 0);
    glActiveTexture(GL_TEXTURE4);
    glBindTexture(GL_TEXTURE_2D, image);
    glUniform1i(uOther_, 4);
    glActiveTexture(GL_TEXTURE0);
  }
  glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);

  if (acquired ? !labelsShown_ : !t.hasLabels) return;
  glUseProgram(overlayProgram_);
  glUniform4f(uOverlayRect_, rect[0], rect[1], rect[2], rect[3]);
  drawOverlay(app, acquired ? labelTexture_ : t.labels, blankMask_, false);  // the preview is the main pane's
}

void SliceRenderer::drawPane(const AppState& app, const ViewPane& pane, int fbWidth, int fbHeight) {
  const ImageExtent extent = imageExtent(*app.volume);
  const Point2 topLeft = imageToScreen(app.view, pane.rect, extent, {0, 0});
  const Point2 bottomRight =
      imageToScreen(app.view, pane.rect, extent, {double(extent.columns), double(extent.rows)});
  auto ndcX = [&](double x) { return static_cast<float>(x / fbWidth * 2 - 1); };
  auto ndcY = [&](double y) { return static_cast<float>(1 - y / fbHeight * 2); };
  auto scissor = [&](double x0, double x1) {
    const ScreenRect& r = pane.rect;
    glScissor(static_cast<int>(x0), static_cast<int>(fbHeight - r.y - r.height), static_cast<int>(x1 - x0),
              static_cast<int>(r.height));
  };
  const float rect[4] = {ndcX(topLeft.x), ndcY(topLeft.y), ndcX(bottomRight.x), ndcY(bottomRight.y)};

  scissor(pane.rect.x, pane.rect.x + pane.rect.width);
  useImageProgram(app, rect);
  drawImage(app, pane.image);
  if (pane.swipeX >= 0) {
    // Swipe: the restored image right of the divider, the source left of it.
    scissor(pane.swipeX, pane.rect.x + pane.rect.width);
    drawImage(app, PaneImage::Restored);
    scissor(pane.rect.x, pane.rect.x + pane.rect.width);
  }
  // The overlay pass costs a second full-pane pass (a software GPU feels it):
  // only when there is something to show.
  if (!labelsShown_ && !previewShown_) return;
  glUseProgram(overlayProgram_);
  glUniform4f(uOverlayRect_, rect[0], rect[1], rect[2], rect[3]);
  drawOverlay(app, labelTexture_, previewTexture_, true);
}

void SliceRenderer::useImageProgram(const AppState& app, const float rect[4]) {
  const float center = static_cast<float>(app.window.center), width = static_cast<float>(app.window.width);
  const int invert = displayInverted(app) ? 1 : 0;
  if (app.volume->isColour()) {
    glUseProgram(colourProgram_);
    glUniform4f(uColourRect_, rect[0], rect[1], rect[2], rect[3]);
    glUniform1f(uColourCenter_, center);
    glUniform1f(uColourWidth_, width);
    glUniform1i(uColourInvert_, invert);
    glUniform1i(uColourSlice_, 0);
    return;
  }
  glUseProgram(program_);
  glUniform4f(uRectNdc_, rect[0], rect[1], rect[2], rect[3]);
  glUniform1f(uCenter_, center);
  glUniform1f(uWidth_, width);
  glUniform1i(uInvert_, invert);
  glUniform1i(uMode_, 0);
}

// A restored or difference image not computed yet is left blank (the UI says
// so): showing the source in its place would pass it off as restored.
void SliceRenderer::drawImage(const AppState& app, PaneImage image) {
  if (image != PaneImage::Source && !restoredReady_) return;
  if (app.volume->isColour()) {  // colour.frag: no restoration, no difference; uniforms are set
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, texture_);
    glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
    return;
  }
  const float sigma = app.restoration ? app.restoration->settings().noiseSigma : 0;
  const float range = app.comparison.differenceRange > 0 ? app.comparison.differenceRange
                                                         : std::max(3 * sigma, 1e-3f);
  if (image == PaneImage::Difference) glUniform1i(uMode_, 1);
  glUniform1f(uRange_, range);
  glActiveTexture(GL_TEXTURE0);
  glBindTexture(GL_TEXTURE_2D, image == PaneImage::Restored ? restoredTexture_ : texture_);
  glUniform1i(uSlice_, 0);
  glActiveTexture(GL_TEXTURE4);
  glBindTexture(GL_TEXTURE_2D, restoredTexture_);
  glUniform1i(uOther_, 4);
  glActiveTexture(GL_TEXTURE0);
  glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
}

// Labels (and the mask preview) blended over the image just drawn.
void SliceRenderer::drawOverlay(const AppState& app, unsigned labels, unsigned preview, bool showPreview) {
  glEnable(GL_BLEND);
  glBlendFunc(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA);
  glUniform1i(uOutline_, app.outlineSegments ? 1 : 0);
  if (showPreview) glUniform4f(uPreviewColour_, 1.0f, 0.75f, 0.1f, 0.45f);
  else glUniform4f(uPreviewColour_, 0, 0, 0, 0);
  glActiveTexture(GL_TEXTURE1);
  glBindTexture(GL_TEXTURE_2D, labels);
  glUniform1i(uLabels_, 1);
  glActiveTexture(GL_TEXTURE2);
  glBindTexture(GL_TEXTURE_2D, preview);
  glUniform1i(uPreview_, 2);
  glActiveTexture(GL_TEXTURE3);
  glBindTexture(GL_TEXTURE_2D, lutTexture_);
  glUniform1i(uLut_, 3);
  glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
  glActiveTexture(GL_TEXTURE0);
  glDisable(GL_BLEND);
}

}  // namespace ls
