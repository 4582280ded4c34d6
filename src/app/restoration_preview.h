// RestorationPreview: a restored copy of the shown series, computed slice by
// slice beside the untouched source (which is never modified). The current
// slice is restored first (the immediate preview), then the rest in the
// background: classical filters in bands of rows within a time budget per
// frame, learned denoisers one slice at a time through the asynchronous
// DenoiserBackend. Changing the method or its parameters makes every slice
// stale; results of stale requests are dropped.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/volume.h"
#include "ml/denoiser_backend.h"
#include "ml/denoiser_model.h"

namespace ls {

enum class RestoreMethod { NonLocalMeans, Bilateral, AnisotropicDiffusion, Median, Learned };

struct RestoreSettings {
  RestoreMethod method = RestoreMethod::NonLocalMeans;
  int denoiser = 0;       // index into denoisers() when method is Learned
  float noiseSigma = 0;   // modality units (HU for CT)
  float strength = 1;     // 0: the source, 1: the full restoration
  bool operator==(const RestoreSettings& o) const {
    return method == o.method && denoiser == o.denoiser && noiseSigma == o.noiseSigma && strength == o.strength;
  }
};

// A classical filter over one image: pixels (width x height, modality units)
// and the noise sigma -> filtered pixels (strength is applied by the caller).
using ClassicalFilterFunction =
    std::function<std::vector<float>(RestoreMethod, const float* pixels, int width, int height, float noiseSigma)>;

// Rows of context each side of a band, enough for the filters' support.
constexpr int kBandMargin = 24;
constexpr int kBandRows = 96;

class RestorationPreview {
 public:
  RestorationPreview(ClassicalFilterFunction classical, DenoiserBackend* backend)
      : classical_(std::move(classical)), backend_(backend) {}

  void addDenoiser(DenoiserManifest manifest) { denoisers_.push_back(std::move(manifest)); }
  const std::vector<DenoiserManifest>& denoisers() const { return denoisers_; }

  // Opens the comparison for `volume` (identified by `generation`); closing
  // frees the restored copy.
  void open(const Volume& volume, int generation, RestoreSettings settings);
  void close();
  bool isOpen() const { return open_; }
  int generation() const { return generation_; }

  void setSettings(RestoreSettings settings);
  const RestoreSettings& settings() const { return settings_; }
  std::string methodDescription() const;  // method and parameters, for the export and the panel

  // Does work for up to `budgetMs` (at least one band), the current slice first.
  void update(const Volume& volume, int currentSlice, double budgetMs);
  void onDenoised(const DenoiseResult& result);

  bool sliceReady(int slice) const;
  const float* restoredSlice(int slice) const;  // null until ready
  const std::vector<float>& restoredVolume() const { return restored_; }
  int slicesDone() const { return done_; }
  int sliceCount() const { return static_cast<int>(ready_.size()); }
  bool complete() const { return open_ && done_ == sliceCount(); }
  // Bumps on every settings change: what the restored pixels depend on.
  int settingsVersion() const { return settingsVersion_; }
  // Bumps whenever any restored pixel changes (progress to redraw).
  int contentVersion() const { return contentVersion_; }
  // From the start of the last restored slice to its result (for a learned
  // model: preparation, the page's bridge, the model run and the copies back).
  double lastSliceMilliseconds() const { return lastSliceMs_; }
  // The model run alone, as the backend timed it (learned denoisers only).
  double lastModelMilliseconds() const { return lastModelMs_; }
  const std::string& error() const { return error_; }

 private:
  void startSlice(const Volume& volume, int slice);
  void restoreBand(const Volume& volume, int bandRows);
  void finishSlice(int slice, const float* source, std::vector<float> filtered);
  int nextSlice(int currentSlice) const;

  ClassicalFilterFunction classical_;
  DenoiserBackend* backend_;
  std::vector<DenoiserManifest> denoisers_;
  bool open_ = false;
  int generation_ = -1;
  int columns_ = 0, rows_ = 0;
  RestoreSettings settings_;
  int settingsVersion_ = 0, contentVersion_ = 0;
  std::vector<float> restored_;
  std::vector<std::uint8_t> ready_;
  int done_ = 0;
  // The slice in work: classical filters fill `working_` band by band.
  int workingSlice_ = -1, nextBandRow_ = 0;
  std::vector<float> working_;
  // Learned: the request in flight, its slice and input framing.
  int requestId_ = 0, nextId_ = 1;
  DenoiserInput requestInput_;
  std::vector<float> requestSource_;  // the slice being denoised, for the strength blend
  bool failed_ = false;               // stops until the settings change
  double sliceStartMs_ = 0, lastSliceMs_ = 0, lastModelMs_ = 0;
  std::string error_;
};

}  // namespace ls
