// The prompt -> mask loop against a fake backend: one encode per slice and
// window, decodes with SAM's point conventions, refinement through
// mask_input, superseded results ignored, accept into the label volume.
#include <catch2/catch.hpp>

#include "ml/fake_backend.h"
#include "ml/mask_output.h"
#include "segment/label_volume.h"
#include "segment/prompt_session.h"

using namespace ls;

namespace {

ModelManifest tinyModel() {
  ModelManifest m;
  m.name = "tiny";
  m.inputSize = 8;
  m.embeddingShape = {2, 2, 2};
  m.lowResSize = 4;
  return m;
}

// Answers a decode with masks whose low-res logits are positive in the
// top-left quadrant (mask 0), the left half (mask 1) or everywhere (mask 2).
DecodeResult answer(const DecodeRequest& request, std::vector<float> iou = {0.5f, 0.9f, 0.1f}) {
  DecodeResult r;
  r.id = request.id;
  r.iouPredictions = iou;
  for (int k = 0; k < 3; ++k) {
    for (int y = 0; y < 4; ++y) {
      for (int x = 0; x < 4; ++x) {
        bool on = k == 2 || (k == 1 && x < 2) || (k == 0 && x < 2 && y < 2);
        r.lowResMasks.push_back(on ? 10.f : -10.f);
      }
    }
  }
  r.milliseconds = 3;
  return r;
}

struct Fixture {
  FakeBackend backend;
  EmbeddingCache cache{1 << 20};
  PromptSession session{backend, cache};
  std::vector<float> pixels = std::vector<float>(16 * 8, 100.f);  // 16 x 8 image
  SliceImage image{pixels.data(), 16, 8, 1, 0, {100, 50, "auto"}};

  Fixture() {
    session.setModel(tinyModel());
    session.setImage(image);
  }
  // Encodes the slice and answers one decode for an include click at (4, 2).
  void firstMask() {
    session.update();
    encodeDone();
    session.addPoint({4.5, 2.5}, true);
    session.update();
    session.onDecoded(answer(backend.decodes.back()));
  }
  void encodeDone() {
    REQUIRE_FALSE(backend.encodes.empty());
    EncodeResult r;
    r.id = backend.encodes.back().id;
    r.embedding = std::make_shared<const std::vector<float>>(8, 0.5f);
    r.milliseconds = 12;
    session.onEncoded(r);
  }
};

}  // namespace

TEST_CASE("a click encodes the slice once, then decodes with SAM's conventions") {
  Fixture f;
  f.session.update();
  REQUIRE(f.backend.encodes.size() == 1);
  CHECK(f.backend.encodes[0].input.size() == 3 * 8 * 8);
  f.session.update();
  CHECK(f.backend.encodes.size() == 1);  // still in flight: not sent twice

  f.session.addPoint({4.5, 2.5}, true);  // centre of pixel (4, 2)
  f.session.update();
  CHECK(f.backend.decodes.empty());  // waits for the embedding
  f.encodeDone();
  f.session.update();
  REQUIRE(f.backend.decodes.size() == 1);
  const DecodeRequest& d = f.backend.decodes[0];
  // 16 x 8 -> 8 x 4: pixel-centre coordinates (4, 2) scaled by 0.5.
  REQUIRE(d.pointCoords.size() == 4);
  CHECK(d.pointCoords[0] == Approx(2));
  CHECK(d.pointCoords[1] == Approx(1));
  CHECK(d.pointLabels == std::vector<float>{1, -1});  // SAM's padding point without a box
  CHECK_FALSE(d.hasMaskInput);
  CHECK(d.maskInput.size() == 16);
  CHECK(d.imageWidth == 16);
  CHECK(d.imageHeight == 8);

  f.session.onDecoded(answer(d));
  REQUIRE(f.session.candidates().size() == 3);
  CHECK(f.session.selected() == 1);  // highest predicted IoU
  const MaskCandidate* c = f.session.selectedCandidate();
  REQUIRE(c != nullptr);
  // Left half of the low-res mask covers the left half of the image (the
  // model input's bottom half is padding and is cropped away).
  CHECK(c->mask[0] == 1);
  CHECK(c->mask[15] == 0);
  CHECK(c->area == 16 * 8 / 2);
  CHECK(f.session.decoderMilliseconds() == 3);
  CHECK(f.session.encoderMilliseconds() == 12);
}

TEST_CASE("only the selected candidate is post-processed; the others on selection") {
  Fixture f;
  f.firstMask();
  const auto& candidates = f.session.candidates();
  REQUIRE(candidates.size() == 3);
  CHECK(candidates[0].mask.empty());  // not selected: thumbnail only
  CHECK(candidates[0].area == -1);
  CHECK(candidates[1].area == 16 * 8 / 2);
  // Thumbnails from the logits: mask 0 (the low-res top-left quadrant) is,
  // within the image (the input's top half), its left half, in every row.
  const auto& t0 = candidates[0].thumbnail;
  REQUIRE(t0.size() == kCandidateThumbnailCells * kCandidateThumbnailCells);
  CHECK(t0[0] == 1);
  CHECK(t0[kCandidateThumbnailCells - 1] == 0);
  CHECK(t0[(kCandidateThumbnailCells - 1) * kCandidateThumbnailCells] == 1);
  CHECK(candidates[2].thumbnail == std::vector<std::uint8_t>(t0.size(), 1));
  // Asked for (the page's state) or selected: computed then.
  CHECK(f.session.candidateArea(2) == 16 * 8);
  CHECK(candidates[2].mask.size() == 16 * 8);
  f.session.selectCandidate(0);
  const MaskCandidate* selected = f.session.selectedCandidate();
  CHECK(selected->area == maskArea(selected->mask));
  CHECK(selected->area > 16 * 8 / 2 - 8);  // the left half (less a blended corner)
  CHECK(selected->mask[0] == 1);
  CHECK(selected->mask[15] == 0);
}

TEST_CASE("further prompts refine: the previous low-res mask becomes mask_input") {
  Fixture f;
  f.firstMask();
  f.session.addPoint({12.5, 2.5}, false);
  f.session.update();
  REQUIRE(f.backend.decodes.size() == 2);
  const DecodeRequest& d = f.backend.decodes[1];
  CHECK(d.hasMaskInput);
  CHECK(d.maskInput == f.session.candidates()[1].lowRes);
  CHECK(d.pointLabels == std::vector<float>{1, 0, -1});
  CHECK(f.backend.encodes.size() == 1);  // the embedding came from the cache
}

TEST_CASE("a scribble becomes points along it and is drawn into the mask fed back") {
  Fixture f;
  f.firstMask();  // selected: candidate 1, the left half (low-res columns 0 and 1)
  // A 4 px stroke at y = 2 on the right: 3 include points, and its low-res
  // cells (row 0, columns 2 and 3) set inside the mask fed back.
  f.session.addScribble({{10, 2}, {12, 2}, {14, 2}}, true);
  f.session.update();
  REQUIRE(f.backend.decodes.size() == 2);
  const DecodeRequest& d = f.backend.decodes[1];
  CHECK(d.pointLabels == std::vector<float>{1, 1, 1, 1, -1});
  REQUIRE(d.pointCoords.size() == 10);
  CHECK(d.pointCoords[2] < d.pointCoords[4]);  // in stroke order, left to right
  CHECK(d.hasMaskInput);
  std::vector<float> expected = f.session.candidates()[1].lowRes;
  expected[2] = expected[3] = 10.f;
  CHECK(d.maskInput == expected);

  // Drawn with Ctrl (exclude): points labelled 0; without a mask yet, points only.
  Fixture g;
  g.session.update();
  g.encodeDone();
  g.session.addScribble({{2, 6}, {6, 6}}, false);
  g.session.update();
  REQUIRE(g.backend.decodes.size() == 1);
  CHECK(g.backend.decodes[0].pointLabels == std::vector<float>{0, 0, 0, -1});
  CHECK_FALSE(g.backend.decodes[0].hasMaskInput);
}

TEST_CASE("a box is two points labelled 2 and 3, corners ordered") {
  Fixture f;
  f.session.update();
  f.encodeDone();
  f.session.setBox({10.5, 6.5}, {2.5, 0.5});
  f.session.update();
  REQUIRE(f.backend.decodes.size() == 1);
  const DecodeRequest& d = f.backend.decodes[0];
  CHECK(d.pointLabels == std::vector<float>{2, 3});
  CHECK(d.pointCoords == std::vector<float>{1, 0, 5, 3});
}

TEST_CASE("prompts given while decoding are sent when the decode returns; stale results are ignored") {
  Fixture f;
  f.session.update();
  f.encodeDone();
  f.session.addPoint({4.5, 2.5}, true);
  f.session.update();
  f.session.addPoint({6.5, 2.5}, true);
  f.session.update();
  CHECK(f.backend.decodes.size() == 1);  // one in flight at a time
  f.session.onDecoded(answer(f.backend.decodes[0]));
  f.session.update();
  REQUIRE(f.backend.decodes.size() == 2);
  CHECK(f.backend.decodes[1].pointLabels.size() == 3);

  // A result for an older request id changes nothing.
  DecodeResult stale = answer(f.backend.decodes[0], {1, 1, 1});
  f.session.onDecoded(stale);
  CHECK(f.session.selected() == 1);
}

TEST_CASE("a new slice discards the preview; a new window re-encodes and keeps the prompts") {
  Fixture f;
  f.firstMask();

  SliceImage windowed = f.image;
  windowed.window = {120, 80, "manual"};
  f.session.setImage(windowed);
  CHECK(f.session.points().size() == 1);
  f.session.update();
  REQUIRE(f.backend.encodes.size() == 2);  // new window, new embedding
  f.encodeDone();
  f.session.update();
  CHECK(f.backend.decodes.size() == 2);

  SliceImage next = windowed;
  next.slice = 1;
  f.session.setImage(next);
  CHECK(f.session.points().empty());
  CHECK(f.session.candidates().empty());
}

TEST_CASE("decoder errors and malformed outputs are reported, not shown") {
  Fixture f;
  f.session.update();
  f.encodeDone();
  f.session.addPoint({4.5, 2.5}, true);
  f.session.update();
  DecodeResult bad = answer(f.backend.decodes[0]);
  bad.lowResMasks.resize(10);
  f.session.onDecoded(bad);
  CHECK(f.session.candidates().empty());
  CHECK_THAT(f.session.lastError(), Catch::Contains("unexpected output size"));
}

TEST_CASE("accepting paints the mask into the label volume") {
  LabelVolume labels;
  labels.reset(4, 2, 3);
  std::vector<std::uint8_t> mask{1, 1, 0, 0, 0, 1, 0, 0};
  CHECK(commitMask(labels, 1, mask, 1) == 3);
  CHECK(labels.slice(1)[5] == 1);
  CHECK(labels.slice(0)[0] == 0);
  CHECK(commitMask(labels, 1, mask, 1) == 0);  // already painted
  CHECK(commitMask(labels, 7, mask, 1) == 0);  // no such slice
}

TEST_CASE("when idle, the neighbouring slices are encoded ahead") {
  FakeBackend backend;
  EmbeddingCache cache(1 << 20);
  PromptSession session(backend, cache);
  session.setModel(tinyModel());
  std::vector<float> volume(16 * 8 * 3, 50.f);
  SliceImage image{volume.data() + 16 * 8, 16, 8, 1, 1, {100, 50, "auto"}, volume.data(), 3};
  session.setImage(image);
  auto finishEncode = [&] {
    EncodeResult r;
    r.id = backend.encodes.back().id;
    r.embedding = std::make_shared<const std::vector<float>>(8, 0.f);
    session.onEncoded(r);
  };
  session.update();
  REQUIRE(backend.encodes.size() == 1);  // the current slice first
  finishEncode();
  session.update();
  REQUIRE(backend.encodes.size() == 2);  // then slice 2
  finishEncode();
  session.update();
  REQUIRE(backend.encodes.size() == 3);  // then slice 0
  finishEncode();
  session.update();
  CHECK(backend.encodes.size() == 3);  // nothing left to do
  CHECK(cache.size() == 3);

  // Scrolling to slice 2 needs no encoder run: a click decodes at once.
  SliceImage next = image;
  next.slice = 2;
  next.pixels = volume.data() + 2 * 16 * 8;
  session.setImage(next);
  session.addPoint({3.5, 3.5}, true);
  session.update();
  CHECK(backend.encodes.size() == 3);
  CHECK(backend.decodes.size() == 1);
}
