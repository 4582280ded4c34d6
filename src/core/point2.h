// Point2: a 2D point (screen pixels, image pixels or model coordinates, as
// the user of it says).
#pragma once

namespace ls {

struct Point2 {
  double x = 0, y = 0;
};

}  // namespace ls
