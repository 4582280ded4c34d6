// EditHistory: undo/redo for the label volume with a bounded memory cost.
// A step stores, per touched slice, the run-length encoded XOR of the slice
// before and after the edit: mostly one long run of zeros, a few bytes per
// changed row. XOR makes the same record serve undo and redo.
#pragma once

#include <cstddef>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "imaging/rle.h"
#include "segment/label_volume.h"

namespace ls {

class EditHistory {
 public:
  explicit EditHistory(std::size_t budgetBytes = 100u << 20) : budget_(budgetBytes) {}

  // Call before changing `slice` (snapshots it); then commit() once done.
  void begin(const LabelVolume& labels, int slice) { begin(labels, std::vector<int>{slice}); }
  // The same for an edit over several slices (e.g. deleting a segment).
  void begin(const LabelVolume& labels, const std::vector<int>& slices);
  // Records the change since begin() as one undo step named `what`.
  void commit(const LabelVolume& labels, std::string what);

  bool canUndo() const { return next_ > 0; }
  bool canRedo() const { return next_ < steps_.size(); }
  // Each returns the name of the step undone/redone, or "" if there was none.
  std::string undo(LabelVolume& labels);
  std::string redo(LabelVolume& labels);
  void clear();

  // The slices commits, undos and redos changed since the last call, handed
  // out once, so callers update what they derive from the labels (voxel
  // counts) for those slices only; nullopt when unknown (nothing since, or
  // after clear()).
  std::optional<std::vector<int>> takeChangedSlices();

  std::size_t steps() const { return steps_.size(); }
  std::size_t doneSteps() const { return next_; }  // steps that undo() would take back
  std::size_t bytes() const { return bytes_; }

 private:
  struct SliceDiff {
    int slice = 0;
    std::vector<Run> xorRuns;
  };
  struct Step {
    std::string what;
    std::vector<SliceDiff> diffs;
    std::size_t bytes = 0;
  };
  void apply(LabelVolume& labels, const Step& step) const;
  void noteChanged(const std::vector<int>& slices);

  std::size_t budget_, bytes_ = 0;
  std::deque<Step> steps_;
  std::size_t next_ = 0;  // steps_[0..next_) are done; the rest can be redone
  std::vector<int> pendingSlices_;
  std::optional<std::vector<int>> changed_;
  std::vector<std::vector<std::uint8_t>> pendingBefore_;
};

}  // namespace ls
