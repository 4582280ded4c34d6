// The page's annotation files at the application level: SEG and NIfTI files
// recognised by content, SEG files in a dropped batch set aside for import,
// imports onto an empty annotation exact and onto existing work additive
// (never overwriting a voxel), each one undo step.
#include <catch2/catch.hpp>

#include "app/app_state.h"
#include "app/segmentation_import.h"
#include "io/dicom_seg.h"
#include "io/nifti.h"
#include "test_support.h"

using namespace ls;
using namespace ls::test;

namespace {

// Two segments painted on the demo: a block on slice 1, a bar on slice 2.
void paintTwoSegments(AppState& app) {
  const int columns = app.labels.columns;
  for (int y = 100; y < 120; ++y) {
    for (int x = 90; x < 130; ++x) app.labels.slice(1)[y * columns + x] = 1;
  }
  app.segments.add();
  app.segments.at(1).name = "Bar";
  for (int x = 60; x < 200; ++x) app.labels.slice(2)[150 * columns + x] = 2;
  afterHistoryChange(app);
}

// The demo's first slices with those two segments, shown in `app`; their SEG.
std::vector<std::uint8_t> paintedDemoSeg(AppState& app) {
  showVolume(app, loadDemoSeries(4));
  paintTwoSegments(app);
  auto seg = writeDicomSeg(app.labels, app.segments, *app.volume);
  REQUIRE(seg.ok());
  return seg.value();
}

}  // namespace

TEST_CASE("segmentation files are recognised by their content") {
  AppState app;
  CHECK(segmentationFormat("anything.dcm", paintedDemoSeg(app)) == SegmentationFormat::DicomSeg);
  const auto nifti = writeNiftiLabels(app.labels, app.volume->geometry, "x");
  CHECK(segmentationFormat("labels.bin", nifti) == SegmentationFormat::Nifti);
  CHECK(segmentationFormat("brain_001.dcm", readBytes(demoFiles()[0])) == SegmentationFormat::None);
  CHECK(segmentationFormat("notes.txt", {'h', 'i'}) == SegmentationFormat::None);
  CHECK(segmentationFormat("odd.nii", {'h', 'i'}) == SegmentationFormat::Nifti);  // the reader explains
}

TEST_CASE("a SEG dropped with its series is set aside for import, not reported as a bad image") {
  AppState source;
  const auto seg = paintedDemoSeg(source);

  SeriesLoader loader;
  const auto files = demoFiles();
  loader.beginBatch(5, "folder");
  for (int i = 0; i < 4; ++i) loader.addFile("img" + std::to_string(i), readBytes(files[i]));
  loader.addFile("seg.dcm", seg);
  std::optional<Volume> volume;
  while (loader.busy()) {
    if (auto v = loader.process(100)) volume = std::move(v);
  }
  REQUIRE(volume);
  CHECK(loader.messages().empty());
  auto segFiles = loader.takeSegmentationFiles();
  REQUIRE(segFiles.size() == 1);
  CHECK(segFiles[0].name == "seg.dcm");

  // Alone (onto a series already open): no "no displayable image" error either.
  loader.beginBatch(1, "drop");
  loader.addFile("seg.dcm", seg);
  while (loader.busy()) loader.process(100);
  CHECK(loader.messages().empty());
  CHECK(loader.takeSegmentationFiles().size() == 1);
}

TEST_CASE("imports onto an empty annotation come back exactly, as one undo step") {
  AppState source;
  const auto seg = paintedDemoSeg(source);
  const auto nifti = writeNiftiLabels(source.labels, source.volume->geometry, "x", source.segments.all(), true);

  for (const auto& [name, bytes] : {std::pair{std::string("seg.dcm"), seg},
                                    std::pair{std::string("labels.nii.gz"), nifti}}) {
    INFO(name);
    AppState app;
    showVolume(app, loadDemoSeries(4));
    importSegmentation(app, name, bytes);
    CHECK(app.labels.labels == source.labels.labels);
    REQUIRE(app.segments.all().size() == 2);
    CHECK(app.segments.all()[1].name == "Bar");
    CHECK(app.segments.all()[1].colour == source.segments.all()[1].colour);
    CHECK_THAT(app.loader.messages().back().error.message, Catch::Contains("imported 2 segments"));
    CHECK(app.loader.messages().back().error.file == name);
    REQUIRE(undoEdit(app));
    CHECK(app.labelledVoxels == 0);
  }
}

TEST_CASE("imports onto existing work add segments under free labels and overwrite nothing") {
  AppState source;
  showVolume(source, loadDemoSeries(4));
  paintTwoSegments(source);
  const auto nifti = writeNiftiLabels(source.labels, source.volume->geometry, "x", source.segments.all());

  AppState app;
  showVolume(app, loadDemoSeries(4));
  const int columns = app.labels.columns;
  for (int x = 0; x < 256; ++x) app.labels.slice(1)[110 * columns + x] = 1;  // crosses the imported block
  afterHistoryChange(app);
  const std::size_t before = app.labelledVoxels;
  importSegmentation(app, "labels.nii", nifti);
  REQUIRE(app.segments.all().size() == 3);  // "Segment 1" of the user, then the two imported ones
  CHECK(app.segments.all()[1].label == 2);
  CHECK(app.segments.all()[2].name == "Bar");
  CHECK(app.segments.all()[2].label == 3);
  CHECK(app.labels.slice(1)[110 * columns + 100] == 1);  // the user's voxel is kept
  CHECK(app.labels.slice(1)[105 * columns + 100] == 2);  // imported block, relabelled
  CHECK(app.labels.slice(2)[150 * columns + 100] == 3);  // imported bar, relabelled
  CHECK_THAT(app.loader.messages().back().error.message, Catch::Contains("40 voxels already labelled were kept"));
  REQUIRE(undoEdit(app));
  CHECK(app.labelledVoxels == before);

  // While a saved session is offered, an import waits for the user's answer.
  auto saved = serializeAnnotation(app.labels, app.segments);
  REQUIRE(offerSavedAnnotation(app, saved.data(), saved.size(), ""));
  importSegmentation(app, "labels.nii", nifti);
  CHECK_THAT(app.loader.messages().back().error.message, Catch::Contains("first restore the saved annotation"));
  CHECK(app.labelledVoxels == before);
}

TEST_CASE("a segmentation that does not fit the series is refused with the file's name") {
  AppState app;
  showVolume(app, loadDemoSeries(4));
  importSegmentation(app, "notes.nii", {'n', 'o', 'p', 'e'});
  CHECK(app.loader.messages().back().severity == LoadMessage::Severity::Error);
  CHECK(app.loader.messages().back().error.file == "notes.nii");
  CHECK(app.labelledVoxels == 0);

  AppState other;
  showVolume(other, loadDemoSeries(3));  // another grid (3 slices)
  paintTwoSegments(other);
  const auto nifti = writeNiftiLabels(other.labels, other.volume->geometry, "x");
  importSegmentation(app, "three-slices.nii", nifti);
  CHECK(app.loader.messages().back().severity == LoadMessage::Severity::Error);
  CHECK(app.labelledVoxels == 0);
}
