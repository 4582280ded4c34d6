// Anisotropic diffusion (Perona & Malik 1990), explicit scheme on the
// 4-neighbourhood with zero flux across the border:
//   u <- u + lambda * sum over N, S, E, W of g(d) d,   d = u(neighbour) - u,
//   g(d) = exp(-(d / kappa)^2)
// (their first conduction function, which favours high-contrast edges over
// low-contrast ones). lambda <= 0.25 keeps the scheme stable.
#pragma once

#include <vector>

namespace ls {

struct DiffusionParams {
  int iterations = 15;
  float lambda = 0.2f;
  float kappa = 0;  // modality units (0: returns the source)
};

// kappa = 2.5 x the noise sigma: the flux g(d) d peaks at kappa / sqrt(2)
// = 1.8 sigma, above most differences between neighbours that noise alone
// makes (sqrt(2) sigma each), so noise is smoothed and steps of several
// sigma are kept. 15 iterations of lambda 0.2.
DiffusionParams diffusionParamsFor(float noiseSigma);

std::vector<float> anisotropicDiffusion(const float* pixels, int width, int height, const DiffusionParams& params);

}  // namespace ls
