#include "restore/blob_detection.h"

#include <algorithm>
#include <cmath>
#include <cstddef>

#include "restore/pixel_ops.h"

namespace ls {

std::vector<double> blobScales(double minDiameterMm, double maxDiameterMm, double spacingMm, int count) {
  std::vector<double> s;
  if (spacingMm <= 0 || count <= 0) return s;
  const double lo = std::max(0.7, minDiameterMm / (2 * std::sqrt(2.0) * spacingMm));
  const double hi = std::max(lo, maxDiameterMm / (2 * std::sqrt(2.0) * spacingMm));
  for (int k = 0; k < count; ++k) {
    const double v = count == 1 ? lo : lo * std::pow(hi / lo, static_cast<double>(k) / (count - 1));
    if (s.empty() || v > s.back() * 1.01) s.push_back(v);
  }
  return s;
}

double laplacianNoiseGain(double sigma) {
  const int r = static_cast<int>(std::ceil(3 * sigma)) + 3, size = 2 * r + 1;
  std::vector<float> impulse(static_cast<std::size_t>(size) * size, 0.0f);
  impulse[static_cast<std::size_t>(r) * size + r] = 1;
  const std::vector<float> k = normalisedLaplacianOfGaussian(impulse.data(), size, size, sigma);
  double sum = 0;
  for (float v : k) sum += static_cast<double>(v) * v;
  return std::sqrt(sum);
}

namespace {

bool blobShaped(const std::vector<float>& g, int width, int height, int x, int y, double maxRatio) {
  auto at = [&](int dx, int dy) {
    return static_cast<double>(g[static_cast<std::size_t>(mirrorIndex(y + dy, height)) * width + mirrorIndex(x + dx, width)]);
  };
  const double c = at(0, 0);
  const double dxx = at(1, 0) + at(-1, 0) - 2 * c, dyy = at(0, 1) + at(0, -1) - 2 * c;
  const double dxy = (at(1, 1) + at(-1, -1) - at(1, -1) - at(-1, 1)) / 4;
  const double det = dxx * dyy - dxy * dxy, trace = dxx + dyy;
  return det > 0 && trace * trace * maxRatio < (maxRatio + 1) * (maxRatio + 1) * det;
}

}  // namespace

DiscRing discRingContrast(const float* image, int width, int height, double cx, double cy, double r) {
  const double ringIn = std::max(1.5 * r, r + 1), ringOut = std::max(2.5 * r, ringIn + 2);
  const int reach = static_cast<int>(std::ceil(ringOut));
  double si = 0, so = 0, sector[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  int sectorCount[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  DiscRing d;
  const int x0 = static_cast<int>(std::lround(cx)), y0 = static_cast<int>(std::lround(cy));
  for (int y = std::max(0, y0 - reach); y <= std::min(height - 1, y0 + reach); ++y) {
    for (int x = std::max(0, x0 - reach); x <= std::min(width - 1, x0 + reach); ++x) {
      const double dx = x - cx, dy = y - cy, dist = std::sqrt(dx * dx + dy * dy);
      const float v = image[static_cast<std::size_t>(y) * width + x];
      if (dist <= r) {
        si += v;
        ++d.inner;
      } else if (dist > ringIn && dist <= ringOut) {
        so += v;
        ++d.outer;
        const double angle = std::atan2(dy, dx) + 3.141592653589793;  // 0..2 pi
        const int k = std::min(7, static_cast<int>(angle / (2 * 3.141592653589793) * 8));
        sector[k] += v;
        ++sectorCount[k];
      }
    }
  }
  if (d.inner == 0 || d.outer == 0) return d;
  const double inside = si / d.inner;
  d.contrast = inside - so / d.outer;
  const double sign = d.contrast < 0 ? -1 : 1;
  bool first = true;
  for (int k = 0; k < 8; ++k) {
    if (sectorCount[k] == 0) continue;  // cut off by the image border
    const double c = inside - sector[k] / sectorCount[k];
    if (first || sign * c < sign * d.weakestSide) d.weakestSide = c;
    first = false;
  }
  return d;
}

std::vector<Blob> detectBlobs(const std::vector<std::vector<float>>& blurred,
                              const std::vector<std::vector<float>>& responses, const std::vector<double>& sigmas,
                              const std::vector<double>& noiseSd, int width, int height,
                              const BlobDetectParams& params) {
  std::vector<Blob> candidates;
  for (std::size_t k = 0; k < responses.size(); ++k) {
    const std::vector<float>& r = responses[k];
    if (noiseSd[k] <= 0) continue;
    const float limit = static_cast<float>(params.threshold * noiseSd[k]);
    for (int y = 0; y < height; ++y) {
      for (int x = 0; x < width; ++x) {
        const float v = r[static_cast<std::size_t>(y) * width + x];
        if (std::fabs(v) < limit) continue;
        // Within a blob radius of the border the mirrored padding doubles
        // the noise's reach: no reliable extremum there.
        const int margin = static_cast<int>(std::ceil(1.4142135623730951 * sigmas[k]));
        if (x < margin || y < margin || x >= width - margin || y >= height - margin) continue;
        bool extremum = true;
        for (int dy = -1; dy <= 1 && extremum; ++dy)
          for (int dx = -1; dx <= 1; ++dx) {
            const int nx = x + dx, ny = y + dy;
            if ((dx == 0 && dy == 0) || nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
            const float w = r[static_cast<std::size_t>(ny) * width + nx];
            if (v < 0 ? w < v : w > v) {
              extremum = false;
              break;
            }
          }
        if (extremum && blobShaped(blurred[k], width, height, x, y, params.maxCurvatureRatio))
          candidates.push_back({x, y, sigmas[k], v, std::fabs(v) / noiseSd[k]});
      }
    }
  }
  // The strongest scale-normalised response first: it picks each blob's scale
  // (z would favour the coarsest, where noise is weakest).
  std::sort(candidates.begin(), candidates.end(),
            [](const Blob& a, const Blob& b) { return std::fabs(a.response) > std::fabs(b.response); });
  std::vector<Blob> blobs;
  for (const Blob& c : candidates) {
    if (static_cast<int>(blobs.size()) >= params.maxBlobs) break;
    bool covered = false;
    for (const Blob& b : blobs) {
      const double dx = c.x - b.x, dy = c.y - b.y, reach = std::max(b.radiusPixels(), c.radiusPixels());
      if (dx * dx + dy * dy <= reach * reach) {
        covered = true;
        break;
      }
    }
    if (!covered) blobs.push_back(c);
  }
  return blobs;
}

}  // namespace ls
