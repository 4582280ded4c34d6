// SliceRenderer: draws the current slice of a Volume into each view pane
// with WebGL2 / GLES 3.0, window/level applied on the GPU (shaders/slice.*),
// then the committed labels, coloured per segment, and the mask preview
// (shaders/overlay.frag). When a restoration preview is compared, panes show
// the source, the restored slice, a swipe between them or their difference.
// Reformatted panes of the multiplanar layouts get their plane's image and
// labels resliced on the CPU (src/imaging/reformat) into textures of their own,
// only when the plane, its position or the labels change; window/level stays
// a uniform, so dragging it uploads nothing.
#pragma once

#include <string>

#include "app/app_state.h"

namespace ls {

class SliceRenderer {
 public:
  // Compiles the shaders; returns an error message or "".
  std::string init();
  // Draws app.slice of app.volume into app.viewRect (framebuffer pixels).
  void draw(const AppState& app, int framebufferWidth, int framebufferHeight);

 private:
  void uploadIfChanged(const AppState& app);
  void uploadOverlays(const AppState& app);
  void drawPane(const AppState& app, const ViewPane& pane, int framebufferWidth, int framebufferHeight);
  void drawImage(const AppState& app, PaneImage image);
  void drawOverlay(const AppState& app, unsigned labels, unsigned preview, bool showPreview);
  // Binds the image program for the volume (greyscale or colour) with the
  // quad's rectangle, the window and the inversion set.
  void useImageProgram(const AppState& app, const float rect[4]);
  void drawReformatPane(const AppState& app, const ViewPane& pane, int framebufferWidth, int framebufferHeight);

  // What one reformatted pane's textures hold.
  struct ReformatTextures {
    unsigned image = 0, labels = 0;
    int generation = -1, normal = -1, position = -1, labelsVersion = -1;
    bool hasLabels = false;
  };
  ReformatTextures reformat_[4];
  unsigned blankMask_ = 0;  // an empty preview for reformatted panes

  unsigned program_ = 0, vao_ = 0, vbo_ = 0, texture_ = 0, restoredTexture_ = 0;
  // Colour images (shaders/colour.frag) and its uniforms.
  unsigned colourProgram_ = 0;
  int uColourRect_ = -1, uColourCenter_ = -1, uColourWidth_ = -1, uColourInvert_ = -1, uColourSlice_ = -1;
  int uRectNdc_ = -1, uCenter_ = -1, uWidth_ = -1, uInvert_ = -1, uSlice_ = -1;
  int uOther_ = -1, uMode_ = -1, uRange_ = -1;
  int uploadedGeneration_ = -1, uploadedSlice_ = -1;
  int restoredSlice_ = -1, restoredVersion_ = -1;
  bool restoredReady_ = false;
  bool labelsShown_ = false, previewShown_ = false;  // the main overlay textures hold something
  // What the overlay textures hold, so they are uploaded only when it changes.
  int labelsGeneration_ = -1, labelsSlice_ = -1, labelsVersion_ = -1;
  int previewGeneration_ = -1, previewSlice_ = -1, previewVersion_ = -1;
  int lutVersion_ = -1, lutHighlight_ = -2;
  unsigned overlayProgram_ = 0, labelTexture_ = 0, previewTexture_ = 0, lutTexture_ = 0;
  int uOverlayRect_ = -1, uLabels_ = -1, uPreview_ = -1, uLut_ = -1, uOutline_ = -1, uPreviewColour_ = -1;
};

}  // namespace ls
