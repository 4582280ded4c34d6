// Resampling of single-channel float images.
#pragma once

#include <cstdint>
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

// resizeBilinearTopLeft thresholded (1 where the value > threshold, else 0),
// without the float image in between: SAM's mask post-processing.
std::vector<std::uint8_t> resizeBilinearTopLeftAbove(const float* source, int sourceWidth, int sourceHeight,
                                                     int width, int height, int keepWidth, int keepHeight,
                                                     float threshold);

// Antialiased resize (a triangle filter widened by the scale when shrinking,
// as PIL's BILINEAR): what SAM's pre-processing does to the image.
std::vector<float> resizeAntialiased(const float* source, int sourceWidth, int sourceHeight, int width,
                                     int height);

}  // namespace ls
