// Median filter over a (2 radius + 1)^2 square window, symmetric border (as
// scipy.ndimage.median_filter with mode "reflect"). Radius 1 uses a 19-step
// selection network (Paeth's median of 9), larger radii nth_element.
#pragma once

#include <vector>

namespace ls {

struct MedianParams {
  int radius = 1;  // 1: 3 x 3, 2: 5 x 5
};

// The median does not depend on the noise level: 3 x 3 for any sigma.
MedianParams medianParamsFor(float noiseSigma);

std::vector<float> medianFilter(const float* pixels, int width, int height, const MedianParams& params);

}  // namespace ls
