#include "restore/risk_flags.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdio>

#include "restore/blob_detection.h"
#include "restore/pixel_ops.h"
#include "restore/restore_metrics.h"

namespace ls {
namespace {

// [SECTION] removed or shifted edges

// Per pixel: R^2 x explained RMS / sigma where the window passes every test, else 0.
std::vector<float> edgeScores(const float* source, const std::vector<float>& residual, int width, int height,
                              float sigma, const RiskFlagParams& p) {
  const std::size_t n = residual.size();
  const std::vector<float> smooth = gaussianBlur(source, width, height, p.edgeSmoothingSigma);
  const std::vector<float> L = normalisedLaplacianOfGaussian(source, width, height, p.edgeSmoothingSigma);
  const std::vector<float> M = gradientMagnitude(smooth.data(), width, height);
  auto mean = [&](const std::vector<float>& v) { return boxMean(v.data(), width, height, p.windowRadius); };
  auto meanOf = [&](const std::vector<float>& a, const std::vector<float>& b) {
    std::vector<float> prod(n);
    for (std::size_t i = 0; i < n; ++i) prod[i] = a[i] * b[i];
    return mean(prod);
  };
  const std::vector<float> mr = mean(residual), mL = mean(L), mM = mean(M);
  const std::vector<float> mrL = meanOf(residual, L), mrM = meanOf(residual, M), mLL = meanOf(L, L),
                           mMM = meanOf(M, M), mLM = meanOf(L, M), mrr = meanOf(residual, residual);
  // What noise alone gives the Laplacian, per pixel.
  const double lapNoise = sigma * laplacianNoiseGain(p.edgeSmoothingSigma);
  const double minLL = (p.edgeSnr * lapNoise) * (p.edgeSnr * lapNoise);
  const double minExplained = (p.minEdgeAmplitude * sigma) * (p.minEdgeAmplitude * sigma);
  std::vector<float> score(n, 0.0f);
  for (std::size_t i = 0; i < n; ++i) {
    const double cLL = static_cast<double>(mLL[i]) - static_cast<double>(mL[i]) * mL[i];
    if (cLL < minLL) continue;
    const double crr = static_cast<double>(mrr[i]) - static_cast<double>(mr[i]) * mr[i];
    if (crr <= 0) continue;
    const double cMM = static_cast<double>(mMM[i]) - static_cast<double>(mM[i]) * mM[i];
    const double cLM = static_cast<double>(mLM[i]) - static_cast<double>(mL[i]) * mM[i];
    const double crL = static_cast<double>(mrL[i]) - static_cast<double>(mr[i]) * mL[i];
    const double crM = static_cast<double>(mrM[i]) - static_cast<double>(mr[i]) * mM[i];
    const double det = cLL * cMM - cLM * cLM;
    double explained;
    if (cMM > 0 && det > 1e-6 * cLL * cMM) {
      const double bL = (crL * cMM - crM * cLM) / det, bM = (crM * cLL - crL * cLM) / det;
      explained = bL * crL + bM * crM;
    } else {
      explained = crL * crL / cLL;
    }
    const double r2 = std::min(1.0, explained / crr);
    if (r2 < p.minExplainedFraction || explained < minExplained) continue;
    score[i] = static_cast<float>(r2 * std::sqrt(explained) / sigma);
  }
  return score;
}

void paintDisc(std::vector<std::uint8_t>& mask, int width, int height, int cx, int cy, double radius,
               std::uint8_t value) {
  const int r = static_cast<int>(std::ceil(radius));
  for (int y = std::max(0, cy - r); y <= std::min(height - 1, cy + r); ++y)
    for (int x = std::max(0, cx - r); x <= std::min(width - 1, cx + r); ++x)
      if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= radius * radius)
        mask[static_cast<std::size_t>(y) * width + x] = value;
}

double medianAbsolute(const std::vector<float>& v) {
  std::vector<float> a(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) a[i] = std::fabs(v[i]);
  return quantile(std::move(a), 0.5);
}

}  // namespace

const char* riskKindKey(RiskKind kind) {
  switch (kind) {
    case RiskKind::RemovedEdge: return "removed_edge";
    case RiskKind::RemovedSpot: return "removed_spot";
    case RiskKind::InventedSpot: return "invented_spot";
  }
  return "";
}

RiskFlags flagResidualStructure(const float* source, const float* restored, int width, int height,
                                double columnSpacingMm, double rowSpacingMm, float noiseSigma,
                                const RiskFlagParams& p) {
  RiskFlags flags;
  const std::size_t n = static_cast<std::size_t>(width) * height;
  flags.mask.assign(n, 0);
  if (n == 0) return flags;
  const std::vector<float> residual = differenceImage(source, restored, n);
  float sigma = noiseSigma;
  if (!(sigma > 0)) {
    // No noise level: judge against the residual's own spread, or a tiny
    // fraction of the source's range for an exactly noiseless image.
    const auto [lo, hi] = std::minmax_element(source, source + n);
    sigma = static_cast<float>(std::max({residualStats(source, restored, n).robustSd, 1e-3 * (*hi - *lo), 1e-6}));
  }

  // [SECTION] edges
  const std::vector<float> edge = edgeScores(source, residual, width, height, sigma, p);
  for (std::size_t i = 0; i < n; ++i)
    if (edge[i] > 0) flags.mask[i] = static_cast<std::uint8_t>(RiskKind::RemovedEdge);

  // [SECTION] spots
  const double spacing = std::sqrt(columnSpacingMm * rowSpacingMm);
  const std::vector<double> sigmas = blobScales(p.minSpotMm, p.maxSpotMm, spacing, p.scales);
  const double residualSd = residualStats(source, restored, n).robustSd;
  std::vector<std::vector<float>> blurred, responses;
  std::vector<double> noiseSd, gains;
  for (double s : sigmas) {
    blurred.push_back(gaussianBlur(residual.data(), width, height, s));
    responses.push_back(normalisedLaplacian(blurred.back().data(), width, height, s));
    gains.push_back(laplacianNoiseGain(s));
    // The larger of: the response's own robust spread, what white noise with
    // the residual's robust SD would give (a residual with heavy tails, as a
    // median filter's, has a small MAD at the LoG scales but many outliers),
    // and the floor.
    noiseSd.push_back(std::max({1.4826 * medianAbsolute(responses.back()), residualSd * gains.back(),
                                p.noiseFloor * sigma * gains.back()}));
  }
  BlobDetectParams detect;
  detect.threshold = p.spotThreshold;
  const std::vector<Blob> blobs = detectBlobs(blurred, responses, sigmas, noiseSd, width, height, detect);
  struct SpotInfo {
    Blob blob;
    RiskKind kind;
    bool bright;
  };
  std::vector<SpotInfo> spots;
  for (const Blob& b : blobs) {
    // A spot of the residual stands out on every side (a blurred edge does not).
    const DiscRing ring = discRingContrast(residual.data(), width, height, b.x, b.y, std::max(1.0, b.radiusPixels()));
    if ((ring.contrast > 0) != b.bright() || !ring.surrounded(p.minSideFraction) ||
        std::fabs(ring.contrast) < p.minSpotAmplitude * sigma)
      continue;
    const std::size_t k = std::find(sigmas.begin(), sigmas.end(), b.sigma) - sigmas.begin();
    // The source's response at the blob, from a local window only.
    const int r = static_cast<int>(std::ceil(3 * b.sigma)) + 2, size = 2 * r + 1;
    std::vector<float> patch(static_cast<std::size_t>(size) * size);
    for (int y = 0; y < size; ++y)
      for (int x = 0; x < size; ++x)
        patch[static_cast<std::size_t>(y) * size + x] =
            source[static_cast<std::size_t>(mirrorIndex(b.y - r + y, height)) * width + mirrorIndex(b.x - r + x, width)];
    const float sourceResponse =
        normalisedLaplacianOfGaussian(patch.data(), size, size, b.sigma)[static_cast<std::size_t>(r) * size + r];
    const double sourceZ = sourceResponse / (sigma * gains[k]);
    const bool removed = std::fabs(sourceZ) >= p.sourceExtremumZ && (sourceResponse < 0) != (b.response < 0);
    const RiskKind kind = removed ? RiskKind::RemovedSpot : RiskKind::InventedSpot;
    spots.push_back({b, kind, removed ? sourceResponse < 0 : b.bright()});
    paintDisc(flags.mask, width, height, b.x, b.y, std::max(1.0, b.radiusPixels()), static_cast<std::uint8_t>(kind));
  }

  // [SECTION] regions
  const double pixelArea = columnSpacingMm * rowSpacingMm;
  for (RiskKind kind : {RiskKind::RemovedEdge, RiskKind::RemovedSpot, RiskKind::InventedSpot}) {
    std::vector<std::uint8_t> one(n);
    for (std::size_t i = 0; i < n; ++i) one[i] = flags.mask[i] == static_cast<std::uint8_t>(kind);
    std::vector<int> labels;
    const int count = labelComponents(one.data(), width, height, labels);
    std::vector<RiskRegion> found(count);
    std::vector<double> sx(count, 0), sy(count, 0);
    for (int c = 0; c < count; ++c) {
      found[c].kind = kind;
      found[c].x0 = width;
      found[c].y0 = height;
    }
    for (int y = 0; y < height; ++y)
      for (int x = 0; x < width; ++x) {
        const std::size_t i = static_cast<std::size_t>(y) * width + x;
        const int c = labels[i] - 1;
        if (c < 0) continue;
        RiskRegion& r = found[c];
        ++r.pixels;
        sx[c] += x;
        sy[c] += y;
        r.x0 = std::min(r.x0, x);
        r.y0 = std::min(r.y0, y);
        r.x1 = std::max(r.x1, x + 1);
        r.y1 = std::max(r.y1, y + 1);
        if (kind == RiskKind::RemovedEdge) r.score = std::max<double>(r.score, edge[i]);
      }
    for (const SpotInfo& s : spots) {
      if (s.kind != kind) continue;
      const int c = labels[static_cast<std::size_t>(s.blob.y) * width + s.blob.x] - 1;
      if (c < 0 || found[c].score >= s.blob.z) continue;
      found[c].score = s.blob.z;
      found[c].bright = s.bright;
      found[c].diameterMm = 2 * s.blob.radiusPixels() * spacing;
    }
    if (kind == RiskKind::RemovedEdge) {
      for (std::size_t i = 0; i < n; ++i)
        if (labels[i] > 0 && found[labels[i] - 1].pixels < p.minEdgePixels) flags.mask[i] = 0;
    }
    for (int c = 0; c < count; ++c) {
      RiskRegion& r = found[c];
      if (kind == RiskKind::RemovedEdge && r.pixels < p.minEdgePixels) continue;
      r.centroidX = sx[c] / r.pixels;
      r.centroidY = sy[c] / r.pixels;
      r.areaMm2 = r.pixels * pixelArea;
      char text[160];
      const int cx = static_cast<int>(std::lround(r.centroidX)), cy = static_cast<int>(std::lround(r.centroidY));
      if (kind == RiskKind::RemovedEdge) {
        std::snprintf(text, sizeof text, "possible removed or shifted edge: %.1f mm2 around (%d, %d)", r.areaMm2, cx, cy);
      } else {
        std::snprintf(text, sizeof text, "possible %s structure: %s spot %.1f mm at (%d, %d)",
                      kind == RiskKind::RemovedSpot ? "removed" : "invented", r.bright ? "bright" : "dark",
                      r.diameterMm, cx, cy);
      }
      r.summary = text;
      flags.regions.push_back(std::move(r));
    }
  }
  std::stable_sort(flags.regions.begin(), flags.regions.end(),
                   [](const RiskRegion& a, const RiskRegion& b) { return a.score > b.score; });
  return flags;
}

}  // namespace ls
