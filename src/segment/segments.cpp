#include "segment/segments.h"

#include <algorithm>

namespace ls {

namespace {
// Distinct colours that read well over grey images, in the spirit of the
// anatomy colour tables of established viewers.
constexpr Rgb kPalette[] = {
    {46, 204, 113}, {241, 196, 15}, {52, 152, 219}, {231, 76, 60},  {155, 89, 182},
    {26, 188, 156}, {230, 126, 34}, {236, 112, 180}, {149, 165, 166}, {127, 219, 255},
};
}  // namespace

void SegmentList::reset() {
  segments_.clear();
  active_ = 0;
  add();
}

Segment* SegmentList::add() {
  std::uint8_t label = 1;
  while (label != 0 && find(label)) ++label;  // wraps to 0 when 1..255 are taken
  if (label == 0) return nullptr;
  Segment s;
  s.label = label;
  s.name = "Segment " + std::to_string(label);
  s.colour = kPalette[(label - 1) % (sizeof kPalette / sizeof kPalette[0])];
  segments_.push_back(s);
  active_ = static_cast<int>(segments_.size()) - 1;
  touch();
  return &segments_.back();
}

std::uint8_t SegmentList::remove(int index) {
  if (index < 0 || index >= static_cast<int>(segments_.size()) || segments_.size() == 1) return 0;
  const std::uint8_t label = segments_[index].label;
  segments_.erase(segments_.begin() + index);
  active_ = std::min(active_ >= index && active_ > 0 ? active_ - 1 : active_, static_cast<int>(segments_.size()) - 1);
  touch();
  return label;
}

bool SegmentList::insert(const Segment& segment) {
  if (segment.label == 0 || find(segment.label)) return false;
  segments_.push_back(segment);
  touch();
  return true;
}

void SegmentList::assign(std::vector<Segment> segments, int active) {
  if (segments.empty()) return;
  segments_ = std::move(segments);
  active_ = std::clamp(active, 0, static_cast<int>(segments_.size()) - 1);
  touch();
}

void SegmentList::setActive(int index) {
  if (index < 0 || index >= static_cast<int>(segments_.size()) || index == active_) return;
  active_ = index;
  touch();
}

const Segment* SegmentList::find(std::uint8_t label) const {
  const int i = indexOf(label);
  return i < 0 ? nullptr : &segments_[i];
}

int SegmentList::indexOf(std::uint8_t label) const {
  for (std::size_t i = 0; i < segments_.size(); ++i) {
    if (segments_[i].label == label) return static_cast<int>(i);
  }
  return -1;
}

PaintRule SegmentList::paintRule() const {
  PaintRule rule;
  rule.value = active().label;
  if (active().locked) return rule;  // replaces nothing
  rule.replaces.fill(true);
  for (const auto& s : segments_) rule.replaces[s.label] = !s.locked;
  return rule;
}

PaintRule SegmentList::eraseRule() const {
  PaintRule rule;
  rule.value = 0;
  rule.replaces[active().label] = !active().locked;
  return rule;
}

std::array<std::uint8_t, 256 * 4> SegmentList::colourTable(int highlight) const {
  std::array<std::uint8_t, 256 * 4> table{};
  for (const auto& s : segments_) {
    if (!s.visible) continue;
    const float opacity = s.label == highlight ? std::min(1.0f, s.opacity + 0.35f) : s.opacity;
    std::uint8_t* rgba = &table[s.label * 4u];
    rgba[0] = s.colour.r, rgba[1] = s.colour.g, rgba[2] = s.colour.b;
    rgba[3] = static_cast<std::uint8_t>(std::clamp(opacity, 0.0f, 1.0f) * 255.0f + 0.5f);
  }
  return table;
}

std::array<std::size_t, 256> countLabels(const LabelVolume& labels) {
  std::array<std::size_t, 256> counts{};
  for (auto v : labels.labels) ++counts[v];
  return counts;
}

}  // namespace ls
