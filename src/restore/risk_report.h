// The whole risk analysis of one restored slice against its untouched
// source: flagged regions (structure in the residual), small details and
// their retained contrast, edge preservation, the residual's statistics and
// one line per finding for the user.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "restore/detail_contrast.h"
#include "restore/restore_metrics.h"
#include "restore/risk_flags.h"

namespace ls {

struct RiskReport {
  int width = 0, height = 0;
  float noiseSigma = 0;              // the level the analysis judged against
  std::vector<std::uint8_t> flags;   // per pixel: 0 or a RiskKind
  std::vector<RiskRegion> regions;   // strongest first
  std::vector<DetailContrast> details;  // most significant first
  double edgePreservation = 1;       // 0..1, 1: edges kept
  ResidualStats residual;            // of restored - source (inside the patient when foregroundOnly)
  std::vector<std::string> summary;  // one line per region, then per weakened detail

  int weakenedDetails() const;
};

struct RiskAnalysisParams {
  RiskFlagParams flags;
  DetailContrastParams details;
  EdgePreservationParams edges;
  bool foregroundOnly = true;  // report nothing outside the patient (see foreground.h)
};

// noiseSigma <= 0: estimated from the source (estimateNoiseSigma).
RiskReport analyseRestoration(const float* source, const float* restored, int width, int height,
                              double columnSpacingMm, double rowSpacingMm, float noiseSigma,
                              const RiskAnalysisParams& params = {});

}  // namespace ls
