#include "ml/denoiser_model.h"

#include <algorithm>
#include <cmath>

#include <nlohmann/json.hpp>

#include "ml/json_fields.h"

namespace ls {
namespace {

using nlohmann::json;
using namespace json_fields;

DenoiserManifest parse(const json& root) {
  require(root.is_object(), "the manifest must be a JSON object");
  DenoiserManifest m;
  m.name = field<std::string>(root, "name", "");
  require(optionalField<std::string>(root, "kind", "", "denoiser") == "denoiser",
          "\"kind\" must be \"denoiser\" (this is not a denoiser manifest)");
  m.modality = optionalField<std::string>(root, "modality", "", "");
  m.file = optionalField<std::string>(root, "file", "", m.file);
  if (root.contains("inputs")) {
    const json inputs = field<json>(root, "inputs", "");
    m.imageInput = optionalField<std::string>(inputs, "image", "inputs.", m.imageInput);
    m.sigmaInput = optionalField<std::string>(inputs, "noise_sigma", "inputs.", m.sigmaInput);
  }
  m.output = optionalField<std::string>(root, "output", "", m.output);

  const json normalize = field<json>(root, "normalize", "");
  const std::string mode = field<std::string>(normalize, "mode", "normalize.");
  require(mode == "fixed" || mode == "percentile", "\"normalize.mode\" must be \"fixed\" or \"percentile\"");
  m.percentileScale = mode == "percentile";
  if (m.percentileScale) {
    m.percentile = optionalField<float>(normalize, "percentile", "normalize.", m.percentile);
    require(m.percentile > 0 && m.percentile <= 100, "\"normalize.percentile\" must be in (0, 100]");
  } else {
    m.offset = field<float>(normalize, "offset", "normalize.");
    m.scale = field<float>(normalize, "scale", "normalize.");
    require(m.scale > 0, "\"normalize.scale\" must be positive");
  }
  m.sizeMultiple = optionalField<int>(root, "size_multiple", "", m.sizeMultiple);
  require(m.sizeMultiple >= 1 && m.sizeMultiple <= 256, "\"size_multiple\" must be between 1 and 256");

  const json sigma = field<json>(root, "noise_sigma", "");
  m.sigmaUnits = optionalField<std::string>(sigma, "units", "noise_sigma.", m.percentileScale ? "%" : "");
  m.sigmaDefault = field<float>(sigma, "default", "noise_sigma.");
  m.sigmaMin = optionalField<float>(sigma, "min", "noise_sigma.", 0.0f);
  m.sigmaMax = field<float>(sigma, "max", "noise_sigma.");
  require(m.sigmaMin >= 0 && m.sigmaMin < m.sigmaMax, "\"noise_sigma\" needs 0 <= min < max");
  m.licence = optionalField<std::string>(root, "licence", "", m.licence);
  m.source = optionalField<std::string>(root, "source", "", m.source);
  m.card = optionalField<std::string>(root, "card", "", "");
  return m;
}

// Reflect padding index (edge not repeated), as numpy's "reflect".
int reflect(int i, int size) {
  if (size == 1) return 0;
  while (i < 0 || i >= size) i = i < 0 ? -i : 2 * (size - 1) - i;
  return i;
}

int roundUp(int value, int multiple) { return (value + multiple - 1) / multiple * multiple; }

}  // namespace

Result<DenoiserManifest> parseDenoiserManifest(const std::string& text, const std::string& fileName) {
  return parseManifestText<DenoiserManifest>(text, fileName, "denoiser manifest", parse);
}

float denoiserScale(const float* pixels, int width, int height, const DenoiserManifest& manifest) {
  if (!manifest.percentileScale) return manifest.scale;
  std::vector<float> values(pixels, pixels + static_cast<std::size_t>(width) * height);
  if (values.empty()) return 1;
  const std::size_t k = std::min(values.size() - 1,
                                 static_cast<std::size_t>(std::floor(manifest.percentile / 100.0 * (values.size() - 1))));
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(k), values.end());
  return values[k] > 0 ? values[k] : 1.0f;  // an empty (all-zero) slice: leave values as they are
}

float sigmaToModality(float userSigma, float scale, const DenoiserManifest& manifest) {
  return manifest.percentileScale ? userSigma / 100.0f * scale : userSigma;
}

DenoiserInput prepareDenoiserInput(const float* pixels, int width, int height, const DenoiserManifest& manifest,
                                   float sigmaModality) {
  DenoiserInput in;
  in.width = width, in.height = height;
  in.paddedWidth = roundUp(width, manifest.sizeMultiple);
  in.paddedHeight = roundUp(height, manifest.sizeMultiple);
  in.scale = denoiserScale(pixels, width, height, manifest);
  in.offset = manifest.percentileScale ? 0.0f : manifest.offset;
  in.sigmaNormalised = sigmaModality / in.scale;
  in.tensor.resize(static_cast<std::size_t>(in.paddedWidth) * in.paddedHeight);
  for (int y = 0; y < in.paddedHeight; ++y) {
    const float* row = pixels + static_cast<std::size_t>(reflect(y, height)) * width;
    float* out = in.tensor.data() + static_cast<std::size_t>(y) * in.paddedWidth;
    for (int x = 0; x < in.paddedWidth; ++x) out[x] = (row[reflect(x, width)] - in.offset) / in.scale;
  }
  return in;
}

std::vector<float> finishDenoiserOutput(const std::vector<float>& output, const DenoiserInput& in) {
  std::vector<float> pixels(static_cast<std::size_t>(in.width) * in.height);
  if (output.size() < static_cast<std::size_t>(in.paddedWidth) * in.paddedHeight) return {};
  for (int y = 0; y < in.height; ++y) {
    for (int x = 0; x < in.width; ++x) {
      pixels[static_cast<std::size_t>(y) * in.width + x] =
          output[static_cast<std::size_t>(y) * in.paddedWidth + x] * in.scale + in.offset;
    }
  }
  return pixels;
}

}  // namespace ls
