// DenoiserBackend: the asynchronous boundary to whatever runs a learned
// denoiser (ONNX Runtime Web in the page, a fake in tests), like
// InferenceBackend for segmentation. Requests carry ids; results come back
// later, on the main loop, through RestorationPreview::onDenoised.
#pragma once

#include <string>
#include <vector>

namespace ls {

struct DenoiseRequest {
  int id = 0;
  std::string model;          // the manifest name of the denoiser to run
  std::vector<float> image;   // 1 x 1 x height x width, normalised and padded
  int width = 0, height = 0;  // of the padded tensor
  float sigma = 0;            // normalised noise standard deviation
};

struct DenoiseResult {
  int id = 0;
  std::string error;  // empty on success
  std::vector<float> image;
  double milliseconds = 0;
};

class DenoiserBackend {
 public:
  virtual ~DenoiserBackend() = default;
  virtual void denoise(DenoiseRequest request) = 0;
};

}  // namespace ls
