// ModelFrame: how an image of W x H pixels maps into a SAM-family model's
// input (longest side resized to N, zero padding bottom/right), and back.
// Point convention: image points are continuous pixel coordinates (pixel i
// covers [i, i+1)); the model, like SAM's predictor, expects pixel-centre
// coordinates (pixel i at i) scaled by the resize factor of each axis.
#pragma once

#include "core/point2.h"

namespace ls {

struct ModelFrame {
  int imageWidth = 0, imageHeight = 0;
  int inputSize = 0;
  int resizedWidth = 0, resizedHeight = 0;
};

ModelFrame makeModelFrame(int imageWidth, int imageHeight, int inputSize);
Point2 imageToModel(const ModelFrame& frame, Point2 imagePoint);
Point2 modelToImage(const ModelFrame& frame, Point2 modelPoint);

}  // namespace ls
