#include "imaging/resample.h"

#include <algorithm>
#include <cmath>
#include <cstddef>

namespace ls {
namespace {

// One axis of a separable resampling: for each output index, the source
// indices and weights that contribute to it.
struct AxisTaps {
  std::vector<int> first, count;
  std::vector<float> weights;  // `support` weights per output index
  int support = 0;
};

AxisTaps antialiasedTaps(int in, int out) {
  AxisTaps taps;
  const double scale = static_cast<double>(in) / out;
  const double filterScale = std::max(scale, 1.0);
  const double radius = filterScale;  // triangle filter of half-width 1, widened
  taps.support = static_cast<int>(std::ceil(radius)) * 2 + 1;
  for (int o = 0; o < out; ++o) {
    const double centre = (o + 0.5) * scale;
    int lo = std::max(0, static_cast<int>(std::floor(centre - radius)));
    int hi = std::min(in, static_cast<int>(std::ceil(centre + radius)));
    std::vector<double> w;
    double total = 0;
    for (int i = lo; i < hi; ++i) {
      double x = std::abs((i + 0.5 - centre) / filterScale);
      double v = std::max(0.0, 1.0 - x);
      w.push_back(v);
      total += v;
    }
    taps.first.push_back(lo);
    taps.count.push_back(static_cast<int>(w.size()));
    for (int k = 0; k < taps.support; ++k) {
      taps.weights.push_back(k < static_cast<int>(w.size()) && total > 0 ? static_cast<float>(w[k] / total) : 0.f);
    }
  }
  return taps;
}

std::vector<float> separable(const float* src, int sw, int sh, int dw, int dh, const AxisTaps& tx,
                             const AxisTaps& ty) {
  std::vector<float> rows(static_cast<std::size_t>(dw) * sh);
  for (int y = 0; y < sh; ++y) {
    const float* line = src + static_cast<std::size_t>(y) * sw;
    for (int x = 0; x < dw; ++x) {
      float sum = 0;
      for (int k = 0; k < tx.count[x]; ++k) sum += line[tx.first[x] + k] * tx.weights[x * tx.support + k];
      rows[static_cast<std::size_t>(y) * dw + x] = sum;
    }
  }
  std::vector<float> out(static_cast<std::size_t>(dw) * dh);
  for (int y = 0; y < dh; ++y) {
    for (int x = 0; x < dw; ++x) {
      float sum = 0;
      for (int k = 0; k < ty.count[y]; ++k) {
        sum += rows[static_cast<std::size_t>(ty.first[y] + k) * dw + x] * ty.weights[y * ty.support + k];
      }
      out[static_cast<std::size_t>(y) * dw + x] = sum;
    }
  }
  return out;
}

// Bilinear only: each output index blends source indices i0 and i1 (equal at
// the edge, weighted 1 and 0).
struct BilinearTaps {
  std::vector<int> i0, i1;
  std::vector<float> w0, w1;
};

// Half-pixel centres, clamped at the borders (torch's align_corners=False).
BilinearTaps twoTaps(int in, int out) {
  BilinearTaps taps;
  taps.i0.resize(out);
  taps.i1.resize(out);
  taps.w0.resize(out);
  taps.w1.resize(out);
  const double scale = static_cast<double>(in) / out;
  for (int o = 0; o < out; ++o) {
    const double src = std::max(0.0, (o + 0.5) * scale - 0.5);
    const int i0 = std::min(static_cast<int>(src), in - 1);
    const int i1 = std::min(i0 + 1, in - 1);
    const float lambda = static_cast<float>(src - i0);
    taps.i0[o] = i0;
    taps.i1[o] = i1;
    taps.w0[o] = i1 == i0 ? 1.f : 1.f - lambda;
    taps.w1[o] = i1 == i0 ? 0.f : lambda;
  }
  return taps;
}

// The same sums as `separable` without its per-output tap loop, computing
// only the top-left keepWidth x keepHeight of the output. `store(line, x,
// value)` writes each output value: a float, or straight away a threshold.
template <typename T, typename Store>
std::vector<T> bilinearRegion(const float* src, int sw, int sh, int dw, int dh, int keepWidth, int keepHeight,
                              Store store) {
  std::vector<T> out(static_cast<std::size_t>(keepWidth) * keepHeight);
  if (sw == dw && sh == dh) {  // the identity (weights 1 and 0): the kept region as it is
    for (int y = 0; y < keepHeight; ++y) {
      const float* line = src + static_cast<std::size_t>(y) * sw;
      T* row = out.data() + static_cast<std::size_t>(y) * keepWidth;
      for (int x = 0; x < keepWidth; ++x) store(row, x, line[x]);
    }
    return out;
  }
  const BilinearTaps tx = twoTaps(sw, dw), ty = twoTaps(sh, dh);
  std::vector<float> rows(static_cast<std::size_t>(keepWidth) * sh);
  for (int y = 0; y < sh; ++y) {
    const float* line = src + static_cast<std::size_t>(y) * sw;
    float* row = rows.data() + static_cast<std::size_t>(y) * keepWidth;
    for (int x = 0; x < keepWidth; ++x) row[x] = line[tx.i0[x]] * tx.w0[x] + line[tx.i1[x]] * tx.w1[x];
  }
  for (int y = 0; y < keepHeight; ++y) {
    const float* a = rows.data() + static_cast<std::size_t>(ty.i0[y]) * keepWidth;
    const float* b = rows.data() + static_cast<std::size_t>(ty.i1[y]) * keepWidth;
    const float wa = ty.w0[y], wb = ty.w1[y];
    T* line = out.data() + static_cast<std::size_t>(y) * keepWidth;
    for (int x = 0; x < keepWidth; ++x) store(line, x, a[x] * wa + b[x] * wb);
  }
  return out;
}

void storeFloat(float* line, int x, float value) { line[x] = value; }

}  // namespace

std::vector<float> resizeBilinear(const float* source, int sw, int sh, int dw, int dh) {
  return bilinearRegion<float>(source, sw, sh, dw, dh, dw, dh, storeFloat);
}

std::vector<float> resizeBilinearTopLeft(const float* source, int sw, int sh, int dw, int dh, int keepWidth,
                                         int keepHeight) {
  return bilinearRegion<float>(source, sw, sh, dw, dh, std::min(keepWidth, dw), std::min(keepHeight, dh),
                               storeFloat);
}

std::vector<std::uint8_t> resizeBilinearTopLeftAbove(const float* source, int sw, int sh, int dw, int dh,
                                                     int keepWidth, int keepHeight, float threshold) {
  return bilinearRegion<std::uint8_t>(
      source, sw, sh, dw, dh, std::min(keepWidth, dw), std::min(keepHeight, dh),
      [threshold](std::uint8_t* line, int x, float value) { line[x] = static_cast<std::uint8_t>(value > threshold); });
}

std::vector<float> resizeAntialiased(const float* source, int sw, int sh, int dw, int dh) {
  return separable(source, sw, sh, dw, dh, antialiasedTaps(sw, dw), antialiasedTaps(sh, dh));
}

}  // namespace ls
