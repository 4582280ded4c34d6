// A cap on DCMTK's value allocations while a file is read. DCMTK allocates
// each element's value with `new (std::nothrow) Uint8[length]`, trusting the
// length written in the file, before it knows whether that many bytes follow.
// findLyingLength catches the lies it can see; this is the net under it for
// any file DCMTK parses differently (the fuzzer's third find: a meta group
// whose group length disagrees with its elements). While a cap is in force,
// a nothrow array allocation above it fails, and DCMTK reports the file as
// unreadable instead of taking the page's memory.
#pragma once

#include <cstddef>

namespace ls {

class ScopedAllocationCap {
 public:
  explicit ScopedAllocationCap(std::size_t bytes);
  ~ScopedAllocationCap();
  ScopedAllocationCap(const ScopedAllocationCap&) = delete;
  ScopedAllocationCap& operator=(const ScopedAllocationCap&) = delete;

 private:
  std::size_t previous_;
};

}  // namespace ls
