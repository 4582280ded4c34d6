#include "io/label_storage.h"

#include <cstring>

#include "imaging/rle.h"

namespace ls {
namespace {

constexpr char kMagic[4] = {'L', 'S', 'L', 'B'};
constexpr std::uint32_t kVersion = 1;

void put32(std::vector<std::uint8_t>& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

std::uint32_t get32(const std::uint8_t* p) {
  return p[0] | (p[1] << 8) | (p[2] << 16) | (static_cast<std::uint32_t>(p[3]) << 24);
}

}  // namespace

std::vector<std::uint8_t> serializeLabels(const LabelVolume& labels) {
  std::vector<std::uint8_t> out(kMagic, kMagic + 4);
  put32(out, kVersion);
  put32(out, static_cast<std::uint32_t>(labels.columns));
  put32(out, static_cast<std::uint32_t>(labels.rows));
  put32(out, static_cast<std::uint32_t>(labels.slices));
  for (const Run& r : encodeRuns(labels.labels.data(), labels.labels.size())) {
    out.push_back(r.value);
    put32(out, r.length);
  }
  return out;
}

Result<LabelVolume> deserializeLabels(const std::uint8_t* data, std::size_t size, int columns, int rows,
                                      int slices) {
  constexpr std::size_t kHeader = 20;
  if (size < kHeader || std::memcmp(data, kMagic, 4) != 0) return Error{"", "not a saved LocalSeg annotation"};
  if (get32(data + 4) != kVersion) return Error{"", "saved annotation has an unknown format version"};
  if (static_cast<int>(get32(data + 8)) != columns || static_cast<int>(get32(data + 12)) != rows ||
      static_cast<int>(get32(data + 16)) != slices) {
    return Error{"", "saved annotation is for a volume of another size"};
  }
  if ((size - kHeader) % 5 != 0) return Error{"", "saved annotation is truncated"};
  std::vector<Run> runs;
  for (std::size_t at = kHeader; at < size; at += 5) runs.push_back({data[at], get32(data + at + 1)});
  LabelVolume labels;
  labels.columns = columns;
  labels.rows = rows;
  labels.slices = slices;
  if (!decodeRuns(runs, static_cast<std::size_t>(columns) * rows * slices, labels.labels)) {
    return Error{"", "saved annotation does not cover the volume"};
  }
  return labels;
}

}  // namespace ls
