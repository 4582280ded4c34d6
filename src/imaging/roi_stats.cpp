#include "imaging/roi_stats.h"

#include <algorithm>
#include <cmath>
#include <cstddef>

namespace ls {

RoiStats roiStatistics(const float* slice, int columns, int rows, Point2 a, Point2 b, bool ellipse,
                       double columnSpacing, double rowSpacing) {
  const double x0 = std::min(a.x, b.x), x1 = std::max(a.x, b.x);
  const double y0 = std::min(a.y, b.y), y1 = std::max(a.y, b.y);
  const double cx = (x0 + x1) / 2, cy = (y0 + y1) / 2, rx = (x1 - x0) / 2, ry = (y1 - y0) / 2;
  RoiStats s;
  double sum = 0, sumSquares = 0;
  for (int y = std::max(0, static_cast<int>(std::floor(y0))); y < std::min(rows, static_cast<int>(std::ceil(y1))); ++y) {
    for (int x = std::max(0, static_cast<int>(std::floor(x0))); x < std::min(columns, static_cast<int>(std::ceil(x1)));
         ++x) {
      const double px = x + 0.5, py = y + 0.5;
      if (px < x0 || px > x1 || py < y0 || py > y1) continue;
      if (ellipse) {
        const double dx = rx > 0 ? (px - cx) / rx : 0, dy = ry > 0 ? (py - cy) / ry : 0;
        if (dx * dx + dy * dy > 1) continue;
      }
      const double v = slice[static_cast<std::size_t>(y) * columns + x];
      if (s.pixels == 0) s.min = s.max = v;
      s.min = std::min(s.min, v);
      s.max = std::max(s.max, v);
      sum += v;
      sumSquares += v * v;
      ++s.pixels;
    }
  }
  if (s.pixels > 0) {
    s.mean = sum / s.pixels;
    s.standardDeviation = std::sqrt(std::max(0.0, sumSquares / s.pixels - s.mean * s.mean));
  }
  s.areaMm2 = s.pixels * columnSpacing * rowSpacing;
  return s;
}

}  // namespace ls
