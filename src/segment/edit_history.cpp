#include "segment/edit_history.h"

#include <algorithm>

namespace ls {
namespace {

template <typename Step>  // EditHistory's private step type
std::vector<int> slicesOf(const Step& step) {
  std::vector<int> slices;
  for (const auto& d : step.diffs) slices.push_back(d.slice);
  return slices;
}

}  // namespace

void EditHistory::begin(const LabelVolume& labels, const std::vector<int>& slices) {
  pendingSlices_ = slices;
  pendingBefore_.clear();
  const std::size_t size = static_cast<std::size_t>(labels.columns) * labels.rows;
  for (int slice : slices) pendingBefore_.emplace_back(labels.slice(slice), labels.slice(slice) + size);
}

void EditHistory::commit(const LabelVolume& labels, std::string what) {
  Step step;
  step.what = std::move(what);
  step.bytes = sizeof(Step);
  for (std::size_t k = 0; k < pendingSlices_.size(); ++k) {
    const std::vector<std::uint8_t>& before = pendingBefore_[k];
    std::vector<std::uint8_t> diff(before.size());
    const std::uint8_t* after = labels.slice(pendingSlices_[k]);
    bool changed = false;
    for (std::size_t i = 0; i < diff.size(); ++i) {
      diff[i] = before[i] ^ after[i];
      changed = changed || diff[i] != 0;
    }
    if (!changed) continue;
    step.diffs.push_back({pendingSlices_[k], encodeRuns(diff.data(), diff.size())});
    step.bytes += step.diffs.back().xorRuns.size() * sizeof(Run);
  }
  pendingSlices_.clear();
  pendingBefore_.clear();
  noteChanged(slicesOf(step));
  if (step.diffs.empty()) return;
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
  noteChanged(slicesOf(steps_[next_]));
  return steps_[next_].what;
}

std::string EditHistory::redo(LabelVolume& labels) {
  if (!canRedo()) return {};
  apply(labels, steps_[next_]);
  noteChanged(slicesOf(steps_[next_]));
  return steps_[next_++].what;
}

void EditHistory::noteChanged(const std::vector<int>& slices) {
  if (!changed_) changed_.emplace();
  changed_->insert(changed_->end(), slices.begin(), slices.end());
}

std::optional<std::vector<int>> EditHistory::takeChangedSlices() {
  auto changed = std::move(changed_);
  changed_.reset();
  if (changed) {
    std::sort(changed->begin(), changed->end());
    changed->erase(std::unique(changed->begin(), changed->end()), changed->end());
  }
  return changed;
}

void EditHistory::clear() {
  changed_.reset();
  steps_.clear();
  bytes_ = 0;
  next_ = 0;
  pendingSlices_.clear();
  pendingBefore_.clear();
}

}  // namespace ls
