#include "dicom/allocation_cap.h"

#include <cstdint>
#include <new>

namespace ls {
thread_local std::size_t allocationCap = SIZE_MAX;

ScopedAllocationCap::ScopedAllocationCap(std::size_t bytes) : previous_(allocationCap) { allocationCap = bytes; }
ScopedAllocationCap::~ScopedAllocationCap() { allocationCap = previous_; }

}  // namespace ls

// The replaceable nothrow array new (what DCMTK's value fields use): refuses
// what is above the cap, else allocates as the throwing one does (so the
// matching delete[] stays the standard one).
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
  if (size > ls::allocationCap) return nullptr;
  try {
    return ::operator new[](size);
  } catch (...) {
    return nullptr;
  }
}
