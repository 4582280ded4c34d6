// The classical filters of src/restore as the restoration preview calls
// them: method and noise sigma in, the full-strength filtered image out (the
// preview applies the strength itself, after joining bands).
#pragma once

#include <vector>

#include "app/restoration_preview.h"

namespace ls {

std::vector<float> runClassicalFilter(RestoreMethod method, const float* pixels, int width, int height,
                                      float noiseSigma);

}  // namespace ls
