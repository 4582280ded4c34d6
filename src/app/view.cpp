#include "app/view.h"

#include <algorithm>

namespace ls {

SliceView fitView(const ScreenRect& rect, const ImageExtent& image) {
  const double widthMm = image.columns * image.columnSpacing;
  const double heightMm = image.rows * image.rowSpacing;
  SliceView view;
  view.pixelsPerMm = std::min(rect.width / widthMm, rect.height / heightMm);
  return view;
}

Point2 imageToScreen(const SliceView& view, const ScreenRect& rect, const ImageExtent& image,
                     Point2 p) {
  return {rect.x + rect.width / 2 + view.panX +
              (p.x - image.columns / 2.0) * image.columnSpacing * view.pixelsPerMm,
          rect.y + rect.height / 2 + view.panY +
              (p.y - image.rows / 2.0) * image.rowSpacing * view.pixelsPerMm};
}

Point2 screenToImage(const SliceView& view, const ScreenRect& rect, const ImageExtent& image,
                     Point2 s) {
  return {(s.x - rect.x - rect.width / 2 - view.panX) / (image.columnSpacing * view.pixelsPerMm) +
              image.columns / 2.0,
          (s.y - rect.y - rect.height / 2 - view.panY) / (image.rowSpacing * view.pixelsPerMm) +
              image.rows / 2.0};
}

SliceView actualPixels(const SliceView& view, const ScreenRect& rect, const ImageExtent& image) {
  const Point2 centre{rect.x + rect.width / 2, rect.y + rect.height / 2};
  return zoomAround(view, rect, centre, 1.0 / (image.columnSpacing * view.pixelsPerMm));
}

SliceView zoomAround(const SliceView& view, const ScreenRect& rect, Point2 anchor, double factor) {
  const double cx = rect.x + rect.width / 2, cy = rect.y + rect.height / 2;
  SliceView out = view;
  out.pixelsPerMm = std::clamp(view.pixelsPerMm * factor, 1e-3, 1e3);
  const double applied = out.pixelsPerMm / view.pixelsPerMm;
  out.panX = anchor.x - cx - (anchor.x - cx - view.panX) * applied;
  out.panY = anchor.y - cy - (anchor.y - cy - view.panY) * applied;
  return out;
}

}  // namespace ls
