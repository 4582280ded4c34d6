#include "segment/scribble.h"

#include <algorithm>
#include <cmath>
#include <cstddef>

namespace ls {
namespace {

double distance(Point2 a, Point2 b) { return std::hypot(b.x - a.x, b.y - a.y); }

// The point at arc length `s` along the stroke.
Point2 pointAt(const std::vector<Point2>& stroke, double s) {
  for (std::size_t i = 1; i < stroke.size(); ++i) {
    const double step = distance(stroke[i - 1], stroke[i]);
    if (s <= step && step > 0) {
      const double t = s / step;
      return {stroke[i - 1].x + t * (stroke[i].x - stroke[i - 1].x), stroke[i - 1].y + t * (stroke[i].y - stroke[i - 1].y)};
    }
    s -= step;
  }
  return stroke.back();
}

}  // namespace

std::vector<Point2> scribblePoints(const std::vector<Point2>& stroke, int maxPoints) {
  if (stroke.empty() || maxPoints < 1) return {};
  double length = 0;
  for (std::size_t i = 1; i < stroke.size(); ++i) length += distance(stroke[i - 1], stroke[i]);
  // About one point per 2 pixels of stroke, at most maxPoints.
  const int count = length < 1 ? 1 : std::clamp(static_cast<int>(length / 2) + 1, 2, maxPoints);
  if (count == 1) return {stroke.front()};
  std::vector<Point2> points;
  for (int k = 0; k < count; ++k) points.push_back(pointAt(stroke, length * k / (count - 1)));
  return points;
}

void drawStrokeIntoLowRes(std::vector<float>& lowRes, int lowResSize, const ModelFrame& frame,
                          const std::vector<Point2>& stroke, bool include) {
  if (stroke.empty() || lowRes.size() != static_cast<std::size_t>(lowResSize) * lowResSize) return;
  const double cell = static_cast<double>(frame.inputSize) / lowResSize;  // model pixels per low-res cell
  auto mark = [&](Point2 image) {
    const Point2 m = imageToModel(frame, image);
    const int u = static_cast<int>(std::floor(m.x / cell)), v = static_cast<int>(std::floor(m.y / cell));
    if (u < 0 || v < 0 || u >= lowResSize || v >= lowResSize) return;
    lowRes[static_cast<std::size_t>(v) * lowResSize + u] = include ? 10.f : -10.f;
  };
  mark(stroke.front());
  for (std::size_t i = 1; i < stroke.size(); ++i) {
    // Steps of a quarter cell, so no crossed cell is skipped.
    const Point2 a = imageToModel(frame, stroke[i - 1]), b = imageToModel(frame, stroke[i]);
    const int steps = std::max(1, static_cast<int>(std::ceil(distance(a, b) / (cell / 4))));
    for (int k = 1; k <= steps; ++k) {
      const double t = static_cast<double>(k) / steps;
      mark({stroke[i - 1].x + t * (stroke[i].x - stroke[i - 1].x), stroke[i - 1].y + t * (stroke[i].y - stroke[i - 1].y)});
    }
  }
}

}  // namespace ls
