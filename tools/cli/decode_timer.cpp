// Times LocalSeg's DICOM parse + decode (the same code the page runs, built
// natively against Debian's DCMTK) on each file given, for bench/dicom.mjs:
// one line per file, "path<TAB>bytes<TAB>median ms per decode", or an error.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <vector>

#include "dicom/decode.h"

int main(int argc, char** argv) {
  using Clock = std::chrono::steady_clock;
  for (int i = 1; i < argc; ++i) {
    std::ifstream in(argv[i], std::ios::binary);
    const std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), {});
    std::vector<double> times;
    const auto start = Clock::now();
    // At least 5 decodes and 200 ms, so short files are timed over many runs.
    while (times.size() < 5 || std::chrono::duration<double, std::milli>(Clock::now() - start).count() < 200) {
      const auto t = Clock::now();
      auto decoded = ls::decodeDicom(argv[i], bytes.data(), bytes.size());
      times.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t).count());
      if (!decoded.ok()) {
        std::printf("%s\terror\t%s\n", argv[i], decoded.error().message.c_str());
        break;
      }
    }
    std::nth_element(times.begin(), times.begin() + times.size() / 2, times.end());
    std::printf("%s\t%zu\t%.4f\n", argv[i], bytes.size(), times[times.size() / 2]);
  }
  return 0;
}
