// Non-local means (Buades, Coll & Morel 2005), pixelwise, with the weight
// definition of their IPOL paper (2011): for the patches P(i), P(j) of
// (2 patchRadius + 1)^2 pixels,
//   d2(i, j) = mean over the patch of (u(i + k) - u(j + k))^2
//   w(i, j)  = exp(-max(d2 - 2 sigma^2, 0) / h^2),   w(i, i) = 1,
//   out(i)   = sum_j w(i, j) u(j) / sum_j w(i, j)
// over the (2 searchRadius + 1)^2 search window; the border is padded
// symmetrically. The patch distances are computed per search offset with
// box sums of the squared-difference image (Darbon et al., ISBI 2008), each
// offset serving both i -> i + d and i + d -> i, so the cost does not grow
// with the patch size.
#pragma once

#include <vector>

namespace ls {

struct NlmParams {
  int patchRadius = 2;   // 5 x 5 patches
  int searchRadius = 5;  // 11 x 11 search window
  float h = 0;           // filtering parameter, modality units (0: returns the source)
  float sigma = 0;       // noise standard deviation subtracted from the distances
};

// The literature's parameters for noise of standard deviation `noiseSigma`:
// 5 x 5 patches, an 11 x 11 search window, h = 0.6 sigma (the value
// scikit-image recommends for this weight definition lies between 0.6 and
// 0.8 sigma; IPOL uses 0.4 sigma with a 21 x 21 window).
NlmParams nlmParamsFor(float noiseSigma);

std::vector<float> nonLocalMeans(const float* pixels, int width, int height, const NlmParams& params);

}  // namespace ls
