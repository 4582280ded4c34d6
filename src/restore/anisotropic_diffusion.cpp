#include "restore/anisotropic_diffusion.h"

#include <algorithm>
#include <cmath>
#include <cstddef>

namespace ls {

DiffusionParams diffusionParamsFor(float noiseSigma) {
  DiffusionParams p;
  p.kappa = 2.5f * std::max(0.0f, noiseSigma);
  return p;
}

std::vector<float> anisotropicDiffusion(const float* src, int W, int H, const DiffusionParams& params) {
  const std::size_t n = static_cast<std::size_t>(W) * H;
  std::vector<float> u(src, src + n);
  if (params.kappa <= 0 || params.iterations <= 0 || W <= 0 || H <= 0) return u;
  // g(d) = exp(-z) with z = (d / kappa)^2 in [0, 20], interpolated.
  constexpr int kBins = 4096;
  constexpr float kLimit = 20.0f;
  std::vector<float> table(kBins + 2, 0.0f);
  for (int i = 0; i < kBins; ++i) table[i] = static_cast<float>(std::exp(-kLimit * i / kBins));
  const float toBins = kBins / (kLimit * params.kappa * params.kappa);
  auto flux = [&](float d) {
    float t = std::min(d * d * toBins, static_cast<float>(kBins));
    const int bin = static_cast<int>(t);
    return d * (table[bin] + (t - static_cast<float>(bin)) * (table[bin + 1] - table[bin]));
  };
  const float lambda = params.lambda;
  // east[x]: flux from x + 1 into x on the current row; south[x]: from the
  // row below into this one; north[x]: the previous row's south (the flux
  // this row gives up).
  std::vector<float> south(W), north(W), east(W);
  for (int it = 0; it < params.iterations; ++it) {
    std::fill(north.begin(), north.end(), 0.0f);
    for (int y = 0; y < H; ++y) {
      float* row = u.data() + static_cast<std::size_t>(y) * W;
      if (y + 1 < H) {
        const float* below = row + W;
        for (int x = 0; x < W; ++x) south[x] = flux(below[x] - row[x]);
      } else {
        std::fill(south.begin(), south.end(), 0.0f);
      }
      for (int x = 0; x + 1 < W; ++x) east[x] = flux(row[x + 1] - row[x]);
      east[W - 1] = 0;
      float west = 0;  // flux from x - 1 into x is -east[x - 1]
      for (int x = 0; x < W; ++x) {
        const float e = east[x];
        row[x] += lambda * (e - west + south[x] - north[x]);
        west = e;
      }
      std::swap(north, south);
    }
  }
  return u;
}

}  // namespace ls
