// Bilateral filter (Tomasi & Manduchi 1998): each pixel becomes the mean of
// its neighbours within a disc of `radius` pixels, weighted by
//   exp(-r^2 / (2 spatialSigma^2)) * exp(-(u(j) - u(i))^2 / (2 rangeSigma^2)).
// The disc and the symmetric border follow OpenCV's bilateralFilter
// (offsets with sqrt(dx^2 + dy^2) <= radius, BORDER_REFLECT), so its output
// is a reference. The range weight comes from a lookup table.
#pragma once

#include <vector>

namespace ls {

struct BilateralParams {
  float spatialSigma = 1.5f;  // pixels
  float rangeSigma = 0;       // modality units (0: returns the source)
  int radius = 0;             // 0: ceil(2 spatialSigma)
};

// Range sigma 2 x the noise sigma, spatial sigma 1.5 pixels (the choice of
// Zhang & Gunturk 2008 for Gaussian noise is rangeSigma ~ 2 sigma).
BilateralParams bilateralParamsFor(float noiseSigma);

std::vector<float> bilateralFilter(const float* pixels, int width, int height, const BilateralParams& params);

}  // namespace ls
