// The part of a slice that holds the patient: what is brighter than the
// background by Otsu's threshold on a smoothed copy, widened by a few pixels.
// Restoration risks are only reported there: smoothing the noise of the air
// around a head removes "spots" no reader cares about, and flagging them
// would bury the findings that matter.
#pragma once

#include <cstdint>
#include <vector>

namespace ls {

struct ForegroundParams {
  double smoothingSigma = 2;  // pixels
  int margin = 3;             // pixels added around the thresholded region
};

// 1 for foreground pixels. An image with no contrast is all foreground.
std::vector<std::uint8_t> foregroundMask(const float* pixels, int width, int height,
                                         const ForegroundParams& params = {});

// Otsu's threshold of the values (256 bins between their min and max).
float otsuThreshold(const std::vector<float>& values);

}  // namespace ls
