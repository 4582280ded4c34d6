// Export of restored voxels as a derived DICOM series, on real series (the
// demo MR, two CTs): every written file decodes with LocalSeg's own decoder to
// the restored values (within one stored step), keeps the source's study,
// frame of reference, SOP class and geometry, and is a new series of new
// instances that says what it is and which source image it came from.
// The ZIP writer's archive is checked byte by byte here; Python's zipfile and
// dciodvfy check the CLI's output in tests/validate_derived_series.py.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <set>

#include "dcmtk/config/osconfig.h"
#include "dcmtk/dcmdata/dcdeftag.h"
#include "dcmtk/dcmdata/dcfilefo.h"
#include "dcmtk/dcmdata/dcistrmb.h"
#include "dcmtk/dcmdata/dcmetinf.h"
#include "dcmtk/dcmdata/dcuid.h"
#include "dicom/decode.h"
#include "io/derived_series.h"
#include "io/zip_writer.h"
#include "test_support.h"

using namespace ls;
using namespace ls::test;

namespace {

Volume loadVolume(const std::vector<std::string>& paths) {
  SeriesLoader loader;
  loader.beginBatch(static_cast<int>(paths.size()), "test");
  for (const auto& p : paths) loader.addFile(p.substr(p.rfind('/') + 1), readBytes(p));
  std::optional<Volume> volume;
  while (loader.busy()) {
    if (auto v = loader.process(1000)) volume = std::move(v);
  }
  REQUIRE(volume.has_value());
  return std::move(*volume);
}

struct ReadBack {
  DcmFileFormat file;
  DcmDataset& ds() { return *file.getDataset(); }
  std::string get(const DcmTagKey& tag) {
    OFString v;
    ds().findAndGetOFStringArray(tag, v);
    return v.c_str();
  }
};

void readBack(const std::vector<std::uint8_t>& bytes, ReadBack& out) {
  DcmInputBufferStream stream;
  stream.setBuffer(bytes.data(), static_cast<offile_off_t>(bytes.size()));
  stream.setEos();
  out.file.transferInit();
  REQUIRE(out.file.read(stream).good());
  out.file.transferEnd();
}

std::string sequenceString(DcmItem& ds, const DcmTagKey& sequence, const DcmTagKey& tag) {
  DcmItem* item = nullptr;
  if (ds.findAndGetSequenceItem(sequence, item, 0).bad()) return {};
  OFString v;
  item->findAndGetOFString(tag, v);
  return v.c_str();
}

// What every derived file must satisfy, whatever the source.
void checkDerivedSeries(const Volume& source, const std::vector<float>& restored, const DerivedSeries& series,
                        const DerivedSeriesDescription& description, bool utf8) {
  const int slices = source.geometry.slices;
  REQUIRE(static_cast<int>(series.files.size()) == slices);
  std::set<std::string> instances;
  for (int z = 0; z < slices; ++z) {
    INFO("slice " << z << " " << source.sliceFiles[z]);
    const DicomFile& file = series.files[z];
    char name[32];
    std::snprintf(name, sizeof name, "IM%04d.dcm", z + 1);
    CHECK(file.name == name);

    // Pixels: LocalSeg's decoder gives back the restored values within half a stored step.
    auto decoded = decodeDicom(file.name, file.bytes.data(), file.bytes.size());
    REQUIRE(decoded.ok());
    REQUIRE(decoded.value().size() == 1);
    const ImageSlice& slice = decoded.value()[0];
    REQUIRE(slice.rows == source.geometry.rows);
    REQUIRE(slice.columns == source.geometry.columns);
    ReadBack rb;
    readBack(file.bytes, rb);
    Float64 slope = 1;
    rb.ds().findAndGetFloat64(DCM_RescaleSlope, slope);
    const float* expected = restored.data() + source.sliceSize() * z;
    double worst = 0;
    for (std::size_t i = 0; i < slice.pixels.size(); ++i) {
      worst = std::max(worst, std::abs(static_cast<double>(slice.pixels[i]) - expected[i]));
    }
    CHECK(worst <= 0.5 * std::abs(slope) + 1e-3 * std::max(1.0, std::abs(slope) * 100));

    // Same study, frame of reference, SOP class and geometry as the source slice.
    CHECK(slice.info.studyInstanceUid == source.info.studyInstanceUid);
    CHECK(slice.info.frameOfReferenceUid == source.info.frameOfReferenceUid);
    CHECK(slice.info.patientId == source.info.patientId);
    CHECK(slice.sopClassUid == source.sliceSopClassUids[z]);
    // Geometry exactly as the source slice says (not the volume's regularised grid).
    ReadBack original;
    {
      DcmInputBufferStream stream;
      stream.setBuffer(source.sliceHeaders[z]->data(), static_cast<offile_off_t>(source.sliceHeaders[z]->size()));
      stream.setEos();
      original.ds().transferInit();
      REQUIRE(original.ds().read(stream, EXS_LittleEndianExplicit).good());
      original.ds().transferEnd();
    }

    for (const DcmTagKey& tag : {DCM_ImagePositionPatient, DCM_ImageOrientationPatient, DCM_PixelSpacing,
                                 DCM_SliceThickness, DCM_StudyInstanceUID, DCM_FrameOfReferenceUID,
                                 DCM_SOPClassUID, DCM_InstanceNumber, DCM_WindowCenter, DCM_WindowWidth,
                                 DCM_Modality, DCM_PatientName, DCM_PatientID, DCM_BitsAllocated,
                                 DCM_BitsStored, DCM_PixelRepresentation, DCM_PhotometricInterpretation}) {
      INFO(DcmTag(tag).getTagName());
      CHECK(rb.get(tag) == original.get(tag));
    }

    // A new series of new instances.
    CHECK(slice.info.seriesInstanceUid == series.seriesInstanceUid);
    CHECK(slice.info.seriesInstanceUid != source.info.seriesInstanceUid);
    CHECK(slice.sopInstanceUid != source.sliceSopInstanceUids[z]);
    CHECK(instances.insert(slice.sopInstanceUid).second);
    CHECK(rb.file.getMetaInfo() != nullptr);
    OFString xfer;
    rb.file.getMetaInfo()->findAndGetOFString(DCM_TransferSyntaxUID, xfer);
    CHECK(xfer == UID_LittleEndianExplicitTransferSyntax);

    // Says what it is and where it came from.
    CHECK(rb.get(DCM_ImageType).rfind("DERIVED\\SECONDARY", 0) == 0);
    CHECK(rb.get(DCM_SeriesDescription) == (utf8 ? kRestoredSeriesDescription : kRestoredSeriesDescriptionAscii));
    if (utf8) CHECK(rb.get(DCM_SpecificCharacterSet) == "ISO_IR 192");
    if (utf8) CHECK(rb.get(DCM_DerivationDescription) == description.derivationDescription);
    CHECK(rb.get(DCM_BurnedInAnnotation) == "NO");
    CHECK(sequenceString(rb.ds(), DCM_DerivationCodeSequence, DCM_CodeValue) == "113087");
    CHECK(sequenceString(rb.ds(), DCM_SourceImageSequence, DCM_ReferencedSOPInstanceUID) ==
          source.sliceSopInstanceUids[z]);
    CHECK(sequenceString(rb.ds(), DCM_SourceImageSequence, DCM_ReferencedSOPClassUID) == source.sliceSopClassUids[z]);
    DcmItem* sourceItem = nullptr;
    REQUIRE(rb.ds().findAndGetSequenceItem(DCM_SourceImageSequence, sourceItem, 0).good());
    CHECK(sequenceString(*sourceItem, DCM_PurposeOfReferenceCodeSequence, DCM_CodeValue) == "121322");
    CHECK_FALSE(rb.ds().tagExists(DCM_PixelPaddingValue));
  }
}

DerivedSeriesDescription nlmDescription() {
  DerivedSeriesDescription d;
  d.methodName = "Non-local means";
  d.derivationDescription =
      "Non-local means denoising, noise sigma 12 HU, strength 0.8, LocalSeg 0.1 restoration preview \xE2\x80\x93 test";
  return d;
}

}  // namespace

TEST_CASE("derived series of the demo MR: new series, same study and geometry, restored pixels") {
  std::vector<std::string> files = demoFiles();
  files.resize(6);  // enough slices to order and reference; keeps the test quick
  Volume volume = loadVolume(files);
  REQUIRE(volume.geometry.slices == 6);
  REQUIRE(volume.sliceHeaders.size() == 6);
  for (const auto& h : volume.sliceHeaders) {
    REQUIRE(h);
    CHECK(h->size() < 8192);  // a few kB: no pixel data kept
  }
  const Volume before = volume;
  const std::vector<std::vector<std::uint8_t>> headersBefore = [&] {
    std::vector<std::vector<std::uint8_t>> copy;
    for (const auto& h : volume.sliceHeaders) copy.push_back(*h);
    return copy;
  }();

  // Restored = source + a known fractional pattern that dips below zero
  // (unsigned stored values, so the intercept has to move).
  std::vector<float> restored(volume.voxels.size());
  for (std::size_t i = 0; i < restored.size(); ++i) restored[i] = volume.voxels[i] + static_cast<float>(i % 13) * 0.75f - 4.f;
  const auto description = nlmDescription();
  auto written = writeDerivedSeries(volume, restored, description);
  if (!written.ok()) FAIL(written.error().file + ": " + written.error().message);
  checkDerivedSeries(volume, restored, written.value(), description, true);
  CHECK(written.value().clampedVoxels == 0);
  CHECK(written.value().rescaledSlices == 0);  // signed stored values: -4 fits

  ReadBack rb;
  readBack(written.value().files[0].bytes, rb);
  CHECK(rb.get(DCM_ImageType) == "DERIVED\\SECONDARY\\MPR");  // the source's third value kept
  CHECK(rb.get(DCM_SeriesNumber) == "1002");                  // source series 2
  CHECK(rb.get(DCM_Modality) == "MR");
  CHECK(rb.get(DCM_EchoTime) == "22.0000");  // acquisition attributes kept
  CHECK(rb.get(DCM_SliceThickness) == "5.00000");
  CHECK(rb.get(DCM_ImageOrientationPatient) == "1.00000\\0.00000\\0.00000\\0.00000\\0.990960\\0.134158");
  CHECK_FALSE(rb.ds().tagExists(DcmTagKey(0x0000, 0x0000)));  // the source's stray command group is gone

  // The source is untouched.
  CHECK(volume.voxels == before.voxels);
  CHECK(volume.sliceSopInstanceUids == before.sliceSopInstanceUids);
  CHECK(volume.info.seriesInstanceUid == before.info.seriesInstanceUid);
  for (std::size_t i = 0; i < volume.sliceHeaders.size(); ++i) CHECK(*volume.sliceHeaders[i] == headersBefore[i]);

  // Two exports are two different series.
  auto again = writeDerivedSeries(volume, restored, description);
  REQUIRE(again.ok());
  CHECK(again.value().seriesInstanceUid != written.value().seriesInstanceUid);
}

TEST_CASE("derived series of a CT in ISO_IR 100: the character set is kept and the description uses a hyphen") {
  Volume volume = loadVolume({kDataDir + "/pydicom/CT_small.dcm"});
  REQUIRE(volume.geometry.slices == 1);
  std::vector<float> restored(volume.voxels.size());
  for (std::size_t i = 0; i < restored.size(); ++i) restored[i] = volume.voxels[i] * 0.5f + 10.3f;
  const auto description = nlmDescription();
  auto written = writeDerivedSeries(volume, restored, description);
  REQUIRE(written.ok());
  checkDerivedSeries(volume, restored, written.value(), description, false);
  ReadBack rb;
  readBack(written.value().files[0].bytes, rb);
  CHECK(rb.get(DCM_SpecificCharacterSet) == "ISO_IR 100");
  CHECK(rb.get(DCM_SeriesDescription) == "RESTORED PREVIEW - NOT FOR DIAGNOSIS");
  const std::string derivation = rb.get(DCM_DerivationDescription);
  CHECK(derivation.find("preview - test") != std::string::npos);  // en dash made ASCII
  CHECK(rb.get(DCM_ImageType) == "DERIVED\\SECONDARY\\AXIAL");
  CHECK(rb.get(DCM_RescaleIntercept) == "-1024");  // the range fits: the source's rescale is kept
  CHECK(rb.get(DCM_KVP) == "120");
  CHECK(rb.get(DCM_ConvolutionKernel) == "STANDARD");
  CHECK_FALSE(rb.ds().tagExists(DcmTagKey(0x0009, 0x0010)));  // private elements are not carried
  CHECK(written.value().rescaledSlices == 0);
}

TEST_CASE("derived series: a restored range wider than the stored one gets a new rescale slope") {
  // The ankle CT: secondary capture without geometry, signed 16-bit, intercept -1024.
  Volume volume = loadVolume({kDataDir + "/octave-dicom/CT-MONO2-16-ankle.dcm"});
  std::vector<float> restored(volume.voxels.size());
  for (std::size_t i = 0; i < restored.size(); ++i) restored[i] = volume.voxels[i] * 20.f + 0.37f;
  auto written = writeDerivedSeries(volume, restored, nlmDescription());
  REQUIRE(written.ok());
  CHECK(written.value().rescaledSlices == 1);
  CHECK(written.value().clampedVoxels == 0);
  checkDerivedSeries(volume, restored, written.value(), nlmDescription(), true);  // no character set: UTF-8
  ReadBack rb;
  readBack(written.value().files[0].bytes, rb);
  Float64 slope = 0;
  REQUIRE(rb.ds().findAndGetFloat64(DCM_RescaleSlope, slope).good());
  CHECK(slope > 1);
  CHECK(rb.get(DCM_SOPClassUID) == UID_SecondaryCaptureImageStorage);
  CHECK(rb.get(DCM_ImageType) == "DERIVED\\SECONDARY\\3D");
}

TEST_CASE("derived series: values shifted beyond the stored range move the intercept, not the slope") {
  Volume volume = loadVolume({kDataDir + "/octave-dicom/CT-MONO2-16-ankle.dcm"});
  std::vector<float> restored(volume.voxels.size());
  for (std::size_t i = 0; i < restored.size(); ++i) restored[i] = volume.voxels[i] + 40000.25f;
  auto written = writeDerivedSeries(volume, restored, nlmDescription());
  REQUIRE(written.ok());
  CHECK(written.value().rescaledSlices == 1);
  CHECK(written.value().clampedVoxels == 0);
  checkDerivedSeries(volume, restored, written.value(), nlmDescription(), true);
  ReadBack rb;
  readBack(written.value().files[0].bytes, rb);
  CHECK(rb.get(DCM_RescaleSlope) == "1");  // the source's quantisation step is kept
  Float64 intercept = 0;
  rb.ds().findAndGetFloat64(DCM_RescaleIntercept, intercept);
  CHECK(intercept == std::round(intercept));  // moved by whole steps
  CHECK(intercept > 0);
}

TEST_CASE("derived series: errors name the file and the problem") {
  Volume volume = loadVolume({kDataDir + "/pydicom/CT_small.dcm"});
  SECTION("voxel count mismatch") {
    std::vector<float> restored(volume.voxels.size() - 1, 0.f);
    auto r = writeDerivedSeries(volume, restored, nlmDescription());
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.error().message, Catch::Contains("do not match the series' voxel count"));
    CHECK(r.error().file == "CT_small.dcm");
  }
  SECTION("non-finite values") {
    std::vector<float> restored = volume.voxels;
    restored[5] = std::nanf("");
    auto r = writeDerivedSeries(volume, restored, nlmDescription());
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.error().message, Catch::Contains("NaN or infinity"));
  }
  SECTION("a slice without its source header") {
    volume.sliceHeaders[0].reset();
    auto r = writeDerivedSeries(volume, volume.voxels, nlmDescription());
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().file == "CT_small.dcm");
    CHECK_THAT(r.error().message, Catch::Contains("no source DICOM header"));
  }
  SECTION("a volume that did not come from DICOM") {
    Volume blank;
    blank.geometry.columns = blank.geometry.rows = 4;
    blank.geometry.slices = 1;
    blank.voxels.assign(16, 0.f);
    auto r = writeDerivedSeries(blank, blank.voxels, nlmDescription());
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.error().message, Catch::Contains("no source DICOM headers"));
  }
}

TEST_CASE("derived series: a multi-frame source shares one header and is refused with a clear error") {
  const std::string path = kDataDir + "/jpeg-lossless-decoder-js/jpeg_lossless_sel1-8bit.dcm";
  auto bytes = readBytes(path);
  auto decoded = decodeDicom("sel1.dcm", bytes.data(), bytes.size());
  REQUIRE(decoded.ok());
  REQUIRE(decoded.value().size() == 12);
  for (const auto& frame : decoded.value()) CHECK(frame.sourceHeader == decoded.value()[0].sourceHeader);
  Volume volume = loadVolume({path});
  auto r = writeDerivedSeries(volume, volume.voxels, nlmDescription());
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.error().message, Catch::Contains("exporting a restored multi-frame series is not supported yet"));
  CHECK_THAT(r.error().message, Catch::Contains("jpeg_lossless_sel1-8bit.dcm"));
}

namespace {
std::uint32_t le32(const std::vector<std::uint8_t>& b, std::size_t at) {
  return b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (static_cast<std::uint32_t>(b[at + 3]) << 24);
}
std::uint16_t le16(const std::vector<std::uint8_t>& b, std::size_t at) {
  return static_cast<std::uint16_t>(b[at] | (b[at + 1] << 8));
}
}  // namespace

TEST_CASE("ZIP writer: stored entries with CRC-32, local headers, central directory and end record") {
  const std::string check = "123456789";
  CHECK(crc32Of(reinterpret_cast<const std::uint8_t*>(check.data()), check.size()) == 0xCBF43926u);  // the standard check value

  std::vector<DicomFile> files = {{"IM0001.dcm", {1, 2, 3, 4, 5}}, {"IM0002.dcm", {}}, {"IM0003.dcm", {9}}};
  auto zip = writeZip(files, "restored");
  REQUIRE(zip.ok());
  const auto& b = zip.value();
  // End record: three entries, directory right after the data.
  const std::size_t end = b.size() - 22;
  REQUIRE(le32(b, end) == 0x06054b50u);
  CHECK(le16(b, end + 8) == 3);
  CHECK(le16(b, end + 10) == 3);
  const std::uint32_t directorySize = le32(b, end + 12), directory = le32(b, end + 16);
  CHECK(directory + directorySize == end);
  std::size_t at = directory;
  for (const auto& f : files) {
    REQUIRE(le32(b, at) == 0x02014b50u);
    const std::uint32_t crc = le32(b, at + 16), size = le32(b, at + 24);
    const std::uint16_t nameLength = le16(b, at + 28);
    const std::uint32_t local = le32(b, at + 42);
    const std::string name(b.begin() + at + 46, b.begin() + at + 46 + nameLength);
    CHECK(name == "restored/" + f.name);
    CHECK(size == f.bytes.size());
    CHECK(crc == crc32Of(f.bytes.data(), f.bytes.size()));
    // The local header agrees and the data follows it unchanged.
    REQUIRE(le32(b, local) == 0x04034b50u);
    CHECK(le16(b, local + 8) == 0);  // stored
    CHECK(le32(b, local + 14) == crc);
    CHECK(le32(b, local + 18) == size);
    const std::size_t data = local + 30 + le16(b, local + 26) + le16(b, local + 28);
    CHECK(std::vector<std::uint8_t>(b.begin() + data, b.begin() + data + size) == f.bytes);
    at += 46 + nameLength;
  }
}
