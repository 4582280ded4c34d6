#include "dicom/length_check.h"

#include <zlib.h>

#include <cctype>
#include <cstdio>
#include <cstring>
#include <vector>

namespace ls {
namespace {

struct Reader {
  const std::uint8_t* data;
  std::size_t size;
  bool bigEndian = false;
  std::uint16_t u16(std::size_t at) const {
    return bigEndian ? std::uint16_t(data[at] << 8 | data[at + 1]) : std::uint16_t(data[at] | data[at + 1] << 8);
  }
  std::uint32_t u32(std::size_t at) const {
    return bigEndian ? std::uint32_t(u16(at)) << 16 | u16(at + 2) : std::uint32_t(u16(at)) | std::uint32_t(u16(at + 2)) << 16;
  }
};

// Explicit VR: these VRs have a 2-byte length; every other one, including a
// VR DCMTK does not know (which it reads "assuming 4 byte length field", as
// the fuzzer's second find showed), has 2 reserved bytes and a 4-byte length.
bool hasLongLength(const char vr[2]) {
  static const char* kShort[] = {"AE", "AS", "AT", "CS", "DA", "DS", "DT", "FL", "FD", "IS", "LO",
                                 "LT", "PN", "SH", "SL", "SS", "ST", "TM", "UI", "UL", "US"};
  for (const char* v : kShort) {
    if (vr[0] == v[0] && vr[1] == v[1]) return false;
  }
  return true;
}

std::string describe(std::uint16_t group, std::uint16_t element, std::uint32_t length, std::size_t at, std::size_t left) {
  char text[160];
  std::snprintf(text, sizeof text, "element (%04X,%04X) claims %u bytes at byte %zu, but only %zu remain", group,
                element, length, at, left);
  return text;
}

// Walks elements from `pos` to the end; explicit VR unless `implicit`.
std::string walk(const Reader& r, std::size_t pos, std::size_t end, bool implicit, std::size_t* stoppedAt = nullptr) {
  bool inFragments = false;  // inside encapsulated Pixel Data: items hold raw bytes, not elements
  while (pos + 8 <= end) {
    const std::uint16_t group = r.u16(pos), element = r.u16(pos + 2);
    if (stoppedAt && group != 0x0002) {  // the end of the file meta group
      *stoppedAt = pos;
      return {};
    }
    std::uint32_t length = 0;
    std::size_t header = 8;
    if (group == 0xFFFE) {  // item and delimiters: never a VR
      length = r.u32(pos + 4);
      if (element == 0xE0DD) inFragments = false;
      if (element != 0xE000) length = 0;  // delimiters carry no value
      else if (length == 0xFFFFFFFFu) length = 0;  // undefined-length item: its elements follow
      else {
        if (length > end - pos - header) return describe(group, element, length, pos, end - pos - header);
        if (!inFragments) length = 0;  // a sequence item: walk into its elements
      }
    } else if (implicit && group != 0x0002) {
      length = r.u32(pos + 4);
    } else {
      const char vr[2] = {static_cast<char>(r.data[pos + 4]), static_cast<char>(r.data[pos + 5])};
      if (hasLongLength(vr)) {
        if (pos + 12 > end) break;  // a header cut short: the reader reports it
        length = r.u32(pos + 8);
        header = 12;
      } else {
        length = r.u16(pos + 6);
      }
    }
    if (length == 0xFFFFFFFFu) {  // undefined length (sequence, encapsulated pixels): items follow
      length = 0;
      if (group == 0x7FE0 && element == 0x0010) inFragments = true;
    }
    const std::size_t left = end - pos - header;
    if (length > left) return describe(group, element, length, pos, left);
    pos += header + length;
  }
  if (stoppedAt) *stoppedAt = pos;
  return {};
}

// Deflated Explicit VR Little Endian: the dataset after the meta group is raw
// deflate. Inflated here (up to a bound, so a "zip bomb" is refused too) so
// its lengths can be walked like any other.
constexpr std::size_t kMaxInflatedBytes = std::size_t(1) << 30;

std::string walkDeflated(const std::uint8_t* data, std::size_t size) {
  z_stream z{};
  if (inflateInit2(&z, -MAX_WBITS) != Z_OK) return {};
  std::vector<std::uint8_t> out;
  std::uint8_t buffer[1 << 16];
  z.next_in = const_cast<Bytef*>(data);
  z.avail_in = static_cast<uInt>(size);
  int status = Z_OK;
  while (status == Z_OK) {
    z.next_out = buffer;
    z.avail_out = sizeof buffer;
    status = inflate(&z, Z_NO_FLUSH);
    out.insert(out.end(), buffer, buffer + (sizeof buffer - z.avail_out));
    if (out.size() > kMaxInflatedBytes) {
      inflateEnd(&z);
      return "the deflated dataset expands beyond 1 GB";
    }
    if (status == Z_BUF_ERROR && z.avail_in == 0) break;  // truncated stream: DCMTK reports it
  }
  inflateEnd(&z);
  Reader r{out.data(), out.size()};
  return walk(r, 0, out.size(), false);
}

}  // namespace

std::string findLyingLength(const std::uint8_t* data, std::size_t size) {
  Reader r{data, size};
  std::size_t pos = 0;
  bool implicit = true;
  if (size >= 132 && std::memcmp(data + 128, "DICM", 4) == 0) {
    // File meta group: explicit VR little endian; its transfer syntax says how the rest is written.
    std::size_t datasetStart = size;
    if (auto e = walk(r, 132, size, false, &datasetStart); !e.empty()) return e;
    const char* uid = nullptr;
    std::size_t uidLength = 0;
    // Every meta element up to datasetStart was checked to fit by the walk above.
    for (std::size_t p = 132; p + 8 <= datasetStart;) {
      const std::uint16_t group = r.u16(p), element = r.u16(p + 2);
      const char vr[2] = {static_cast<char>(data[p + 4]), static_cast<char>(data[p + 5])};
      const bool isLong = hasLongLength(vr);
      const std::size_t header = isLong ? 12 : 8;
      if (p + header > datasetStart) break;
      const std::uint32_t length = isLong ? r.u32(p + 8) : r.u16(p + 6);
      if (length > datasetStart - p - header) break;
      if (group == 0x0002 && element == 0x0010) uid = reinterpret_cast<const char*>(data + p + header), uidLength = length;
      p += header + length;
    }
    const std::string syntax = uid ? std::string(uid, strnlen(uid, uidLength)) : std::string();
    if (syntax == "1.2.840.10008.1.2.1.99") return walkDeflated(data + datasetStart, size - datasetStart);
    implicit = syntax == "1.2.840.10008.1.2";
    r.bigEndian = syntax == "1.2.840.10008.1.2.2";
    pos = datasetStart;
  } else if (size >= 6 && std::isupper(data[4]) && std::isupper(data[5])) {
    implicit = false;  // a headerless dataset in explicit VR
  }
  return walk(r, pos, size, implicit);
}

}  // namespace ls
