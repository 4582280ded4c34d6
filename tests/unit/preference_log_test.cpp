// Threshold candidates and the preference log record.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "ml/model_frame.h"
#include "segment/preference_log.h"

using namespace ls;

TEST_CASE("threshold masks grow as the probability threshold falls") {
  // 4 x 4 low-res logits on a 4 x 4 image (input size 4): a ramp from -2 to +2.
  MaskCandidate candidate;
  for (int i = 0; i < 16; ++i) candidate.lowRes.push_back(-2.f + 4.f * (i % 4) / 3.f);
  const auto masks = thresholdMasks(candidate, 4, makeModelFrame(4, 4, 4), preferenceThresholds());
  REQUIRE(masks.size() == 4);
  auto area = [](const std::vector<std::uint8_t>& m) { int n = 0; for (auto v : m) n += v; return n; };
  CHECK(area(masks[0]) >= area(masks[1]));
  CHECK(area(masks[1]) >= area(masks[2]));
  CHECK(area(masks[2]) >= area(masks[3]));
  CHECK(area(masks[0]) > area(masks[3]));
}

TEST_CASE("mask runs start with zeros and cover the mask") {
  CHECK(maskRuns({0, 0, 1, 1, 1, 0}) == std::vector<std::uint32_t>{2, 3, 1});
  CHECK(maskRuns({1, 1, 0}) == std::vector<std::uint32_t>{0, 2, 1});
  CHECK(maskRuns({0, 0}) == std::vector<std::uint32_t>{2});
}

TEST_CASE("a preference record holds the image, prompts, chosen and rejected masks") {
  PreferenceRecord r;
  r.time = "2026-11-23T18:00:00Z";
  r.model = "m";
  r.seriesInstanceUid = "1.2.3";
  r.sliceFile = "IM_0001.dcm";
  r.slice = 4, r.columns = 3, r.rows = 1;
  r.points = {{{1.5, 0.5}, true}, {{2.5, 0.5}, false}};
  r.thresholds = {0.3f, 0.6f};
  r.masks = {{1, 1, 0}, {0, 1, 0}};
  r.chosen = 1;
  const auto line = preferenceJsonLine(r);
  CHECK(line.find('\n') == std::string::npos);
  const auto json = nlohmann::json::parse(line);
  CHECK(json["image"]["seriesInstanceUid"] == "1.2.3");
  CHECK(json["image"]["slice"] == 4);
  CHECK(json["prompts"]["points"].size() == 2);
  CHECK(json["prompts"]["points"][1]["include"] == false);
  CHECK(json["prompts"]["box"].is_null());
  CHECK(json["chosen"]["threshold"].get<float>() == Approx(0.6f));
  CHECK(json["chosen"]["counts"] == std::vector<int>{1, 1, 1});
  REQUIRE(json["rejected"].size() == 1);
  CHECK(json["rejected"][0]["counts"] == std::vector<int>{0, 2, 1});
  CHECK(json["model"] == "m");
}
