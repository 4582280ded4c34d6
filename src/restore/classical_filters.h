// The classical restoration filters behind one parameterisation the UI uses
// for every method: the noise standard deviation (modality units, e.g. HU),
// from which each filter derives its own parameters (see the *ParamsFor
// functions), and a strength in [0, 1] that blends the result with the
// source: out = source + strength * (filtered - source).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ls {

enum class FilterMethod { NonLocalMeans, Bilateral, AnisotropicDiffusion, Median };

struct FilterDesc {
  FilterMethod method = FilterMethod::NonLocalMeans;
  float noiseSigma = 0;  // modality units; <= 0 leaves the sigma-driven filters without effect
  float strength = 1;    // clamped to [0, 1]
};

// The filtered slice (width x height, row-major, modality units).
std::vector<float> applyFilter(const float* pixels, int width, int height, const FilterDesc& desc);

// filtered <- source + strength * (filtered - source); strength 0 gives the source exactly.
void blendWithSource(const float* source, float* filtered, std::size_t count, float strength);

// "nlm", "bilateral", "diffusion", "median".
const char* filterMethodKey(FilterMethod method);
std::optional<FilterMethod> parseFilterMethod(std::string_view key);
// The derived parameters in words, e.g. "non-local means: patch 5x5, search 11x11, h 6 (sigma 10)".
std::string describeFilter(const FilterDesc& desc);

}  // namespace ls
