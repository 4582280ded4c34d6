// Threshold candidates and the preference log: the masks of one prompt at
// several probability thresholds, and the record of which one the user chose
// (image reference, prompts, chosen and rejected masks run-length encoded,
// model, time) as one JSON Lines record: the data a site can later use to
// align its model by preference optimisation. Records stay in the browser
// until the user exports them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "segment/prompt_session.h"

namespace ls {

// Probabilities 0.3, 0.4, 0.5, 0.6 (sigmoid of the logits).
const std::vector<float>& preferenceThresholds();

// The selected candidate's mask at each probability threshold (image grid).
std::vector<std::vector<std::uint8_t>> thresholdMasks(const MaskCandidate& candidate, int lowResSize,
                                                      const ModelFrame& frame, const std::vector<float>& probabilities);

// Uncompressed COCO-style RLE of a row-major 0/1 mask: run lengths, starting
// with a (possibly empty) run of zeros.
std::vector<std::uint32_t> maskRuns(const std::vector<std::uint8_t>& mask);

struct PreferenceRecord {
  std::string time;  // ISO 8601, UTC
  std::string model;
  std::string seriesInstanceUid, sliceFile;
  int slice = 0, columns = 0, rows = 0;
  std::vector<PromptPoint> points;
  std::optional<PromptBox> box;
  std::vector<float> thresholds;
  std::vector<std::vector<std::uint8_t>> masks;  // one per threshold
  int chosen = 0;                                 // index into thresholds/masks
};

// One line of JSON (no newline).
std::string preferenceJsonLine(const PreferenceRecord& record);

}  // namespace ls
