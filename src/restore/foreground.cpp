#include "restore/foreground.h"

#include <algorithm>
#include <array>

#include "restore/pixel_ops.h"

namespace ls {

float otsuThreshold(const std::vector<float>& values) {
  if (values.empty()) return 0;
  const auto [low, high] = std::minmax_element(values.begin(), values.end());
  const float lo = *low, hi = *high;
  if (hi <= lo) return lo;
  constexpr int kBins = 256;
  std::array<double, kBins> histogram{};
  const double scale = (kBins - 1) / double(hi - lo);
  for (float v : values) histogram[static_cast<int>((v - lo) * scale)] += 1;
  double total = 0, weightedTotal = 0;
  for (int i = 0; i < kBins; ++i) total += histogram[i], weightedTotal += i * histogram[i];
  double below = 0, weightedBelow = 0, best = -1;
  int bestBin = 0;
  for (int i = 0; i < kBins - 1; ++i) {
    below += histogram[i];
    weightedBelow += i * histogram[i];
    const double above = total - below;
    if (below == 0 || above == 0) continue;
    const double meanBelow = weightedBelow / below, meanAbove = (weightedTotal - weightedBelow) / above;
    const double between = below * above * (meanBelow - meanAbove) * (meanBelow - meanAbove);
    if (between > best) best = between, bestBin = i;
  }
  return lo + static_cast<float>((bestBin + 1) / scale);
}

std::vector<std::uint8_t> foregroundMask(const float* pixels, int width, int height, const ForegroundParams& params) {
  const std::size_t n = static_cast<std::size_t>(width) * height;
  const std::vector<float> smooth = gaussianBlur(pixels, width, height, params.smoothingSigma);
  const float threshold = otsuThreshold(smooth);
  std::vector<float> above(n);
  bool any = false;
  for (std::size_t i = 0; i < n; ++i) any |= (above[i] = smooth[i] >= threshold ? 1.0f : 0.0f) > 0;
  if (!any) return std::vector<std::uint8_t>(n, 1);
  // Dilation: a pixel is foreground when any pixel of its window is.
  const std::vector<float> near = boxMean(above.data(), width, height, params.margin);
  std::vector<std::uint8_t> mask(n);
  for (std::size_t i = 0; i < n; ++i) mask[i] = near[i] > 0 ? 1 : 0;
  return mask;
}

}  // namespace ls
