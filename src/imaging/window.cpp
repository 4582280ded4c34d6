#include "imaging/window.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace ls {

double applyWindow(double value, const WindowLevel& window) {
  const double c = window.center, w = window.width;
  if (w < 1) {
    // Narrower than one unit: values finer than integers (dose in Gy, SUV,
    // scaled MR), which the linear function cannot show; LINEAR_EXACT
    // (PS3.3 C.11.2.1.3.2) maps them without its half-unit offsets.
    if (w <= 0) return value < c ? 0.0 : 1.0;
    return std::clamp((value - c) / w + 0.5, 0.0, 1.0);
  }
  if (w == 1) return value <= c - 0.5 ? 0.0 : 1.0;  // a threshold
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

namespace {
bool isIntegral(const std::vector<float>& values) {
  return std::all_of(values.begin(), values.end(), [](float v) { return v == std::round(v); });
}
}  // namespace

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
  // Integer-valued images get at least one unit; finer values (a dose grid
  // in Gy) keep their real spread, shown by the exact function.
  const double width = high > low ? (high - low < 1 && isIntegral(sample) ? 1.0 : high - low) : 1.0;
  return {low + width / 2, width, "auto"};
}

}  // namespace ls
