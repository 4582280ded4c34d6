// Pre-processing: a slice of modality values -> the encoder's input tensor
// (1 x 3 x N x N, float), through an explicit window (never a screenshot).
#pragma once

#include <vector>

#include "core/image_slice.h"
#include "ml/manifest.h"
#include "ml/model_frame.h"

namespace ls {

std::vector<float> prepareEncoderInput(const float* slice, const ModelFrame& frame, const WindowLevel& window,
                                       const ModelManifest& manifest);

}  // namespace ls
