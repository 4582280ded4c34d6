#include "ml/mask_output.h"

#include <cstddef>

#include "imaging/resample.h"

namespace ls {

std::vector<float> lowResToImageLogits(const float* lowRes, int lowResSize, const ModelFrame& f) {
  std::vector<float> input = resizeBilinear(lowRes, lowResSize, lowResSize, f.inputSize, f.inputSize);
  std::vector<float> cropped(static_cast<std::size_t>(f.resizedWidth) * f.resizedHeight);
  for (int y = 0; y < f.resizedHeight; ++y) {
    for (int x = 0; x < f.resizedWidth; ++x) {
      cropped[static_cast<std::size_t>(y) * f.resizedWidth + x] = input[static_cast<std::size_t>(y) * f.inputSize + x];
    }
  }
  return resizeBilinear(cropped.data(), f.resizedWidth, f.resizedHeight, f.imageWidth, f.imageHeight);
}

std::vector<std::uint8_t> thresholdMask(const std::vector<float>& logits, float threshold) {
  std::vector<std::uint8_t> mask(logits.size());
  for (std::size_t i = 0; i < logits.size(); ++i) mask[i] = logits[i] > threshold ? 1 : 0;
  return mask;
}

}  // namespace ls
