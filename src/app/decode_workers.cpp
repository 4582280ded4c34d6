#include "app/decode_workers.h"

#include <algorithm>
#include <chrono>

#include "dicom/decode.h"

namespace ls {

DecodedFile decodeDroppedFile(std::string name, const std::vector<std::uint8_t>& bytes) {
  DecodedFile out;
  out.bytes = bytes.size();
  out.slices = decodeDicom(name, bytes.data(), bytes.size());
  if (!out.slices.ok()) {
    if (auto index = readDicomDir(name, bytes.data(), bytes.size()); index.ok()) out.index = std::move(index.value());
  }
  out.name = std::move(name);
  return out;
}

int defaultDecodeThreads() {
  const int cores = static_cast<int>(std::thread::hardware_concurrency());
  constexpr int kMaxDecodeThreads = 3;  // the page's pthread pool (cmake/WebApp.cmake)
  return std::clamp(cores - 1, 1, kMaxDecodeThreads);
}

DecodeWorkers::DecodeWorkers(int threads) {
  initialiseDicomDecoder();  // before any worker decodes
  for (int i = 0; i < std::max(threads, 1); ++i) threads_.emplace_back([this] { run(); });
}

DecodeWorkers::~DecodeWorkers() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    jobs_.clear();
  }
  jobReady_.notify_all();
  for (std::thread& t : threads_) t.join();
}

void DecodeWorkers::submit(std::uint64_t ticket, std::string name, std::vector<std::uint8_t> bytes) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    jobs_.push_back({ticket, std::move(name), std::move(bytes)});
  }
  jobReady_.notify_one();
}

std::optional<DecodedFile> DecodeWorkers::take(std::uint64_t ticket, double waitMs) {
  std::unique_lock<std::mutex> lock(mutex_);
  auto ready = [&] { return results_.count(ticket) > 0; };
  if (!ready() && waitMs > 0) {
    resultReady_.wait_for(lock, std::chrono::duration<double, std::milli>(waitMs), ready);
  }
  auto found = results_.find(ticket);
  if (found == results_.end()) return std::nullopt;
  DecodedFile file = std::move(found->second);
  results_.erase(found);
  return file;
}

void DecodeWorkers::discardBefore(std::uint64_t ticket) {
  std::lock_guard<std::mutex> lock(mutex_);
  oldestWanted_ = std::max(oldestWanted_, ticket);
  jobs_.erase(std::remove_if(jobs_.begin(), jobs_.end(), [&](const Job& j) { return j.ticket < ticket; }), jobs_.end());
  results_.erase(results_.begin(), results_.lower_bound(ticket));
}

void DecodeWorkers::run() {
  for (;;) {
    Job job;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      jobReady_.wait(lock, [&] { return stopping_ || !jobs_.empty(); });
      if (stopping_) return;
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    DecodedFile file = decodeDroppedFile(std::move(job.name), job.bytes);
    std::vector<std::uint8_t>().swap(job.bytes);  // the file's bytes go before its result waits
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (job.ticket < oldestWanted_) continue;
      results_.emplace(job.ticket, std::move(file));
    }
    resultReady_.notify_all();
  }
}

}  // namespace ls
