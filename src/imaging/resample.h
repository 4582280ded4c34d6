// Resampling of single-channel float images.
#pragma once

#include <vector>

namespace ls {

// Bilinear interpolation with half-pixel centres and no antialiasing: the same
// arithmetic as torch's F.interpolate(mode="bilinear", align_corners=False),
// which SAM-family models use to post-process their masks.
std::vector<float> resizeBilinear(const float* source, int sourceWidth, int sourceHeight, int width,
                                  int height);

// The top-left keepWidth x keepHeight of resizeBilinear's width x height
// result (the same values), computing nothing else: SAM's upsample of the
// mask logits followed by the crop of the padding.
std::vector<float> resizeBilinearTopLeft(const float* source, int sourceWidth, int sourceHeight, int width,
                                         int height, int keepWidth, int keepHeight);

// Antialiased resize (a triangle filter widened by the scale when shrinking,
// as PIL's BILINEAR): what SAM's pre-processing does to the image.
std::vector<float> resizeAntialiased(const float* source, int sourceWidth, int sourceHeight, int width,
                                     int height);

}  // namespace ls
