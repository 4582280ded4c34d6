// Restoration core (src/restore): the classical filters against reference
// outputs of independent implementations (tests/fixtures/restore, made by
// tools/make_restore_references.py), their effect on pure noise and on
// edges, the noise estimate, and the risk analysis: silent on pure noise
// removal, firing on erased, invented and blurred structure.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "restore/anisotropic_diffusion.h"
#include "restore/bilateral_filter.h"
#include "restore/classical_filters.h"
#include "restore/median_filter.h"
#include "restore/noise_estimate.h"
#include "restore/non_local_means.h"
#include "restore/pixel_ops.h"
#include "restore/restore_metrics.h"
#include "restore/foreground.h"
#include "restore/risk_report.h"

using namespace ls;

namespace {

const std::string kFixtures = std::string(LOCALSEG_FIXTURES_DIR) + "/restore/";
constexpr int kSize = 64;          // the reference crop
constexpr float kSigma = 20;       // noise added to it (params.json)
constexpr int kSlice = 128;        // the whole CT_small slice
constexpr double kSpacing = 0.661468;

std::vector<float> load(const std::string& name, std::size_t count) {
  std::ifstream in(kFixtures + name, std::ios::binary);
  std::vector<float> v(count);
  in.read(reinterpret_cast<char*>(v.data()), static_cast<std::streamsize>(count * sizeof(float)));
  REQUIRE(in.gcount() == static_cast<std::streamsize>(count * sizeof(float)));
  return v;
}

struct Errors {
  double max = 0, mean = 0;
};

Errors compare(const std::vector<float>& a, const std::vector<float>& b) {
  Errors e;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const double d = std::fabs(static_cast<double>(a[i]) - b[i]);
    e.max = std::max(e.max, d);
    e.mean += d;
  }
  e.mean /= a.size();
  return e;
}

std::vector<float> noise(int count, float sigma, unsigned seed, float base = 0) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> n(0, sigma);
  std::vector<float> v(count);
  for (float& x : v) x = base + n(rng);
  return v;
}

double sd(const std::vector<float>& v, int width, int margin) {
  // Away from the border, where every filter sees a full window.
  double s = 0, ss = 0;
  int n = 0;
  const int height = static_cast<int>(v.size()) / width;
  for (int y = margin; y < height - margin; ++y)
    for (int x = margin; x < width - margin; ++x) {
      const double a = v[static_cast<std::size_t>(y) * width + x];
      s += a;
      ss += a * a;
      ++n;
    }
  return std::sqrt(ss / n - (s / n) * (s / n));
}

void addDisc(std::vector<float>& img, int width, double cx, double cy, double radius, float value) {
  const int height = static_cast<int>(img.size()) / width;
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x)
      if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= radius * radius) img[static_cast<std::size_t>(y) * width + x] += value;
}

std::vector<float> plus(const std::vector<float>& a, const std::vector<float>& b) {
  std::vector<float> c(a.size());
  for (std::size_t i = 0; i < a.size(); ++i) c[i] = a[i] + b[i];
  return c;
}

int countKind(const RiskReport& r, RiskKind kind) {
  return static_cast<int>(std::count_if(r.regions.begin(), r.regions.end(), [&](const RiskRegion& g) { return g.kind == kind; }));
}

}  // namespace

TEST_CASE("classical filters match independent reference implementations", "[restore]") {
  const std::size_t n = static_cast<std::size_t>(kSize) * kSize;
  const std::vector<float> input = load("input.f32", n);

  SECTION("median 3x3 and 5x5: scipy.ndimage.median_filter, exactly") {
    CHECK(compare(medianFilter(input.data(), kSize, kSize, {1}), load("median3.f32", n)).max == 0);
    CHECK(compare(medianFilter(input.data(), kSize, kSize, {2}), load("median5.f32", n)).max == 0);
  }
  SECTION("bilateral: OpenCV bilateralFilter (range weights from its table and ours differ by < 1e-4)") {
    const Errors e = compare(bilateralFilter(input.data(), kSize, kSize, bilateralParamsFor(kSigma)), load("bilateral.f32", n));
    CHECK(e.max < 0.01);  // HU, against sigma 20 and a mean change of 10.6 HU
    CHECK(e.mean < 0.001);
  }
  SECTION("anisotropic diffusion: numpy Perona-Malik with exact exp") {
    const Errors e = compare(anisotropicDiffusion(input.data(), kSize, kSize, diffusionParamsFor(kSigma)),
                             load("diffusion.f32", n));
    CHECK(e.max < 0.01);  // HU (observed: < 1e-3)
    CHECK(e.mean < 0.001);
  }
  SECTION("non-local means: numpy, every patch compared directly") {
    const Errors e = compare(nonLocalMeans(input.data(), kSize, kSize, nlmParamsFor(kSigma)), load("nlm.f32", n));
    CHECK(e.max < 0.01);  // HU (observed: < 1e-3)
    CHECK(e.mean < 0.001);
  }
  SECTION("the dispatch gives the same as the filter") {
    CHECK(compare(applyFilter(input.data(), kSize, kSize, {FilterMethod::Median, kSigma, 1}), load("median3.f32", n)).max == 0);
  }
}

TEST_CASE("strength blends the filtered image with the source", "[restore]") {
  const std::vector<float> input = load("input.f32", static_cast<std::size_t>(kSize) * kSize);
  for (FilterMethod m : {FilterMethod::NonLocalMeans, FilterMethod::Bilateral, FilterMethod::AnisotropicDiffusion,
                         FilterMethod::Median}) {
    CAPTURE(filterMethodKey(m));
    CHECK(applyFilter(input.data(), kSize, kSize, {m, kSigma, 0}) == input);  // exactly the source
    const std::vector<float> full = applyFilter(input.data(), kSize, kSize, {m, kSigma, 1});
    const std::vector<float> half = applyFilter(input.data(), kSize, kSize, {m, kSigma, 0.5f});
    CHECK(full != input);
    double worst = 0;
    for (std::size_t i = 0; i < input.size(); ++i) worst = std::max(worst, std::fabs(half[i] - 0.5 * (input[i] + full[i])));
    CHECK(worst < 1e-3);
    CHECK(parseFilterMethod(filterMethodKey(m)) == m);
  }
  CHECK_FALSE(parseFilterMethod("gauss").has_value());
}

TEST_CASE("filters reduce the SD of white noise on a flat image by the expected factor", "[restore]") {
  const int w = 192;
  const float sigma = 10;
  const std::vector<float> flat = noise(w * w, sigma, 7, 100);
  auto ratio = [&](const std::vector<float>& out) { return sd(out, w, 8) / sd(flat, w, 8); };
  // Median of 9 independent normals: SD 0.407 sigma; of 25: 0.248 (Monte Carlo, 4e5 draws).
  CHECK(ratio(medianFilter(flat.data(), w, w, {1})) == Approx(0.407).margin(0.02));
  CHECK(ratio(medianFilter(flat.data(), w, w, {2})) == Approx(0.248).margin(0.02));
  // Bilateral: no better than its spatial weights alone (sqrt(sum w^2) / sum w
  // over the disc), and the range weights (2 sigma) cost little on noise.
  {
    const BilateralParams p = bilateralParamsFor(sigma);
    double s = 0, s2 = 0;
    for (int dy = -3; dy <= 3; ++dy)
      for (int dx = -3; dx <= 3; ++dx)
        if (dx * dx + dy * dy <= 9) {
          const double v = std::exp(-0.5 * (dx * dx + dy * dy) / (p.spatialSigma * p.spatialSigma));
          s += v;
          s2 += v * v;
        }
    const double linear = std::sqrt(s2) / s;
    const double r = ratio(bilateralFilter(flat.data(), w, w, p));
    CHECK(r > linear);
    CHECK(r < 1.7 * linear);
  }
  // Perona-Malik: between linear diffusion of the same length (kappa -> inf)
  // and the source; with kappa 2.5 sigma most of the linear smoothing remains.
  {
    DiffusionParams linearP = diffusionParamsFor(sigma);
    linearP.kappa = 1e6f;
    const double linear = ratio(anisotropicDiffusion(flat.data(), w, w, linearP));
    const double r = ratio(anisotropicDiffusion(flat.data(), w, w, diffusionParamsFor(sigma)));
    CHECK(r > linear);
    CHECK(r < 2.0 * linear);
    CHECK(r < 0.5);
  }
  // NLM: at best the mean of the 121 search pixels (1 / 11); on noise about
  // half of the patches pass the 2 sigma^2 allowance.
  {
    const double r = ratio(nonLocalMeans(flat.data(), w, w, nlmParamsFor(sigma)));
    CHECK(r > 1.0 / 11);
    CHECK(r < 0.4);
  }
}

TEST_CASE("an edge survives bilateral and non-local means better than a box blur", "[restore]") {
  const int w = 96;
  const float sigma = 10;
  std::vector<float> clean(w * w);
  for (int y = 0; y < w; ++y)
    for (int x = 0; x < w; ++x) clean[y * w + x] = x < w / 2 ? 0.0f : 100.0f;  // a 10 sigma step
  const std::vector<float> noisy = plus(clean, noise(w * w, sigma, 3));
  // The error against the clean image within 3 columns of the edge.
  auto edgeError = [&](const std::vector<float>& out) {
    double e = 0;
    int count = 0;
    for (int y = 8; y < w - 8; ++y)
      for (int x = w / 2 - 3; x < w / 2 + 3; ++x, ++count) e += std::fabs(out[y * w + x] - clean[y * w + x]);
    return e / count;
  };
  const std::vector<float> box = boxMean(noisy.data(), w, w, 2);
  const double boxError = edgeError(box);
  const double bilateral = edgeError(bilateralFilter(noisy.data(), w, w, bilateralParamsFor(sigma)));
  const double nlm = edgeError(nonLocalMeans(noisy.data(), w, w, nlmParamsFor(sigma)));
  CHECK(bilateral < 0.5 * boxError);
  CHECK(nlm < 0.5 * boxError);
  CHECK(edgePreservation(noisy.data(), bilateralFilter(noisy.data(), w, w, bilateralParamsFor(sigma)).data(), w, w, sigma) >
        edgePreservation(noisy.data(), box.data(), w, w, sigma));
}

TEST_CASE("the noise estimate finds added noise on a real slice", "[restore]") {
  const std::size_t n = static_cast<std::size_t>(kSlice) * kSlice;
  const std::vector<float> slice = load("slice.f32", n);
  const float own = estimateNoiseSigma(slice.data(), kSlice, kSlice);  // the scan's own noise
  for (float sigma : {15.0f, 30.0f, 60.0f}) {
    const std::vector<float> noisy = plus(slice, noise(static_cast<int>(n), sigma, 11));
    const double expected = std::sqrt(own * own + sigma * sigma);
    CAPTURE(own, sigma, expected);
    CHECK(estimateNoiseSigma(noisy.data(), kSlice, kSlice) == Approx(expected).epsilon(0.15));
  }
  // Exactly constant padding (outside the field of view) is not "no noise".
  std::vector<float> padded(static_cast<std::size_t>(256) * 128, -2000.0f);
  const std::vector<float> noisy = plus(slice, noise(static_cast<int>(n), 30, 12));
  std::copy(noisy.begin(), noisy.end(), padded.begin());
  CHECK(estimateNoiseSigma(padded.data(), 128, 256) == Approx(std::sqrt(own * own + 900)).epsilon(0.15));
  CHECK(estimateNoiseSigma(slice.data(), 2, 2) == 0);
}

TEST_CASE("noise in a rectangle, the difference image and residual statistics", "[restore]") {
  const int w = 64;
  const std::vector<float> src = noise(w * w, 10, 5, 50);
  std::vector<float> restored(src.size(), 50.0f);
  const RegionNoise r = noiseInRect(src.data(), restored.data(), w, w, 40, 40, 8, 8);  // corners in any order
  CHECK(r.pixels == 32 * 32);
  CHECK(r.sourceSd == Approx(10).epsilon(0.1));
  CHECK(r.restoredSd == Approx(0).margin(1e-4));
  CHECK(r.restoredMean == Approx(50));
  CHECK(r.sdRatio() < 0.01);
  const std::vector<float> d = differenceImage(src.data(), restored.data(), src.size());
  CHECK(d[5] == restored[5] - src[5]);
  const ResidualStats s = residualStats(src.data(), restored.data(), src.size());
  CHECK(s.sd == Approx(10).epsilon(0.1));
  CHECK(s.robustSd == Approx(10).epsilon(0.1));
}

TEST_CASE("risk analysis stays silent on pure noise removal", "[restore]") {
  const std::size_t n = static_cast<std::size_t>(kSlice) * kSlice;
  const std::vector<float> clean = load("slice.f32", n);
  for (unsigned seed : {21u, 22u, 23u}) {
    const std::vector<float> source = plus(clean, noise(static_cast<int>(n), kSigma, seed));
    // The ideal denoiser: the residual is exactly the (white) noise.
    const RiskReport r = analyseRestoration(source.data(), clean.data(), kSlice, kSlice, kSpacing, kSpacing, kSigma);
    CAPTURE(seed, r.summary);
    CHECK(r.regions.empty());
    CHECK(std::count(r.flags.begin(), r.flags.end(), 0) == static_cast<long>(n));
    CHECK(r.weakenedDetails() == 0);
    CHECK(r.edgePreservation > 0.8);
    CHECK(r.residual.robustSd == Approx(kSigma).epsilon(0.1));
  }
  // A real filter on a flat noisy image.
  const int w = 160;
  const std::vector<float> flat = noise(w * w, kSigma, 24, 40);
  for (FilterMethod m : {FilterMethod::NonLocalMeans, FilterMethod::Bilateral, FilterMethod::Median}) {
    const std::vector<float> out = applyFilter(flat.data(), w, w, {m, kSigma, 1});
    const RiskReport r = analyseRestoration(flat.data(), out.data(), w, w, 0.7, 0.7, kSigma);
    CAPTURE(filterMethodKey(m), r.summary);
    CHECK(r.regions.empty());
  }
}

TEST_CASE("risk analysis flags an erased, an invented spot and a blurred edge", "[restore]") {
  const std::size_t n = static_cast<std::size_t>(kSlice) * kSlice;
  const std::vector<float> clean = load("slice.f32", n);
  const std::vector<float> withNoise = plus(clean, noise(static_cast<int>(n), kSigma, 31));
  // A 4 mm bright disc (6 sigma).
  const double cx = 56, cy = 114, radius = 2.0 / kSpacing;  // in fat, away from bone
  std::vector<float> source = withNoise;
  addDisc(source, kSlice, cx, cy, radius, 6 * kSigma);

  SECTION("erased by the restoration: removed bright spot at the disc") {
    const RiskReport r = analyseRestoration(source.data(), clean.data(), kSlice, kSlice, kSpacing, kSpacing, kSigma);
    CAPTURE(r.summary);
    REQUIRE(countKind(r, RiskKind::RemovedSpot) == 1);
    const RiskRegion& g = *std::find_if(r.regions.begin(), r.regions.end(),
                                         [](const RiskRegion& x) { return x.kind == RiskKind::RemovedSpot; });
    CHECK(g.bright);
    CHECK(std::hypot(g.centroidX - cx, g.centroidY - cy) < 2);
    CHECK(g.diameterMm == Approx(4).margin(1.5));
    CHECK(g.areaMm2 > 5);
    CHECK(g.x0 <= cx);
    CHECK(g.x1 > cx);
    CHECK(g.summary.find("removed structure: bright spot") != std::string::npos);
    CHECK(r.flags[static_cast<std::size_t>(cy) * kSlice + static_cast<std::size_t>(cx)] ==
          static_cast<std::uint8_t>(RiskKind::RemovedSpot));
    CHECK(countKind(r, RiskKind::InventedSpot) == 0);
  }
  SECTION("a spot the source does not have: invented") {
    std::vector<float> restored = clean;
    addDisc(restored, kSlice, cx, cy, radius, -6 * kSigma);
    const RiskReport r = analyseRestoration(withNoise.data(), restored.data(), kSlice, kSlice, kSpacing, kSpacing, kSigma);
    CAPTURE(r.summary);
    REQUIRE(countKind(r, RiskKind::InventedSpot) == 1);
    CHECK_FALSE(r.regions.front().bright);
    CHECK(countKind(r, RiskKind::RemovedSpot) == 0);
  }
  SECTION("a blurred slice: removed edges, lower edge preservation") {
    const std::vector<float> blurred = gaussianBlur(withNoise.data(), kSlice, kSlice, 2.5);
    const RiskReport r = analyseRestoration(withNoise.data(), blurred.data(), kSlice, kSlice, kSpacing, kSpacing, kSigma);
    CAPTURE(r.summary);
    CHECK(countKind(r, RiskKind::RemovedEdge) >= 1);
    const RiskReport ideal = analyseRestoration(withNoise.data(), clean.data(), kSlice, kSlice, kSpacing, kSpacing, kSigma);
    CHECK(r.edgePreservation < ideal.edgePreservation);
  }
}

TEST_CASE("the lesion detector finds an inserted 4 mm disc and its lost contrast", "[restore]") {
  const std::size_t n = static_cast<std::size_t>(kSlice) * kSlice;
  const std::vector<float> clean = load("slice.f32", n);
  const std::vector<float> erased = plus(clean, noise(static_cast<int>(n), kSigma, 41));
  const double cx = 56, cy = 114, radius = 2.0 / kSpacing;  // in fat, away from bone
  std::vector<float> source = erased;
  addDisc(source, kSlice, cx, cy, radius, 5 * kSigma);
  auto atDisc = [&](const std::vector<DetailContrast>& details) {
    return std::find_if(details.begin(), details.end(),
                        [&](const DetailContrast& d) { return std::hypot(d.x - cx, d.y - cy) <= 2; });
  };
  const auto kept = measureDetailContrast(source.data(), source.data(), kSlice, kSlice, kSpacing, kSpacing, kSigma);
  const auto found = atDisc(kept);
  REQUIRE(found != kept.end());
  CHECK(found->bright);
  CHECK(found->diameterMm == Approx(4).margin(1.5));
  CHECK(found->sourceContrast == Approx(5 * kSigma).epsilon(0.3));
  CHECK(found->retained == Approx(1));
  CHECK_FALSE(found->weakened);

  const RiskReport r = analyseRestoration(source.data(), erased.data(), kSlice, kSlice, kSpacing, kSpacing, kSigma);
  const auto lost = atDisc(r.details);
  REQUIRE(lost != r.details.end());
  CHECK(lost->retained < 0.3);
  CHECK(lost->weakened);
  CHECK(r.weakenedDetails() >= 1);
  CHECK(std::any_of(r.summary.begin(), r.summary.end(),
                    [](const std::string& s) { return s.find("keeps") != std::string::npos; }));
}

TEST_CASE("risk: nothing is reported outside the patient", "[restore]") {
  // A bright disc (the "patient") on a dark background; a small dark spot is
  // erased inside it and another in the background: only the first counts.
  const int w = 96;
  std::vector<float> source(w * w, 0.0f);
  for (int y = 0; y < w; ++y) {
    for (int x = 0; x < w; ++x) {
      if ((x - 40) * (x - 40) + (y - 48) * (y - 48) < 30 * 30) source[y * w + x] = 500;
    }
  }
  std::vector<float> restored = source;
  auto spot = [&](std::vector<float>& image, int cx, int cy, float value) {
    for (int y = cy - 2; y <= cy + 2; ++y) {
      for (int x = cx - 2; x <= cx + 2; ++x) {
        if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= 4) image[y * w + x] = value;
      }
    }
  };
  spot(source, 40, 48, 300);  // inside: a dark detail in the source, gone after restoration
  spot(source, 86, 12, 200);  // outside: a bright blip in the air, gone after restoration
  const auto mask = foregroundMask(source.data(), w, w);
  CHECK(mask[48 * w + 40] == 1);
  CHECK(mask[12 * w + 86] == 0);
  const RiskReport r = analyseRestoration(source.data(), restored.data(), w, w, 1, 1, 5);
  REQUIRE_FALSE(r.regions.empty());
  for (const RiskRegion& region : r.regions) CHECK(region.centroidX < 75);
  RiskAnalysisParams everywhere;
  everywhere.foregroundOnly = false;
  const RiskReport all = analyseRestoration(source.data(), restored.data(), w, w, 1, 1, 5, everywhere);
  CHECK(all.regions.size() > r.regions.size());
}
