#include "restore/detail_contrast.h"

#include <algorithm>
#include <cmath>
#include <cstddef>

#include "restore/blob_detection.h"
#include "restore/pixel_ops.h"

namespace ls {
std::vector<DetailContrast> measureDetailContrast(const float* source, const float* restored, int width, int height,
                                                  double columnSpacingMm, double rowSpacingMm, float noiseSigma,
                                                  const DetailContrastParams& p) {
  std::vector<DetailContrast> details;
  if (width <= 0 || height <= 0 || !(noiseSigma > 0)) return details;
  const double spacing = std::sqrt(columnSpacingMm * rowSpacingMm);
  const std::vector<double> sigmas = blobScales(p.minDiameterMm, p.maxDiameterMm, spacing, p.scales);
  std::vector<std::vector<float>> blurred, responses;
  std::vector<double> noiseSd;
  for (double s : sigmas) {
    blurred.push_back(gaussianBlur(source, width, height, s));
    responses.push_back(normalisedLaplacian(blurred.back().data(), width, height, s));
    noiseSd.push_back(noiseSigma * laplacianNoiseGain(s));
  }
  BlobDetectParams detect;
  detect.threshold = p.detectThreshold;
  detect.maxBlobs = 4 * p.maxDetails;
  for (const Blob& b : detectBlobs(blurred, responses, sigmas, noiseSd, width, height, detect)) {
    const double r = std::max(1.0, b.radiusPixels());
    const DiscRing s = discRingContrast(source, width, height, b.x, b.y, r);
    if (s.inner == 0 || s.outer == 0) continue;
    const double contrastNoise = noiseSigma * std::sqrt(1.0 / s.inner + 1.0 / s.outer);
    const double z = std::fabs(s.contrast) / contrastNoise;
    // The ring must agree with the blob's polarity (a bright blob is brighter than its ring).
    if ((s.contrast > 0) != b.bright() || !s.surrounded(p.minSideFraction) || z < p.minContrastZ ||
        std::fabs(s.contrast) < p.minContrastSigma * noiseSigma)
      continue;
    DetailContrast d;
    d.x = b.x;
    d.y = b.y;
    d.diameterMm = 2 * b.radiusPixels() * spacing;
    d.bright = b.bright();
    d.sourceContrast = s.contrast;
    d.restoredContrast = discRingContrast(restored, width, height, b.x, b.y, r).contrast;
    d.retained = d.restoredContrast / d.sourceContrast;
    d.z = z;
    d.weakened = d.retained < p.weakenedBelow &&
                 std::fabs(d.sourceContrast - d.restoredContrast) >= p.minLossZ * contrastNoise;
    details.push_back(d);
  }
  std::stable_sort(details.begin(), details.end(), [](const DetailContrast& a, const DetailContrast& b) { return a.z > b.z; });
  if (static_cast<int>(details.size()) > p.maxDetails) details.resize(p.maxDetails);
  return details;
}

}  // namespace ls
