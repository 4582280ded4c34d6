// Noise level of one slice: the standard deviation of additive white noise,
// in the slice's modality units, used as the default strength of the
// restoration filters. Immerkaer's operator (the difference of two discrete
// Laplacians, J. Immerkaer, "Fast noise variance estimation", CVIU 1996)
// cancels every linear ramp; what it still sees of edges is kept out by
// ignoring the pixels with the steepest Sobel gradients (the two operators are
// orthogonal, so for pure noise the selection does not bias the estimate),
// pixels whose neighbourhood is exactly constant (padding outside the field
// of view), and by taking the median rather than the mean absolute response.
#pragma once

namespace ls {

struct NoiseEstimateParams {
  double keepGradientQuantile = 0.7;  // pixels with a Sobel gradient above this quantile are ignored
};

// 0 when the slice has fewer than 3 x 3 pixels or is constant.
float estimateNoiseSigma(const float* pixels, int width, int height, const NoiseEstimateParams& params = {});

}  // namespace ls
