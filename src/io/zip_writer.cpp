#include "io/zip_writer.h"

#include <ctime>
#include <limits>

#include <zlib.h>

namespace ls {

namespace {

void put16(std::vector<std::uint8_t>& out, std::uint32_t v) {
  out.push_back(static_cast<std::uint8_t>(v & 0xFF));
  out.push_back(static_cast<std::uint8_t>((v >> 8) & 0xFF));
}

void put32(std::vector<std::uint8_t>& out, std::uint32_t v) {
  put16(out, v & 0xFFFF);
  put16(out, v >> 16);
}

// MS-DOS date and time of now (local time, 2-second resolution), as ZIP stores them.
void dosNow(std::uint16_t& date, std::uint16_t& time) {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  if (const std::tm* t = std::localtime(&now)) local = *t;
  const int year = local.tm_year + 1900;
  if (year < 1980) {
    date = (0 << 9) | (1 << 5) | 1;  // 1980-01-01, the earliest DOS date
    time = 0;
    return;
  }
  date = static_cast<std::uint16_t>(((year - 1980) << 9) | ((local.tm_mon + 1) << 5) | local.tm_mday);
  time = static_cast<std::uint16_t>((local.tm_hour << 11) | (local.tm_min << 5) | (local.tm_sec / 2));
}

}  // namespace

std::uint32_t crc32Of(const std::uint8_t* data, std::size_t size) {
  uLong crc = crc32(0L, Z_NULL, 0);
  // zlib takes 32-bit lengths: feed large buffers in pieces.
  constexpr std::size_t kChunk = 1u << 30;
  for (std::size_t offset = 0; offset < size; offset += kChunk) {
    const std::size_t n = size - offset < kChunk ? size - offset : kChunk;
    crc = crc32(crc, data + offset, static_cast<uInt>(n));
  }
  return static_cast<std::uint32_t>(crc);
}

Result<std::vector<std::uint8_t>> writeZip(const std::vector<DicomFile>& files, const std::string& folder) {
  constexpr std::uint32_t kVersion = 10;  // 1.0: stored entries, no extensions needed
  if (files.size() > 0xFFFF) {
    return Error{"ZIP", "too many files for a ZIP without ZIP64 (" + std::to_string(files.size()) + ", at most 65535)"};
  }
  std::uint16_t date = 0, time = 0;
  dosNow(date, time);

  struct Entry {
    std::string name;
    std::uint32_t crc = 0, size = 0, offset = 0;
  };
  std::vector<Entry> entries;
  std::size_t total = 22;
  for (const auto& f : files) total += 30 + 46 + 2 * (folder.size() + 1 + f.name.size()) + f.bytes.size();
  if (total > std::numeric_limits<std::uint32_t>::max()) {
    return Error{"ZIP", "the series is too large for a ZIP without ZIP64 (over 4 GiB)"};
  }
  std::vector<std::uint8_t> out;
  out.reserve(total);
  for (const auto& f : files) {
    Entry e;
    e.name = folder.empty() ? f.name : folder + "/" + f.name;
    if (e.name.empty() || e.name.size() > 0xFFFF) return Error{f.name, "a ZIP entry needs a name of 1 to 65535 bytes"};
    e.crc = crc32Of(f.bytes.data(), f.bytes.size());
    e.size = static_cast<std::uint32_t>(f.bytes.size());
    e.offset = static_cast<std::uint32_t>(out.size());
    put32(out, 0x04034b50);  // local file header
    put16(out, kVersion);
    put16(out, 0);  // flags: sizes and CRC are in this header
    put16(out, 0);  // method: stored
    put16(out, time);
    put16(out, date);
    put32(out, e.crc);
    put32(out, e.size);  // compressed size
    put32(out, e.size);  // uncompressed size
    put16(out, static_cast<std::uint32_t>(e.name.size()));
    put16(out, 0);  // extra field length
    out.insert(out.end(), e.name.begin(), e.name.end());
    out.insert(out.end(), f.bytes.begin(), f.bytes.end());
    entries.push_back(std::move(e));
  }
  const auto directoryOffset = static_cast<std::uint32_t>(out.size());
  for (const auto& e : entries) {
    put32(out, 0x02014b50);  // central directory header
    put16(out, kVersion);    // made by: MS-DOS attributes, version 1.0
    put16(out, kVersion);    // needed to extract
    put16(out, 0);
    put16(out, 0);
    put16(out, time);
    put16(out, date);
    put32(out, e.crc);
    put32(out, e.size);
    put32(out, e.size);
    put16(out, static_cast<std::uint32_t>(e.name.size()));
    put16(out, 0);  // extra field length
    put16(out, 0);  // comment length
    put16(out, 0);  // disk number start
    put16(out, 0);  // internal attributes
    put32(out, 0);  // external attributes
    put32(out, e.offset);
    out.insert(out.end(), e.name.begin(), e.name.end());
  }
  const auto directorySize = static_cast<std::uint32_t>(out.size()) - directoryOffset;
  put32(out, 0x06054b50);  // end of central directory
  put16(out, 0);           // this disk
  put16(out, 0);           // disk with the central directory
  put16(out, static_cast<std::uint32_t>(entries.size()));
  put16(out, static_cast<std::uint32_t>(entries.size()));
  put32(out, directorySize);
  put32(out, directoryOffset);
  put16(out, 0);  // comment length
  return out;
}

}  // namespace ls
