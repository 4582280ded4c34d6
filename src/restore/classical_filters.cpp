#include "restore/classical_filters.h"

#include <algorithm>
#include <cstdio>

#include "restore/anisotropic_diffusion.h"
#include "restore/bilateral_filter.h"
#include "restore/median_filter.h"
#include "restore/non_local_means.h"

namespace ls {

std::vector<float> applyFilter(const float* pixels, int width, int height, const FilterDesc& desc) {
  std::vector<float> out;
  switch (desc.method) {
    case FilterMethod::NonLocalMeans: out = nonLocalMeans(pixels, width, height, nlmParamsFor(desc.noiseSigma)); break;
    case FilterMethod::Bilateral: out = bilateralFilter(pixels, width, height, bilateralParamsFor(desc.noiseSigma)); break;
    case FilterMethod::AnisotropicDiffusion:
      out = anisotropicDiffusion(pixels, width, height, diffusionParamsFor(desc.noiseSigma));
      break;
    case FilterMethod::Median: out = medianFilter(pixels, width, height, medianParamsFor(desc.noiseSigma)); break;
  }
  blendWithSource(pixels, out.data(), out.size(), desc.strength);
  return out;
}

void blendWithSource(const float* source, float* filtered, std::size_t count, float strength) {
  const float s = std::clamp(strength, 0.0f, 1.0f);
  if (s == 1.0f) return;
  if (s == 0.0f) {
    std::copy(source, source + count, filtered);
    return;
  }
  for (std::size_t i = 0; i < count; ++i) filtered[i] = source[i] + s * (filtered[i] - source[i]);
}

const char* filterMethodKey(FilterMethod method) {
  switch (method) {
    case FilterMethod::NonLocalMeans: return "nlm";
    case FilterMethod::Bilateral: return "bilateral";
    case FilterMethod::AnisotropicDiffusion: return "diffusion";
    case FilterMethod::Median: return "median";
  }
  return "";
}

std::optional<FilterMethod> parseFilterMethod(std::string_view key) {
  for (FilterMethod m : {FilterMethod::NonLocalMeans, FilterMethod::Bilateral, FilterMethod::AnisotropicDiffusion,
                         FilterMethod::Median}) {
    if (key == filterMethodKey(m)) return m;
  }
  return std::nullopt;
}

std::string describeFilter(const FilterDesc& desc) {
  char text[200] = "";
  switch (desc.method) {
    case FilterMethod::NonLocalMeans: {
      const NlmParams p = nlmParamsFor(desc.noiseSigma);
      std::snprintf(text, sizeof text, "non-local means: patch %dx%d, search %dx%d, h %.3g (sigma %.3g)",
                    2 * p.patchRadius + 1, 2 * p.patchRadius + 1, 2 * p.searchRadius + 1, 2 * p.searchRadius + 1,
                    p.h, p.sigma);
      break;
    }
    case FilterMethod::Bilateral: {
      const BilateralParams p = bilateralParamsFor(desc.noiseSigma);
      std::snprintf(text, sizeof text, "bilateral: spatial sigma %.3g px, range sigma %.3g", p.spatialSigma,
                    p.rangeSigma);
      break;
    }
    case FilterMethod::AnisotropicDiffusion: {
      const DiffusionParams p = diffusionParamsFor(desc.noiseSigma);
      std::snprintf(text, sizeof text, "anisotropic diffusion (Perona-Malik): kappa %.3g, %d iterations, lambda %.3g",
                    p.kappa, p.iterations, p.lambda);
      break;
    }
    case FilterMethod::Median: {
      const MedianParams p = medianParamsFor(desc.noiseSigma);
      std::snprintf(text, sizeof text, "median: %dx%d", 2 * p.radius + 1, 2 * p.radius + 1);
      break;
    }
  }
  std::string s = text;
  if (desc.strength < 1) {
    char more[40];
    std::snprintf(more, sizeof more, ", strength %.2f", std::clamp(desc.strength, 0.0f, 1.0f));
    s += more;
  }
  return s;
}

}  // namespace ls
