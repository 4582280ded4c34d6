// localseg-restore: the C++ restoration filters and risk analysis on raw
// little-endian float32 slices, for the Python evaluation (tools/eval).
//
//   localseg-restore --method nlm|bilateral|diffusion|median|none --sigma S
//                    [--strength 1] --width W --height H [--spacing 0.5 | --spacing COL,ROW]
//                    [--restored other.f32] [--report report.json] in.f32 [out.f32]
//
// --method none analyses --restored (e.g. a learned model's output) against
// in.f32 instead of filtering. --sigma 0 (or absent) estimates the noise.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "restore/classical_filters.h"
#include "restore/noise_estimate.h"
#include "restore/risk_report.h"

namespace {

using Json = nlohmann::json;

bool readFloats(const std::string& path, std::size_t count, std::vector<float>& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "cannot open " << path << "\n";
    return false;
  }
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  if (size != static_cast<std::streamoff>(count * sizeof(float))) {
    std::cerr << path << " has " << size << " bytes, expected " << count * sizeof(float)
              << " (width x height float32); check --width and --height\n";
    return false;
  }
  in.seekg(0);
  out.resize(count);
  in.read(reinterpret_cast<char*>(out.data()), static_cast<std::streamsize>(size));
  return static_cast<bool>(in);
}

bool writeFloats(const std::string& path, const std::vector<float>& v) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(v.data()), static_cast<std::streamsize>(v.size() * sizeof(float)));
  if (!out) std::cerr << "cannot write " << path << "\n";
  return static_cast<bool>(out);
}

Json reportJson(const ls::RiskReport& r, const std::string& method, const std::string& description, double filterMs) {
  Json regions = Json::array(), details = Json::array();
  for (const ls::RiskRegion& g : r.regions) {
    regions.push_back({{"kind", ls::riskKindKey(g.kind)},
                       {"bright", g.bright},
                       {"bbox", {g.x0, g.y0, g.x1, g.y1}},
                       {"centroid", {g.centroidX, g.centroidY}},
                       {"pixels", g.pixels},
                       {"area_mm2", g.areaMm2},
                       {"diameter_mm", g.diameterMm},
                       {"score", g.score},
                       {"summary", g.summary}});
  }
  for (const ls::DetailContrast& d : r.details) {
    details.push_back({{"x", d.x},
                       {"y", d.y},
                       {"diameter_mm", d.diameterMm},
                       {"bright", d.bright},
                       {"source_contrast", d.sourceContrast},
                       {"restored_contrast", d.restoredContrast},
                       {"retained", d.retained},
                       {"z", d.z},
                       {"weakened", d.weakened}});
  }
  int flagged = 0;
  for (std::uint8_t f : r.flags) flagged += f != 0;
  return {{"method", method},
          {"description", description},
          {"filter_ms", filterMs},
          {"width", r.width},
          {"height", r.height},
          {"noise_sigma", r.noiseSigma},
          {"edge_preservation", r.edgePreservation},
          {"residual",
           {{"mean", r.residual.mean},
            {"sd", r.residual.sd},
            {"min", r.residual.min},
            {"max", r.residual.max},
            {"robust_sd", r.residual.robustSd}}},
          {"flagged_pixels", flagged},
          {"regions", regions},
          {"details", details},
          {"weakened_details", r.weakenedDetails()},
          {"summary", r.summary}};
}

int usage(const char* why) {
  std::cerr << "localseg-restore: " << why
            << "\nusage: localseg-restore --method nlm|bilateral|diffusion|median|none --sigma S [--strength 1]\n"
               "       --width W --height H [--spacing MM | --spacing COL,ROW] [--restored other.f32]\n"
               "       [--report report.json] in.f32 [out.f32]\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string method, restoredPath, reportPath;
  std::vector<std::string> files;
  float sigma = 0, strength = 1;
  int width = 0, height = 0;
  double columnSpacing = 1, rowSpacing = 1;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
    const char* v = nullptr;
    if (a == "--method" && (v = next())) method = v;
    else if (a == "--sigma" && (v = next())) sigma = std::strtof(v, nullptr);
    else if (a == "--strength" && (v = next())) strength = std::strtof(v, nullptr);
    else if (a == "--width" && (v = next())) width = std::atoi(v);
    else if (a == "--height" && (v = next())) height = std::atoi(v);
    else if (a == "--spacing" && (v = next())) {
      char* end = nullptr;
      columnSpacing = rowSpacing = std::strtod(v, &end);
      if (end && *end == ',') rowSpacing = std::strtod(end + 1, nullptr);
    } else if (a == "--restored" && (v = next())) restoredPath = v;
    else if (a == "--report" && (v = next())) reportPath = v;
    else if (!a.empty() && a[0] == '-') return usage(("unknown or incomplete option " + a).c_str());
    else files.push_back(a);
  }
  if (width <= 0 || height <= 0) return usage("--width and --height are required");
  if (files.empty()) return usage("no input file");
  if (columnSpacing <= 0 || rowSpacing <= 0) return usage("--spacing must be positive");
  if (method != "none" && !ls::parseFilterMethod(method)) return usage(("unknown method '" + method + "'").c_str());
  const std::size_t n = static_cast<std::size_t>(width) * height;
  std::vector<float> source, restored;
  if (!readFloats(files[0], n, source)) return 1;
  if (sigma <= 0) sigma = ls::estimateNoiseSigma(source.data(), width, height);

  std::string description;
  double filterMs = 0;
  if (method == "none") {
    if (restoredPath.empty()) return usage("--method none needs --restored other.f32");
    if (!readFloats(restoredPath, n, restored)) return 1;
    description = "given restored image " + restoredPath;
  } else {
    const auto parsed = ls::parseFilterMethod(method);
    if (!parsed) return usage(("unknown method '" + method + "'").c_str());
    const ls::FilterDesc desc{*parsed, sigma, strength};
    const auto start = std::chrono::steady_clock::now();
    restored = ls::applyFilter(source.data(), width, height, desc);
    filterMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    description = ls::describeFilter(desc);
    if (files.size() < 2 && reportPath.empty()) return usage("no output file");
    if (files.size() >= 2 && !writeFloats(files[1], restored)) return 1;
  }
  std::fprintf(stderr, "%s: sigma %.4g, %.1f ms\n", description.c_str(), sigma, filterMs);
  if (!reportPath.empty()) {
    const ls::RiskReport report =
        ls::analyseRestoration(source.data(), restored.data(), width, height, columnSpacing, rowSpacing, sigma);
    std::ofstream out(reportPath);
    out << reportJson(report, method, description, filterMs).dump(2) << "\n";
    if (!out) {
      std::cerr << "cannot write " << reportPath << "\n";
      return 1;
    }
  }
  return 0;
}
