#include "app/classical_restore.h"

#include "restore/classical_filters.h"

namespace ls {

std::vector<float> runClassicalFilter(RestoreMethod method, const float* pixels, int width, int height,
                                      float noiseSigma) {
  FilterDesc desc;
  switch (method) {
    case RestoreMethod::Bilateral: desc.method = FilterMethod::Bilateral; break;
    case RestoreMethod::AnisotropicDiffusion: desc.method = FilterMethod::AnisotropicDiffusion; break;
    case RestoreMethod::Median: desc.method = FilterMethod::Median; break;
    default: desc.method = FilterMethod::NonLocalMeans; break;
  }
  desc.noiseSigma = noiseSigma;
  desc.strength = 1;
  return applyFilter(pixels, width, height, desc);
}

}  // namespace ls
