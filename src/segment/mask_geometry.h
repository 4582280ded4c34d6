// Small measures of a binary mask (0/1, width x height) used to derive prompts
// from a mask: its bounding box, its deepest interior point, and the overlap
// of two masks.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/point2.h"
#include "segment/prompt_session.h"

namespace ls {

// In continuous image coordinates (pixel i covers [i, i+1)); none if empty.
std::optional<PromptBox> maskBoundingBox(const std::vector<std::uint8_t>& mask, int width, int height);
// The centre of the mask pixel farthest from the mask's edge (city-block
// distance): the safest place for a positive click.
Point2 deepestPoint(const std::vector<std::uint8_t>& mask, int width, int height);
// Intersection over union; 1 for two empty masks.
double maskIou(const std::vector<std::uint8_t>& a, const std::vector<std::uint8_t>& b);

}  // namespace ls
