#include "imaging/orientation.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace ls {

std::string orientationLetters(Vec3 d) {
  // A component counts when it is at least ~15 degrees off the plane (0.25).
  constexpr double kMinimum = 0.25;
  struct Axis {
    double value;
    char positive, negative;
  };
  std::array<Axis, 3> axes{{{d.x, 'L', 'R'}, {d.y, 'P', 'A'}, {d.z, 'S', 'I'}}};
  std::stable_sort(axes.begin(), axes.end(),
                   [](const Axis& a, const Axis& b) { return std::abs(a.value) > std::abs(b.value); });
  std::string letters;
  for (const Axis& a : axes) {
    if (std::abs(a.value) >= kMinimum) letters += a.value > 0 ? a.positive : a.negative;
  }
  return letters;
}

}  // namespace ls
