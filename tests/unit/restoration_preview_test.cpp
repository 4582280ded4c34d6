// The restoration preview pipeline with a fake classical filter and a fake
// denoiser backend: the current slice first, then its neighbours; bands join
// without seams; strength blends; a settings change makes old results stale;
// learned denoisers get normalised, padded input and their output is cropped
// back to modality units; the comparison panes and the prompt image follow
// the pane the user prompts on.
#include <catch2/catch.hpp>

#include <cmath>

#include "app/app_state.h"
#include "app/restoration_preview.h"
#include "app/view_input.h"
#include "ml/denoiser_model.h"
#include "ml/fake_backend.h"
#include "test_support.h"

using namespace ls;

namespace {

class FakeDenoiser : public DenoiserBackend {
 public:
  void denoise(DenoiseRequest request) override { requests.push_back(std::move(request)); }
  std::vector<DenoiseRequest> requests;
};

// A filter whose output at a pixel depends on rows within 3 of it: the
// vertical 7-tap mean (edges clamped), so band seams would show.
std::vector<float> verticalMean(RestoreMethod, const float* pixels, int width, int height, float) {
  std::vector<float> out(static_cast<std::size_t>(width) * height);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      float sum = 0;
      for (int d = -3; d <= 3; ++d) sum += pixels[std::clamp(y + d, 0, height - 1) * width + x];
      out[static_cast<std::size_t>(y) * width + x] = sum / 7;
    }
  }
  return out;
}

Volume rampVolume(int columns, int rows, int slices) {
  Volume v;
  v.geometry.columns = columns, v.geometry.rows = rows, v.geometry.slices = slices;
  v.voxels.resize(static_cast<std::size_t>(columns) * rows * slices);
  for (std::size_t i = 0; i < v.voxels.size(); ++i) v.voxels[i] = static_cast<float>((i * 7919) % 1000);
  v.windows = {{500, 1000, "auto"}};
  return v;
}

DenoiserManifest ctManifest() {
  auto parsed = parseDenoiserManifest(R"({"name": "ct", "kind": "denoiser", "modality": "CT",
      "normalize": {"mode": "fixed", "offset": -1000, "scale": 1000}, "size_multiple": 8,
      "noise_sigma": {"units": "HU", "default": 20, "min": 0, "max": 100}})", "m.json");
  REQUIRE(parsed.ok());
  return parsed.value();
}

}  // namespace

TEST_CASE("restoration: bands of a classical filter join without seams", "[restore]") {
  const Volume volume = rampVolume(20, 300, 3);  // 300 rows: several bands
  RestorationPreview preview(verticalMean, nullptr);
  preview.open(volume, 1, {RestoreMethod::Median, 0, 5, 1});
  preview.update(volume, 0, 1e9);  // slice 0 on screen (in one piece), slices 1 and 2 in bands
  REQUIRE(preview.complete());
  for (int slice : {0, 2}) {
    const std::vector<float> whole = verticalMean(RestoreMethod::Median, volume.slice(slice), 20, 300, 5);
    const float* restored = preview.restoredSlice(slice);
    for (std::size_t i = 0; i < whole.size(); ++i) REQUIRE(restored[i] == Approx(whole[i]));
  }
}

TEST_CASE("restoration: current slice first, then outwards; the source is untouched", "[restore]") {
  const Volume volume = rampVolume(8, 8, 7);
  const std::vector<float> before = volume.voxels;
  std::vector<int> order;
  auto recording = [&](RestoreMethod m, const float* p, int w, int h, float s) {
    order.push_back(static_cast<int>((p - volume.voxels.data()) / 64));
    return verticalMean(m, p, w, h, s);
  };
  RestorationPreview preview(recording, nullptr);
  preview.open(volume, 1, {RestoreMethod::Median, 0, 5, 1});
  preview.update(volume, 4, 0);  // a zero budget still finishes the slice on screen
  CHECK(preview.sliceReady(4));
  CHECK(preview.slicesDone() >= 1);
  preview.update(volume, 4, 1e9);
  CHECK(preview.complete());
  REQUIRE(order.size() == 7);
  CHECK(order[0] == 4);
  CHECK(std::abs(order[1] - 4) == 1);
  CHECK(std::abs(order[2] - 4) == 1);
  CHECK(volume.voxels == before);
}

TEST_CASE("restoration: strength blends between source and filter", "[restore]") {
  const Volume volume = rampVolume(8, 8, 1);
  RestorationPreview preview(verticalMean, nullptr);
  preview.open(volume, 1, {RestoreMethod::Median, 0, 5, 0.25f});
  preview.update(volume, 0, 1e9);
  const std::vector<float> full = verticalMean(RestoreMethod::Median, volume.slice(0), 8, 8, 5);
  for (int i = 0; i < 64; ++i) {
    CHECK(preview.restoredSlice(0)[i] == Approx(volume.voxels[i] + 0.25f * (full[i] - volume.voxels[i])));
  }
  preview.setSettings({RestoreMethod::Median, 0, 5, 0.0f});
  CHECK_FALSE(preview.sliceReady(0));  // stale after a change
  preview.update(volume, 0, 1e9);
  for (int i = 0; i < 64; ++i) CHECK(preview.restoredSlice(0)[i] == volume.voxels[i]);
}

TEST_CASE("restoration: learned denoiser input is normalised and padded, output cropped back", "[restore]") {
  Volume volume = rampVolume(10, 6, 2);
  FakeDenoiser backend;
  RestorationPreview preview(verticalMean, &backend);
  preview.addDenoiser(ctManifest());
  preview.open(volume, 1, {RestoreMethod::Learned, 0, 30, 1});
  preview.update(volume, 1, 1e9);
  REQUIRE(backend.requests.size() == 1);
  const DenoiseRequest& r = backend.requests[0];
  CHECK(r.model == "ct");
  CHECK(r.width == 16);
  CHECK(r.height == 8);
  CHECK(r.sigma == Approx(0.03f));  // 30 HU / 1000
  CHECK(r.image[0] == Approx((volume.at(0, 0, 1) + 1000) / 1000));
  CHECK(r.image[11] == Approx((volume.at(7, 0, 1) + 1000) / 1000));  // reflect: column 11 -> 7
  CHECK(r.image[6 * 16] == Approx((volume.at(0, 4, 1) + 1000) / 1000));  // row 6 -> 4

  // Nothing more is asked while one request is in flight.
  preview.update(volume, 1, 1e9);
  CHECK(backend.requests.size() == 1);
  // The "model" halves the normalised value: the output comes back in HU.
  DenoiseResult result;
  result.id = r.id;
  for (float v : r.image) result.image.push_back(v / 2);
  preview.onDenoised(result);
  REQUIRE(preview.sliceReady(1));
  CHECK(preview.restoredSlice(1)[13] == Approx((volume.slice(1)[13] + 1000) / 2 - 1000));

  // A settings change while a request runs: its result is dropped.
  preview.update(volume, 1, 1e9);
  REQUIRE(backend.requests.size() == 2);
  const int staleId = backend.requests[1].id;
  preview.setSettings({RestoreMethod::Learned, 0, 10, 1});
  DenoiseResult stale;
  stale.id = staleId;
  stale.image.assign(16 * 8, 0.0f);
  preview.onDenoised(stale);
  CHECK(preview.slicesDone() == 0);

  // A failing model stops the work with the reason instead of retrying forever.
  preview.update(volume, 1, 1e9);
  REQUIRE(backend.requests.size() == 3);
  DenoiseResult failure;
  failure.id = backend.requests[2].id;
  failure.error = "out of memory";
  preview.onDenoised(failure);
  CHECK(preview.error().find("out of memory") != std::string::npos);
  preview.update(volume, 1, 1e9);
  CHECK(backend.requests.size() == 3);
}

TEST_CASE("denoiser manifest: errors name the field", "[restore]") {
  auto bad = parseDenoiserManifest(R"({"name": "x", "normalize": {"mode": "zscore"}, "noise_sigma": {"default": 1, "max": 2}})",
                                   "models/x/manifest.json");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().file == "models/x/manifest.json");
  CHECK(bad.error().message.find("normalize.mode") != std::string::npos);
  auto notDenoiser = parseDenoiserManifest(R"({"name": "sam", "kind": "segmenter"})", "m.json");
  REQUIRE_FALSE(notDenoiser.ok());
  CHECK(notDenoiser.error().message.find("kind") != std::string::npos);

  auto mr = parseDenoiserManifest(R"({"name": "mr", "normalize": {"mode": "percentile", "percentile": 50},
      "noise_sigma": {"units": "%", "default": 3, "max": 10}})", "m.json");
  REQUIRE(mr.ok());
  const float pixels[4] = {0, 10, 20, 400};
  CHECK(denoiserScale(pixels, 2, 2, mr.value()) == Approx(10));
  CHECK(sigmaToModality(5, 200, mr.value()) == Approx(10));
}

TEST_CASE("comparison: panes, swipe and the prompt image", "[restore]") {
  ComparisonView view;
  const ScreenRect area{100, 20, 800, 600};
  CHECK(layoutPanes(view, false, area).size() == 1);
  auto panes = layoutPanes(view, true, area);
  REQUIRE(panes.size() == 2);
  CHECK(panes[0].image == PaneImage::Source);
  CHECK(panes[1].image == PaneImage::Restored);
  CHECK(panes[0].rect.width == panes[1].rect.width);
  CHECK(paneAt(panes, {700, 300}) == 1);
  CHECK(promptsOnRestored(panes[1], {700, 300}));
  view.mode = CompareMode::Swipe;
  view.swipe = 0.25;
  panes = layoutPanes(view, true, area);
  REQUIRE(panes.size() == 1);
  CHECK(panes[0].swipeX == Approx(300));
  CHECK_FALSE(promptsOnRestored(panes[0], {250, 300}));
  CHECK(promptsOnRestored(panes[0], {350, 300}));
  view.mode = CompareMode::Flicker;
  view.flickerHz = 4;
  CHECK_FALSE(advanceFlicker(view, 100));
  CHECK(advanceFlicker(view, 200));
  CHECK(layoutPanes(view, true, area)[0].image == PaneImage::Restored);
}

TEST_CASE("comparison: prompts on the restored pane re-encode the restored slice, keeping the prompts",
          "[restore]") {
  FakeBackend backend;
  AppState app;
  test::showBlankVolume(app, 16, 16, 3, ScreenRect{0, 0, 100, 100});
  app.volume->voxels.assign(app.volume->voxels.size(), 100.0f);
  test::attachFakeModel(app, backend);
  test::attachIdentityRestoration(app);
  app.viewArea = {0, 0, 200, 100};
  app.slice = 1;
  openRestoration(app);
  REQUIRE(comparing(app));
  app.restoration->update(*app.volume, app.slice, 1e9);
  layoutViewPanes(app, {150, 50}, false);
  REQUIRE(app.panes.size() == 2);
  CHECK(app.viewRect.x > 99);  // the pane under the pointer takes the input
  fitToView(app);

  ViewInput in;
  in.mouse = {150, 50};
  in.mouseInView = true;
  in.click = Point2{150, 50};
  applyViewInput(app, in);
  CHECK(app.comparison.promptOnRestored);
  REQUIRE(app.prompts->points().size() == 1);
  app.prompts->update();
  REQUIRE_FALSE(backend.encodes.empty());

  // Back to the source pane: same prompts, another image to encode.
  const std::size_t encodes = backend.encodes.size();
  layoutViewPanes(app, {50, 50}, false);
  ViewInput source;
  source.mouse = {50, 50};
  source.mouseInView = true;
  source.click = Point2{50, 50};
  applyViewInput(app, source);
  CHECK_FALSE(app.comparison.promptOnRestored);
  CHECK(app.prompts->points().size() == 2);
  app.prompts->update();
  CHECK(backend.encodes.size() > encodes);

  closeRestoration(app);
  CHECK_FALSE(comparing(app));
  layoutViewPanes(app, {50, 50}, false);
  CHECK(app.panes.size() == 1);
}

TEST_CASE("comparison: a drag that starts on the swipe divider moves it and prompts nothing", "[restore]") {
  FakeBackend backend;
  AppState app;
  test::showBlankVolume(app, 16, 16, 1, ScreenRect{0, 0, 200, 100});
  test::attachFakeModel(app, backend);
  test::attachIdentityRestoration(app);
  app.viewArea = {0, 0, 200, 100};
  openRestoration(app);
  app.comparison.mode = CompareMode::Swipe;
  app.comparison.swipe = 0.5;
  layoutViewPanes(app, {100, 50}, false);
  fitToView(app);

  ViewInput press;
  press.mouse = {102, 50};
  press.mouseInView = true;
  press.strokeStart = Point2{102, 50};
  press.stroking = true;
  applyViewInput(app, press);
  ViewInput move = press;
  move.strokeStart.reset();
  move.mouse = {150, 50};
  applyViewInput(app, move);
  CHECK(app.comparison.swipe == Approx(0.75));
  ViewInput release = move;
  release.stroking = false;
  release.strokeEnd = true;
  release.boxDrawn = std::make_pair(Point2{102, 50}, Point2{150, 50});  // what the prompt tool sees
  applyViewInput(app, release);
  CHECK_FALSE(app.comparison.draggingSwipe);
  CHECK_FALSE(app.prompts->box().has_value());

  // A press away from the divider is an ordinary prompt.
  ViewInput click;
  click.mouse = {70, 50};
  click.mouseInView = true;
  click.strokeStart = Point2{70, 50};
  click.strokeEnd = true;
  click.click = Point2{70, 50};
  applyViewInput(app, click);
  CHECK(app.prompts->points().size() == 1);
}
