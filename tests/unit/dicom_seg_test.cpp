// DICOM SEG export of labels on the real demo MR series: read back with
// DCMTK's dcmseg, the segments, frames, geometry and source references match.
#include <catch2/catch.hpp>

#include "app/app_state.h"
#include "dcmtk/dcmdata/dcdeftag.h"
#include "dcmtk/dcmdata/dcfilefo.h"
#include "dcmtk/dcmdata/dcistrmb.h"
#include "dcmtk/dcmseg/segdoc.h"
#include "dcmtk/dcmseg/segment.h"
#include "io/dicom_seg.h"
#include "io/dicom_seg_import.h"
#include "test_support.h"

using namespace ls;
using namespace ls::test;

namespace {

std::unique_ptr<DcmSegmentation> readBack(std::vector<std::uint8_t>& bytes, DcmFileFormat& file) {
  DcmInputBufferStream stream;
  stream.setBuffer(bytes.data(), static_cast<offile_off_t>(bytes.size()));
  stream.setEos();
  file.transferInit();
  REQUIRE(file.read(stream).good());
  file.transferEnd();
  DcmSegmentation* seg = nullptr;
  REQUIRE(DcmSegmentation::loadDataset(*file.getDataset(), seg).good());
  return std::unique_ptr<DcmSegmentation>(seg);
}

}  // namespace

TEST_CASE("DICOM SEG: segments with voxels become segments, each slice holding one a frame") {
  Volume volume = loadDemoSeries(4);
  const auto& g = volume.geometry;
  REQUIRE(g.slices == 4);
  LabelVolume labels;
  labels.reset(g.columns, g.rows, g.slices);
  SegmentList segments;
  segments.at(0).name = "Ventricle";
  segments.add();  // label 2, "Segment 2"
  segments.add();  // label 3: no voxels, left out (it would have no frame)
  labels.slice(1)[10 * g.columns + 20] = 1;
  labels.slice(2)[10 * g.columns + 21] = 1;
  labels.slice(2)[50 * g.columns + 60] = 2;

  auto written = writeDicomSeg(labels, segments, volume);
  REQUIRE(written.ok());
  DcmFileFormat file;
  auto seg = readBack(written.value(), file);
  CHECK(seg->getNumberOfSegments() == 2);
  CHECK(seg->getNumberOfFrames() == 3);  // segment 1 on slices 2 and 3, segment 2 on slice 3
  OFString label;
  seg->getSegment(1)->getSegmentLabel(label);
  CHECK(label == "Ventricle");

  DcmDataset& ds = *file.getDataset();
  OFString value;
  ds.findAndGetOFString(DCM_Modality, value);
  CHECK(value == "SEG");
  ds.findAndGetOFString(DCM_StudyInstanceUID, value);
  CHECK(value == volume.info.studyInstanceUid.c_str());
  ds.findAndGetOFString(DCM_SeriesInstanceUID, value);
  CHECK(value != volume.info.seriesInstanceUid.c_str());  // a new series
  ds.findAndGetOFString(DCM_PatientID, value);
  CHECK(value == volume.info.patientId.c_str());
  Uint16 rows = 0;
  ds.findAndGetUint16(DCM_Rows, rows);
  CHECK(rows == g.rows);

  // Frame 2 (segment 1, slice 3): one pixel at (21, 10), positioned at slice 3 and derived from its image.
  const DcmIODTypes::Frame* frame = seg->getFrame(1);
  REQUIRE(frame);
  const std::size_t bit = 10 * g.columns + 21;
  CHECK(((frame->pixData[bit / 8] >> (bit % 8)) & 1) == 1);
  DcmItem* perFrame = nullptr;
  REQUIRE(ds.findAndGetSequenceItem(DCM_PerFrameFunctionalGroupsSequence, perFrame, 1).good());
  DcmItem* position = nullptr;
  REQUIRE(perFrame->findAndGetSequenceItem(DCM_PlanePositionSequence, position).good());
  Float64 z = 0;
  position->findAndGetFloat64(DCM_ImagePositionPatient, z, 2);
  CHECK(z == Approx(volume.slicePositions[2].z).margin(1e-6));  // the source image's own position
  CHECK(std::abs(volume.slicePositions[2].z - g.toPatient(0, 0, 2).z) > 0.01);  // the demo's grid is not exact
  DcmItem* derivation = nullptr;
  REQUIRE(perFrame->findAndGetSequenceItem(DCM_DerivationImageSequence, derivation).good());
  DcmItem* sourceImage = nullptr;
  REQUIRE(derivation->findAndGetSequenceItem(DCM_SourceImageSequence, sourceImage).good());
  sourceImage->findAndGetOFString(DCM_ReferencedSOPInstanceUID, value);
  // The source series is named too (Common Instance Reference module).
  DcmItem* series = nullptr;
  REQUIRE(ds.findAndGetSequenceItem(DCM_ReferencedSeriesSequence, series).good());
  OFString seriesUid;
  series->findAndGetOFString(DCM_SeriesInstanceUID, seriesUid);
  CHECK(seriesUid == volume.info.seriesInstanceUid.c_str());
  CHECK(value == volume.sliceSopInstanceUids[2].c_str());
}

TEST_CASE("DICOM SEG: nothing to export is an error, not an empty file") {
  Volume volume = loadDemoSeries(4);
  LabelVolume labels;
  labels.reset(volume.geometry.columns, volume.geometry.rows, volume.geometry.slices);
  auto written = writeDicomSeg(labels, SegmentList{}, volume);
  REQUIRE_FALSE(written.ok());
  CHECK_THAT(written.error().message, Catch::Contains("nothing to export"));
}

TEST_CASE("recommended display colours in DICOM's scaled CIELab") {
  auto white = dicomLabFromRgb({255, 255, 255});
  CHECK(white[0] == 65535);
  CHECK(white[1] == Approx(32896).margin(200));  // a* = 0
  auto black = dicomLabFromRgb({0, 0, 0});
  CHECK(black[0] == 0);
  auto red = dicomLabFromRgb({255, 0, 0});
  CHECK(red[1] > 50000);  // a* strongly positive
}

TEST_CASE("DICOM SEG: odd-sized frames are packed back to back; label values and non-ASCII names survive") {
  Volume volume;
  auto& g = volume.geometry;
  g.columns = 7, g.rows = 5, g.slices = 3;  // 35 pixels a frame: not a whole number of bytes
  g.columnSpacing = g.rowSpacing = 0.5, g.sliceSpacing = 2;
  volume.voxels.assign(7 * 5 * 3, 0.f);
  volume.info.studyInstanceUid = "1.2.3.4";
  volume.info.frameOfReferenceUid = "1.2.3.5";
  LabelVolume labels;
  labels.reset(7, 5, 3);
  SegmentList segments;
  segments.at(0).name = "L\xc3\xa4sion";  // "Läsion" in UTF-8
  segments.add();
  segments.add();
  segments.remove(1);  // labels 1 and 3 are left
  segments.at(0).modelAssisted = true;  // a model's mask went into it; label 3 was painted by hand
  labels.slice(0)[0] = 1;
  labels.slice(1)[34] = 1;   // the last pixel of its frame
  labels.slice(2)[3] = 3;
  auto written = writeDicomSeg(labels, segments, volume);
  REQUIRE(written.ok());

  DcmFileFormat file;
  auto seg = readBack(written.value(), file);
  const Uint8* bits = nullptr;
  unsigned long length = 0;
  REQUIRE(file.getDataset()->findAndGetUint8Array(DCM_PixelData, bits, &length).good());
  REQUIRE(length == 14);  // 3 frames x 35 bits = 105 bits -> 14 bytes (already even)
  auto bitAt = [&](std::size_t i) { return (bits[i / 8] >> (i % 8)) & 1; };
  std::size_t set = 0;
  for (std::size_t i = 0; i < 105; ++i) set += bitAt(i);
  CHECK(set == 3);
  CHECK(bitAt(0) == 1);            // frame 1, pixel 0
  CHECK(bitAt(35 + 34) == 1);      // frame 2, pixel 34
  CHECK(bitAt(2 * 35 + 3) == 1);   // frame 3 (segment of label 3), pixel 3
  OFString charset;
  file.getDataset()->findAndGetOFString(DCM_SpecificCharacterSet, charset);
  CHECK(charset == "ISO_IR 192");
  OFString semiautomatic, manual, algorithmName;
  DcmItem* first = nullptr;
  DcmItem* second = nullptr;
  REQUIRE(file.getDataset()->findAndGetSequenceItem(DCM_SegmentSequence, first, 0).good());
  REQUIRE(file.getDataset()->findAndGetSequenceItem(DCM_SegmentSequence, second, 1).good());
  first->findAndGetOFString(DCM_SegmentAlgorithmType, semiautomatic);
  second->findAndGetOFString(DCM_SegmentAlgorithmType, manual);
  CHECK(semiautomatic == "SEMIAUTOMATIC");
  CHECK(manual == "MANUAL");
  CHECK(second->findAndGetOFString(DCM_SegmentAlgorithmName, algorithmName).bad());  // none for MANUAL

  auto back = readDicomSeg(written.value(), volume, "odd.dcm");
  REQUIRE(back.ok());
  CHECK(back.value().labels.labels == labels.labels);
  REQUIRE(back.value().segments.size() == 2);
  CHECK(back.value().segments[0].name == "L\xc3\xa4sion");
  CHECK(back.value().segments[1].label == 3);
  CHECK(back.value().segments[0].modelAssisted);
  CHECK_FALSE(back.value().segments[1].modelAssisted);
}
