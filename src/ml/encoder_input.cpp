#include "ml/encoder_input.h"

#include <cstddef>

#include "imaging/resample.h"
#include "imaging/window.h"

namespace ls {

std::vector<float> prepareEncoderInput(const float* slice, const ModelFrame& f, const WindowLevel& window,
                                       const ModelManifest& m) {
  // 1. Window to 0..255 grey, as the model saw photographs in training.
  std::vector<float> grey(static_cast<std::size_t>(f.imageWidth) * f.imageHeight);
  for (std::size_t i = 0; i < grey.size(); ++i) grey[i] = static_cast<float>(applyWindow(slice[i], window) * 255.0);
  // 2. Longest side to N.
  std::vector<float> resized =
      resizeAntialiased(grey.data(), f.imageWidth, f.imageHeight, f.resizedWidth, f.resizedHeight);
  // 3. Normalise per channel, zero-pad bottom/right (after normalisation, as SAM).
  const std::size_t plane = static_cast<std::size_t>(f.inputSize) * f.inputSize;
  std::vector<float> tensor(3 * plane, 0.0f);
  for (int c = 0; c < 3; ++c) {
    for (int y = 0; y < f.resizedHeight; ++y) {
      for (int x = 0; x < f.resizedWidth; ++x) {
        tensor[c * plane + static_cast<std::size_t>(y) * f.inputSize + x] =
            (resized[static_cast<std::size_t>(y) * f.resizedWidth + x] - m.mean[c]) / m.std[c];
      }
    }
  }
  return tensor;
}

}  // namespace ls
