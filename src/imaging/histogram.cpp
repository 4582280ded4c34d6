#include "imaging/histogram.h"

#include <algorithm>

namespace ls {

Histogram computeHistogram(const float* values, std::size_t count, int bins, std::optional<ValueRange> padding) {
  Histogram h;
  h.counts.assign(static_cast<std::size_t>(std::max(bins, 1)), 0);
  auto image = [&](float v) { return !padding || !padding->contains(v); };
  float lo = 0, hi = 0;
  bool any = false;
  for (std::size_t i = 0; i < count; ++i) {
    if (!image(values[i])) continue;
    lo = any ? std::min(lo, values[i]) : values[i];
    hi = any ? std::max(hi, values[i]) : values[i];
    any = true;
  }
  if (!any) return h;
  h.min = lo;
  h.max = hi > lo ? hi : lo + 1;
  const double scale = h.counts.size() / (h.max - h.min);
  for (std::size_t i = 0; i < count; ++i) {
    if (!image(values[i])) continue;
    const auto bin = static_cast<std::size_t>((values[i] - h.min) * scale);
    ++h.counts[std::min(bin, h.counts.size() - 1)];
  }
  return h;
}

}  // namespace ls
