#include "segment/preference_log.h"

#include <cmath>
#include <nlohmann/json.hpp>

#include "ml/mask_output.h"

namespace ls {

using nlohmann::json;

const std::vector<float>& preferenceThresholds() {
  static const std::vector<float> kThresholds = {0.3f, 0.4f, 0.5f, 0.6f};
  return kThresholds;
}

std::vector<std::vector<std::uint8_t>> thresholdMasks(const MaskCandidate& candidate, int lowResSize,
                                                      const ModelFrame& frame, const std::vector<float>& probabilities) {
  const std::vector<float> logits = lowResToImageLogits(candidate.lowRes.data(), lowResSize, frame);
  std::vector<std::vector<std::uint8_t>> masks;
  for (float p : probabilities) masks.push_back(thresholdMask(logits, std::log(p / (1 - p))));
  return masks;
}

std::vector<std::uint32_t> maskRuns(const std::vector<std::uint8_t>& mask) {
  std::vector<std::uint32_t> runs;
  std::uint8_t current = 0;
  std::uint32_t length = 0;
  for (std::uint8_t v : mask) {
    const std::uint8_t bit = v ? 1 : 0;
    if (bit != current) {
      runs.push_back(length);
      current = bit;
      length = 0;
    }
    ++length;
  }
  runs.push_back(length);
  return runs;
}

std::string preferenceJsonLine(const PreferenceRecord& r) {
  json points = json::array();
  for (const auto& p : r.points) points.push_back({{"x", p.image.x}, {"y", p.image.y}, {"include", p.include}});
  json candidates = json::array();
  for (std::size_t i = 0; i < r.masks.size(); ++i) {
    candidates.push_back({{"threshold", r.thresholds[i]}, {"counts", maskRuns(r.masks[i])}});
  }
  json rejected = json::array();
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    if (static_cast<int>(i) != r.chosen) rejected.push_back(candidates[i]);
  }
  json record = {
      {"time", r.time},
      {"model", r.model},
      {"image", {{"seriesInstanceUid", r.seriesInstanceUid}, {"sliceFile", r.sliceFile}, {"slice", r.slice},
                 {"columns", r.columns}, {"rows", r.rows}}},
      {"prompts", {{"points", points}, {"box", r.box ? json{r.box->a.x, r.box->a.y, r.box->b.x, r.box->b.y}
                                                     : json(nullptr)}}},
      {"maskEncoding", "row-major run lengths, first run of zeros (COCO uncompressed RLE)"},
      {"chosen", candidates.at(r.chosen)},
      {"rejected", rejected},
  };
  return record.dump();
}

}  // namespace ls
