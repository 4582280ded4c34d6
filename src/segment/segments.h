// Segments: the named structures of an annotation. Each owns one label value
// of the LabelVolume and carries how it is shown (colour, opacity, visible)
// and whether edits may touch it (locked). One segment is active: every edit
// (accepted mask, brush, eraser) goes to it.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "segment/label_volume.h"

namespace ls {

struct Rgb {
  std::uint8_t r = 0, g = 0, b = 0;
  bool operator==(const Rgb& o) const { return r == o.r && g == o.g && b == o.b; }
};

struct Segment {
  std::uint8_t label = 1;
  std::string name;
  Rgb colour;
  float opacity = 0.5f;  // fill opacity, 0..1
  bool visible = true;
  bool locked = false;
  // A model's mask was committed to it (accept, threshold choice,
  // propagation): DICOM SEG calls it SEMIAUTOMATIC, else MANUAL.
  bool modelAssisted = false;
};

class SegmentList {
 public:
  SegmentList() { reset(); }
  // One segment, "Segment 1", active.
  void reset();
  // A new segment with the lowest unused label and the next palette colour;
  // it becomes active. Returns nullptr when all 255 labels are in use.
  Segment* add();
  // Removes the segment at `index` (the caller clears its voxels); the list
  // never becomes empty. Returns the removed label, or 0 if nothing was removed.
  std::uint8_t remove(int index);
  // Puts a segment (e.g. one deleted earlier) back, if its label is free.
  bool insert(const Segment& segment);
  // Replaces the list (a restored annotation); ignored if empty.
  void assign(std::vector<Segment> segments, int active);

  const std::vector<Segment>& all() const { return segments_; }
  Segment& at(int index) { return segments_.at(index); }
  int activeIndex() const { return active_; }
  void setActive(int index);
  const Segment& active() const { return segments_[active_]; }
  const Segment* find(std::uint8_t label) const;
  int indexOf(std::uint8_t label) const;

  // The rules of the two kinds of edit for the active segment: painting
  // writes its label over background and unlocked segments; erasing removes
  // only its own voxels. A locked active segment receives nothing.
  PaintRule paintRule() const;
  PaintRule eraseRule() const;

  // RGBA per label value for the overlay's colour lookup; hidden segments and
  // unused labels are transparent. `highlight` (a label, or -1) is drawn stronger.
  std::array<std::uint8_t, 256 * 4> colourTable(int highlight = -1) const;

  // Bumps on every change the renderer or the autosave must notice.
  int version() const { return version_; }
  void touch() { ++version_; }

 private:
  std::vector<Segment> segments_;
  int active_ = 0;
  int version_ = 0;
};

// Voxels per label value in the whole volume.
std::array<std::size_t, 256> countLabels(const LabelVolume& labels);

}  // namespace ls
