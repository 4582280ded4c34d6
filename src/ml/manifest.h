// ModelManifest: what LocalSeg needs to know to run a SAM-family model (an
// encoder ONNX and a decoder ONNX with the public SAM decoder signature):
// files, input size and resize rule, pixel preparation, embedding shape,
// mask threshold, licence and source. Parsed from a JSON file; a bad manifest
// gives an error naming the file and the field.
#pragma once

#include <array>
#include <optional>
#include <string>

#include "core/image_slice.h"
#include "core/result.h"

namespace ls {

struct ModelManifest {
  std::string name, licence, source;
  std::string encoderFile, decoderFile;
  std::string encoderInput = "image";
  std::string encoderOutput = "image_embeddings";
  // Resize rule (SAM's): the longest side is scaled to inputSize, the other
  // keeps the aspect ratio, then the image is zero-padded (bottom/right) to
  // inputSize x inputSize after normalisation.
  int inputSize = 1024;
  // Pixel preparation: modality values -> window -> 0..255 grey, replicated to
  // 3 channels, then (v - mean) / std per channel. No window = the display's.
  std::optional<WindowLevel> window;
  std::array<float, 3> mean{123.675f, 116.28f, 103.53f};
  std::array<float, 3> std{58.395f, 57.12f, 57.375f};
  std::array<int, 3> embeddingShape{256, 64, 64};  // channels, height, width
  int lowResSize = 256;                            // side of mask_input / low_res_masks
  float maskThreshold = 0.0f;                      // on the mask logits
};

Result<ModelManifest> parseManifest(const std::string& json, const std::string& fileName);

}  // namespace ls
