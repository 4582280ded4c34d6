#include "restore/bilateral_filter.h"

#include <algorithm>
#include <cmath>
#include <cstddef>

#include "restore/pixel_ops.h"

namespace ls {

BilateralParams bilateralParamsFor(float noiseSigma) {
  BilateralParams p;
  p.rangeSigma = 2.0f * std::max(0.0f, noiseSigma);
  return p;
}

std::vector<float> bilateralFilter(const float* src, int W, int H, const BilateralParams& params) {
  const std::size_t n = static_cast<std::size_t>(W) * H;
  std::vector<float> out(src, src + n);
  if (params.rangeSigma <= 0 || params.spatialSigma <= 0 || W <= 0 || H <= 0) return out;
  const int r = params.radius > 0 ? params.radius : static_cast<int>(std::ceil(2 * params.spatialSigma));
  const int PW = W + 2 * r;
  const std::vector<float> padded = padSymmetric(src, W, H, r);

  struct Tap {
    int offset;  // in the padded image
    float weight;
  };
  std::vector<Tap> taps;
  for (int dy = -r; dy <= r; ++dy)
    for (int dx = -r; dx <= r; ++dx) {
      if (dx == 0 && dy == 0) continue;  // the centre: weight 1, added directly
      if (std::sqrt(static_cast<double>(dx * dx + dy * dy)) > r) continue;
      taps.push_back({dy * PW + dx, static_cast<float>(std::exp(-0.5 * (dx * dx + dy * dy) /
                                                                 (params.spatialSigma * params.spatialSigma)))});
    }

  // exp(-d^2 / (2 rangeSigma^2)) for |d| in [0, 6 rangeSigma] (beyond: < 2e-8).
  constexpr int kBins = 4096;
  constexpr float kSpan = 6.0f;
  std::vector<float> table(kBins + 2, 0.0f);
  for (int i = 0; i < kBins; ++i) {
    const double z = kSpan * i / kBins;
    table[i] = static_cast<float>(std::exp(-0.5 * z * z));
  }
  const float toBins = kBins / (kSpan * params.rangeSigma);

  std::vector<float> num(W), den(W);
  for (int y = 0; y < H; ++y) {
    const float* centre = padded.data() + static_cast<std::size_t>(y + r) * PW + r;
    std::copy(centre, centre + W, num.begin());
    std::fill(den.begin(), den.end(), 1.0f);
    for (const Tap& tap : taps) {
      const float* other = centre + tap.offset;
      for (int x = 0; x < W; ++x) {
        const float v = other[x];
        float t = std::min(std::fabs(v - centre[x]) * toBins, static_cast<float>(kBins));
        const int bin = static_cast<int>(t);
        const float w = tap.weight * (table[bin] + (t - static_cast<float>(bin)) * (table[bin + 1] - table[bin]));
        num[x] += w * v;
        den[x] += w;
      }
    }
    float* o = out.data() + static_cast<std::size_t>(y) * W;
    for (int x = 0; x < W; ++x) o[x] = num[x] / den[x];
  }
  return out;
}

}  // namespace ls
