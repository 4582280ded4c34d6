#include "app/series_loader.h"

#include <algorithm>
#include <cctype>
#include <chrono>

#include "app/segmentation_import.h"
#include "core/series_assembly.h"
#include "dicom/dicomdir.h"
#include "imaging/window.h"
#include "imaging/window_presets.h"

namespace ls {
namespace {
using Clock = std::chrono::steady_clock;

// Presets: the file's first, then the modality's, then the automatic one.
// Colour: first the colours as stored (center 128, width 256 is the identity
// under DICOM's window function); a window then applies to each channel.
void addWindowPresets(Volume& volume) {
  for (auto& preset : modalityPresets(volume.info.modality)) volume.windows.push_back(preset);
  volume.windows.push_back(autoWindow(volume.voxels.data(), volume.voxels.size(), volume.padding));
  if (volume.isColour()) volume.windows.insert(volume.windows.begin(), {128, 256, "colour as stored"});
}
}  // namespace

// The threads start with the first file (most loaders in the tests never load).
SeriesLoader::SeriesLoader(int decodeThreads) : decodeThreads_(decodeThreads) {}

void SeriesLoader::beginBatch(int expectedFiles, std::string label) {
  if (workers_) workers_->discardBefore(nextTicket_);  // what the last batch left in flight
  nextToTake_ = nextTicket_;
  active_ = true;
  expected_ = expectedFiles;
  received_ = done_ = 0;
  label_ = std::move(label);
  names_.clear();
  indexes_.clear();
  firstLookGiven_ = false;
  queue_.clear();
  queuedBytes_ = 0;
  slices_.clear();
  pool_ = SlicePool{};
  segmentations_.clear();
}

// Greyscale slices of the first slice's size go into one buffer reserved for
// the whole batch (as many slices per file as the first file had), so the
// series becomes a volume in place. Others, and any beyond the reservation
// (no reallocation: that would copy everything), keep their own pixels.
void SeriesLoader::addToPool(ImageSlice& slice, std::size_t slicesInFile) {
  if (!slice.colour.empty() || slice.pixels.empty()) return;
  if (pool_.sliceSize == 0) {
    pool_.sliceSize = slice.pixels.size();
    const std::size_t files = static_cast<std::size_t>(std::max(expected_, 1));
    try {
      pool_.pixels.reserve(pool_.sliceSize * slicesInFile * files);
    } catch (const std::bad_alloc&) {
      pool_.sliceSize = static_cast<std::size_t>(-1);  // no pool this batch
      return;
    }
  }
  if (slice.pixels.size() != pool_.sliceSize || pool_.pixels.size() + pool_.sliceSize > pool_.pixels.capacity()) return;
  slice.pooledIndex = static_cast<long>(pool_.count());
  pool_.pixels.insert(pool_.pixels.end(), slice.pixels.begin(), slice.pixels.end());
  std::vector<float>().swap(slice.pixels);
}

const float* SeriesLoader::pixelsOf(const ImageSlice& slice) const {
  return slice.pooledIndex >= 0 ? pool_.slice(static_cast<std::size_t>(slice.pooledIndex)) : slice.pixels.data();
}

void SeriesLoader::addFile(std::string name, std::vector<std::uint8_t> bytes) {
  ++received_;
  names_.push_back(name);
  queuedBytes_ += bytes.size();
  queue_.push_back({std::move(name), std::move(bytes)});
}

void SeriesLoader::addUnreadableFile(std::string name, std::string reason) {
  ++received_;
  ++done_;
  messages_.push_back({LoadMessage::Severity::Error, {std::move(name), std::move(reason)}});
}

bool SeriesLoader::firstLookDue() const {
  constexpr int kFirstLookMinimumFiles = 8;  // small drops decode in a frame or two anyway
  return active_ && !firstLookGiven_ && expected_ >= kFirstLookMinimumFiles && !slices_.empty();
}

std::optional<Volume> SeriesLoader::takeFirstLook() {
  if (!firstLookDue()) return std::nullopt;
  firstLookGiven_ = true;
  ImageSlice first = slices_.front();
  if (first.pooledIndex >= 0) {
    const float* pixels = pixelsOf(first);
    first.pixels.assign(pixels, pixels + pool_.sliceSize);
    first.pooledIndex = -1;
  }
  auto assembled = assembleVolume({std::move(first)});
  if (!assembled.ok()) return std::nullopt;
  Volume volume = std::move(assembled.value().volume);
  addWindowPresets(volume);
  volume.firstLook = true;
  return volume;
}

float SeriesLoader::progress() const {
  return expected_ > 0 ? static_cast<float>(done_) / static_cast<float>(expected_) : 1.f;
}

bool SeriesLoader::setAsideSegmentation(Pending& file) {
  if (segmentationFormat(file.name, file.bytes) != SegmentationFormat::DicomSeg) return false;
  queuedBytes_ -= file.bytes.size();
  ++done_;
  segmentations_.push_back({std::move(file.name), std::move(file.bytes)});
  return true;
}

// Enough files in flight to keep the workers busy from one of the page's
// frames to the next (a slow software-GPU frame may take 50 ms: ~30 small CT
// files), few enough that decoded results never wait in memory beside the
// whole series.
void SeriesLoader::handOverToWorkers() {
  if (!workers_) workers_ = std::make_unique<DecodeWorkers>(decodeThreads_);
  const std::uint64_t maxInFlight = 32;
  while (!queue_.empty() && nextTicket_ - nextToTake_ < maxInFlight) {
    Pending file = std::move(queue_.front());
    queue_.pop_front();
    if (setAsideSegmentation(file)) continue;
    workers_->submit(nextTicket_++, std::move(file.name), std::move(file.bytes));
  }
}

std::optional<DecodedFile> SeriesLoader::nextDecoded(double waitMs) {
  if (decodeThreads_ == 0) {
    while (!queue_.empty()) {
      Pending file = std::move(queue_.front());
      queue_.pop_front();
      if (!setAsideSegmentation(file)) return decodeDroppedFile(std::move(file.name), file.bytes);
    }
    return std::nullopt;
  }
  handOverToWorkers();
  if (nextToTake_ == nextTicket_) return std::nullopt;
  auto file = workers_->take(nextToTake_, waitMs);
  if (file) ++nextToTake_;
  return file;
}

void SeriesLoader::acceptDecoded(DecodedFile file) {
  queuedBytes_ -= file.bytes;
  ++done_;
  if (file.slices.ok()) {
    const std::size_t slicesInFile = file.slices.value().size();
    for (auto& slice : file.slices.value()) {
      addToPool(slice, slicesInFile);
      slices_.push_back(std::move(slice));
    }
  } else if (file.index) {
    indexes_.push_back({file.name, std::move(*file.index)});  // checked once the batch is in
  } else {
    messages_.push_back({LoadMessage::Severity::Error, file.slices.error()});
  }
}

std::optional<Volume> SeriesLoader::process(double budgetMs, Wait wait) {
  if (!active_) return std::nullopt;
  const auto start = Clock::now();
  auto elapsedMs = [&] { return std::chrono::duration<double, std::milli>(Clock::now() - start).count(); };
  for (;;) {
    const double waitMs = wait == Wait::Never ? 0.0 : std::max(0.0, budgetMs - elapsedMs());
    auto file = nextDecoded(waitMs);
    if (!file) break;
    acceptDecoded(std::move(*file));
    if (elapsedMs() > budgetMs || firstLookDue()) break;
  }
  if (decodeThreads_ > 0 && !queue_.empty()) handOverToWorkers();  // keep them busy until the next call
  if (queue_.empty() && nextToTake_ == nextTicket_ && received_ >= expected_) return finishBatch();
  return std::nullopt;
}

namespace {

std::string normalisedPath(std::string path) {
  for (char& c : path) c = c == '\\' ? '/' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return path;
}

bool endsWith(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0 &&
         (s.size() == tail.size() || s[s.size() - tail.size() - 1] == '/');
}

}  // namespace

// What each DICOMDIR of the batch lists, and whether its files were opened too.
void SeriesLoader::reportDicomDirs() {
  for (const auto& [name, listing] : indexes_) {
    std::vector<std::string> opened;
    for (const std::string& n : names_) opened.push_back(normalisedPath(n));
    int missing = 0;
    std::string firstMissing;
    for (const std::string& file : listing.files) {
      const std::string wanted = normalisedPath(file);
      const bool found = std::any_of(opened.begin(), opened.end(), [&](const std::string& n) { return endsWith(n, wanted); });
      if (!found && missing++ == 0) firstMissing = file;
    }
    std::string text = "DICOMDIR (an index, not an image) lists " + std::to_string(listing.patients) +
                       " patient(s), " + std::to_string(listing.studies) + " stud(ies), " +
                       std::to_string(listing.series) + " series and " + std::to_string(listing.files.size()) +
                       " file(s)";
    if (missing == 0) {
      messages_.push_back({LoadMessage::Severity::Info, {name, text + "; every one of them was opened"}});
    } else {
      messages_.push_back({LoadMessage::Severity::Warning,
                           {name, text + "; " + std::to_string(missing) + " of them were not among the files opened (" +
                                      firstMissing + (missing > 1 ? ", ..." : "") +
                                      "): open the whole folder to load them"}});
    }
  }
  indexes_.clear();
}

std::optional<Volume> SeriesLoader::finishBatch() {
  active_ = false;
  reportDicomDirs();
  if (slices_.empty()) {
    if (expected_ > 0 && segmentations_.empty()) {
      messages_.push_back({LoadMessage::Severity::Error,
                           {label_, "no displayable DICOM image among the " +
                                        std::to_string(expected_) + " file(s)"}});
    }
    return std::nullopt;
  }
  series_ = groupBySeries(std::move(slices_));
  slices_.clear();
  current_ = -1;
  thumbnails_.clear();
  constexpr int kThumbnailSize = 64;
  for (const SeriesGroup& group : series_) {
    const ImageSlice& middle = group.slices[group.slices.size() / 2];
    thumbnails_.push_back(makeThumbnail(pixelsOf(middle), middle.columns, middle.rows, middle.columnSpacing,
                                        middle.rowSpacing, kThumbnailSize));
  }
  ++seriesVersion_;
  if (series_.size() > 1) {
    messages_.push_back({LoadMessage::Severity::Info,
                         {label_, std::to_string(series_.size()) + " series in these files: the largest is shown; "
                                  "choose another under Series"}});
  }
  if (series_.size() == 1) {
    // One series: its pixels move into the volume (no second copy of a large
    // series in memory); the list keeps each slice's attributes only.
    std::vector<ImageSlice> slices = std::move(series_[0].slices);
    series_[0].slices.clear();
    for (ImageSlice& s : slices) {
      std::vector<float> pixels;
      std::vector<std::uint32_t> colour;
      pixels.swap(s.pixels), colour.swap(s.colour);
      series_[0].slices.push_back(s);
      pixels.swap(s.pixels), colour.swap(s.colour);
    }
    pixelsMoved_ = true;
    return assemble(std::move(slices), 0, true);
  }
  pixelsMoved_ = false;
  return openSeries(0);
}

std::optional<Volume> SeriesLoader::openSeries(int index) {
  if (index < 0 || index >= static_cast<int>(series_.size())) return std::nullopt;
  if (pixelsMoved_) return std::nullopt;  // the only series, already shown
  // The decoded slices are kept, so switching back and forth needs no decoding.
  return assemble(series_[index].slices, index, false);
}

std::optional<Volume> SeriesLoader::assemble(std::vector<ImageSlice> slices, int index, bool consumePool) {
  auto assembled = assembleVolume(std::move(slices), &pool_, consumePool);
  if (!assembled.ok()) {
    messages_.push_back({LoadMessage::Severity::Error, assembled.error()});
    return std::nullopt;
  }
  for (auto& warning : assembled.value().warnings) {
    messages_.push_back({LoadMessage::Severity::Warning, std::move(warning)});
  }
  current_ = index;
  Volume volume = std::move(assembled.value().volume);
  addWindowPresets(volume);
  return volume;
}

}  // namespace ls
