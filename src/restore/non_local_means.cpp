#include "restore/non_local_means.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "restore/pixel_ops.h"

namespace ls {
namespace {

// Distances beyond kLimit h^2 all get the weight exp(-kLimit) = 2e-9.
constexpr float kLimit = 20.0f;

// exp(-t) for t in [0, kLimit], relative error < 4e-6: 2^n 2^f with n the
// nearest integer to -t log2(e) and a degree-5 Taylor polynomial of 2^f on
// |f| <= 0.5. Branch-free, so the weight loop vectorises (a table lookup
// would not).
inline float expMinus(float t) {
  const float y = 32.5f - t * 1.44269504f;  // > 0 for t <= kLimit
  const int i = static_cast<int>(y);        // floor
  const float f = y - static_cast<float>(i) - 0.5f;
  const float p =
      1.0f + f * (0.693147181f + f * (0.240226507f + f * (0.0555041087f + f * (0.00961812911f + f * 0.00133335581f))));
  const std::int32_t bits = static_cast<std::int32_t>(static_cast<std::uint32_t>(i - 32 + 127) << 23);
  float scale;
  std::memcpy(&scale, &bits, sizeof scale);
  return p * scale;
}

}  // namespace

NlmParams nlmParamsFor(float noiseSigma) {
  NlmParams p;
  p.sigma = std::max(0.0f, noiseSigma);
  p.h = 0.6f * p.sigma;
  return p;
}

std::vector<float> nonLocalMeans(const float* src, int W, int H, const NlmParams& params) {
  const std::size_t n = static_cast<std::size_t>(W) * H;
  std::vector<float> out(src, src + n);
  if (params.h <= 0 || W <= 0 || H <= 0) return out;
  const int pr = std::max(0, params.patchRadius), sr = std::max(0, params.searchRadius);
  const int m = pr + sr, PW = W + 2 * m;
  const std::vector<float> padded = padSymmetric(src, W, H, m);
  auto P = [&](int x, int y) { return padded.data() + static_cast<std::size_t>(y + m) * PW + (x + m); };

  // The offset 0 has weight 1.
  std::vector<float> weightSum(n, 1.0f), valueSum(src, src + n);
  const int patch = 2 * pr + 1;
  const float invPatch = 1.0f / static_cast<float>(patch * patch);
  const float twoVar = 2.0f * params.sigma * params.sigma;
  const float invH2 = 1.0f / (params.h * params.h);

  // Per row of the band: `patch` rows of squared differences (a ring),
  // their column sums, and the patch distances. Plain sums rather than
  // running ones: an edge's huge differences must leave no rounding behind,
  // and these loops vectorise.
  const int maxLine = W + sr + 2 * pr;
  std::vector<float> ring(static_cast<std::size_t>(patch) * maxLine), colSum(maxLine), weight(W + sr);

  for (int dy = 0; dy <= sr; ++dy) {
    for (int dx = -sr; dx <= sr; ++dx) {
      if (dy == 0 && dx <= 0) continue;  // each pair of offsets +-d once
      // Centres i whose pair (i, i + d) touches the output: i or i + d inside.
      const int bx0 = std::min(0, -dx), bx1 = W + std::max(0, -dx), bw = bx1 - bx0;
      const int by0 = -dy, by1 = H;
      const int lineWidth = bw + 2 * pr;  // columns bx0 - pr .. bx1 + pr
      auto squaredRow = [&](int y, float* dst) {
        const float* a = P(bx0 - pr, y);
        const float* b = P(bx0 - pr + dx, y + dy);
        for (int x = 0; x < lineWidth; ++x) {
          const float d = a[x] - b[x];
          dst[x] = d * d;
        }
      };
      for (int k = 0; k < patch - 1; ++k) squaredRow(by0 - pr + k, ring.data() + static_cast<std::size_t>(k) * lineWidth);
      for (int y = by0; y < by1; ++y) {
        // Row y + pr takes the slot of row y - pr - 1, which left.
        squaredRow(y + pr, ring.data() + static_cast<std::size_t>((y + pr - (by0 - pr)) % patch) * lineWidth);
        std::copy(ring.begin(), ring.begin() + lineWidth, colSum.begin());
        for (int k = 1; k < patch; ++k) {
          const float* r = ring.data() + static_cast<std::size_t>(k) * lineWidth;
          for (int x = 0; x < lineWidth; ++x) colSum[x] += r[x];
        }
        std::copy(colSum.begin(), colSum.begin() + bw, weight.begin());
        for (int k = 1; k < patch; ++k) {
          const float* c = colSum.data() + k;
          for (int x = 0; x < bw; ++x) weight[x] += c[x];
        }
        // Two loops: GCC vectorises neither the clamp nor exp when they share one.
        for (int x = 0; x < bw; ++x) {
          float t = weight[x] * invPatch - twoVar;
          t = t > 0.0f ? t : 0.0f;
          t *= invH2;
          weight[x] = t < kLimit ? t : kLimit;
        }
        for (int x = 0; x < bw; ++x) weight[x] = expMinus(weight[x]);
        // i = (x, y) gains u(i + d); i + d gains u(i).
        if (y >= 0) {
          const int x0 = std::max(0, bx0), x1 = std::min(W, bx1);
          float* ws = weightSum.data() + static_cast<std::size_t>(y) * W;
          float* vs = valueSum.data() + static_cast<std::size_t>(y) * W;
          const float* shifted = P(0, y + dy) + dx;
          for (int x = x0; x < x1; ++x) {
            const float w = weight[x - bx0];
            ws[x] += w;
            vs[x] += w * shifted[x];
          }
        }
        if (y + dy < H) {
          const int x0 = std::max(bx0, -dx), x1 = std::min(bx1, W - dx);
          float* ws = weightSum.data() + static_cast<std::size_t>(y + dy) * W + dx;
          float* vs = valueSum.data() + static_cast<std::size_t>(y + dy) * W + dx;
          const float* here = P(0, y);
          for (int x = x0; x < x1; ++x) {
            const float w = weight[x - bx0];
            ws[x] += w;
            vs[x] += w * here[x];
          }
        }
      }
    }
  }
  for (std::size_t i = 0; i < n; ++i) out[i] = valueSum[i] / weightSum[i];
  return out;
}

}  // namespace ls
