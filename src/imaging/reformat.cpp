#include "imaging/reformat.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace ls {

const char* anatomicalPlaneName(AnatomicalPlane plane) {
  switch (plane) {
    case AnatomicalPlane::Axial: return "Axial";
    case AnatomicalPlane::Coronal: return "Coronal";
    case AnatomicalPlane::Sagittal: return "Sagittal";
  }
  return "?";
}

Vec3 gridAxisDirection(const VolumeGeometry& g, int axis) {
  return normalized(axis == 0 ? g.rowDirection : axis == 1 ? g.columnDirection : g.sliceDirection);
}

int gridAxisLength(const VolumeGeometry& g, int axis) {
  return axis == 0 ? g.columns : axis == 1 ? g.rows : g.slices;
}

double gridAxisSpacing(const VolumeGeometry& g, int axis) {
  return axis == 0 ? g.columnSpacing : axis == 1 ? g.rowSpacing : g.sliceSpacing;
}

namespace {

// The patient axis each anatomical plane is perpendicular to (LPS), and the
// screen directions radiology draws it with.
constexpr std::array<Vec3, 3> kPlaneNormal{{{0, 0, 1}, {0, 1, 0}, {1, 0, 0}}};
constexpr std::array<Vec3, 3> kScreenRight{{{1, 0, 0}, {1, 0, 0}, {0, 1, 0}}};
constexpr std::array<Vec3, 3> kScreenDown{{{0, 1, 0}, {0, 0, -1}, {0, 0, -1}}};

// The normal of the plane holding `axis` fixed: across the other two axes
// (not the axis itself, which a gantry tilt makes oblique to the plane).
Vec3 planeNormal(const VolumeGeometry& g, int axis) {
  const int a = (axis + 1) % 3, b = (axis + 2) % 3;
  return normalized(cross(gridAxisDirection(g, a), gridAxisDirection(g, b)));
}

}  // namespace

std::array<int, 3> normalAxisOfAnatomicalPlanes(const VolumeGeometry& g) {
  std::array<int, 3> axes{0, 1, 2}, best = axes;
  double bestScore = -1;
  do {  // every assignment of grid axes to (axial, coronal, sagittal)
    double score = 0;
    for (int plane = 0; plane < 3; ++plane) score += std::abs(dot(planeNormal(g, axes[plane]), kPlaneNormal[plane]));
    if (score > bestScore + 1e-9) bestScore = score, best = axes;
  } while (std::next_permutation(axes.begin(), axes.end()));
  return best;
}

ReformatPlane reformatPlane(const VolumeGeometry& g, int normalAxis) {
  ReformatPlane p;
  p.normal = normalAxis;
  const auto planes = normalAxisOfAnatomicalPlanes(g);
  const int anatomy = static_cast<int>(std::find(planes.begin(), planes.end(), normalAxis) - planes.begin());
  p.anatomy = static_cast<AnatomicalPlane>(anatomy);
  if (normalAxis == 2) {  // the acquired images, as stored
    p.horizontal = 0, p.vertical = 1;
  } else {
    const int a = (normalAxis + 1) % 3, b = (normalAxis + 2) % 3;
    const Vec3 right = kScreenRight[anatomy];
    const bool aAcross = std::abs(dot(gridAxisDirection(g, a), right)) >= std::abs(dot(gridAxisDirection(g, b), right));
    p.horizontal = aAcross ? a : b;
    p.vertical = p.horizontal == a ? b : a;
    p.flipHorizontal = dot(gridAxisDirection(g, p.horizontal), right) < 0;
    p.flipVertical = dot(gridAxisDirection(g, p.vertical), kScreenDown[anatomy]) < 0;
  }
  p.columns = gridAxisLength(g, p.horizontal);
  p.rows = gridAxisLength(g, p.vertical);
  p.columnSpacing = gridAxisSpacing(g, p.horizontal);
  p.rowSpacing = gridAxisSpacing(g, p.vertical);
  p.positions = gridAxisLength(g, normalAxis);
  p.right = gridAxisDirection(g, p.horizontal) * (p.flipHorizontal ? -1.0 : 1.0);
  p.down = gridAxisDirection(g, p.vertical) * (p.flipVertical ? -1.0 : 1.0);
  return p;
}

VoxelPoint planeToVoxel(const ReformatPlane& p, Point2 image, double position) {
  VoxelPoint v;
  v.axis(p.horizontal) = p.flipHorizontal ? p.columns - image.x : image.x;
  v.axis(p.vertical) = p.flipVertical ? p.rows - image.y : image.y;
  v.axis(p.normal) = position;
  return v;
}

Point2 voxelToPlane(const ReformatPlane& p, const VoxelPoint& v) {
  const double x = v.axis(p.horizontal), y = v.axis(p.vertical);
  return {p.flipHorizontal ? p.columns - x : x, p.flipVertical ? p.rows - y : y};
}

template <typename T>
std::vector<T> reslice(const VolumeGeometry& g, const T* voxels, const ReformatPlane& p, int index) {
  std::vector<T> out(static_cast<std::size_t>(p.columns) * p.rows);
  index = std::clamp(index, 0, std::max(0, p.positions - 1));
  // Strides of each grid axis in the voxel array.
  const std::array<std::size_t, 3> stride{1, static_cast<std::size_t>(g.columns),
                                          static_cast<std::size_t>(g.columns) * g.rows};
  const std::size_t base = stride[p.normal] * index;
  const std::size_t stepX = stride[p.horizontal], stepY = stride[p.vertical];
  for (int v = 0; v < p.rows; ++v) {
    const std::size_t gridY = p.flipVertical ? p.rows - 1 - v : v;
    const T* row = voxels + base + gridY * stepY;
    T* target = out.data() + static_cast<std::size_t>(v) * p.columns;
    if (!p.flipHorizontal && stepX == 1) {
      std::copy(row, row + p.columns, target);
      continue;
    }
    for (int u = 0; u < p.columns; ++u) {
      const std::size_t gridX = p.flipHorizontal ? p.columns - 1 - u : u;
      target[u] = row[gridX * stepX];
    }
  }
  return out;
}

template std::vector<float> reslice(const VolumeGeometry&, const float*, const ReformatPlane&, int);
template std::vector<std::uint8_t> reslice(const VolumeGeometry&, const std::uint8_t*, const ReformatPlane&, int);
template std::vector<std::uint32_t> reslice(const VolumeGeometry&, const std::uint32_t*, const ReformatPlane&, int);

}  // namespace ls
