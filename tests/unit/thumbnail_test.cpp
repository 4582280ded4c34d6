// Series browser thumbnails: fitted with the physical aspect, box-averaged,
// windowed by the image's own percentiles, black margins.
#include <catch2/catch.hpp>

#include <vector>

#include "imaging/thumbnail.h"

using namespace ls;

TEST_CASE("a thumbnail keeps the image's aspect and contrast") {
  // 4 x 2 pixels: left half 0, right half 100.
  const std::vector<float> image{0, 0, 100, 100, 0, 0, 100, 100};
  const Thumbnail t = makeThumbnail(image.data(), 4, 2, 1.0, 1.0, 8);
  REQUIRE(t.grey.size() == 64u);
  CHECK(t.grey[0 * 8 + 0] == 0);      // margin above the image
  CHECK(t.grey[3 * 8 + 1] == 0);      // left half: the 1st percentile, black
  CHECK(t.grey[3 * 8 + 6] == 255);    // right half: white
  CHECK(t.grey[7 * 8 + 6] == 0);      // margin below
  // 2 x 4 pixels of 2 x 1 mm fill the square; each thumbnail pixel averages its block.
  const std::vector<float> tall{0, 100, 0, 100, 0, 100, 0, 100};
  const Thumbnail s = makeThumbnail(tall.data(), 2, 4, 2.0, 1.0, 4);
  CHECK(s.grey[0] == 0);
  CHECK(s.grey[3] == 255);
  CHECK(s.grey[15] == 255);
}

TEST_CASE("a flat or empty image gives a black thumbnail, not a crash") {
  const std::vector<float> flat(16, 7.f);
  const Thumbnail t = makeThumbnail(flat.data(), 4, 4, 1, 1, 8);
  CHECK(t.grey == std::vector<std::uint8_t>(64, 0));
  CHECK(makeThumbnail(nullptr, 0, 0, 1, 1, 8).grey.size() == 64u);
}
