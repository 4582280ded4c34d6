#include "segment/prompt_session.h"

#include <algorithm>
#include <cstddef>

#include "ml/encoder_input.h"
#include "ml/mask_output.h"
#include "segment/scribble.h"

namespace ls {

void PromptSession::setModel(ModelManifest manifest) {
  model_ = std::move(manifest);
  clearPrompts();
  encodeInFlight_ = decodeInFlight_ = 0;  // results of the old model are ignored
  error_.clear();
  setImage(image_);
}

WindowLevel PromptSession::encoderWindow() const {
  return model_ && model_->window ? *model_->window : image_.window;
}

void PromptSession::setImage(const SliceImage& image) {
  const bool sameSlice = image.volumeGeneration == image_.volumeGeneration && image.slice == image_.slice;
  const bool sameFrame = model_ && frame_.inputSize == model_->inputSize && frame_.imageWidth == image.width &&
                         frame_.imageHeight == image.height;
  const EmbeddingKey before = currentKey();
  image_ = image;
  if (model_ && image.pixels) frame_ = makeModelFrame(image.width, image.height, model_->inputSize);
  if (!sameSlice || !sameFrame) {
    clearPrompts();  // the preview belonged to another image
  } else if (!(currentKey() == before) && hasPrompts()) {
    promptsChanged_ = true;  // new window: re-encode, then decode the same prompts again
  }
}

void PromptSession::addPoint(Point2 p, bool include) {
  points_.push_back({p, include});
  promptsChanged_ = true;
}

// At most this many points per scribble: the built-in model was trained with
// up to 6 clicks, and more points than that add little to a SAM decoder.
constexpr int kScribblePoints = 5;

void PromptSession::addScribble(const std::vector<Point2>& stroke, bool include) {
  if (stroke.empty() || !model_) return;
  for (Point2 p : scribblePoints(stroke, kScribblePoints)) points_.push_back({p, include});
  if (!previousLowRes_.empty()) drawStrokeIntoLowRes(previousLowRes_, model_->lowResSize, frame_, stroke, include);
  promptsChanged_ = true;
}

void PromptSession::setBox(Point2 a, Point2 b) {
  box_ = PromptBox{{std::min(a.x, b.x), std::min(a.y, b.y)}, {std::max(a.x, b.x), std::max(a.y, b.y)}};
  promptsChanged_ = true;
}

void PromptSession::clearPrompts() {
  points_.clear();
  box_.reset();
  candidates_.clear();
  selected_ = -1;
  ++previewVersion_;
  previousLowRes_.clear();
  promptsChanged_ = false;
}

void PromptSession::seed(std::optional<PromptBox> box, std::vector<PromptPoint> points,
                         std::vector<float> maskInput) {
  // The candidates stay on screen until the new ones arrive (refinement shows each round).
  box_ = box;
  points_ = std::move(points);
  previousLowRes_ = std::move(maskInput);
  promptsChanged_ = hasPrompts();
}

void PromptSession::computeMask(MaskCandidate& c) const {
  if (c.area >= 0) return;
  c.mask = lowResToImageMask(c.lowRes.data(), model_->lowResSize, frame_, model_->maskThreshold);
  c.area = maskArea(c.mask);
}

int PromptSession::candidateArea(int index) {
  if (index < 0 || index >= static_cast<int>(candidates_.size())) return 0;
  computeMask(candidates_[index]);
  return candidates_[index].area;
}

void PromptSession::selectCandidate(int index) {
  if (index < 0 || index >= static_cast<int>(candidates_.size())) return;
  computeMask(candidates_[index]);
  selected_ = index;
  ++previewVersion_;
  previousLowRes_ = candidates_[index].lowRes;
}

const MaskCandidate* PromptSession::selectedCandidate() const {
  return selected_ >= 0 && selected_ < static_cast<int>(candidates_.size()) ? &candidates_[selected_] : nullptr;
}

EmbeddingKey PromptSession::keyFor(int slice) const {
  const WindowLevel window = encoderWindow();
  return {model_ ? model_->name : "", image_.volumeGeneration, slice, window.center, window.width, image_.variant};
}

EmbeddingKey PromptSession::currentKey() const { return keyFor(image_.slice); }

void PromptSession::sendEncode(int slice) {
  const float* pixels = slice == image_.slice || !image_.volume
                            ? image_.pixels
                            : image_.volume + static_cast<std::size_t>(image_.width) * image_.height * slice;
  EncodeRequest request;
  request.id = encodeInFlight_ = nextId_++;
  request.inputSize = model_->inputSize;
  request.input = prepareEncoderInput(pixels, frame_, encoderWindow(), *model_);
  encodeKey_ = keyFor(slice);
  backend_.encode(std::move(request));
}

void PromptSession::update() {
  if (!model_ || !image_.pixels) return;
  const EmbeddingKey key = currentKey();
  Embedding embedding = cache_.find(key);
  if (!embedding) {
    if (encodeInFlight_ == 0 || !(encodeKey_ == key)) sendEncode(image_.slice);
    return;
  }
  if (promptsChanged_ && hasPrompts()) {
    if (decodeInFlight_ == 0) sendDecode(embedding);
    return;
  }
  if (encodeInFlight_ != 0 || decodeInFlight_ != 0 || !image_.volume) return;
  for (int neighbour : {image_.slice + 1, image_.slice - 1}) {
    if (neighbour >= 0 && neighbour < image_.sliceCount && !cache_.contains(keyFor(neighbour))) {
      sendEncode(neighbour);
      return;
    }
  }
}

void PromptSession::sendDecode(const Embedding& embedding) {
  DecodeRequest request;
  request.id = decodeInFlight_ = nextId_++;
  request.embedding = embedding;
  request.embeddingShape = model_->embeddingShape;
  for (const auto& p : points_) {
    Point2 m = imageToModel(frame_, p.image);
    request.pointCoords.insert(request.pointCoords.end(), {float(m.x), float(m.y)});
    request.pointLabels.push_back(p.include ? 1.f : 0.f);
  }
  if (box_) {
    // SAM: a box is two points labelled 2 (top-left) and 3 (bottom-right),
    // given in pixel-centre coordinates like clicks.
    for (auto [corner, label] : {std::pair{box_->a, 2.f}, std::pair{box_->b, 3.f}}) {
      Point2 m = imageToModel(frame_, corner);
      request.pointCoords.insert(request.pointCoords.end(), {float(m.x), float(m.y)});
      request.pointLabels.push_back(label);
    }
  } else {
    // SAM's ONNX decoder expects a padding point (label -1) when there is no box.
    request.pointCoords.insert(request.pointCoords.end(), {0.f, 0.f});
    request.pointLabels.push_back(-1.f);
  }
  request.lowResSize = model_->lowResSize;
  request.hasMaskInput = !previousLowRes_.empty();
  request.maskInput = request.hasMaskInput
                          ? previousLowRes_
                          : std::vector<float>(static_cast<std::size_t>(model_->lowResSize) * model_->lowResSize, 0.f);
  request.imageWidth = image_.width;
  request.imageHeight = image_.height;
  promptsChanged_ = false;
  decodeSent_ = std::chrono::steady_clock::now();
  backend_.decode(std::move(request));
}

void PromptSession::onEncoded(const EncodeResult& result) {
  if (result.id != encodeInFlight_) return;  // superseded
  encodeInFlight_ = 0;
  if (!result.error.empty()) {
    error_ = "encoder: " + result.error;
    return;
  }
  error_.clear();
  encoderMs_ = result.milliseconds;
  cache_.insert(encodeKey_, result.embedding);
}

void PromptSession::onDecoded(const DecodeResult& result) {
  if (result.id != decodeInFlight_) return;
  decodeInFlight_ = 0;
  if (!result.error.empty()) {
    error_ = "decoder: " + result.error;
    return;
  }
  const std::size_t plane = static_cast<std::size_t>(model_->lowResSize) * model_->lowResSize;
  const std::size_t count = result.iouPredictions.size();
  if (count == 0 || result.lowResMasks.size() != count * plane) {
    error_ = "decoder: unexpected output size " + std::to_string(result.lowResMasks.size()) + " for " +
             std::to_string(count) + " masks of " + std::to_string(model_->lowResSize) + "^2";
    return;
  }
  error_.clear();
  decoderMs_ = result.milliseconds;
  if (!hasPrompts()) return;  // cleared while decoding
  candidates_.clear();
  for (std::size_t k = 0; k < count; ++k) {
    MaskCandidate c;
    c.lowRes.assign(result.lowResMasks.begin() + k * plane, result.lowResMasks.begin() + (k + 1) * plane);
    c.thumbnail = lowResThumbnail(c.lowRes.data(), model_->lowResSize, frame_, model_->maskThreshold,
                                  kCandidateThumbnailCells);
    c.predictedIou = result.iouPredictions[k];
    candidates_.push_back(std::move(c));
  }
  auto best = std::max_element(candidates_.begin(), candidates_.end(),
                               [](const auto& a, const auto& b) { return a.predictedIou < b.predictedIou; });
  selectCandidate(static_cast<int>(best - candidates_.begin()));
  promptToMaskMs_ =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - decodeSent_).count();
}

}  // namespace ls
