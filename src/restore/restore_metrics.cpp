#include "restore/restore_metrics.h"

#include <algorithm>
#include <cmath>

#include "restore/pixel_ops.h"

namespace ls {
namespace {

struct Moments {
  int n = 0;
  double sa = 0, saa = 0, sb = 0, sbb = 0;
  void add(double a, double b) {
    ++n;
    sa += a;
    saa += a * a;
    sb += b;
    sbb += b * b;
  }
  RegionNoise result() const {
    RegionNoise r;
    r.pixels = n;
    if (n == 0) return r;
    r.sourceMean = sa / n;
    r.restoredMean = sb / n;
    r.sourceSd = std::sqrt(std::max(0.0, saa / n - r.sourceMean * r.sourceMean));
    r.restoredSd = std::sqrt(std::max(0.0, sbb / n - r.restoredMean * r.restoredMean));
    return r;
  }
};

}  // namespace

RegionNoise noiseInRect(const float* source, const float* restored, int width, int height, int x0, int y0, int x1,
                        int y1) {
  if (x0 > x1) std::swap(x0, x1);
  if (y0 > y1) std::swap(y0, y1);
  x0 = std::max(0, x0);
  y0 = std::max(0, y0);
  x1 = std::min(width, x1);
  y1 = std::min(height, y1);
  Moments m;
  for (int y = y0; y < y1; ++y)
    for (int x = x0; x < x1; ++x) {
      const std::size_t i = static_cast<std::size_t>(y) * width + x;
      m.add(source[i], restored[i]);
    }
  return m.result();
}

RegionNoise noiseInMask(const float* source, const float* restored, const std::uint8_t* mask, int width, int height) {
  Moments m;
  const std::size_t n = static_cast<std::size_t>(width) * height;
  for (std::size_t i = 0; i < n; ++i)
    if (mask[i]) m.add(source[i], restored[i]);
  return m.result();
}

std::vector<float> differenceImage(const float* source, const float* restored, std::size_t count) {
  std::vector<float> d(count);
  for (std::size_t i = 0; i < count; ++i) d[i] = restored[i] - source[i];
  return d;
}

ResidualStats residualStats(const float* source, const float* restored, std::size_t count) {
  ResidualStats s;
  if (count == 0) return s;
  std::vector<float> d = differenceImage(source, restored, count);
  double sum = 0, sumSquares = 0;
  s.min = s.max = d[0];
  for (float v : d) {
    sum += v;
    sumSquares += static_cast<double>(v) * v;
    s.min = std::min<double>(s.min, v);
    s.max = std::max<double>(s.max, v);
  }
  s.mean = sum / count;
  s.sd = std::sqrt(std::max(0.0, sumSquares / count - s.mean * s.mean));
  const float median = quantile(d, 0.5);
  for (float& v : d) v = std::fabs(v - median);
  s.robustSd = 1.4826 * quantile(std::move(d), 0.5);
  return s;
}

double edgePreservation(const float* source, const float* restored, int width, int height, float noiseSigma,
                        const EdgePreservationParams& params) {
  const std::size_t n = static_cast<std::size_t>(width) * height;
  if (n == 0) return 1;
  const std::vector<float> smooth = gaussianBlur(source, width, height, params.smoothingSigma);
  const std::vector<float> smoothGradient = gradientMagnitude(smooth.data(), width, height);
  // Noise-only SD of one Sobel component after the blur: the kernel's L2 norm
  // times sigma; the Sobel x kernel on a Gaussian of s pixels has norm^2
  // ~ 16 / (8 pi s^4) (derivative of Gaussian, times the Sobel gain 8).
  const double s = params.smoothingSigma;
  const double componentSd = noiseSigma * 8.0 * std::sqrt(1.0 / (8.0 * 3.14159265358979 * s * s * s * s));
  double threshold = params.edgeThreshold * componentSd;
  std::size_t edges = 0;
  for (float g : smoothGradient) edges += g > threshold;
  if (noiseSigma <= 0 || edges < n / 100) threshold = quantile(smoothGradient, params.fallbackQuantile);
  const std::vector<float> a = gradientMagnitude(source, width, height);
  const std::vector<float> b = gradientMagnitude(restored, width, height);
  double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
  int count = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (!(smoothGradient[i] > threshold)) continue;
    ++count;
    sa += a[i];
    sb += b[i];
    saa += static_cast<double>(a[i]) * a[i];
    sbb += static_cast<double>(b[i]) * b[i];
    sab += static_cast<double>(a[i]) * b[i];
  }
  if (count < 2) return 1;
  const double va = saa - sa * sa / count, vb = sbb - sb * sb / count, cab = sab - sa * sb / count;
  if (va <= 0) return 1;
  if (vb <= 0) return 0;
  return std::clamp(cab / std::sqrt(va * vb), 0.0, 1.0);
}

}  // namespace ls
