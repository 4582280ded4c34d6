// Model plumbing: manifest parsing, image <-> model coordinates, encoder
// input, mask post-processing and the embedding cache; expected values worked
// out by hand from SAM's definitions.
#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <cstdint>
#include <limits>

#include "imaging/resample.h"
#include "ml/embedding_cache.h"
#include "ml/encoder_input.h"
#include "ml/manifest.h"
#include "ml/mask_output.h"
#include "ml/model_frame.h"

using namespace ls;

namespace {
const char* kManifest = R"({
  "name": "test model", "licence": "MIT", "source": "unit test",
  "encoder": {"file": "enc.onnx"},
  "decoder": {"file": "dec.onnx"},
  "input_size": 64,
  "pixel": {"mean": [1, 2, 3], "std": [2, 4, 8], "window": "display"},
  "embedding_shape": [8, 16, 16],
  "mask_threshold": 0.5
})";
}  // namespace

TEST_CASE("a valid manifest is read with its defaults") {
  auto r = parseManifest(kManifest, "m.json");
  if (!r.ok()) FAIL(r.error().message);
  const ModelManifest& m = r.value();
  CHECK(m.name == "test model");
  CHECK(m.encoderFile == "enc.onnx");
  CHECK(m.encoderInput == "image");
  CHECK(m.decoderFile == "dec.onnx");
  CHECK(m.inputSize == 64);
  CHECK(m.std[2] == 8);
  CHECK_FALSE(m.window.has_value());
  CHECK(m.lowResSize == 64);  // 4 x the embedding side, as SAM
  CHECK(m.maskThreshold == 0.5f);
}

TEST_CASE("bad manifests give errors naming the file and the field") {
  auto expectError = [](const std::string& json, const std::string& part) {
    auto r = parseManifest(json, "model.json");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().file == "model.json");
    CHECK_THAT(r.error().message, Catch::Contains(part));
  };
  expectError("{ not json", "not valid JSON");
  expectError("[1, 2]", "must be a JSON object");
  expectError(R"({"name": "x"})", "missing field \"encoder\"");
  expectError(R"({"name": "x", "encoder": {}, "decoder": {"file": "d"}})", "missing field \"encoder.file\"");
  expectError(R"({"name": "x", "encoder": {"file": "e"}, "decoder": {"file": "d"}, "input_size": "big"})",
              "\"input_size\" has the wrong type");
  expectError(R"({"name": "x", "encoder": {"file": "e"}, "decoder": {"file": "d"}, "input_size": 8})",
              "between 16 and 4096");
  expectError(R"({"name": "x", "encoder": {"file": "e"}, "decoder": {"file": "d"}, "input_size": 64,
                 "embedding_shape": [8, 16]})", "\"embedding_shape\" has the wrong type");
  expectError(R"({"name": "x", "encoder": {"file": "e"}, "decoder": {"file": "d"}, "input_size": 64,
                 "pixel": {"std": [1, 0, 1]}, "embedding_shape": [8, 16, 16]})", "must be positive");
}

TEST_CASE("a fixed window in the manifest is used instead of the display's") {
  auto r = parseManifest(R"({"name": "ct", "encoder": {"file": "e"}, "decoder": {"file": "d"},
    "input_size": 64, "embedding_shape": [8, 16, 16],
    "pixel": {"window": {"center": 40, "width": 400}}})", "ct.json");
  REQUIRE(r.ok());
  REQUIRE(r.value().window.has_value());
  CHECK(r.value().window->width == 400);
}

TEST_CASE("model frame: longest side to N, coordinates scaled per axis") {
  ModelFrame f = makeModelFrame(512, 256, 1024);
  CHECK(f.resizedWidth == 1024);
  CHECK(f.resizedHeight == 512);
  // The centre of pixel (256, 128) is (256.5, 128.5) in continuous coordinates
  // and (256, 128) in SAM's pixel-centre coordinates, times 2.
  Point2 m = imageToModel(f, {256.5, 128.5});
  CHECK(m.x == Approx(512));
  CHECK(m.y == Approx(256));
  Point2 back = modelToImage(f, m);
  CHECK(back.x == Approx(256.5));
  CHECK(back.y == Approx(128.5));

  ModelFrame odd = makeModelFrame(300, 199, 64);  // 199 * 64 / 300 = 42.45 -> 42
  CHECK(odd.resizedWidth == 64);
  CHECK(odd.resizedHeight == 42);
}

TEST_CASE("bilinear resize matches torch's align_corners=False arithmetic") {
  const float source[] = {0, 1};
  auto up = resizeBilinear(source, 2, 1, 4, 1);
  REQUIRE(up.size() == 4);
  CHECK(up[0] == Approx(0));
  CHECK(up[1] == Approx(0.25));
  CHECK(up[2] == Approx(0.75));
  CHECK(up[3] == Approx(1));
}

TEST_CASE("the top-left of a bilinear resize is that region of the full resize; same size is the identity") {
  std::vector<float> source(7 * 5);
  for (std::size_t i = 0; i < source.size(); ++i) source[i] = std::sin(0.7f * i) * 9.f;
  const auto full = resizeBilinear(source.data(), 7, 5, 29, 19);
  const auto corner = resizeBilinearTopLeft(source.data(), 7, 5, 29, 19, 20, 11);
  REQUIRE(corner.size() == 20u * 11u);
  for (int y = 0; y < 11; ++y) {
    for (int x = 0; x < 20; ++x) CHECK(corner[y * 20 + x] == full[y * 29 + x]);
  }
  CHECK(resizeBilinear(source.data(), 7, 5, 7, 5) == source);
}

TEST_CASE("antialiased shrink averages like PIL's bilinear filter") {
  const float source[] = {0, 1, 2, 3};
  auto down = resizeAntialiased(source, 4, 1, 2, 1);
  REQUIRE(down.size() == 2);
  CHECK(down[0] == Approx(1.25 / 1.75));  // weights 0.75, 0.75, 0.25 on 0, 1, 2
  CHECK(down[1] == Approx(3 - 1.25 / 1.75));
  std::vector<float> flat(100, 7.f);
  for (float v : resizeAntialiased(flat.data(), 10, 10, 3, 3)) CHECK(v == Approx(7));
}

TEST_CASE("encoder input: window, normalise per channel, zero padding") {
  auto manifest = parseManifest(kManifest, "m.json").value();
  // A 2 x 1 image into a 4 x 4 input: resized to 4 x 2, rows 2..3 are padding.
  const float slice[] = {0, 100};
  ModelFrame f = makeModelFrame(2, 1, 4);
  REQUIRE(f.resizedHeight == 2);
  WindowLevel window{50.5, 100, ""};  // 0 -> 0.0, 100 -> 1.0 (DICOM linear)
  auto tensor = prepareEncoderInput(slice, f, window, manifest);
  REQUIRE(tensor.size() == 3 * 16);
  // Channel 0: (grey - 1) / 2 with grey in 0..255; left column is black.
  CHECK(tensor[0] == Approx((0 - 1) / 2.0));
  CHECK(tensor[3] == Approx((255 - 1) / 2.0));
  // Channel 2 uses its own mean and std.
  CHECK(tensor[32 + 3] == Approx((255 - 3) / 8.0));
  // Padding rows are exactly zero after normalisation.
  for (int i = 8; i < 16; ++i) CHECK(tensor[i] == 0.0f);
}

TEST_CASE("low-res logits come back on the image grid, padding cropped") {
  // Model input 8, image 8 x 4 (resized 8 x 4, rows 4..7 of the input are
  // padding). Low-res 4 x 4 with its first row positive: upsampled rows 0 and
  // 1 are positive (row 1 interpolates 0.75 * 10 + 0.25 * -10 = 5), row 2 is
  // -5; the crop keeps input rows 0..3, so image rows 0 and 1 are positive.
  ModelFrame f = makeModelFrame(8, 4, 8);
  std::vector<float> lowRes(16, -10.f);
  for (int i = 0; i < 4; ++i) lowRes[i] = 10.f;
  auto logits = lowResToImageLogits(lowRes.data(), 4, f);
  REQUIRE(logits.size() == 32);
  CHECK(logits[8] == Approx(5));
  CHECK(logits[16] == Approx(-5));
  auto mask = thresholdMask(logits, 0.f);
  int positive = 0;
  for (auto v : mask) positive += v;
  CHECK(positive == 16);
  CHECK(maskArea(mask) == 16);
  CHECK(mask[0] == 1);
  CHECK(mask[31] == 0);
}

TEST_CASE("low-res logits at the input size are cropped unchanged") {
  // Low-res 8 = input 8 (the fixture's case): the first resize is the
  // identity, so the image 8 x 4 gets exactly the top half of the logits.
  ModelFrame f = makeModelFrame(8, 4, 8);
  std::vector<float> lowRes(64);
  for (int i = 0; i < 64; ++i) lowRes[i] = static_cast<float>(i) - 20.f;
  auto logits = lowResToImageLogits(lowRes.data(), 8, f);
  REQUIRE(logits.size() == 32);
  for (int i = 0; i < 32; ++i) CHECK(logits[i] == lowRes[i]);
  CHECK(maskArea(thresholdMask(logits, 0.f)) == 11);  // values 1..11 (i = 21..31)
}

TEST_CASE("the one-pass mask equals thresholding the upsampled logits") {
  // Square, padded (non-square) and identity-sized frames, random logits.
  std::uint32_t seed = 12345;
  auto next = [&] { seed = seed * 1664525u + 1013904223u; return static_cast<float>(seed >> 8) / (1 << 24) * 20 - 10; };
  for (auto [width, height, input, lowRes] : {std::array{256, 256, 256, 128}, std::array{300, 200, 64, 16},
                                              std::array{200, 300, 64, 64}, std::array{64, 64, 64, 64}}) {
    const ModelFrame f = makeModelFrame(width, height, input);
    std::vector<float> logits(static_cast<std::size_t>(lowRes) * lowRes);
    for (float& v : logits) v = next();
    const auto expected = thresholdMask(lowResToImageLogits(logits.data(), lowRes, f), 0.5f);
    CHECK(lowResToImageMask(logits.data(), lowRes, f, 0.5f) == expected);
    CHECK(maskArea(expected) > 0);
  }
}

TEST_CASE("the one-pass mask is exact on smooth logits and at the threshold; thumbnails follow it") {
  // A smooth blob (a mask's usual shape), and values within rounding of the
  // threshold and a NaN, padded frame.
  const ModelFrame f = makeModelFrame(300, 200, 64);
  std::vector<float> blob(16 * 16), edge(16 * 16);
  for (int v = 0; v < 16; ++v) {
    for (int u = 0; u < 16; ++u) {
      blob[v * 16 + u] = 6.f - 0.4f * static_cast<float>((u - 6) * (u - 6) + (v - 5) * (v - 5));
      edge[v * 16 + u] = 0.5f + ((u + v) % 3 - 1) * 1e-7f;
    }
  }
  edge[40] = std::numeric_limits<float>::quiet_NaN();
  for (const auto& logits : {blob, edge}) {
    const auto expected = thresholdMask(lowResToImageLogits(logits.data(), 16, f), 0.5f);
    CHECK(lowResToImageMask(logits.data(), 16, f, 0.5f) == expected);
  }
  const auto mask = lowResToImageMask(blob.data(), 16, f, 0.5f);
  const int area = maskArea(mask);
  CHECK(area > 1000);
  CHECK(area < 300 * 200 / 2);
  // The thumbnail (nearest logit) agrees with the full mask at the pixels it
  // shows except along the edge.
  const int cells = 48;
  const auto thumbnail = lowResThumbnail(blob.data(), 16, f, 0.5f, cells);
  int set = 0, differ = 0;
  for (int cy = 0; cy < cells; ++cy) {
    for (int cx = 0; cx < cells; ++cx) {
      const int pixel = (cy * 200 / cells) * 300 + cx * 300 / cells;
      set += thumbnail[cy * cells + cx];
      differ += thumbnail[cy * cells + cx] != mask[pixel];
    }
  }
  CHECK(set > 100);
  CHECK(differ < set / 10);
}

TEST_CASE("embedding cache evicts the least recently used under its budget") {
  auto embedding = [](size_t floats) { return std::make_shared<const std::vector<float>>(floats, 1.f); };
  EmbeddingCache cache(3 * 100 * sizeof(float));
  EmbeddingKey a{"m", 1, 0, 40, 400}, b{"m", 1, 1, 40, 400}, c{"m", 1, 2, 40, 400}, d{"m", 1, 3, 40, 400};
  cache.insert(a, embedding(100));
  cache.insert(b, embedding(100));
  cache.insert(c, embedding(100));
  CHECK(cache.size() == 3);
  REQUIRE(cache.find(a));  // a becomes most recent; b is now the oldest
  cache.insert(d, embedding(100));
  CHECK(cache.size() == 3);
  CHECK_FALSE(cache.contains(b));
  CHECK(cache.contains(a));
  CHECK(cache.bytes() <= cache.budget());
  // Another window is another embedding.
  CHECK_FALSE(cache.contains(EmbeddingKey{"m", 1, 0, 40, 80}));
  // One entry larger than the budget is still kept (it is in use).
  cache.insert(a, embedding(1000));
  CHECK(cache.size() == 1);
  CHECK(cache.find(a)->size() == 1000);
}
