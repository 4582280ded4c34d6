#include "core/series_assembly.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>

namespace ls {
namespace {

constexpr double kDirectionTolerance = 1e-3;  // cosine difference
constexpr double kDuplicateTolerance = 1e-3;  // mm
// Positions are stored with limited precision, so gaps of real scans jitter by
// ~1%; report only deviations beyond 2% of the spacing (and 0.1 mm).
constexpr double kSpacingTolerance = 0.02;
constexpr double kSpacingToleranceMm = 0.1;
// Positions are rounded in the files; a smaller shear than this is noise.
constexpr double kTiltToleranceDegrees = 0.5;

bool sameDirection(Vec3 a, Vec3 b) { return length(a - b) < kDirectionTolerance * 10; }

std::string formatMm(double v) {
  std::ostringstream out;
  out.precision(4);
  out << v << " mm";
  return out.str();
}

// What a warning about one slice says first: its frame in a multi-frame file
// (the warning's file names the file).
std::string framePrefix(const ImageSlice& s) {
  return s.frameCount > 1 ? "frame " + std::to_string(s.frameIndex + 1) + ": " : std::string();
}

bool hasGeometry(const ImageSlice& s) {
  return s.position && s.rowDirection && s.columnDirection;
}

// The orientation and size shared by most slices; others are set aside.
const ImageSlice& mostCommonLayout(const std::vector<ImageSlice>& slices) {
  std::size_t best = 0, bestCount = 0;
  for (std::size_t i = 0; i < slices.size(); ++i) {
    std::size_t count = 0;
    for (const auto& other : slices) {
      bool sameSize = other.rows == slices[i].rows && other.columns == slices[i].columns;
      bool sameOrientation =
          hasGeometry(other) == hasGeometry(slices[i]) &&
          (!hasGeometry(other) ||
           (sameDirection(*other.rowDirection, *slices[i].rowDirection) &&
            sameDirection(*other.columnDirection, *slices[i].columnDirection)));
      count += sameSize && sameOrientation;
    }
    if (count > bestCount) best = i, bestCount = count;
    if (bestCount * 2 > slices.size()) break;  // a majority cannot be beaten
  }
  return slices[best];
}

}  // namespace

std::vector<SeriesGroup> groupBySeries(std::vector<ImageSlice> slices) {
  std::map<std::string, SeriesGroup> byUid;
  for (auto& slice : slices) {
    auto& group = byUid[slice.info.seriesInstanceUid + "|" + slice.info.part];
    group.seriesInstanceUid = slice.info.seriesInstanceUid;
    group.slices.push_back(std::move(slice));
  }
  std::vector<SeriesGroup> groups;
  for (auto& [uid, group] : byUid) groups.push_back(std::move(group));
  std::stable_sort(groups.begin(), groups.end(), [](const auto& a, const auto& b) {
    return a.slices.size() > b.slices.size();
  });
  return groups;
}

Result<AssembledVolume> assembleVolume(std::vector<ImageSlice> slices, SlicePool* pool, bool consumePool) {
  if (slices.empty()) return Error{"", "no images to assemble"};
  AssembledVolume out;

  // 1. Keep the slices that share the dominant size and orientation.
  const ImageSlice reference = [&] {
    ImageSlice r = mostCommonLayout(slices);
    r.pixels.clear();
    return r;
  }();
  std::vector<ImageSlice> kept;
  for (auto& s : slices) {
    if (s.rows != reference.rows || s.columns != reference.columns) {
      out.warnings.push_back({s.sourceFile, framePrefix(s) + "left out: image size " + std::to_string(s.columns) +
                                                "x" + std::to_string(s.rows) + " differs from the series' " +
                                                std::to_string(reference.columns) + "x" +
                                                std::to_string(reference.rows)});
    } else if (hasGeometry(s) != hasGeometry(reference) ||
               (hasGeometry(s) && (!sameDirection(*s.rowDirection, *reference.rowDirection) ||
                                   !sameDirection(*s.columnDirection, *reference.columnDirection)))) {
      out.warnings.push_back({s.sourceFile, framePrefix(s) +
                              "left out: orientation differs from the rest of the series "
                              "(a localizer or another plane)"});
    } else {
      kept.push_back(std::move(s));
    }
  }

  // 2. Order along the slice normal, or by instance number without geometry.
  Volume& volume = out.volume;
  VolumeGeometry& g = volume.geometry;
  g.columns = reference.columns;
  g.rows = reference.rows;
  g.columnSpacing = reference.columnSpacing;
  g.rowSpacing = reference.rowSpacing;
  std::vector<double> distances(kept.size(), 0.0);
  if (hasGeometry(reference)) {
    g.rowDirection = normalized(*reference.rowDirection);
    g.columnDirection = normalized(*reference.columnDirection);
    g.sliceDirection = normalized(cross(g.rowDirection, g.columnDirection));
    std::stable_sort(kept.begin(), kept.end(), [&](const auto& a, const auto& b) {
      return dot(*a.position, g.sliceDirection) < dot(*b.position, g.sliceDirection);
    });
    for (std::size_t i = 0; i < kept.size(); ++i) distances[i] = dot(*kept[i].position, g.sliceDirection);
  } else {
    std::stable_sort(kept.begin(), kept.end(), [](const auto& a, const auto& b) {
      return a.instanceNumber != b.instanceNumber ? a.instanceNumber < b.instanceNumber
                                                  : a.frameIndex < b.frameIndex;
    });
    if (kept.size() > 1) {
      out.warnings.push_back({"", "no ImagePositionPatient/ImageOrientationPatient: slices ordered "
                                  "by instance and frame number, spacing taken from SliceThickness"});
    }
  }

  // 3. Drop slices at duplicate positions (keep the first).
  if (hasGeometry(reference)) {
    std::vector<ImageSlice> unique;
    std::vector<double> uniqueDistances;
    for (std::size_t i = 0; i < kept.size(); ++i) {
      if (!unique.empty() && std::abs(distances[i] - uniqueDistances.back()) < kDuplicateTolerance) {
        const ImageSlice& first = unique.back();
        const std::string firstName =
            first.sourceFile + (first.frameCount > 1 ? " frame " + std::to_string(first.frameIndex + 1) : "");
        out.warnings.push_back({kept[i].sourceFile, framePrefix(kept[i]) + "left out: same position as " +
                                                        firstName + " (duplicate slice)"});
        continue;
      }
      uniqueDistances.push_back(distances[i]);
      unique.push_back(std::move(kept[i]));
    }
    kept = std::move(unique);
    distances = std::move(uniqueDistances);
  }

  // 4. Spacing: the mean gap keeps the first and last slice in place; gaps
  // far from the median (missing slices, varying spacing) are reported.
  g.slices = static_cast<int>(kept.size());
  g.sliceSpacing = reference.sliceThickness > 0 ? reference.sliceThickness : 1.0;
  if (kept.size() > 1 && hasGeometry(reference)) {
    std::vector<double> gaps;
    for (std::size_t i = 1; i < distances.size(); ++i) gaps.push_back(distances[i] - distances[i - 1]);
    std::vector<double> sorted = gaps;
    std::nth_element(sorted.begin(), sorted.begin() + sorted.size() / 2, sorted.end());
    const double median = sorted[sorted.size() / 2];
    g.sliceSpacing = (distances.back() - distances.front()) / static_cast<double>(gaps.size());
    const double tolerance = std::max(kSpacingTolerance * median, kSpacingToleranceMm);
    for (std::size_t i = 0; i < gaps.size(); ++i) {
      if (std::abs(gaps[i] - median) > tolerance) {
        out.warnings.push_back({kept[i + 1].sourceFile, framePrefix(kept[i + 1]) +
                                "uneven slice spacing: " + formatMm(gaps[i]) + " from the previous slice, " +
                                    formatMm(median) + " elsewhere; distances along the slice axis "
                                    "are approximate"});
      }
    }
  }
  g.origin = hasGeometry(reference) && !kept.empty() ? *kept.front().position : Vec3{};
  // 5. Gantry tilt (or any sheared stack): the slices step sideways as well as
  // along the normal. The grid then follows the real positions (a sheared
  // slice axis), so every voxel's patient position, the exports and the
  // measurements stay exact; the user is told the reformats show it unsheared.
  if (kept.size() > 1 && hasGeometry(reference)) {
    const Vec3 step = (*kept.back().position - *kept.front().position) * (1.0 / double(kept.size() - 1));
    const double along = dot(step, g.sliceDirection);
    const Vec3 sideways = step - g.sliceDirection * along;
    const double degrees = std::atan2(length(sideways), std::abs(along)) * 180.0 / M_PI;
    if (degrees > kTiltToleranceDegrees) {
      g.sliceDirection = normalized(step);
      g.sliceSpacing = length(step);
      std::ostringstream text;
      text.precision(3);
      text << "tilted stack (gantry tilt): each slice is shifted " << length(sideways) << " mm sideways for "
           << along << " mm along the normal (" << degrees
           << " degrees); positions, measurements and exports follow the real slices, the reformatted "
              "views show the stack unsheared";
      out.warnings.push_back({"", text.str()});
    }
  }
  g.orientationKnown = hasGeometry(reference);
  g.spacingKnown = reference.hasPixelSpacing;

  // 6. Pixels (reordered in place in the pool, or copied) and series-wide attributes.
  if (kept.empty()) return Error{reference.sourceFile, "no slice of the series could be used"};
  const auto pixelsOf = [&](const ImageSlice& s) { return s.pooledIndex >= 0 ? pool->slice(s.pooledIndex) : s.pixels.data(); };
  const bool inPool = pool && pool->sliceSize == volume.sliceSize() &&
                      std::all_of(kept.begin(), kept.end(), [](const ImageSlice& s) { return s.pooledIndex >= 0; });
  if (inPool && consumePool) {
    std::vector<std::size_t> order;
    for (const ImageSlice& s : kept) order.push_back(static_cast<std::size_t>(s.pooledIndex));
    gatherSlicesInPlace(*pool, order);
    volume.voxels = std::move(pool->pixels);
    *pool = SlicePool{};
  } else {
    volume.voxels.resize(volume.sliceSize() * kept.size());
    for (std::size_t i = 0; i < kept.size(); ++i) {
      std::copy_n(pixelsOf(kept[i]), volume.sliceSize(), volume.voxels.begin() + volume.sliceSize() * i);
      // Freed as soon as copied (the slices are given by value).
      std::vector<float>().swap(kept[i].pixels);
    }
  }
  // A colour series only if every slice is colour (a stray greyscale image would leave holes).
  const bool colour = std::all_of(kept.begin(), kept.end(), [](const ImageSlice& s) { return !s.colour.empty(); });
  if (colour) volume.colour.resize(volume.voxels.size());
  if (!volume.voxels.empty()) {
    const auto [lowest, highest] = std::minmax_element(volume.voxels.begin(), volume.voxels.end());
    volume.minValue = *lowest;
    volume.maxValue = *highest;
  }
  for (std::size_t i = 0; i < kept.size(); ++i) {
    if (colour) std::copy(kept[i].colour.begin(), kept[i].colour.end(), volume.colour.begin() + volume.sliceSize() * i);
    volume.sliceFiles.push_back(kept[i].sourceFile);
    volume.sliceSopClassUids.push_back(kept[i].sopClassUid);
    volume.sliceSopInstanceUids.push_back(kept[i].sopInstanceUid);
    volume.sliceHeaders.push_back(kept[i].sourceHeader);
    volume.sliceFrameNumbers.push_back(kept[i].frameCount > 1 ? kept[i].frameIndex + 1 : 0);
    volume.slicePositions.push_back(kept[i].position && hasGeometry(reference) ? *kept[i].position
                                                                               : g.toPatient(0, 0, double(i)));
    std::vector<std::uint32_t>().swap(kept[i].colour);
  }
  volume.windows = kept.front().windows;
  volume.invertDisplay = kept.front().invertDisplay;
  volume.padding = kept.front().padding;
  volume.info = kept.front().info;
  return out;
}

}  // namespace ls
