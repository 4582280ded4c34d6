// Post-processing of the decoder's low-resolution mask logits into a binary
// mask on the image grid, as SAM's postprocess_masks: upsample to the input
// size, crop the padding away, resize to the image, threshold.
#pragma once

#include <cstdint>
#include <vector>

#include "ml/model_frame.h"

namespace ls {

std::vector<float> lowResToImageLogits(const float* lowRes, int lowResSize, const ModelFrame& frame);
std::vector<std::uint8_t> thresholdMask(const std::vector<float>& logits, float threshold);
// thresholdMask(lowResToImageLogits(...)) in one pass over the image: the same mask.
std::vector<std::uint8_t> lowResToImageMask(const float* lowRes, int lowResSize, const ModelFrame& frame,
                                            float threshold);
// A cells x cells preview of the mask: each cell thresholds the low-res logits
// interpolated (one bilinear step, not SAM's two) at the image pixel it shows,
// pixel (cx * W / cells, cy * H / cells) as the thumbnails sample. A few
// thousand reads: every candidate gets a thumbnail without being
// post-processed in full; it differs from the mask only along the edge.
std::vector<std::uint8_t> lowResThumbnail(const float* lowRes, int lowResSize, const ModelFrame& frame,
                                          float threshold, int cells);
// Pixels set in a 0/1 mask.
int maskArea(const std::vector<std::uint8_t>& mask);

// The other way: a binary mask on the image grid as low-resolution logits
// (+10 inside, -10 outside and in the padding), to feed a mask that did not
// come from the model (e.g. a brushed one) back as mask_input.
std::vector<float> imageMaskToLowRes(const std::uint8_t* mask, int lowResSize, const ModelFrame& frame);

}  // namespace ls
