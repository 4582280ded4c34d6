#include "ml/manifest.h"

#include <nlohmann/json.hpp>

#include "ml/json_fields.h"

namespace ls {
namespace {

using nlohmann::json;
using namespace json_fields;

ModelManifest parse(const json& root) {
  require(root.is_object(), "the manifest must be a JSON object");
  ModelManifest m;
  m.name = field<std::string>(root, "name", "");
  m.licence = optionalField<std::string>(root, "licence", "", "unknown");
  m.source = optionalField<std::string>(root, "source", "", "unknown");

  const json encoder = field<json>(root, "encoder", "");
  m.encoderFile = field<std::string>(encoder, "file", "encoder.");
  m.encoderInput = optionalField<std::string>(encoder, "input", "encoder.", m.encoderInput);
  m.encoderOutput = optionalField<std::string>(encoder, "output", "encoder.", m.encoderOutput);
  m.decoderFile = field<std::string>(field<json>(root, "decoder", ""), "file", "decoder.");

  m.inputSize = field<int>(root, "input_size", "");
  require(m.inputSize >= 16 && m.inputSize <= 4096, "\"input_size\" must be between 16 and 4096");

  if (root.contains("pixel")) {
    const json pixel = field<json>(root, "pixel", "");
    m.mean = optionalField<std::array<float, 3>>(pixel, "mean", "pixel.", m.mean);
    m.std = optionalField<std::array<float, 3>>(pixel, "std", "pixel.", m.std);
    for (float s : m.std) require(s > 0, "\"pixel.std\" values must be positive");
    if (pixel.contains("window") && pixel.at("window").is_object()) {
      const json w = pixel.at("window");
      WindowLevel window{field<double>(w, "center", "pixel.window."), field<double>(w, "width", "pixel.window."),
                         "model"};
      require(window.width >= 1, "\"pixel.window.width\" must be at least 1");
      m.window = window;
    } else if (pixel.contains("window")) {
      require(pixel.at("window") == "display", "\"pixel.window\" must be \"display\" or {center, width}");
    }
  }

  m.embeddingShape = field<std::array<int, 3>>(root, "embedding_shape", "");
  for (int d : m.embeddingShape) require(d > 0 && d <= 4096, "\"embedding_shape\" values must be positive");
  m.lowResSize = optionalField<int>(root, "low_res_size", "", m.embeddingShape[1] * 4);
  require(m.lowResSize > 0 && m.lowResSize <= 4096, "\"low_res_size\" must be positive");
  m.maskThreshold = optionalField<float>(root, "mask_threshold", "", 0.0f);
  return m;
}

}  // namespace

Result<ModelManifest> parseManifest(const std::string& text, const std::string& fileName) {
  return parseManifestText<ModelManifest>(text, fileName, "model manifest", parse);
}

}  // namespace ls
