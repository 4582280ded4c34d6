#include "restore/noise_estimate.h"

#include <cmath>
#include <cstddef>
#include <vector>

#include "restore/pixel_ops.h"

namespace ls {

float estimateNoiseSigma(const float* p, int width, int height, const NoiseEstimateParams& params) {
  if (width < 3 || height < 3) return 0;
  std::vector<float> response, gradient;
  const std::size_t inner = static_cast<std::size_t>(width - 2) * (height - 2);
  response.reserve(inner);
  gradient.reserve(inner);
  for (int y = 1; y + 1 < height; ++y) {
    const float* up = p + static_cast<std::size_t>(y - 1) * width;
    const float* mid = up + width;
    const float* dn = mid + width;
    for (int x = 1; x + 1 < width; ++x) {
      // Immerkaer's mask [1 -2 1; -2 4 -2; 1 -2 1]: its norm is 6.
      const float m = (up[x - 1] + up[x + 1] + dn[x - 1] + dn[x + 1]) - 2 * (up[x] + dn[x] + mid[x - 1] + mid[x + 1]) +
                      4 * mid[x];
      const float gx = (up[x + 1] - up[x - 1]) + 2 * (mid[x + 1] - mid[x - 1]) + (dn[x + 1] - dn[x - 1]);
      const float gy = (dn[x - 1] - up[x - 1]) + 2 * (dn[x] - up[x]) + (dn[x + 1] - up[x + 1]);
      if (m == 0 && gx == 0 && gy == 0 && up[x] == mid[x] && dn[x] == mid[x]) continue;  // constant: padding
      response.push_back(std::fabs(m));
      gradient.push_back(gx * gx + gy * gy);
    }
  }
  if (response.empty()) return 0;
  const float limit = quantile(gradient, params.keepGradientQuantile);
  std::vector<float> kept;
  kept.reserve(response.size());
  for (std::size_t i = 0; i < response.size(); ++i)
    if (gradient[i] <= limit) kept.push_back(response[i]);
  // median |N(0, 36 sigma^2)| = 0.67449 * 6 sigma
  return quantile(std::move(kept), 0.5) / (6.0f * 0.6744898f);
}

}  // namespace ls
