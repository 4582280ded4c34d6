// Contrast of small details through a restoration: small high-contrast
// spots of the SOURCE (2-6 mm, found as scale-normalised LoG blobs, which
// also lightly denoises) whose disc differs from the surrounding ring by
// clearly more than the noise, measured again at the same place in the
// restored image. A detail that keeps less than 90 % of its contrast is what
// a denoiser costs a reader looking for small lesions.
#pragma once

#include <vector>

namespace ls {

struct DetailContrast {
  double x = 0, y = 0;       // centre, pixels
  double diameterMm = 0;     // 2 sqrt(2) sigma of the detecting scale
  bool bright = false;       // brighter than its surroundings in the source
  double sourceContrast = 0;    // mean(disc) - mean(ring), modality units
  double restoredContrast = 0;  // the same in the restored image
  double retained = 1;          // restoredContrast / sourceContrast
  double z = 0;                 // the source contrast in noise SDs of such a difference
  bool weakened = false;        // retained < weakenedBelow, by a significant loss
};

struct DetailContrastParams {
  double minDiameterMm = 2, maxDiameterMm = 6;
  int scales = 5;
  double detectThreshold = 5;    // LoG z (source noise) for a candidate
  double minContrastZ = 5;       // disc-ring contrast over its noise SD
  double minContrastSigma = 0.5;  // and at least this x sigma
  double minSideFraction = 0.3;  // every side of the ring: at least this fraction of the contrast (not an edge)
  double weakenedBelow = 0.9;
  // ... and lost by more than this x the noise SD of a disc-ring difference:
  // a detail found in noisy data owes part of its contrast to the noise, which
  // a good denoiser rightly removes.
  double minLossZ = 5;
  int maxDetails = 100;          // the most significant ones
};

// Details of the source and their contrast in both images, the most significant first.
std::vector<DetailContrast> measureDetailContrast(const float* source, const float* restored, int width, int height,
                                                  double columnSpacingMm, double rowSpacingMm, float noiseSigma,
                                                  const DetailContrastParams& params = {});

}  // namespace ls
