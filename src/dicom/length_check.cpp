#include "dicom/length_check.h"

#include <zlib.h>

#include <cctype>
#include <cstdio>
#include <cstring>
#include <optional>
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

// Where the dataset starts and how it is written: after the file meta group
// (explicit VR little endian) as its transfer syntax says; a headerless
// dataset from byte 0. An error when the meta group's own lengths lie.
struct DatasetStart {
  std::size_t offset = 0;
  bool implicit = true, bigEndian = false, deflated = false;
};

std::string findDatasetStart(const Reader& r, DatasetStart& out) {
  const std::uint8_t* data = r.data;
  const std::size_t size = r.size;
  if (size >= 132 && std::memcmp(data + 128, "DICM", 4) == 0) {
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
    out.deflated = syntax == "1.2.840.10008.1.2.1.99";
    out.implicit = syntax == "1.2.840.10008.1.2";
    out.bigEndian = syntax == "1.2.840.10008.1.2.2";
    out.offset = datasetStart;
  } else if (size >= 6 && std::isupper(data[4]) && std::isupper(data[5])) {
    out.implicit = false;  // a headerless dataset in explicit VR
  }
  return {};
}

// The end of the element (or item) at `pos`, walking into undefined lengths;
// nothing when the bytes do not parse as elements (the caller then leaves
// the file whole to DCMTK, which names the problem).
std::optional<std::size_t> elementEnd(const Reader& r, std::size_t pos, bool implicit, int depth) {
  constexpr int kMaxDepth = 64;
  if (depth > kMaxDepth || pos + 8 > r.size) return std::nullopt;
  const std::uint16_t group = r.u16(pos);
  std::uint32_t length = 0;
  std::size_t header = 8;
  if (group == 0xFFFE || implicit) {
    length = r.u32(pos + 4);
  } else {
    const char vr[2] = {static_cast<char>(r.data[pos + 4]), static_cast<char>(r.data[pos + 5])};
    if (hasLongLength(vr)) {
      if (pos + 12 > r.size) return std::nullopt;
      length = r.u32(pos + 8);
      header = 12;
      // UN of undefined length holds implicit VR items (PS3.5 6.2.2): not walked here.
      if (length == 0xFFFFFFFFu && vr[0] == 'U' && vr[1] == 'N') return std::nullopt;
    } else {
      length = r.u16(pos + 6);
    }
  }
  std::size_t at = pos + header;
  if (length != 0xFFFFFFFFu) {
    if (length > r.size - at) return std::nullopt;
    return at + length;
  }
  // Undefined length: a sequence of items (or fragments) up to its
  // delimiter, or an item's elements up to the item delimiter.
  const bool isItem = group == 0xFFFE;
  while (at + 8 <= r.size) {
    if (r.u16(at) == 0xFFFE && r.u16(at + 2) == (isItem ? 0xE00D : 0xE0DD)) return at + 8;
    auto end = elementEnd(r, at, implicit, depth + 1);
    if (!end) return std::nullopt;
    at = *end;
  }
  return std::nullopt;
}

}  // namespace

std::string findLyingLength(const std::uint8_t* data, std::size_t size) {
  Reader r{data, size};
  DatasetStart start;
  if (auto e = findDatasetStart(r, start); !e.empty()) return e;
  if (start.deflated) return walkDeflated(data + start.offset, size - start.offset);
  r.bigEndian = start.bigEndian;
  return walk(r, start.offset, size, start.implicit);
}

std::optional<std::vector<ByteRange>> rangesWithoutPrivateElements(const std::uint8_t* data, std::size_t size) {
  Reader r{data, size};
  DatasetStart start;
  if (!findDatasetStart(r, start).empty() || start.deflated) return std::nullopt;
  r.bigEndian = start.bigEndian;
  std::vector<ByteRange> kept;
  auto keep = [&](std::size_t from, std::size_t to) {
    if (from == to) return;
    if (!kept.empty() && kept.back().offset + kept.back().size == from) kept.back().size += to - from;
    else kept.push_back({from, to - from});
  };
  keep(0, start.offset);
  std::size_t pos = start.offset;
  while (pos < size) {
    auto end = elementEnd(r, pos, start.implicit, 0);
    if (!end) return std::nullopt;
    if ((r.u16(pos) & 1) == 0) keep(pos, *end);
    pos = *end;
  }
  return kept;
}

}  // namespace ls
