// SliceView: how a slice sits on screen (zoom in screen pixels per millimetre,
// pan) and the conversions between screen and image coordinates. Physical
// aspect comes from pixel spacing: a pixel is columnSpacing x rowSpacing mm.
// Image coordinates are continuous: pixel (i, j) covers [i, i+1) x [j, j+1).
#pragma once

#include "core/point2.h"

namespace ls {

struct ScreenRect {
  double x = 0, y = 0, width = 1, height = 1;  // framebuffer pixels, top-left origin
  bool contains(double px, double py) const {
    return px >= x && py >= y && px < x + width && py < y + height;
  }
};

struct ImageExtent {
  int columns = 1, rows = 1;
  double columnSpacing = 1, rowSpacing = 1;  // mm
};

struct SliceView {
  double pixelsPerMm = 1;
  double panX = 0, panY = 0;  // offset of the image centre from the rect centre
};

SliceView fitView(const ScreenRect& rect, const ImageExtent& image);
Point2 imageToScreen(const SliceView& view, const ScreenRect& rect, const ImageExtent& image,
                     Point2 imagePoint);
Point2 screenToImage(const SliceView& view, const ScreenRect& rect, const ImageExtent& image,
                     Point2 screenPoint);
// One image column per screen pixel, zoomed around the rect's centre.
SliceView actualPixels(const SliceView& view, const ScreenRect& rect, const ImageExtent& image);
// Zooms by `factor`, keeping the image point under `anchor` where it is.
SliceView zoomAround(const SliceView& view, const ScreenRect& rect, Point2 anchor, double factor);

}  // namespace ls
