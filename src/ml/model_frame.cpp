#include "ml/model_frame.h"

#include <algorithm>
#include <cmath>

namespace ls {

ModelFrame makeModelFrame(int width, int height, int inputSize) {
  ModelFrame f;
  f.imageWidth = width;
  f.imageHeight = height;
  f.inputSize = inputSize;
  // SAM's ResizeLongestSide.get_preprocess_shape: round(side * N / longest).
  const double scale = static_cast<double>(inputSize) / std::max(width, height);
  f.resizedWidth = static_cast<int>(std::floor(width * scale + 0.5));
  f.resizedHeight = static_cast<int>(std::floor(height * scale + 0.5));
  return f;
}

Point2 imageToModel(const ModelFrame& f, Point2 p) {
  return {(p.x - 0.5) * f.resizedWidth / f.imageWidth, (p.y - 0.5) * f.resizedHeight / f.imageHeight};
}

Point2 modelToImage(const ModelFrame& f, Point2 p) {
  return {p.x * f.imageWidth / f.resizedWidth + 0.5, p.y * f.imageHeight / f.resizedHeight + 0.5};
}

}  // namespace ls
