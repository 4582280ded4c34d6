// WebDenoiserBackend: forwards denoise requests to the page's restore module
// (web/page/restore.mjs, ONNX Runtime Web); results come back through the
// ls_denoise_done / ls_denoise_failed exports.
#pragma once

#include "ml/denoiser_backend.h"

namespace ls {

class WebDenoiserBackend : public DenoiserBackend {
 public:
  void denoise(DenoiseRequest request) override;
};

}  // namespace ls
