// Multi-scale blob detection with the scale-normalised Laplacian of Gaussian
// (Lindeberg 1998): a disc of radius r answers most strongly at
// sigma = r / sqrt(2). Responses are compared with what white noise of a
// given standard deviation gives at each scale (the discrete operator's L2
// norm times that deviation), so the threshold reads "k noise sigmas".
#pragma once

#include <vector>

namespace ls {

struct Blob {
  int x = 0, y = 0;    // pixel of the extremum
  double sigma = 0;    // scale, pixels
  double response = 0;  // sigma^2 LoG: negative for a bright blob
  double z = 0;         // |response| / its noise SD at this scale
  bool bright() const { return response < 0; }
  double radiusPixels() const { return 1.4142135623730951 * sigma; }
};

// Scales for blobs of diameters minMm..maxMm on pixels of spacingMm
// (geometric, `count` of them, never below 0.7 pixel).
std::vector<double> blobScales(double minDiameterMm, double maxDiameterMm, double spacingMm, int count);

// The L2 norm of the discrete normalised LoG at `sigma` (its response to
// unit white noise has this SD).
double laplacianNoiseGain(double sigma);

struct BlobDetectParams {
  double threshold = 5.0;  // z above which an extremum is a blob
  int maxBlobs = 200;      // the strongest ones
  // Edges and lines also answer the LoG: an extremum counts only where the
  // Hessian of the blurred image is definite with trace^2 / det below
  // (r + 1)^2 / r for this principal-curvature ratio r (Lowe 2004; a disc: 1).
  double maxCurvatureRatio = 6;
};

// A spot against its surroundings: mean(disc of radius r) - mean(ring from
// max(1.5 r, r + 1) to max(2.5 r, inner + 2)), and the same against each of
// eight 45-degree sectors of the ring. A spot is darker or brighter than
// every side of it; a point beside an edge only than half of them.
struct DiscRing {
  double contrast = 0;
  double weakestSide = 0;  // the sector contrast closest to 0 (or of the other sign), signed like contrast
  int inner = 0, outer = 0;
  bool surrounded(double fraction = 0.3) const {
    return inner > 0 && outer > 0 && contrast != 0 && weakestSide / contrast >= fraction;
  }
};
DiscRing discRingContrast(const float* image, int width, int height, double cx, double cy, double r);

// Space-scale extrema: per scale the 3 x 3 local extrema of the response
// with z >= threshold, at least a blob radius inside the image, that pass the
// curvature test, then the strongest
// (normalised) response first, dropping any whose centre lies inside an accepted blob's radius.
// blurred[k] is the image blurred with G_sigmas[k], responses[k] its
// normalisedLaplacian and noiseSdPerScale[k] the response's noise SD.
std::vector<Blob> detectBlobs(const std::vector<std::vector<float>>& blurred,
                              const std::vector<std::vector<float>>& responses, const std::vector<double>& sigmas,
                              const std::vector<double>& noiseSdPerScale, int width, int height,
                              const BlobDetectParams& params = {});

}  // namespace ls
