// LabelVolume: one label per voxel (0 = none) on the grid of a Volume; the
// committed annotation. (Segments, undo and export build on it.)
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace ls {

struct LabelVolume {
  int columns = 0, rows = 0, slices = 0;
  std::vector<std::uint8_t> labels;

  void reset(int c, int r, int s) {
    columns = c, rows = r, slices = s;
    labels.assign(static_cast<std::size_t>(c) * r * s, 0);
  }
  std::uint8_t* slice(int index) { return labels.data() + static_cast<std::size_t>(columns) * rows * index; }
  const std::uint8_t* slice(int index) const {
    return labels.data() + static_cast<std::size_t>(columns) * rows * index;
  }
};

// What an edit writes and which labels already there it may replace (locked
// segments are protected; the eraser removes only the active segment).
struct PaintRule {
  std::uint8_t value = 1;
  std::array<bool, 256> replaces{};  // replaces[label]: the edit may overwrite `label`
  bool allows(std::uint8_t current) const { return current != value && replaces[current]; }
  // Writes `value` over anything.
  static PaintRule overwrite(std::uint8_t value) {
    PaintRule rule;
    rule.value = value;
    rule.replaces.fill(true);
    return rule;
  }
};

// Applies `rule` where `mask` (columns x rows, 0/1) is set; returns how many
// voxels changed.
int commitMask(LabelVolume& labels, int slice, const std::vector<std::uint8_t>& mask, const PaintRule& rule);
inline int commitMask(LabelVolume& labels, int slice, const std::vector<std::uint8_t>& mask, std::uint8_t label) {
  return commitMask(labels, slice, mask, PaintRule::overwrite(label));
}

}  // namespace ls
