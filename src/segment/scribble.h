// A scribble: a freehand stroke on the slice (the scribble tool) turned into
// what a SAM-style decoder takes. Points are spread evenly along the stroke's
// length (clicks where the user drew), and, when a mask is being refined,
// the stroke is also written into its low-resolution logits, so the cells
// the stroke crosses are inside (or, excluding, outside) the mask fed back.
#pragma once

#include <vector>

#include "core/point2.h"
#include "ml/model_frame.h"

namespace ls {

// Up to `maxPoints` points at equal arc-length steps from the first to the
// last point of `stroke` (one point for a stroke shorter than a pixel).
std::vector<Point2> scribblePoints(const std::vector<Point2>& stroke, int maxPoints);

// Sets the low-res cells the stroke (image coordinates) passes through to
// +10 (include) or -10 (exclude), the values SAM treats as certain.
void drawStrokeIntoLowRes(std::vector<float>& lowRes, int lowResSize, const ModelFrame& frame,
                          const std::vector<Point2>& stroke, bool include);

}  // namespace ls
