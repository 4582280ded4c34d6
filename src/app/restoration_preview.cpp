#include "app/restoration_preview.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

namespace ls {
namespace {

using Clock = std::chrono::steady_clock;

double millisecondsSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

double nowMilliseconds() { return std::chrono::duration<double, std::milli>(Clock::now().time_since_epoch()).count(); }

const char* methodName(RestoreMethod method) {
  switch (method) {
    case RestoreMethod::NonLocalMeans: return "Non-local means";
    case RestoreMethod::Bilateral: return "Bilateral filter";
    case RestoreMethod::AnisotropicDiffusion: return "Anisotropic diffusion (Perona-Malik)";
    case RestoreMethod::Median: return "Median filter";
    case RestoreMethod::Learned: return "Learned denoiser";
  }
  return "";
}

}  // namespace

void RestorationPreview::open(const Volume& volume, int generation, RestoreSettings settings) {
  open_ = true;
  generation_ = generation;
  columns_ = volume.geometry.columns;
  rows_ = volume.geometry.rows;
  restored_.assign(volume.voxels.size(), 0.0f);
  ready_.assign(static_cast<std::size_t>(volume.geometry.slices), 0);
  settings_ = settings;
  ++settingsVersion_;
  ++contentVersion_;
  done_ = 0;
  workingSlice_ = -1;
  requestId_ = 0;
  error_.clear();
  failed_ = false;
}

void RestorationPreview::close() {
  open_ = false;
  restored_ = {};
  ready_ = {};
  working_ = {};
  done_ = 0;
  workingSlice_ = -1;
  requestId_ = 0;
  ++contentVersion_;
}

void RestorationPreview::setSettings(RestoreSettings settings) {
  if (settings == settings_) return;
  if (settings.method == RestoreMethod::Learned &&
      (settings.denoiser < 0 || settings.denoiser >= static_cast<int>(denoisers_.size()))) {
    error_ = "no learned denoiser is loaded";
    return;
  }
  settings_ = settings;
  ++settingsVersion_;
  ++contentVersion_;
  std::fill(ready_.begin(), ready_.end(), 0);
  done_ = 0;
  workingSlice_ = -1;
  requestId_ = 0;  // a result still in flight is now stale
  error_.clear();
  failed_ = false;
}

std::string RestorationPreview::methodDescription() const {
  std::string name = methodName(settings_.method);
  if (settings_.method == RestoreMethod::Learned && settings_.denoiser < static_cast<int>(denoisers_.size())) {
    name += " \"" + denoisers_[settings_.denoiser].name + "\"";
  }
  char text[160];
  std::snprintf(text, sizeof text, ", noise sigma %.3g, strength %.2f", settings_.noiseSigma, settings_.strength);
  return name + text;
}

bool RestorationPreview::sliceReady(int slice) const {
  return open_ && slice >= 0 && slice < sliceCount() && ready_[slice];
}

const float* RestorationPreview::restoredSlice(int slice) const {
  return sliceReady(slice) ? restored_.data() + static_cast<std::size_t>(columns_) * rows_ * slice : nullptr;
}

int RestorationPreview::nextSlice(int currentSlice) const {
  const int count = sliceCount();
  // The current slice, then its neighbours outwards: what the user looks at next.
  for (int distance = 0; distance < count; ++distance) {
    for (int slice : {currentSlice + distance, currentSlice - distance}) {
      if (slice >= 0 && slice < count && !ready_[slice]) return slice;
    }
  }
  return -1;
}

void RestorationPreview::startSlice(const Volume& volume, int slice) {
  workingSlice_ = slice;
  sliceStartMs_ = nowMilliseconds();
  nextBandRow_ = 0;
  if (settings_.method != RestoreMethod::Learned) {
    working_.assign(static_cast<std::size_t>(columns_) * rows_, 0.0f);
    return;
  }
  const DenoiserManifest& model = denoisers_[settings_.denoiser];
  requestSource_.assign(volume.slice(slice), volume.slice(slice) + static_cast<std::size_t>(columns_) * rows_);
  requestInput_ = prepareDenoiserInput(volume.slice(slice), columns_, rows_, model, settings_.noiseSigma);
  DenoiseRequest request;
  request.id = requestId_ = nextId_++;
  request.model = model.name;
  request.image = requestInput_.tensor;
  request.width = requestInput_.paddedWidth;
  request.height = requestInput_.paddedHeight;
  request.sigma = requestInput_.sigmaNormalised;
  if (backend_) backend_->denoise(std::move(request));
}

// Filters rows [nextBandRow_, +bandRows) with kBandMargin rows of context
// each side, so bands join without seams.
void RestorationPreview::restoreBand(const Volume& volume, int bandRows) {
  const int first = nextBandRow_, last = std::min(rows_, first + bandRows);
  const int top = std::max(0, first - kBandMargin), bottom = std::min(rows_, last + kBandMargin);
  const float* source = volume.slice(workingSlice_);
  const std::vector<float> filtered =
      classical_(settings_.method, source + static_cast<std::size_t>(top) * columns_, columns_, bottom - top,
                 settings_.noiseSigma);
  std::copy(filtered.begin() + static_cast<std::ptrdiff_t>(first - top) * columns_,
            filtered.begin() + static_cast<std::ptrdiff_t>(last - top) * columns_,
            working_.begin() + static_cast<std::ptrdiff_t>(first) * columns_);
  nextBandRow_ = last;
  if (nextBandRow_ >= rows_) finishSlice(workingSlice_, source, std::move(working_));
}

void RestorationPreview::finishSlice(int slice, const float* source, std::vector<float> filtered) {
  float* out = restored_.data() + static_cast<std::size_t>(columns_) * rows_ * slice;
  const float strength = std::clamp(settings_.strength, 0.0f, 1.0f);
  for (std::size_t i = 0; i < filtered.size(); ++i) out[i] = source[i] + strength * (filtered[i] - source[i]);
  ready_[slice] = 1;
  ++done_;
  lastSliceMs_ = nowMilliseconds() - sliceStartMs_;
  ++contentVersion_;
  workingSlice_ = -1;
}

void RestorationPreview::update(const Volume& volume, int currentSlice, double budgetMs) {
  if (!open_ || failed_ || volume.geometry.columns != columns_ || volume.geometry.rows != rows_ ||
      volume.geometry.slices != sliceCount()) {
    return;
  }
  const Clock::time_point start = Clock::now();
  while (requestId_ == 0) {
    // The user moved to a slice not restored yet: it comes first.
    const bool currentWaiting = !ready_[currentSlice] && workingSlice_ != currentSlice;
    if (workingSlice_ < 0 || (currentWaiting && settings_.method != RestoreMethod::Learned)) {
      const int slice = nextSlice(currentSlice);
      if (slice < 0) return;
      startSlice(volume, slice);
      if (settings_.method == RestoreMethod::Learned) return;
    }
    const int slice = workingSlice_;
    // The slice on screen in one piece (no context rows to filter twice).
    restoreBand(volume, slice == currentSlice ? rows_ : kBandRows);
    // The slice on screen is finished at once; the others within the budget.
    if (slice != currentSlice && millisecondsSince(start) > budgetMs) return;
  }
}

void RestorationPreview::onDenoised(const DenoiseResult& result) {
  if (!open_ || result.id != requestId_ || workingSlice_ < 0) return;  // stale
  requestId_ = 0;
  if (!result.error.empty()) {
    error_ = "the denoiser failed: " + result.error;
    workingSlice_ = -1;
    failed_ = true;
    return;
  }
  std::vector<float> pixels = finishDenoiserOutput(result.image, requestInput_);
  if (pixels.empty()) {
    error_ = "the denoiser returned " + std::to_string(result.image.size()) + " values, expected " +
             std::to_string(requestInput_.paddedWidth * requestInput_.paddedHeight);
    workingSlice_ = -1;
    failed_ = true;
    return;
  }
  lastModelMs_ = result.milliseconds;
  finishSlice(workingSlice_, requestSource_.data(), std::move(pixels));
}

}  // namespace ls
