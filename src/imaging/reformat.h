// Reformat (MPR): the three planes of a volume's voxel grid as 2D images.
// A plane is named by the grid axis it holds fixed (its "normal" axis):
// 2 = slice (the acquired images), 1 = row, 0 = column. The acquired plane is
// shown as stored, as every viewer shows it; the two reformatted planes are
// turned to radiology's display convention for the anatomical plane they
// are closest to (axial: patient left on screen right, posterior down;
// coronal: left on the right, inferior down; sagittal: posterior on the
// right, inferior down). Reformatting follows the grid exactly, so a voxel
// is shown as stored (no interpolation), with its real spacing as aspect.
// Continuous coordinates throughout: pixel (u, v) covers [u, u+1) x [v, v+1),
// voxel (i, j, k) covers [i, i+1) x [j, j+1) x [k, k+1).
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <vector>

#include "core/point2.h"
#include "core/vec3.h"
#include "core/volume.h"

namespace ls {

enum class AnatomicalPlane { Axial = 0, Coronal = 1, Sagittal = 2 };
const char* anatomicalPlaneName(AnatomicalPlane plane);

// A continuous voxel position: column (i), row (j), slice (k).
struct VoxelPoint {
  double column = 0, row = 0, slice = 0;
  double axis(int a) const { return a == 0 ? column : a == 1 ? row : slice; }
  double& axis(int a) { return a == 0 ? column : a == 1 ? row : slice; }
};

struct ReformatPlane {
  int normal = 2;                   // the grid axis held fixed
  int horizontal = 0, vertical = 1;  // grid axes along image x and image y
  bool flipHorizontal = false, flipVertical = false;
  int columns = 1, rows = 1;        // image size
  double columnSpacing = 1, rowSpacing = 1;  // mm
  int positions = 1;                // images along the normal
  Vec3 right, down;                 // patient directions of image +x and +y
  AnatomicalPlane anatomy = AnatomicalPlane::Axial;
};

// The grid's axis directions (unit, patient LPS), lengths and spacings.
Vec3 gridAxisDirection(const VolumeGeometry& g, int axis);
int gridAxisLength(const VolumeGeometry& g, int axis);
double gridAxisSpacing(const VolumeGeometry& g, int axis);

// Which grid axis is the normal of each anatomical plane (indexed by
// AnatomicalPlane): the one-to-one assignment that fits the directions best,
// so a very oblique acquisition still gets three distinct planes.
std::array<int, 3> normalAxisOfAnatomicalPlanes(const VolumeGeometry& g);
ReformatPlane reformatPlane(const VolumeGeometry& g, int normalAxis);

// Between image coordinates of a plane and voxel coordinates; `position` is
// the continuous coordinate along the plane's normal axis.
VoxelPoint planeToVoxel(const ReformatPlane& plane, Point2 image, double position);
Point2 voxelToPlane(const ReformatPlane& plane, const VoxelPoint& voxel);

// The image of `plane` at grid index `index` along its normal (clamped),
// row-major, columns x rows. Voxels are slice-major, then row-major.
template <typename T>
std::vector<T> reslice(const VolumeGeometry& g, const T* voxels, const ReformatPlane& plane, int index);

}  // namespace ls
