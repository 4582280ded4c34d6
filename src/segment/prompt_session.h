// PromptSession: the prompt -> mask loop on one slice. Clicks and a box are
// turned into model coordinates; the slice is encoded once (embedding cache),
// each prompt change sends one decode, and the previous low-resolution mask is
// fed back as mask_input so every further prompt refines the mask. At most one
// encode and one decode are in flight; prompts that arrive meanwhile are sent
// when the running decode returns.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/image_slice.h"
#include "core/point2.h"
#include "ml/inference_backend.h"
#include "ml/manifest.h"
#include "ml/model_frame.h"

namespace ls {

struct PromptPoint {
  Point2 image;  // continuous image coordinates
  bool include = true;
};

struct PromptBox {
  Point2 a, b;  // opposite corners, image coordinates
};

// One of the decoder's masks. Only the selected candidate is post-processed
// to the image grid when the decode returns (what the user waits for); the
// others get a thumbnail from their logits, and their mask when selected.
struct MaskCandidate {
  std::vector<float> lowRes;          // its logits, fed back as mask_input
  std::vector<std::uint8_t> thumbnail;  // kCandidateThumbnailCells^2, 0/1
  float predictedIou = 0;
  std::vector<std::uint8_t> mask;  // imageWidth x imageHeight, 0/1; empty until selected
  int area = -1;                   // pixels in `mask`; -1 until it is computed
};

constexpr int kCandidateThumbnailCells = 48;

// What the session is about: which image, under which window.
struct SliceImage {
  const float* pixels = nullptr;
  int width = 0, height = 0;
  int volumeGeneration = 0, slice = 0;
  WindowLevel window;
  // The whole volume (slice-major), so idle time can pre-encode neighbours.
  const float* volume = nullptr;
  int sliceCount = 0;
  // 0: the source; else a restoration preview of it (same geometry), whose
  // settings version tells versions apart. Changing it keeps the prompts.
  int variant = 0;
};

class PromptSession {
 public:
  PromptSession(InferenceBackend& backend, EmbeddingCache& cache) : backend_(backend), cache_(cache) {}

  void setModel(ModelManifest manifest);
  bool hasModel() const { return model_.has_value(); }
  const ModelManifest* model() const { return model_ ? &*model_ : nullptr; }

  // Switching slice or volume discards the prompts of the old image; a new
  // window keeps them and re-runs the model on the re-encoded slice.
  void setImage(const SliceImage& image);

  void addPoint(Point2 image, bool include);
  // A freehand stroke (image coordinates): points along it and, when a mask
  // is being refined, the stroke drawn into the mask fed back (scribble.h).
  void addScribble(const std::vector<Point2>& stroke, bool include);
  void setBox(Point2 a, Point2 b);
  void clearPrompts();
  void selectCandidate(int index);
  // Prompts set at once (propagation to the next slice, refinement): a box,
  // points, and low-resolution logits fed back as mask_input (empty: none).
  void seed(std::optional<PromptBox> box, std::vector<PromptPoint> points, std::vector<float> maskInput);
  // True once the decode of the current prompts has returned its candidates.
  bool resultReady() const {
    return hasPrompts() && !promptsChanged_ && decodeInFlight_ == 0 && !candidates_.empty();
  }
  const ModelFrame& frame() const { return frame_; }

  // Sends what is needed (encode, decode); call once per frame. When idle it
  // pre-encodes the neighbouring slices, so scrolling on and clicking is fast.
  void update();
  void onEncoded(const EncodeResult& result);
  void onDecoded(const DecodeResult& result);

  const std::vector<PromptPoint>& points() const { return points_; }
  const std::optional<PromptBox>& box() const { return box_; }
  const std::vector<MaskCandidate>& candidates() const { return candidates_; }
  int selected() const { return selected_; }
  const MaskCandidate* selectedCandidate() const;
  // The candidate's mask area in image pixels (post-processing it if needed).
  int candidateArea(int index);
  // Changes whenever the selected candidate's mask may have changed.
  int previewVersion() const { return previewVersion_; }
  bool hasPrompts() const { return !points_.empty() || box_.has_value(); }
  bool encoding() const { return encodeInFlight_ != 0; }
  bool decoding() const { return decodeInFlight_ != 0; }
  const std::string& lastError() const { return error_; }
  double encoderMilliseconds() const { return encoderMs_; }
  double decoderMilliseconds() const { return decoderMs_; }
  // From sending the prompt to the mask candidates being ready (bridge, model
  // and post-processing): what a user waits for after a click.
  double promptToMaskMilliseconds() const { return promptToMaskMs_; }
  // How long the decode in flight has been running (0 if none).
  double decodeRunningMilliseconds() const {
    return decoding() ? std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - decodeSent_).count()
                      : 0.0;
  }

 private:
  EmbeddingKey currentKey() const;
  EmbeddingKey keyFor(int slice) const;
  void sendEncode(int slice);
  WindowLevel encoderWindow() const;
  void sendDecode(const Embedding& embedding);
  void computeMask(MaskCandidate& candidate) const;

  InferenceBackend& backend_;
  EmbeddingCache& cache_;
  std::optional<ModelManifest> model_;
  SliceImage image_;
  ModelFrame frame_;
  std::vector<PromptPoint> points_;
  std::optional<PromptBox> box_;
  std::vector<MaskCandidate> candidates_;
  int selected_ = -1;
  int previewVersion_ = 0;
  std::vector<float> previousLowRes_;  // of the selected candidate, for refinement

  int nextId_ = 1;
  int encodeInFlight_ = 0, decodeInFlight_ = 0;
  EmbeddingKey encodeKey_;
  bool promptsChanged_ = false;
  std::string error_;
  double encoderMs_ = 0, decoderMs_ = 0, promptToMaskMs_ = 0;
  std::chrono::steady_clock::time_point decodeSent_;
};

}  // namespace ls
