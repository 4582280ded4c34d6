// WebInferenceBackend: forwards encode/decode requests to the page's
// inference module (web/page/inference.mjs, ONNX Runtime Web); results come
// back through the ls_encode_done / ls_decode_done exports.
#pragma once

#include "ml/inference_backend.h"

namespace ls {

class WebInferenceBackend : public InferenceBackend {
 public:
  void encode(EncodeRequest request) override;
  void decode(DecodeRequest request) override;
};

}  // namespace ls
