#include "imaging/window.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace ls {

double applyWindow(double value, const WindowLevel& window) {
  const double c = window.center, w = std::max(window.width, 1.0);
  if (w <= 1) return value <= c - 0.5 ? 0.0 : 1.0;  // a threshold
  const double lower = c - 0.5 - (w - 1) / 2;
  const double upper = c - 0.5 + (w - 1) / 2;
  if (value <= lower) return 0.0;
  if (value > upper) return 1.0;
  return (value - (c - 0.5)) / (w - 1) + 0.5;
}

std::uint8_t windowToGrey8(double value, const WindowLevel& window, bool invert) {
  double grey = applyWindow(value, window);
  if (invert) grey = 1.0 - grey;
  return static_cast<std::uint8_t>(std::lround(std::clamp(grey, 0.0, 1.0) * 255.0));
}

WindowLevel autoWindow(const float* values, std::size_t count, std::optional<ValueRange> padding) {
  if (count == 0) return {0, 1, "auto"};
  // Sample at most ~1M values: percentiles do not need every voxel.
  const std::size_t stride = std::max<std::size_t>(1, count / (1u << 20));
  std::vector<float> sample;
  sample.reserve(count / stride + 1);
  for (std::size_t i = 0; i < count; i += stride) {
    if (!padding || !padding->contains(values[i])) sample.push_back(values[i]);
  }
  if (sample.empty()) return {0, 1, "auto"};  // nothing but padding
  auto percentile = [&](double p) {
    auto nth = sample.begin() + static_cast<std::ptrdiff_t>(p * (sample.size() - 1));
    std::nth_element(sample.begin(), nth, sample.end());
    return static_cast<double>(*nth);
  };
  const double low = percentile(0.005), high = percentile(0.995);
  const double width = std::max(high - low, 1.0);
  return {low + width / 2, width, "auto"};
}

}  // namespace ls
