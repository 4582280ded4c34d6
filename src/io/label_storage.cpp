#include "io/label_storage.h"

#include <algorithm>
#include <cstring>

#include "imaging/rle.h"

namespace ls {
namespace {

constexpr char kMagic[4] = {'L', 'S', 'L', 'B'};
constexpr std::uint32_t kVersion = 4;  // 1: labels only; 2: segments before the labels; 3: and the view;
                                      // 4: and the measurements

void put32(std::vector<std::uint8_t>& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

std::uint32_t get32(const std::uint8_t* p) {
  return p[0] | (p[1] << 8) | (p[2] << 16) | (static_cast<std::uint32_t>(p[3]) << 24);
}

void putFloat(std::vector<std::uint8_t>& out, float v) {
  std::uint32_t bits;
  std::memcpy(&bits, &v, 4);
  put32(out, bits);
}

float getFloat(const std::uint8_t* p) {
  const std::uint32_t bits = get32(p);
  float v;
  std::memcpy(&v, &bits, 4);
  return v;
}

// Reads the segment block at `at`; false if it runs past the end.
bool readSegments(const std::uint8_t* data, std::size_t size, std::size_t& at, SavedAnnotation& out) {
  if (size - at < 8) return false;
  const std::uint32_t count = get32(data + at);
  out.activeSegment = static_cast<int>(get32(data + at + 4));
  at += 8;
  for (std::uint32_t i = 0; i < count; ++i) {
    if (size - at < 10) return false;
    Segment s;
    s.label = data[at];
    s.colour = {data[at + 1], data[at + 2], data[at + 3]};
    s.opacity = data[at + 4] / 255.0f;
    s.visible = (data[at + 5] & 1) != 0;
    s.locked = (data[at + 5] & 2) != 0;
    s.modelAssisted = (data[at + 5] & 4) != 0;
    const std::uint32_t nameLength = get32(data + at + 6);
    at += 10;
    if (size - at < nameLength) return false;
    s.name.assign(reinterpret_cast<const char*>(data + at), nameLength);
    at += nameLength;
    out.segments.push_back(std::move(s));
  }
  out.activeSegment = std::clamp(out.activeSegment, 0, std::max(0, static_cast<int>(count) - 1));
  return true;
}

constexpr std::size_t kMeasurementBytes = 1 + 4 + 6 * 4;  // kind, slice, three points

bool readMeasurements(const std::uint8_t* data, std::size_t size, std::size_t& at, int slices, SessionView& view) {
  if (size - at < 4) return false;
  const std::uint32_t count = get32(data + at);
  at += 4;
  if ((size - at) / kMeasurementBytes < count) return false;
  for (std::uint32_t i = 0; i < count; ++i, at += kMeasurementBytes) {
    LengthMeasurement m;
    const std::uint8_t kind = data[at];
    const int slice = static_cast<int>(get32(data + at + 1));
    if (kind > static_cast<std::uint8_t>(LengthMeasurement::Kind::Angle) || slice < 0 || slice >= slices) continue;
    m.kind = static_cast<LengthMeasurement::Kind>(kind);
    m.slice = slice;
    const std::uint8_t* p = data + at + 5;
    m.a = {getFloat(p), getFloat(p + 4)};
    m.b = {getFloat(p + 8), getFloat(p + 12)};
    m.c = {getFloat(p + 16), getFloat(p + 20)};
    view.measurements.push_back(m);
  }
  return true;
}

}  // namespace

std::vector<std::uint8_t> serializeAnnotation(const LabelVolume& labels, const SegmentList& segments,
                                              const SessionView& view) {
  std::vector<std::uint8_t> out(kMagic, kMagic + 4);
  put32(out, kVersion);
  put32(out, static_cast<std::uint32_t>(labels.columns));
  put32(out, static_cast<std::uint32_t>(labels.rows));
  put32(out, static_cast<std::uint32_t>(labels.slices));
  put32(out, static_cast<std::uint32_t>(segments.all().size()));
  put32(out, static_cast<std::uint32_t>(segments.activeIndex()));
  for (const Segment& s : segments.all()) {
    out.insert(out.end(), {s.label, s.colour.r, s.colour.g, s.colour.b,
                           static_cast<std::uint8_t>(std::clamp(s.opacity, 0.0f, 1.0f) * 255.0f + 0.5f),
                           static_cast<std::uint8_t>((s.visible ? 1 : 0) | (s.locked ? 2 : 0) | (s.modelAssisted ? 4 : 0))});
    put32(out, static_cast<std::uint32_t>(s.name.size()));
    out.insert(out.end(), s.name.begin(), s.name.end());
  }
  put32(out, static_cast<std::uint32_t>(std::max(0, view.slice)));
  putFloat(out, view.windowCenter);
  putFloat(out, view.windowWidth);
  std::vector<const LengthMeasurement*> complete;
  for (const auto& m : view.measurements) {
    if (m.complete) complete.push_back(&m);
  }
  put32(out, static_cast<std::uint32_t>(complete.size()));
  for (const LengthMeasurement* m : complete) {
    out.push_back(static_cast<std::uint8_t>(m->kind));
    put32(out, static_cast<std::uint32_t>(m->slice));
    for (double v : {m->a.x, m->a.y, m->b.x, m->b.y, m->c.x, m->c.y}) putFloat(out, static_cast<float>(v));
  }
  for (const Run& r : encodeRuns(labels.labels.data(), labels.labels.size())) {
    out.push_back(r.value);
    put32(out, r.length);
  }
  return out;
}

Result<SavedAnnotation> deserializeAnnotation(const std::uint8_t* data, std::size_t size, int columns, int rows,
                                              int slices) {
  constexpr std::size_t kHeader = 20;
  if (size < kHeader || std::memcmp(data, kMagic, 4) != 0) return Error{"", "not a saved LocalSeg annotation"};
  const std::uint32_t version = get32(data + 4);
  if (version < 1 || version > kVersion) return Error{"", "saved annotation has an unknown format version"};
  if (static_cast<int>(get32(data + 8)) != columns || static_cast<int>(get32(data + 12)) != rows ||
      static_cast<int>(get32(data + 16)) != slices) {
    return Error{"", "saved annotation is for a volume of another size"};
  }
  SavedAnnotation out;
  std::size_t at = kHeader;
  if (version >= 2 && !readSegments(data, size, at, out)) return Error{"", "saved annotation is truncated"};
  if (version >= 3) {
    if (size - at < 12) return Error{"", "saved annotation is truncated"};
    out.view.slice = std::min(static_cast<int>(get32(data + at)), std::max(0, slices - 1));
    out.view.windowCenter = getFloat(data + at + 4);
    out.view.windowWidth = getFloat(data + at + 8);
    at += 12;
  }
  if (version >= 4 && !readMeasurements(data, size, at, slices, out.view)) {
    return Error{"", "saved annotation is truncated"};
  }
  if ((size - at) % 5 != 0) return Error{"", "saved annotation is truncated"};
  std::vector<Run> runs;
  for (; at < size; at += 5) runs.push_back({data[at], get32(data + at + 1)});
  out.labels.columns = columns;
  out.labels.rows = rows;
  out.labels.slices = slices;
  if (!decodeRuns(runs, static_cast<std::size_t>(columns) * rows * slices, out.labels.labels)) {
    return Error{"", "saved annotation does not cover the volume"};
  }
  return out;
}

}  // namespace ls
