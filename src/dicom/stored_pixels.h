// Stored pixel values -> modality values for uncompressed (or already
// decompressed) greyscale pixel data, read straight from the Pixel Data
// words. DCMTK's DicomImage does the same and much more (overlays, LUTs,
// display pipelines); building one costs more than the conversion itself on
// a typical slice (it searches the dataset for all 16 overlay groups), so the
// common layouts take this path and the rest stay with DicomImage.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

class DcmDataset;

namespace ls {

// How each stored value sits in its cell (PS3.5 8.1.1, PS3.3 C.7.6.3.1).
struct StoredPixelLayout {
  int bitsAllocated = 16;  // 8, 16 or 32
  int bitsStored = 16;     // 1..bitsAllocated
  int highBit = 15;        // bitsStored - 1 .. bitsAllocated - 1
  bool isSigned = false;   // Pixel Representation 1: two's complement
};

// Stored value -> modality value: value * slope + intercept.
struct Rescale {
  double slope = 1, intercept = 0;
};

// The rescale of `frame`: one per frame, or the last one for all the rest.
inline const Rescale& rescaleOfFrame(const std::vector<Rescale>& rescales, std::size_t frame) {
  return rescales[frame < rescales.size() ? frame : rescales.size() - 1];
}

// True for a layout convertStoredValues handles.
bool isSupportedLayout(const StoredPixelLayout& layout);

// Converts `count` cells starting at `cells` (little-endian host memory, one
// cell per bitsAllocated) to modality values: the bitsStored bits ending at
// highBit are taken, sign-extended when signed, then rescaled in double
// precision. Bits outside them (old overlays in unused bits) are ignored.
void convertStoredValues(const std::uint8_t* cells, std::size_t count, const StoredPixelLayout& layout,
                         const Rescale& rescale, float* out);

// Every frame of a greyscale dataset whose Pixel Data is held uncompressed
// in a layout this reads, in modality values; nothing when the dataset needs
// DicomImage (Modality LUT, 1-bit or packed cells, big endian byte cells,
// pixel data shorter than rows x columns x frames, missing attributes).
// `bigEndianSource`: the file was explicit VR big endian (DCMTK has swapped
// 16-bit words to host order; byte cells would then be in the wrong order).
std::optional<std::vector<std::vector<float>>> readStoredGreyscaleFrames(DcmDataset& ds, bool bigEndianSource,
                                                                         std::size_t frames,
                                                                         const std::vector<Rescale>& rescales);

}  // namespace ls
