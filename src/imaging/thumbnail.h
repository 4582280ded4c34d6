// Thumbnail: a small greyscale picture of an image for the series browser.
// The image is fitted into size x size with its physical aspect (pixel
// spacing), each thumbnail pixel the mean of the image pixels it covers, and
// shown through a window of the image's own 1st to 99th percentile, so CT,
// MR and ultrasound all look like something; the margins are black.
#pragma once

#include <cstdint>
#include <vector>

namespace ls {

struct Thumbnail {
  int size = 0;
  std::vector<std::uint8_t> grey;  // size x size, row-major
};

Thumbnail makeThumbnail(const float* pixels, int columns, int rows, double columnSpacing, double rowSpacing,
                        int size);

}  // namespace ls
