// DecodeWorkers: decodes dropped files on worker threads (std::thread; in the
// page Emscripten pthreads, which the cross-origin isolated page allows), so
// the main thread keeps drawing and both cores decode a large drop. Each file
// gets a ticket; its result is taken by ticket, so the loader consumes results
// in the order the files arrived whatever order they finish in.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/image_slice.h"
#include "core/result.h"
#include "dicom/dicomdir.h"

namespace ls {

// What one file turned out to be: image slices, or else a DICOMDIR index, or
// else the decoder's error (named by file).
struct DecodedFile {
  std::string name;
  std::size_t bytes = 0;
  Result<std::vector<ImageSlice>> slices = Error{};
  std::optional<DicomDirListing> index;
};

// The work itself, the same on a worker or on the caller's thread.
DecodedFile decodeDroppedFile(std::string name, const std::vector<std::uint8_t>& bytes);

// Worker threads for this machine: one core is left to the page's main thread.
int defaultDecodeThreads();

class DecodeWorkers {
 public:
  explicit DecodeWorkers(int threads);  // threads >= 1
  ~DecodeWorkers();
  DecodeWorkers(const DecodeWorkers&) = delete;
  DecodeWorkers& operator=(const DecodeWorkers&) = delete;

  void submit(std::uint64_t ticket, std::string name, std::vector<std::uint8_t> bytes);
  // The result for `ticket` once decoded; waits up to `waitMs` for it
  // (0: never blocks; the page's main thread must not).
  std::optional<DecodedFile> take(std::uint64_t ticket, double waitMs);
  // Forgets every ticket below `ticket` (a new batch): queued ones are not
  // decoded, running ones are dropped when they finish.
  void discardBefore(std::uint64_t ticket);

 private:
  struct Job {
    std::uint64_t ticket;
    std::string name;
    std::vector<std::uint8_t> bytes;
  };
  void run();

  std::mutex mutex_;
  std::condition_variable jobReady_, resultReady_;
  std::deque<Job> jobs_;
  std::map<std::uint64_t, DecodedFile> results_;
  std::uint64_t oldestWanted_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace ls
