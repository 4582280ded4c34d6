// Numbers that compare a restored slice with its source: noise inside a
// region the user drew, how well edges survived, the difference image and
// the residual's global statistics. All values in modality units.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace ls {

struct RegionNoise {
  int pixels = 0;
  double sourceMean = 0, sourceSd = 0;
  double restoredMean = 0, restoredSd = 0;
  double sdRatio() const { return sourceSd > 0 ? restoredSd / sourceSd : 0; }  // < 1: noise reduced
};

// Pixels whose centre lies in the rectangle [x0, x1) x [y0, y1) (clipped to the image).
RegionNoise noiseInRect(const float* source, const float* restored, int width, int height, int x0, int y0, int x1,
                        int y1);
// Pixels where mask != 0.
RegionNoise noiseInMask(const float* source, const float* restored, const std::uint8_t* mask, int width, int height);

// restored - source.
std::vector<float> differenceImage(const float* source, const float* restored, std::size_t count);

struct ResidualStats {
  double mean = 0, sd = 0, min = 0, max = 0;
  double robustSd = 0;  // 1.4826 x the median absolute deviation: the noise-like part
};
ResidualStats residualStats(const float* source, const float* restored, std::size_t count);

struct EdgePreservationParams {
  double smoothingSigma = 1.5;  // pixels; Gaussian before finding the source's edges
  double edgeThreshold = 4.0;   // edge pixels: smoothed gradient above this x its noise-only SD
  double fallbackQuantile = 0.9;  // when too few pass: the top 10 % of the smoothed gradient
};

// The Pearson correlation, over the source's edge pixels, of the Sobel
// gradient magnitudes of source and restored, clipped to [0, 1]: 1 when the
// edges kept their strength pattern, lower when they were blurred or moved.
// Edge pixels are where the Gaussian-smoothed source has a gradient well
// above what noise of `noiseSigma` alone gives there. 1 when no edges.
double edgePreservation(const float* source, const float* restored, int width, int height, float noiseSigma,
                        const EdgePreservationParams& params = {});

}  // namespace ls
