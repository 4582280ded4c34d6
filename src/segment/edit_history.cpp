#include "segment/edit_history.h"

namespace ls {

void EditHistory::begin(const LabelVolume& labels, int slice) {
  pendingSlice_ = slice;
  const std::size_t size = static_cast<std::size_t>(labels.columns) * labels.rows;
  pendingBefore_.assign(labels.slice(slice), labels.slice(slice) + size);
}

void EditHistory::commit(const LabelVolume& labels, std::string what) {
  if (pendingSlice_ < 0) return;
  std::vector<std::uint8_t> diff(pendingBefore_.size());
  const std::uint8_t* after = labels.slice(pendingSlice_);
  bool changed = false;
  for (std::size_t i = 0; i < diff.size(); ++i) {
    diff[i] = pendingBefore_[i] ^ after[i];
    changed = changed || diff[i] != 0;
  }
  const int slice = pendingSlice_;
  pendingSlice_ = -1;
  if (!changed) return;
  Step step;
  step.what = std::move(what);
  step.diffs.push_back({slice, encodeRuns(diff.data(), diff.size())});
  step.bytes = step.diffs.back().xorRuns.size() * sizeof(Run) + sizeof(Step);
  // A new edit drops the redo branch.
  while (steps_.size() > next_) {
    bytes_ -= steps_.back().bytes;
    steps_.pop_back();
  }
  bytes_ += step.bytes;
  steps_.push_back(std::move(step));
  next_ = steps_.size();
  // Stay within the memory budget by forgetting the oldest steps.
  while (bytes_ > budget_ && steps_.size() > 1) {
    bytes_ -= steps_.front().bytes;
    steps_.pop_front();
    --next_;
  }
}

void EditHistory::apply(LabelVolume& labels, const Step& step) const {
  for (const SliceDiff& d : step.diffs) {
    std::uint8_t* target = labels.slice(d.slice);
    std::size_t at = 0;
    for (const Run& r : d.xorRuns) {
      if (r.value != 0) {
        for (std::uint32_t k = 0; k < r.length; ++k) target[at + k] ^= r.value;
      }
      at += r.length;
    }
  }
}

std::string EditHistory::undo(LabelVolume& labels) {
  if (!canUndo()) return {};
  --next_;
  apply(labels, steps_[next_]);
  return steps_[next_].what;
}

std::string EditHistory::redo(LabelVolume& labels) {
  if (!canRedo()) return {};
  apply(labels, steps_[next_]);
  return steps_[next_++].what;
}

void EditHistory::clear() {
  steps_.clear();
  bytes_ = 0;
  next_ = 0;
  pendingSlice_ = -1;
}

}  // namespace ls
