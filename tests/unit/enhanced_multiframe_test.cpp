// Enhanced multi-frame CT and MR (per-frame functional groups): real series
// from two sources converted by a third party (PixelMed, see
// tests/data/enhanced/SOURCE.md) must load as the same volume as their
// untouched single-frame files: the same voxels, positions, spacing, rescale
// and windows.
#include <catch2/catch.hpp>

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcistrmb.h>
#include <dcmtk/dcmdata/dcitem.h>
#include <dcmtk/dcmdata/dcsequen.h>

#include <cstdio>
#include <filesystem>

#include "core/series_assembly.h"
#include "dicom/decode.h"
#include "test_support.h"

using namespace ls;
using namespace ls::test;

namespace {

std::vector<ImageSlice> decodeBytes(const std::string& name, const std::vector<std::uint8_t>& bytes) {
  auto decoded = decodeDicom(name, bytes.data(), bytes.size());
  if (!decoded.ok()) FAIL(decoded.error().message);
  return std::move(decoded.value());
}

AssembledVolume assemble(std::vector<ImageSlice> slices) {
  auto assembled = assembleVolume(std::move(slices));
  if (!assembled.ok()) FAIL(assembled.error().message);
  return std::move(assembled.value());
}

AssembledVolume assembleFiles(const std::vector<std::string>& paths) {
  std::vector<ImageSlice> slices;
  for (const auto& path : paths) {
    for (auto& s : decodeBytes(path, readBytes(path))) slices.push_back(std::move(s));
  }
  return assemble(std::move(slices));
}

std::vector<std::string> filesIn(const std::string& folder) {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) files.push_back(entry.path().string());
  return files;
}

void checkSameVolume(const Volume& enhanced, const Volume& classic) {
  const VolumeGeometry &a = enhanced.geometry, &b = classic.geometry;
  CHECK(a.columns == b.columns);
  CHECK(a.rows == b.rows);
  REQUIRE(a.slices == b.slices);
  CHECK(a.orientationKnown);
  CHECK(a.spacingKnown);
  CHECK(a.rowSpacing == Approx(b.rowSpacing));
  CHECK(a.columnSpacing == Approx(b.columnSpacing));
  CHECK(a.sliceSpacing == Approx(b.sliceSpacing));
  CHECK(length(a.origin - b.origin) == Approx(0).margin(1e-3));
  CHECK(length(a.rowDirection - b.rowDirection) == Approx(0).margin(1e-6));
  CHECK(length(a.columnDirection - b.columnDirection) == Approx(0).margin(1e-6));
  for (int z = 0; z < a.slices; ++z) {
    CHECK(length(enhanced.slicePositions[z] - classic.slicePositions[z]) == Approx(0).margin(1e-3));
  }
  CHECK(enhanced.voxels == classic.voxels);  // exact: the same stored values and rescale
}

// The enhanced CT as DCMTK reads it, changed by `edit`, written back to bytes.
std::vector<std::uint8_t> editedEnhancedCt(const std::function<void(DcmDataset&)>& edit) {
  DcmFileFormat file;
  REQUIRE(file.loadFile((kDataDir + "/enhanced/ct5n_enhanced.dcm").c_str()).good());
  edit(*file.getDataset());
  const auto path = std::filesystem::temp_directory_path() / "localseg-enhanced-edit.dcm";
  REQUIRE(file.saveFile(path.c_str(), EXS_LittleEndianExplicit).good());
  auto bytes = readBytes(path.string());
  std::filesystem::remove(path);
  return bytes;
}

DcmItem& frameGroups(DcmDataset& ds, unsigned long frame) {
  DcmItem* item = nullptr;
  REQUIRE(ds.findAndGetSequenceItem(DCM_PerFrameFunctionalGroupsSequence, item, static_cast<int>(frame)).good());
  return *item;
}

// Puts a one-item macro sequence with the given string attributes into `group`.
void putMacro(DcmItem& group, const DcmTagKey& sequence, const std::vector<std::pair<DcmTagKey, const char*>>& values) {
  DcmItem* item = nullptr;
  REQUIRE(group.findOrCreateSequenceItem(sequence, item, 0).good());
  for (const auto& [tag, value] : values) REQUIRE(item->putAndInsertString(tag, value).good());
}

const std::string kCtFolder = kDataDir + "/pydicom/dicomdirtests/98892001/CT5N";

}  // namespace

TEST_CASE("an enhanced MR (PixelMed from the demo's first 8 slices) is the same volume as its source files") {
  const auto enhanced = assembleFiles({kDataDir + "/enhanced/mr_brain_enhanced.dcm"});
  auto demo = demoFiles();
  demo.resize(8);
  const auto classic = assembleFiles(demo);
  checkSameVolume(enhanced.volume, classic.volume);
  CHECK(enhanced.volume.info.modality == "MR");
  CHECK(enhanced.volume.geometry.sliceSpacing == Approx(7.0).margin(0.05));  // from the positions, not the file's 2 mm
  CHECK(enhanced.warnings.empty());
}

TEST_CASE("an enhanced CT with its frames in reverse order is placed by its plane positions, in HU") {
  const auto enhanced = assembleFiles({kDataDir + "/enhanced/ct5n_enhanced.dcm"});
  const auto classic = assembleFiles(filesIn(kCtFolder));
  checkSameVolume(enhanced.volume, classic.volume);
  CHECK(enhanced.volume.geometry.sliceSpacing == Approx(2.5));
  CHECK(enhanced.volume.minValue == classic.volume.minValue);  // rescale intercept -1024 from the shared groups
  CHECK(enhanced.volume.minValue < -800);  // air, in HU
  REQUIRE(enhanced.volume.windows.size() == 1);  // the shared Frame VOI LUT
  CHECK(enhanced.volume.windows[0].center == 40);
  CHECK(enhanced.volume.windows[0].width == 400);
}

TEST_CASE("per-frame rescale and window of an enhanced image apply to their frame only") {
  const auto original = decodeBytes("ct5n_enhanced.dcm", readBytes(kDataDir + "/enhanced/ct5n_enhanced.dcm"));
  const auto edited = decodeBytes("edited.dcm", editedEnhancedCt([](DcmDataset& ds) {
    putMacro(frameGroups(ds, 2), DCM_PixelValueTransformationSequence,
             {{DCM_RescaleSlope, "2"}, {DCM_RescaleIntercept, "-3000"}, {DCM_RescaleType, "HU"}});
    putMacro(frameGroups(ds, 3), DCM_FrameVOILUTSequence, {{DCM_WindowCenter, "-600"}, {DCM_WindowWidth, "1500"}});
  }));
  REQUIRE(edited.size() == 5);
  for (std::size_t f = 0; f < 5; ++f) {
    INFO("frame " << f);
    const auto& before = original[f].pixels;
    const auto& after = edited[f].pixels;
    REQUIRE(after.size() == before.size());
    for (std::size_t i = 0; i < before.size(); i += 37) {
      const float stored = before[i] + 1024;  // shared rescale: slope 1, intercept -1024
      CHECK(after[i] == (f == 2 ? stored * 2 - 3000 : before[i]));
    }
    REQUIRE(edited[f].windows.size() == 1);
    CHECK(edited[f].windows[0].center == (f == 3 ? -600 : 40));
  }
}

TEST_CASE("a frame of an enhanced image in another plane is left out and named by its frame number") {
  auto slices = decodeBytes("tilted.dcm", editedEnhancedCt([](DcmDataset& ds) {
    putMacro(frameGroups(ds, 1), DCM_PlaneOrientationSequence, {{DCM_ImageOrientationPatient, "0\\1\\0\\0\\0\\-1"}});
  }));
  const auto assembled = assemble(std::move(slices));
  CHECK(assembled.volume.geometry.slices == 4);
  // The other warning: the gap the frame leaves (uneven spacing).
  REQUIRE(assembled.warnings.size() == 2);
  CHECK(assembled.warnings[0].file == "tilted.dcm");
  CHECK_THAT(assembled.warnings[0].message, Catch::StartsWith("frame 2: left out: orientation differs"));
  CHECK_THAT(assembled.warnings[1].message, Catch::Contains("uneven slice spacing"));
}

TEST_CASE("frames of an enhanced image repeating its positions (phases, echoes) are separate volumes of the series") {
  // Frames 4 and 5 (file order) moved onto the positions of frames 1 and 2:
  // a second phase of two slices.
  auto slices = decodeBytes("phases.dcm", editedEnhancedCt([](DcmDataset& ds) {
    for (unsigned long from : {0ul, 1ul}) {
      DcmItem* plane = nullptr;
      REQUIRE(frameGroups(ds, from).findAndGetSequenceItem(DCM_PlanePositionSequence, plane, 0).good());
      OFString position;
      REQUIRE(plane->findAndGetOFStringArray(DCM_ImagePositionPatient, position).good());
      putMacro(frameGroups(ds, from + 3), DCM_PlanePositionSequence, {{DCM_ImagePositionPatient, position.c_str()}});
    }
  }));
  REQUIRE(slices.size() == 5);
  CHECK(slices[0].info.part == "part 1 of 2");
  CHECK(slices[3].info.part == "part 2 of 2");
  auto series = groupBySeries(std::move(slices));
  REQUIRE(series.size() == 2);  // one series UID, two volumes
  CHECK(series[0].seriesInstanceUid == series[1].seriesInstanceUid);
  CHECK(series[0].slices.size() == 3);
  CHECK(series[1].slices.size() == 2);
  for (auto& group : series) {
    const auto assembled = assemble(std::move(group.slices));
    CHECK(assembled.warnings.empty());  // no duplicate positions within a part
  }
}

TEST_CASE("an enhanced image without repeated positions is one part") {
  const auto slices = decodeBytes("ct.dcm", readBytes(kDataDir + "/enhanced/ct5n_enhanced.dcm"));
  for (const auto& s : slices) CHECK(s.info.part.empty());
}

TEST_CASE("the enhanced MR in multi-frame JPEG 2000 and HTJ2K (one fragment per frame) is the same volume") {
  const auto uncompressed = assembleFiles({kDataDir + "/enhanced/mr_brain_enhanced.dcm"});
  for (const char* file : {"mr_brain_enhanced_j2k.dcm", "mr_brain_enhanced_htj2k.dcm"}) {
    INFO(file);
    const auto compressed = assembleFiles({kDataDir + "/enhanced/" + file});
    checkSameVolume(compressed.volume, uncompressed.volume);  // lossless: every voxel
    CHECK_THAT(compressed.volume.info.transferSyntax, Catch::Contains("JPEG 2000"));
  }
}
