// A learned denoiser: its manifest (models/denoise-*/manifest.json) and the
// pre/post-processing around one ONNX call. The model sees a normalised slice
// ((value - offset) / scale), reflect-padded to a multiple of its size
// multiple, and a noise standard deviation in the same normalised units; its
// output is cropped and brought back to modality units here.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"

namespace ls {

struct DenoiserManifest {
  std::string name, modality;  // modality: "CT", "MR", ... (what it was trained on)
  std::string file = "denoiser.onnx";
  std::string imageInput = "image", sigmaInput = "noise_sigma", output = "denoised";
  // Normalisation: fixed offset/scale (CT in HU), or scale = a percentile of
  // the slice's values with offset 0 (MR, whose units are arbitrary).
  bool percentileScale = false;
  float offset = 0, scale = 1, percentile = 99.5f;
  int sizeMultiple = 8;
  // Noise sigma in the units the user sees: HU (fixed scale) or percent of the
  // normalisation scale (percentile scale).
  std::string sigmaUnits;
  float sigmaDefault = 0, sigmaMin = 0, sigmaMax = 1;
  std::string licence = "unknown", source = "unknown", card;
};

Result<DenoiserManifest> parseDenoiserManifest(const std::string& text, const std::string& fileName);

struct DenoiserInput {
  std::vector<float> tensor;  // 1 x 1 x paddedHeight x paddedWidth, normalised
  int width = 0, height = 0, paddedWidth = 0, paddedHeight = 0;
  float offset = 0, scale = 1;
  float sigmaNormalised = 0;
};

// `sigmaModality` is the noise standard deviation in modality units.
DenoiserInput prepareDenoiserInput(const float* pixels, int width, int height, const DenoiserManifest& manifest,
                                   float sigmaModality);
// Crops the model's padded output and returns modality units.
std::vector<float> finishDenoiserOutput(const std::vector<float>& output, const DenoiserInput& input);

// The noise sigma a user sets (manifest units) in modality units for one
// slice, and back; the percentile scale depends on the slice.
float denoiserScale(const float* pixels, int width, int height, const DenoiserManifest& manifest);
float sigmaToModality(float userSigma, float scale, const DenoiserManifest& manifest);

}  // namespace ls
