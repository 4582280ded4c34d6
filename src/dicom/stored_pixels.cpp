#include "dicom/stored_pixels.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdatset.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcpixel.h>

#include <cmath>
#include <cstring>
#include <type_traits>

#if defined(__wasm_simd128__)
#include <wasm_simd128.h>
#endif

namespace ls {
namespace {

// Cells are read in host byte order: WebAssembly and x86-64 are little
// endian, as DICOM's little endian syntaxes and DCMTK's OW words in memory.
// One cell type per Bits Allocated; the bit work is done in twice the
// cell's width (64 bits for 32-bit cells), so a full-width signed value
// sign-extends like any other.
template <typename Cell, bool isSigned>
void convertCells(const std::uint8_t* cells, std::size_t begin, std::size_t count, const StoredPixelLayout& layout,
                  const Rescale& rescale, float* out) {
  using Bits = std::conditional_t<sizeof(Cell) <= 2, std::uint32_t, std::uint64_t>;
  using Value = std::make_signed_t<Bits>;
  const int shift = layout.highBit + 1 - layout.bitsStored;
  const int unused = int(8 * sizeof(Bits)) - layout.bitsStored;  // bits above the value once it is shifted down
  for (std::size_t i = begin; i < count; ++i) {
    Cell cell;
    std::memcpy(&cell, cells + i * sizeof(Cell), sizeof(Cell));
    const Bits bits = (static_cast<Bits>(cell) >> shift) << unused;
    const Value value = isSigned ? static_cast<Value>(bits) >> unused : static_cast<Value>(bits >> unused);
    out[i] = static_cast<float>(value * rescale.slope + rescale.intercept);
  }
}

template <typename Cell>
void convertCellsRescaled(const std::uint8_t* cells, std::size_t begin, std::size_t count,
                          const StoredPixelLayout& layout, const Rescale& rescale, float* out) {
  if (layout.isSigned) convertCells<Cell, true>(cells, begin, count, layout, rescale, out);
  else convertCells<Cell, false>(cells, begin, count, layout, rescale, out);
}

// Slope 1 and a whole intercept (most CT and MR) on 8- or 16-bit cells: in
// 32-bit integers the sum is exact, and so is its float (below 2^24), so the
// result is the double formula's to the bit, and the loop vectorises natively.
template <typename Cell, bool isSigned>
void convertCellsWholeOffset(const std::uint8_t* cells, std::size_t begin, std::size_t count,
                             const StoredPixelLayout& layout, std::int32_t offset, float* out) {
  const int shift = layout.highBit + 1 - layout.bitsStored;
  const int unused = 32 - layout.bitsStored;
  for (std::size_t i = begin; i < count; ++i) {
    Cell cell;
    std::memcpy(&cell, cells + i * sizeof(Cell), sizeof(Cell));
    const std::uint32_t bits = (static_cast<std::uint32_t>(cell) >> shift) << unused;
    const std::int32_t value = isSigned ? static_cast<std::int32_t>(bits) >> unused
                                        : static_cast<std::int32_t>(bits >> unused);
    out[i] = static_cast<float>(value + offset);
  }
}

bool isWholeOffset(const Rescale& rescale) {
  constexpr double kExactBelow = 1 << 23;  // |value| < 2^16, so |value + offset| < 2^24
  return rescale.slope == 1 && rescale.intercept == std::floor(rescale.intercept) &&
         std::abs(rescale.intercept) < kExactBelow;
}

// 16-bit cells whose value starts at bit 0 (High Bit = Bits Stored - 1,
// nearly every file), eight at a time with WebAssembly SIMD: clang 14 does not
// vectorise the scalar loops for wasm (it assembles the lanes one by one, and
// splits even a uniform variable shift into four), so this uses only masks:
// the value is `cell & mask`, sign-extended as `(value ^ signBit) - signBit`;
// then the same arithmetic as the scalar loops (integers, or doubles for a
// fractional rescale), so the floats are the same to the bit. Returns how
// many cells it converted; the scalar loops do the rest.
std::size_t convertWordsSimd(const std::uint8_t* cells, std::size_t count, const StoredPixelLayout& layout,
                             const Rescale& rescale, float* out) {
#if defined(__wasm_simd128__)
  if (layout.bitsAllocated != 16 || layout.highBit != layout.bitsStored - 1) return 0;
  const std::int32_t signBit = layout.isSigned ? std::int32_t(1) << (layout.bitsStored - 1) : 0;
  const v128_t mask = wasm_i32x4_splat(static_cast<std::int32_t>((std::uint32_t(1) << layout.bitsStored) - 1));
  const v128_t sign = wasm_i32x4_splat(signBit);
  const bool whole = isWholeOffset(rescale);
  const v128_t wholeAdd = wasm_i32x4_splat(whole ? static_cast<std::int32_t>(rescale.intercept) - signBit : 0);
  const v128_t signs = wasm_i32x4_splat(-signBit);
  const v128_t slope = wasm_f64x2_splat(rescale.slope), intercept = wasm_f64x2_splat(rescale.intercept);
  auto finish = [&](v128_t cellsAsInt) -> v128_t {
    const v128_t flipped = wasm_v128_xor(wasm_v128_and(cellsAsInt, mask), sign);
    if (whole) return wasm_f32x4_convert_i32x4(wasm_i32x4_add(flipped, wholeAdd));
    const v128_t value = wasm_i32x4_add(flipped, signs);
    const v128_t low = wasm_f64x2_add(wasm_f64x2_mul(wasm_f64x2_convert_low_i32x4(value), slope), intercept);
    const v128_t high = wasm_f64x2_add(
        wasm_f64x2_mul(wasm_f64x2_convert_low_i32x4(wasm_i32x4_shuffle(value, value, 2, 3, 0, 1)), slope), intercept);
    return wasm_i32x4_shuffle(wasm_f32x4_demote_f64x2_zero(low), wasm_f32x4_demote_f64x2_zero(high), 0, 1, 4, 5);
  };
  std::size_t i = 0;
  for (; i + 8 <= count; i += 8) {
    const v128_t words = wasm_v128_load(cells + 2 * i);
    wasm_v128_store(out + i, finish(wasm_u32x4_extend_low_u16x8(words)));
    wasm_v128_store(out + i + 4, finish(wasm_u32x4_extend_high_u16x8(words)));
  }
  return i;
#else
  (void)cells, (void)count, (void)layout, (void)rescale, (void)out;
  return 0;  // native compilers vectorise the scalar loops themselves
#endif
}

template <typename Cell>
void convertSmallCells(const std::uint8_t* cells, std::size_t count, const StoredPixelLayout& layout,
                       const Rescale& rescale, float* out) {
  const std::size_t done = convertWordsSimd(cells, count, layout, rescale, out);
  if (isWholeOffset(rescale)) {
    const auto offset = static_cast<std::int32_t>(rescale.intercept);
    if (layout.isSigned) convertCellsWholeOffset<Cell, true>(cells, done, count, layout, offset, out);
    else convertCellsWholeOffset<Cell, false>(cells, done, count, layout, offset, out);
  } else {
    convertCellsRescaled<Cell>(cells, done, count, layout, rescale, out);
  }
}

}  // namespace

bool isSupportedLayout(const StoredPixelLayout& layout) {
  const int a = layout.bitsAllocated;
  return (a == 8 || a == 16 || a == 32) && layout.bitsStored >= 1 && layout.bitsStored <= a &&
         layout.highBit >= layout.bitsStored - 1 && layout.highBit < a;
}

void convertStoredValues(const std::uint8_t* cells, std::size_t count, const StoredPixelLayout& layout,
                         const Rescale& rescale, float* out) {
  switch (layout.bitsAllocated) {
    case 8: convertSmallCells<std::uint8_t>(cells, count, layout, rescale, out); break;
    case 16: convertSmallCells<std::uint16_t>(cells, count, layout, rescale, out); break;
    case 32: convertCellsRescaled<std::uint32_t>(cells, 0, count, layout, rescale, out); break;
    default: break;  // callers check isSupportedLayout first
  }
}

std::optional<std::vector<std::vector<float>>> readStoredGreyscaleFrames(DcmDataset& ds, bool bigEndianSource,
                                                                         std::size_t frames,
                                                                         const std::vector<Rescale>& rescales) {
  if (frames == 0 || rescales.empty() || ds.tagExists(DCM_ModalityLUTSequence)) return std::nullopt;
  Uint16 rows = 0, columns = 0, samples = 0, allocated = 0, stored = 0, high = 0, representation = 0;
  if (ds.findAndGetUint16(DCM_Rows, rows).bad() || ds.findAndGetUint16(DCM_Columns, columns).bad() ||
      ds.findAndGetUint16(DCM_SamplesPerPixel, samples).bad() || samples != 1 ||
      ds.findAndGetUint16(DCM_BitsAllocated, allocated).bad() || ds.findAndGetUint16(DCM_BitsStored, stored).bad() ||
      ds.findAndGetUint16(DCM_PixelRepresentation, representation).bad() || representation > 1) {
    return std::nullopt;
  }
  // A missing High Bit (old files do without it), or 0 for a multi-bit value,
  // is taken as Bits Stored - 1, as DicomImage does.
  if (ds.findAndGetUint16(DCM_HighBit, high).bad() || (high == 0 && stored > 1)) high = stored - 1;
  const StoredPixelLayout layout{allocated, stored, high, representation == 1};
  if (!isSupportedLayout(layout)) return std::nullopt;

  DcmElement* element = nullptr;
  if (ds.findAndGetElement(DCM_PixelData, element).bad() || element->ident() != EVR_PixelData) return std::nullopt;
  auto* pixelData = static_cast<DcmPixelData*>(element);
  // Compressed pixel data must have been decompressed first (chooseRepresentation).
  if (!pixelData->canWriteXfer(EXS_LittleEndianExplicit, EXS_Unknown)) return std::nullopt;
  const std::uint8_t* cells = nullptr;
  if (pixelData->getVR() == EVR_OW) {
    // DCMTK holds OW as host-order 16-bit words: byte cells of a big endian
    // file would come out pairwise swapped.
    if (bigEndianSource && allocated == 8) return std::nullopt;
    Uint16* words = nullptr;
    if (pixelData->getUint16Array(words).bad()) return std::nullopt;
    cells = reinterpret_cast<const std::uint8_t*>(words);
  } else if (pixelData->getVR() == EVR_OB) {
    if (bigEndianSource && allocated > 8) return std::nullopt;  // bytes in file order
    Uint8* bytes = nullptr;
    if (pixelData->getUint8Array(bytes).bad()) return std::nullopt;
    cells = bytes;
  } else {
    return std::nullopt;
  }
  const std::size_t frameCells = static_cast<std::size_t>(rows) * columns;
  if (cells == nullptr || pixelData->getLength() < frameCells * frames * (allocated / 8)) return std::nullopt;

  std::vector<std::vector<float>> out(frames);
  for (std::size_t f = 0; f < frames; ++f) {
    out[f].resize(frameCells);
    convertStoredValues(cells + f * frameCells * (allocated / 8), frameCells, layout, rescaleOfFrame(rescales, f),
                        out[f].data());
  }
  return out;
}

}  // namespace ls
