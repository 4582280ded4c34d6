#include "segment/interpolation.h"

#include <algorithm>
#include <cstddef>

namespace ls {

namespace {

// Chamfer 3-4 distance (in thirds of a pixel) from every pixel to the nearest
// pixel where `source` is set.
std::vector<float> distanceTo(const std::vector<std::uint8_t>& source, int w, int h) {
  const float far = 3.0f * (w + h);
  std::vector<float> d(source.size());
  for (std::size_t i = 0; i < d.size(); ++i) d[i] = source[i] ? 0.f : far;
  auto relax = [&](int x, int y, int dx, int dy, float cost) {
    const int nx = x + dx, ny = y + dy;
    if (nx < 0 || ny < 0 || nx >= w || ny >= h) return;
    float& here = d[static_cast<std::size_t>(y) * w + x];
    here = std::min(here, d[static_cast<std::size_t>(ny) * w + nx] + cost);
  };
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      relax(x, y, -1, 0, 3), relax(x, y, 0, -1, 3), relax(x, y, -1, -1, 4), relax(x, y, 1, -1, 4);
    }
  }
  for (int y = h - 1; y >= 0; --y) {
    for (int x = w - 1; x >= 0; --x) {
      relax(x, y, 1, 0, 3), relax(x, y, 0, 1, 3), relax(x, y, 1, 1, 4), relax(x, y, -1, 1, 4);
    }
  }
  for (float& v : d) v /= 3.0f;
  return d;
}

}  // namespace

std::vector<float> signedDistance(const std::uint8_t* mask, int width, int height) {
  const std::size_t n = static_cast<std::size_t>(width) * height;
  std::vector<std::uint8_t> inside(mask, mask + n), outside(n);
  for (std::size_t i = 0; i < n; ++i) outside[i] = !inside[i];
  const std::vector<float> toInside = distanceTo(inside, width, height);
  const std::vector<float> toOutside = distanceTo(outside, width, height);
  std::vector<float> sd(n);
  // Half a pixel either side of the edge, so an edge pixel is +0.5 and its outer neighbour -0.5.
  for (std::size_t i = 0; i < n; ++i) sd[i] = inside[i] ? toOutside[i] - 0.5f : 0.5f - toInside[i];
  return sd;
}

std::vector<int> slicesToInterpolate(const LabelVolume& labels, std::uint8_t label) {
  const std::size_t plane = static_cast<std::size_t>(labels.columns) * labels.rows;
  std::vector<int> annotated, gaps;
  for (int z = 0; z < labels.slices; ++z) {
    const std::uint8_t* s = labels.slice(z);
    if (std::find(s, s + plane, label) != s + plane) annotated.push_back(z);
  }
  for (std::size_t k = 1; k < annotated.size(); ++k) {
    for (int z = annotated[k - 1] + 1; z < annotated[k]; ++z) gaps.push_back(z);
  }
  return gaps;
}

int interpolateBetweenSlices(LabelVolume& labels, std::uint8_t label, const PaintRule& rule) {
  const int w = labels.columns, h = labels.rows;
  const std::size_t plane = static_cast<std::size_t>(w) * h;
  auto maskOf = [&](int z) {
    std::vector<std::uint8_t> m(plane);
    const std::uint8_t* s = labels.slice(z);
    for (std::size_t i = 0; i < plane; ++i) m[i] = s[i] == label;
    return m;
  };
  int changed = 0;
  int previous = -1;
  std::vector<float> previousDistance;
  for (int z = 0; z < labels.slices; ++z) {
    const std::vector<std::uint8_t> mask = maskOf(z);
    if (std::find(mask.begin(), mask.end(), 1) == mask.end()) continue;
    std::vector<float> distance = signedDistance(mask.data(), w, h);
    if (previous >= 0 && z - previous > 1) {
      for (int between = previous + 1; between < z; ++between) {
        const float t = static_cast<float>(between - previous) / (z - previous);
        std::uint8_t* target = labels.slice(between);
        for (std::size_t i = 0; i < plane; ++i) {
          if ((1 - t) * previousDistance[i] + t * distance[i] > 0 && rule.allows(target[i])) {
            target[i] = rule.value;
            ++changed;
          }
        }
      }
    }
    previous = z;
    previousDistance = std::move(distance);
  }
  return changed;
}

}  // namespace ls
