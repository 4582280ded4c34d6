// libFuzzer target over the entry point the app uses for every dropped file:
// ls::decodeDicom (parse + decode: DCMTK, its codecs, OpenJPEG), then the
// series assembly the loader runs on what it returns. Built with clang and
// AddressSanitizer + UndefinedBehaviorSanitizer (make fuzz-build); seeded
// with the real sample files (scripts/run-fuzzer.sh). Anything but a clean
// Result (a crash, a sanitizer report, a hang, running out of memory) is a bug.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/series_assembly.h"
#include "dicom/decode.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto decoded = ls::decodeDicom("fuzz.dcm", data, size);
  if (!decoded.ok()) return 0;
  // Read every value back (a decoder that claims more than it wrote shows up here).
  double sum = 0;
  for (const ls::ImageSlice& slice : decoded.value()) {
    if (slice.pixels.size() != static_cast<std::size_t>(slice.rows) * slice.columns) __builtin_trap();
    for (float v : slice.pixels) sum += v;
    for (std::uint32_t v : slice.colour) sum += v & 0xFF;
  }
  auto assembled = ls::assembleVolume(std::move(decoded.value()));
  if (assembled.ok() && assembled.value().volume.voxels.empty()) __builtin_trap();
  return sum == 0.5 ? 1 : 0;  // keeps the loop from being optimised away
}
