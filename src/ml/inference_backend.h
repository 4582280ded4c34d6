// InferenceBackend: the asynchronous boundary to whatever runs the ONNX
// models (ONNX Runtime Web in the page, a fake in tests). Requests carry ids;
// results come back later, on the main loop, through the session's
// onEncoded/onDecoded. No call blocks.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "ml/embedding_cache.h"

namespace ls {

struct EncodeRequest {
  int id = 0;
  std::vector<float> input;  // 1 x 3 x N x N
  int inputSize = 0;
};

struct DecodeRequest {
  int id = 0;
  Embedding embedding;
  std::array<int, 3> embeddingShape{};
  std::vector<float> pointCoords;  // N x 2, model coordinates
  std::vector<float> pointLabels;  // N: 1 include, 0 exclude, 2/3 box corners, -1 padding
  std::vector<float> maskInput;    // lowResSize^2 logits (zeros when none)
  bool hasMaskInput = false;
  int lowResSize = 0;
  int imageWidth = 0, imageHeight = 0;  // orig_im_size is (height, width)
};

struct EncodeResult {
  int id = 0;
  std::string error;  // empty on success
  Embedding embedding;
  double milliseconds = 0;
};

struct DecodeResult {
  int id = 0;
  std::string error;
  std::vector<float> lowResMasks;  // maskCount x lowResSize^2 logits
  std::vector<float> iouPredictions;  // maskCount
  double milliseconds = 0;
};

class InferenceBackend {
 public:
  virtual ~InferenceBackend() = default;
  virtual void encode(EncodeRequest request) = 0;
  virtual void decode(DecodeRequest request) = 0;
};

}  // namespace ls
