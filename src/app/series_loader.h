// SeriesLoader: decodes queued files on worker threads (DecodeWorkers; or on
// the caller's thread a few at a time), takes their results in arrival order
// while the page keeps drawing and showing progress, then assembles the
// largest series into a Volume. Bad files become messages naming the file;
// the rest still loads.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/image_slice.h"
#include "core/result.h"
#include "core/series_assembly.h"
#include "core/slice_pool.h"
#include "core/volume.h"
#include "app/decode_workers.h"
#include "dicom/dicomdir.h"
#include "imaging/thumbnail.h"

namespace ls {

struct LoadMessage {
  enum class Severity { Error, Warning, Info };
  Severity severity = Severity::Error;
  Error error;
};

class SeriesLoader {
 public:
  // decodeThreads 0: decode on the thread that calls process().
  explicit SeriesLoader(int decodeThreads = defaultDecodeThreads());

  // Starts a new batch of `expectedFiles` (files may arrive later, e.g. while
  // the browser still reads them). Messages of the previous batch are kept.
  void beginBatch(int expectedFiles, std::string label);
  void addFile(std::string name, std::vector<std::uint8_t> bytes);
  // A file the platform could not even read.
  void addUnreadableFile(std::string name, std::string reason);

  // Takes decoded files until `budgetMs` has passed, waiting for the workers
  // within that time unless told never to wait (the page's main thread: it
  // takes what is ready and draws). Returns a volume when the batch is
  // complete and one could be assembled.
  enum class Wait { WithinBudget, Never };
  std::optional<Volume> process(double budgetMs, Wait wait = Wait::WithinBudget);

  // Once per batch of more than a few files: the first decoded image as a
  // one-slice volume, so something is on screen long before the whole series
  // has decoded (Volume::firstLook); empty otherwise.
  std::optional<Volume> takeFirstLook();

  bool busy() const { return active_; }
  // Bytes of files received but not decoded yet (the page waits while this
  // is large, so a big drop is not held in memory twice).
  std::size_t queuedBytes() const { return queuedBytes_; }
  float progress() const;  // 0..1 over the batch
  int filesDone() const { return done_; }
  int filesExpected() const { return expected_; }
  const std::string& label() const { return label_; }
  const std::vector<LoadMessage>& messages() const { return messages_; }

  // The series found in the last batch (largest first) and which is shown;
  // openSeries assembles another one of them.
  const std::vector<SeriesGroup>& series() const { return series_; }
  int currentSeries() const { return current_; }
  // A thumbnail of each series' middle image (same order), and a number that
  // changes whenever the list of series does (a new batch).
  const std::vector<Thumbnail>& thumbnails() const { return thumbnails_; }
  int seriesVersion() const { return seriesVersion_; }
  std::optional<Volume> openSeries(int index);
  // DICOM SEG files met in the batch: not images, but annotations for the
  // series (the caller imports them once the batch is done).
  struct SegmentationFile {
    std::string name;
    std::vector<std::uint8_t> bytes;
  };
  std::vector<SegmentationFile> takeSegmentationFiles() { return std::move(segmentations_); }
  void clearMessages() { messages_.clear(); }
  void addMessage(LoadMessage message) { messages_.push_back(std::move(message)); }

 private:
  struct Pending {
    std::string name;
    std::vector<std::uint8_t> bytes;
  };
  std::optional<DecodedFile> nextDecoded(double waitMs);
  void handOverToWorkers();
  bool setAsideSegmentation(Pending& file);  // a DICOM SEG: kept for import, not decoded
  void acceptDecoded(DecodedFile file);  // its slices into the batch (and the pool), or its message
  std::optional<Volume> finishBatch();
  std::optional<Volume> assemble(std::vector<ImageSlice> slices, int index, bool consumePool);
  void reportDicomDirs();
  void addToPool(ImageSlice& slice, std::size_t slicesInFile);
  bool firstLookDue() const;  // a large batch's first image is decoded but not yet shown
  const float* pixelsOf(const ImageSlice& slice) const;

  bool active_ = false;
  int expected_ = 0, received_ = 0, done_ = 0;
  std::string label_;
  std::deque<Pending> queue_;  // received, not yet handed to a worker
  std::size_t queuedBytes_ = 0;
  int decodeThreads_ = 0;
  std::unique_ptr<DecodeWorkers> workers_;
  std::uint64_t nextTicket_ = 0, nextToTake_ = 0;  // files handed to the workers / taken back
  std::vector<ImageSlice> slices_;
  SlicePool pool_;  // the pixels of the batch's greyscale slices of the first slice's size
  std::vector<SegmentationFile> segmentations_;
  std::vector<LoadMessage> messages_;
  std::vector<SeriesGroup> series_;
  std::vector<Thumbnail> thumbnails_;
  std::vector<std::string> names_;  // every file of the batch, as named
  std::vector<std::pair<std::string, DicomDirListing>> indexes_;  // DICOMDIRs of the batch
  int seriesVersion_ = 0;
  int current_ = -1;
  bool firstLookGiven_ = false;
  bool pixelsMoved_ = false;  // the batch's only series gave its pixels to the volume
};

}  // namespace ls
