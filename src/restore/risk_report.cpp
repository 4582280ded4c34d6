#include "restore/risk_report.h"

#include <algorithm>
#include <cstddef>
#include <cstdio>

#include "restore/foreground.h"
#include "restore/noise_estimate.h"

namespace ls {
namespace {

// Drops what lies outside the patient (regions and details by their centre).
void keepForeground(RiskReport& report, const std::vector<std::uint8_t>& foreground) {
  auto inside = [&](double x, double y) {
    const int ix = std::clamp(static_cast<int>(x), 0, report.width - 1);
    const int iy = std::clamp(static_cast<int>(y), 0, report.height - 1);
    return foreground[static_cast<std::size_t>(iy) * report.width + ix] != 0;
  };
  for (std::size_t i = 0; i < report.flags.size(); ++i) {
    if (!foreground[i]) report.flags[i] = 0;
  }
  report.regions.erase(std::remove_if(report.regions.begin(), report.regions.end(),
                                      [&](const RiskRegion& r) { return !inside(r.centroidX, r.centroidY); }),
                       report.regions.end());
  report.details.erase(std::remove_if(report.details.begin(), report.details.end(),
                                      [&](const DetailContrast& d) { return !inside(d.x, d.y); }),
                       report.details.end());
}

}  // namespace

int RiskReport::weakenedDetails() const {
  int count = 0;
  for (const DetailContrast& d : details) count += d.weakened;
  return count;
}

RiskReport analyseRestoration(const float* source, const float* restored, int width, int height,
                              double columnSpacingMm, double rowSpacingMm, float noiseSigma,
                              const RiskAnalysisParams& params) {
  RiskReport report;
  report.width = width;
  report.height = height;
  const std::size_t n = static_cast<std::size_t>(width) * height;
  if (n == 0) return report;
  report.noiseSigma = noiseSigma > 0 ? noiseSigma : estimateNoiseSigma(source, width, height);
  RiskFlags flags = flagResidualStructure(source, restored, width, height, columnSpacingMm, rowSpacingMm,
                                          report.noiseSigma, params.flags);
  report.flags = std::move(flags.mask);
  report.regions = std::move(flags.regions);
  report.details = measureDetailContrast(source, restored, width, height, columnSpacingMm, rowSpacingMm,
                                         report.noiseSigma, params.details);
  report.edgePreservation = edgePreservation(source, restored, width, height, report.noiseSigma, params.edges);
  if (params.foregroundOnly) {
    const std::vector<std::uint8_t> foreground = foregroundMask(source, width, height);
    keepForeground(report, foreground);
    // The residual inside the patient: an empty, flat background would
    // otherwise make its robust SD zero.
    std::vector<float> inSource, inRestored;
    for (std::size_t i = 0; i < n; ++i) {
      if (foreground[i]) inSource.push_back(source[i]), inRestored.push_back(restored[i]);
    }
    report.residual = residualStats(inSource.data(), inRestored.data(), inSource.size());
  } else {
    report.residual = residualStats(source, restored, n);
  }
  for (const RiskRegion& r : report.regions) report.summary.push_back(r.summary);
  for (const DetailContrast& d : report.details) {
    if (!d.weakened) continue;
    char text[160];
    std::snprintf(text, sizeof text, "%s detail %.1f mm at (%d, %d) keeps %.0f %% of its contrast",
                  d.bright ? "bright" : "dark", d.diameterMm, static_cast<int>(d.x), static_cast<int>(d.y),
                  100 * d.retained);
    report.summary.push_back(text);
  }
  return report;
}

}  // namespace ls
