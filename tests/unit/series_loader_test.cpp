// The loader: files arrive, decode a few per frame, bad ones are listed, the
// series still loads; actions on the resulting state.
#include <catch2/catch.hpp>

#include <algorithm>

#include "app/app_state.h"
#include "app/view_input.h"
#include "dicom/decode.h"
#include "test_support.h"

using namespace ls;
using namespace ls::test;

TEST_CASE("a folder with the demo series, a text file and a truncated file") {
  AppState app;
  auto files = demoFiles();
  app.loader.beginBatch(static_cast<int>(files.size()) + 3, "test folder");
  for (const auto& path : files) app.loader.addFile(path.substr(path.rfind('/') + 1), readBytes(path));
  std::string text = "hello";
  app.loader.addFile("readme.txt", std::vector<std::uint8_t>(text.begin(), text.end()));
  auto ankle = readBytes(kDataDir + "/octave-dicom/CT-MONO2-16-ankle.dcm");
  ankle.resize(ankle.size() / 2);
  app.loader.addFile("ankle-cut.dcm", ankle);
  app.loader.addUnreadableFile("locked.dcm", "the browser could not read the file");

  std::optional<Volume> volume;
  int frames = 0;
  while (app.loader.busy() && frames < 100000) {
    volume = app.loader.process(0.5);  // a file or so per call, waiting briefly for the workers
    ++frames;
    if (app.loader.busy()) CHECK(app.loader.progress() < 1.0f);
  }
  CHECK(frames > 10);  // decoding was spread over many frames
  REQUIRE(volume.has_value());
  CHECK(volume->geometry.slices == 20);
  // The file carries no valid window: the automatic one is offered.
  REQUIRE(volume->windows.size() == 1);
  CHECK(volume->windows[0].name == "auto");

  std::string errors;
  for (const auto& m : app.loader.messages()) errors += m.error.file + ": " + m.error.message + "\n";
  CHECK_THAT(errors, Catch::Contains("readme.txt: not a DICOM file"));
  CHECK_THAT(errors, Catch::Contains("ankle-cut.dcm: truncated"));
  CHECK_THAT(errors, Catch::Contains("locked.dcm: the browser could not read"));

  showVolume(app, std::move(*volume));
  CHECK(app.slice == 10);
  scrollSlices(app, 100);
  CHECK(app.slice == 19);
  scrollSlices(app, -3);
  CHECK(app.slice == 16);

  app.viewRect = {0, 0, 512, 512};
  fitToView(app);
  updateCursor(app, {256.5, 256.5});
  auto readout = cursorReadout(app);
  REQUIRE(readout.valid);
  CHECK(readout.column == 128);
  CHECK(readout.row == 128);
  CHECK(readout.value == app.volume->at(128, 128, 16));

  double width = app.window.width;
  dragWindow(app, 40, 0);
  CHECK(app.window.width > width);
  CHECK(app.windowPreset == -1);
  selectWindowPreset(app, 0);
  CHECK(app.window.width == Approx(width));
}

TEST_CASE("a batch with nothing displayable says so") {
  SeriesLoader loader;
  loader.beginBatch(1, "drop");
  loader.addFile("a.txt", {'x'});
  CHECK_FALSE(loader.process(100).has_value());
  CHECK_FALSE(loader.busy());
  REQUIRE(loader.messages().size() == 2);
  CHECK_THAT(loader.messages()[1].error.message, Catch::Contains("no displayable DICOM image"));
}

#include "io/label_storage.h"

TEST_CASE("a saved session of a series is offered, and restored exactly or declined") {
  AppState app;
  Volume volume;
  volume.geometry.columns = 4;
  volume.geometry.rows = 2;
  volume.geometry.slices = 2;
  volume.voxels.assign(16, 0.f);
  volume.windows = {{0, 1, "auto"}};
  volume.info.seriesInstanceUid = "1.2.3";
  showVolume(app, volume);
  CHECK(annotationKey(app) == "1.2.3|4x2x2");
  {  // another part of the same series (e.g. a cardiac phase) keeps its own work
    AppState other;
    Volume part = volume;
    part.info.part = "part 2 of 25";
    showVolume(other, std::move(part));
    CHECK(annotationKey(other) == "1.2.3|part 2 of 25|4x2x2");
  }
  LabelVolume saved;
  saved.reset(4, 2, 2);
  saved.slice(1)[3] = 1;
  SegmentList segments;
  segments.at(0).name = "Lesion";
  auto bytes = serializeAnnotation(saved, segments, {1, 40.f, 300.f});
  // Offered, not applied: nothing changes until the user answers.
  REQUIRE(offerSavedAnnotation(app, bytes.data(), bytes.size(), "2026-11-23T10:00:00Z"));
  REQUIRE(app.restoreOffer);
  CHECK(app.restoreOffer->labelledVoxels == 1);
  CHECK(app.restoreOffer->savedAt == "2026-11-23T10:00:00Z");
  CHECK(app.labels.slice(1)[3] == 0);
  acceptRestoreOffer(app);
  CHECK_FALSE(app.restoreOffer);
  CHECK(app.labels.slice(1)[3] == 1);
  CHECK(app.segments.all()[0].name == "Lesion");
  CHECK(app.slice == 1);
  CHECK(app.window.center == 40);
  CHECK(app.window.width == 300);
  CHECK(hasUnexportedWork(app));
  CHECK_THAT(app.loader.messages().back().error.message, Catch::Contains("restored"));

  // Declined: the labels stay as they are (empty here) and the offer is gone.
  showVolume(app, volume);
  REQUIRE(offerSavedAnnotation(app, bytes.data(), bytes.size(), ""));
  declineRestoreOffer(app);
  CHECK_FALSE(app.restoreOffer);
  CHECK(app.labelledVoxels == 0);
  CHECK_FALSE(hasUnexportedWork(app));

  // A saved session without work (a fresh default segment, no labels) is not offered.
  LabelVolume empty;
  empty.reset(4, 2, 2);
  auto nothing = serializeAnnotation(empty, SegmentList{});
  CHECK_FALSE(offerSavedAnnotation(app, nothing.data(), nothing.size(), ""));

  LabelVolume other;
  other.reset(4, 2, 3);
  auto wrong = serializeAnnotation(other, SegmentList{});
  CHECK_FALSE(offerSavedAnnotation(app, wrong.data(), wrong.size(), ""));
  CHECK_THAT(app.loader.messages().back().error.message, Catch::Contains("another size"));
}

TEST_CASE("several series in one batch: the largest is shown, any other can be opened") {
  SeriesLoader loader;
  const auto files = demoFiles();
  loader.beginBatch(4, "mixed");
  for (int i = 0; i < 3; ++i) loader.addFile("demo" + std::to_string(i), readBytes(files[i]));
  loader.addFile("mr.dcm", readBytes(kDataDir + "/pydicom/MR_small.dcm"));
  std::optional<Volume> shown;
  while (loader.busy()) shown = loader.process(100);
  REQUIRE(shown.has_value());
  CHECK(shown->geometry.slices == 3);
  REQUIRE(loader.series().size() == 2);
  CHECK(loader.currentSeries() == 0);
  auto other = loader.openSeries(1);
  REQUIRE(other.has_value());
  CHECK(other->geometry.columns == 64);
  CHECK(loader.currentSeries() == 1);
  auto back = loader.openSeries(0);  // no decoding needed to go back
  REQUIRE(back.has_value());
  CHECK(back->geometry.slices == 3);
  CHECK_FALSE(loader.openSeries(5).has_value());
}

namespace {
// pydicom's DICOMDIR test set: the index and the 31 files it lists, named as a folder drop names them.
std::vector<std::string> dicomDirFiles() {
  return {"77654033/CR1/6154", "77654033/CR2/6247", "77654033/CR3/6278", "98892001/CT2N/6293",
          "98892003/MR700/4558"};
}
}  // namespace

TEST_CASE("a DICOMDIR is read as an index: what it lists, and which listed files were not opened") {
  const std::string dir = kDataDir + "/pydicom/dicomdirtests/";
  for (const std::string index : {"DICOMDIR", "DICOMDIR-reordered"}) {
    INFO(index);
    SeriesLoader loader;
    const auto some = dicomDirFiles();
    loader.beginBatch(static_cast<int>(some.size()) + 1, "cd");
    loader.addFile("cd/" + index, readBytes(dir + index));
    for (const auto& f : some) loader.addFile("cd/" + f, readBytes(dir + f));
    while (loader.busy()) loader.process(100);
    const auto& messages = loader.messages();
    const auto it = std::find_if(messages.begin(), messages.end(), [&](const LoadMessage& m) {
      return m.error.file == "cd/" + index;
    });
    REQUIRE(it != messages.end());
    CHECK(it->severity == LoadMessage::Severity::Warning);  // not an error: it is no image, and that is fine
    CHECK_THAT(it->error.message, Catch::Contains("lists 2 patient(s), 6 stud(ies), 13 series and 31 file(s)"));
    CHECK_THAT(it->error.message, Catch::Contains("26 of them were not among the files opened"));
    CHECK_FALSE(loader.series().empty());  // the images themselves load
  }
}

TEST_CASE("a DICOMDIR whose files were all opened says so") {
  const std::string dir = kDataDir + "/pydicom/dicomdirtests/";
  const auto index = readBytes(dir + "DICOMDIR");
  auto listing = readDicomDir("DICOMDIR", index.data(), index.size());
  REQUIRE(listing.ok());
  REQUIRE(listing.value().files.size() == 31);
  SeriesLoader loader;
  loader.beginBatch(32, "cd");
  loader.addFile("DICOMDIR", index);
  for (const auto& f : listing.value().files) loader.addFile("export/" + f, readBytes(dir + f));
  while (loader.busy()) loader.process(100);
  bool said = false;
  for (const auto& m : loader.messages()) {
    if (m.error.file != "DICOMDIR") continue;
    said = true;
    CHECK(m.severity == LoadMessage::Severity::Info);
    CHECK_THAT(m.error.message, Catch::EndsWith("every one of them was opened"));
  }
  CHECK(said);
  CHECK(loader.series().size() >= 3);
  // Not a DICOMDIR: an image file is refused by the index reader.
  const auto image = readBytes(kDataDir + "/pydicom/CT_small.dcm");
  CHECK_FALSE(readDicomDir("CT_small.dcm", image.data(), image.size()).ok());
}

TEST_CASE("a large drop shows its first image at once, then the whole series replaces it") {
  SeriesLoader loader;
  auto files = demoFiles();
  // Not in position order, so assembling the pooled slices has to reorder them.
  std::reverse(files.begin(), files.end());
  std::swap(files[3], files[11]);
  loader.beginBatch(static_cast<int>(files.size()), "demo");
  for (const auto& f : files) loader.addFile(f, readBytes(f));
  CHECK_FALSE(loader.takeFirstLook().has_value());  // nothing decoded yet
  CHECK_FALSE(loader.process(1000).has_value());    // stops at the first decoded file
  auto first = loader.takeFirstLook();
  REQUIRE(first.has_value());
  CHECK(first->firstLook);
  CHECK(first->geometry.slices == 1);
  CHECK(first->geometry.columns == 256);
  CHECK(first->windows.back().name == "auto");
  CHECK_FALSE(loader.takeFirstLook().has_value());  // once per batch
  std::optional<Volume> whole;
  while (loader.busy()) whole = loader.process(100);
  REQUIRE(whole.has_value());
  CHECK_FALSE(whole->firstLook);
  CHECK(whole->geometry.slices == 20);
  CHECK(loader.queuedBytes() == 0);
  // The pixels came through the loader's pool, reordered in place: the same
  // volume as stacking the decoded slices directly.
  std::vector<ImageSlice> decoded;
  for (const auto& f : files) {
    const auto bytes = readBytes(f);
    auto r = decodeDicom(f, bytes.data(), bytes.size());
    REQUIRE(r.ok());
    for (auto& slice : r.value()) decoded.push_back(std::move(slice));
  }
  auto direct = assembleVolume(std::move(decoded));
  REQUIRE(direct.ok());
  CHECK(whole->voxels == direct.value().volume.voxels);
  CHECK(whole->sliceFiles == direct.value().volume.sliceFiles);

  // No edit lands on a first look.
  AppState app;
  showVolume(app, std::move(*first));
  app.viewArea = app.viewRect = {0, 0, 300, 300};
  fitToView(app);
  app.tool = Tool::Brush;
  ViewInput stroke;
  stroke.mouse = {150, 150};
  stroke.mouseInView = true;
  stroke.strokeStart = stroke.mouse;
  stroke.strokeEnd = true;
  applyViewInput(app, stroke);
  CHECK(app.labelledVoxels == 0);
  // A small drop (a file or two) is not worth a first look.
  SeriesLoader small;
  small.beginBatch(2, "two");
  small.addFile(files[0], readBytes(files[0]));
  small.addFile(files[1], readBytes(files[1]));
  small.process(0);
  CHECK_FALSE(small.takeFirstLook().has_value());
}
