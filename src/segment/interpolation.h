// Shape-based interpolation between annotated slices: the slices between two
// slices holding a segment get the zero level of the linearly interpolated
// signed distance maps of the two masks (as "fill between slices" in
// established editors), so shapes morph instead of cross-fading.
#pragma once

#include <cstdint>
#include <vector>

#include "segment/label_volume.h"

namespace ls {

// Signed distance (pixels, chamfer 3-4 approximation of Euclidean) of a
// width x height mask: positive inside, negative outside.
std::vector<float> signedDistance(const std::uint8_t* mask, int width, int height);

// Fills every gap between consecutive slices that hold `label` with
// interpolated masks, applying `rule`; returns the slices it wrote (for undo,
// call with the same arguments to slicesToInterpolate first).
std::vector<int> slicesToInterpolate(const LabelVolume& labels, std::uint8_t label);
int interpolateBetweenSlices(LabelVolume& labels, std::uint8_t label, const PaintRule& rule);

}  // namespace ls
