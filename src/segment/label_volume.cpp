#include "segment/label_volume.h"

namespace ls {

int commitMask(LabelVolume& labels, int slice, const std::vector<std::uint8_t>& mask, const PaintRule& rule) {
  if (slice < 0 || slice >= labels.slices || mask.size() != static_cast<std::size_t>(labels.columns) * labels.rows) {
    return 0;
  }
  std::uint8_t* target = labels.slice(slice);
  int changed = 0;
  for (std::size_t i = 0; i < mask.size(); ++i) {
    if (mask[i] && rule.allows(target[i])) {
      target[i] = rule.value;
      ++changed;
    }
  }
  return changed;
}

}  // namespace ls
