// Structure in the residual: where restored - source looks like anatomy
// rather than noise. Removing white noise leaves a residual that is itself
// noise-like: uncorrelated with the source's edges and free of blobs. Two
// detectors look for the opposite:
//  - removed or shifted edges: in a window around each pixel, the residual is
//    regressed on the Laplacian and the gradient magnitude of the smoothed
//    source (a blurred edge leaves a residual like the Laplacian, a shifted
//    one like the gradient); a pixel is flagged where the window holds a
//    clear edge, the fit explains most of the residual and the explained part
//    is large against the noise sigma;
//  - spots: scale-normalised LoG blobs of 2-6 mm in the residual, significant
//    against the residual's own noise at that scale. The source's response
//    there tells removed from invented: a residual opposing a significant
//    extremum of the source lowered it (removed structure), anything else
//    raised or created one (invented structure).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ls {

enum class RiskKind : std::uint8_t { RemovedEdge = 1, RemovedSpot = 2, InventedSpot = 3 };
const char* riskKindKey(RiskKind kind);  // "removed_edge", "removed_spot", "invented_spot"

struct RiskRegion {
  RiskKind kind = RiskKind::RemovedEdge;
  bool bright = false;           // spots: a bright (true) or dark spot (of the source if removed, of the restored if invented)
  int x0 = 0, y0 = 0, x1 = 0, y1 = 0;  // bounding box, pixels, [x0, x1) x [y0, y1)
  double centroidX = 0, centroidY = 0;  // pixels
  int pixels = 0;
  double areaMm2 = 0;
  double diameterMm = 0;  // spots: the blob's diameter (2 sqrt(2) sigma)
  // Spots: the residual blob's z (noise SDs). Edges: the largest R^2 x
  // explained residual RMS / noise sigma in the region.
  double score = 0;
  std::string summary;  // one line for the user
};

struct RiskFlagParams {
  // Edges
  double edgeSmoothingSigma = 1.5;  // pixels, for the source's Laplacian and gradient
  int windowRadius = 4;             // 9 x 9 windows
  double edgeSnr = 5;               // the window's Laplacian SD over its noise-only SD, at least
  double minExplainedFraction = 0.5;  // R^2 of the residual on the edge regressors
  double minEdgeAmplitude = 0.5;    // explained residual RMS, in noise sigmas
  int minEdgePixels = 12;           // smaller edge regions are dropped
  // Spots
  double minSpotMm = 2, maxSpotMm = 6;
  int scales = 5;
  double spotThreshold = 5.5;       // z against the residual's noise at that scale
  double noiseFloor = 0.2;          // the residual noise is taken as at least this x sigma
  double minSpotAmplitude = 1.0;    // residual disc-ring contrast, in noise sigmas
  double minSideFraction = 0.3;     // every side of the ring: at least this fraction of it
  double sourceExtremumZ = 3;       // the source's response (in source noise SDs) that counts as an extremum
};

struct RiskFlags {
  std::vector<std::uint8_t> mask;  // per pixel: 0 or a RiskKind
  std::vector<RiskRegion> regions;  // strongest first
};

RiskFlags flagResidualStructure(const float* source, const float* restored, int width, int height,
                                double columnSpacingMm, double rowSpacingMm, float noiseSigma,
                                const RiskFlagParams& params = {});

}  // namespace ls
