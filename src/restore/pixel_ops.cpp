#include "restore/pixel_ops.h"

#include <algorithm>
#include <cmath>

namespace ls {

std::vector<float> padSymmetric(const float* pixels, int width, int height, int margin) {
  const int pw = width + 2 * margin, ph = height + 2 * margin;
  std::vector<float> out(static_cast<std::size_t>(pw) * ph);
  for (int y = 0; y < ph; ++y) {
    const float* row = pixels + static_cast<std::size_t>(mirrorIndex(y - margin, height)) * width;
    float* o = out.data() + static_cast<std::size_t>(y) * pw;
    for (int x = 0; x < margin; ++x) o[x] = row[mirrorIndex(x - margin, width)];
    std::copy(row, row + width, o + margin);
    for (int x = margin + width; x < pw; ++x) o[x] = row[mirrorIndex(x - margin, width)];
  }
  return out;
}

std::vector<float> gaussianBlur(const float* pixels, int width, int height, double sigma) {
  const std::size_t n = static_cast<std::size_t>(width) * height;
  if (sigma <= 0) return std::vector<float>(pixels, pixels + n);
  const int r = std::max(1, static_cast<int>(std::ceil(3 * sigma)));
  std::vector<float> kernel(2 * r + 1);
  double sum = 0;
  for (int k = -r; k <= r; ++k) sum += kernel[k + r] = static_cast<float>(std::exp(-0.5 * k * k / (sigma * sigma)));
  for (float& k : kernel) k = static_cast<float>(k / sum);
  // Rows, then columns; each pass reads a padded line.
  std::vector<float> tmp(n), out(n), line(std::max(width, height) + 2 * r);
  for (int y = 0; y < height; ++y) {
    const float* row = pixels + static_cast<std::size_t>(y) * width;
    for (int x = -r; x < width + r; ++x) line[x + r] = row[mirrorIndex(x, width)];
    float* o = tmp.data() + static_cast<std::size_t>(y) * width;
    for (int x = 0; x < width; ++x) {
      float acc = 0;
      for (int k = 0; k <= 2 * r; ++k) acc += kernel[k] * line[x + k];
      o[x] = acc;
    }
  }
  std::vector<float> acc(width);
  for (int y = 0; y < height; ++y) {
    std::fill(acc.begin(), acc.end(), 0.0f);
    for (int k = -r; k <= r; ++k) {
      const float* row = tmp.data() + static_cast<std::size_t>(mirrorIndex(y + k, height)) * width;
      const float kk = kernel[k + r];
      for (int x = 0; x < width; ++x) acc[x] += kk * row[x];
    }
    std::copy(acc.begin(), acc.end(), out.begin() + static_cast<std::ptrdiff_t>(y) * width);
  }
  return out;
}

void sobel(const float* p, int width, int height, std::vector<float>& gx, std::vector<float>& gy) {
  gx.assign(static_cast<std::size_t>(width) * height, 0.0f);
  gy.assign(gx.size(), 0.0f);
  for (int y = 0; y < height; ++y) {
    const float* up = p + static_cast<std::size_t>(mirrorIndex(y - 1, height)) * width;
    const float* mid = p + static_cast<std::size_t>(y) * width;
    const float* dn = p + static_cast<std::size_t>(mirrorIndex(y + 1, height)) * width;
    for (int x = 0; x < width; ++x) {
      const int l = mirrorIndex(x - 1, width), r = mirrorIndex(x + 1, width);
      const std::size_t i = static_cast<std::size_t>(y) * width + x;
      gx[i] = (up[r] - up[l]) + 2 * (mid[r] - mid[l]) + (dn[r] - dn[l]);
      gy[i] = (dn[l] - up[l]) + 2 * (dn[x] - up[x]) + (dn[r] - up[r]);
    }
  }
}

std::vector<float> gradientMagnitude(const float* pixels, int width, int height) {
  std::vector<float> gx, gy;
  sobel(pixels, width, height, gx, gy);
  for (std::size_t i = 0; i < gx.size(); ++i) gx[i] = std::sqrt(gx[i] * gx[i] + gy[i] * gy[i]);
  return gx;
}

std::vector<float> normalisedLaplacianOfGaussian(const float* pixels, int width, int height, double sigma) {
  const std::vector<float> g = gaussianBlur(pixels, width, height, sigma);
  return normalisedLaplacian(g.data(), width, height, sigma);
}

std::vector<float> normalisedLaplacian(const float* g, int width, int height, double sigma) {
  std::vector<float> out(static_cast<std::size_t>(width) * height);
  const float scale = static_cast<float>(sigma * sigma);
  for (int y = 0; y < height; ++y) {
    const float* up = g + static_cast<std::size_t>(mirrorIndex(y - 1, height)) * width;
    const float* mid = g + static_cast<std::size_t>(y) * width;
    const float* dn = g + static_cast<std::size_t>(mirrorIndex(y + 1, height)) * width;
    for (int x = 0; x < width; ++x) {
      const float l = mid[mirrorIndex(x - 1, width)], r = mid[mirrorIndex(x + 1, width)];
      out[static_cast<std::size_t>(y) * width + x] = scale * (l + r + up[x] + dn[x] - 4 * mid[x]);
    }
  }
  return out;
}

std::vector<float> boxMean(const float* pixels, int width, int height, int radius) {
  const std::size_t n = static_cast<std::size_t>(width) * height;
  std::vector<float> tmp(n), out(n);
  const int size = 2 * radius + 1;
  // Running sums in double: windows slide over values of any magnitude.
  for (int y = 0; y < height; ++y) {
    const float* row = pixels + static_cast<std::size_t>(y) * width;
    double s = 0;
    for (int k = -radius; k <= radius; ++k) s += row[mirrorIndex(k, width)];
    for (int x = 0; x < width; ++x) {
      tmp[static_cast<std::size_t>(y) * width + x] = static_cast<float>(s);
      s += row[mirrorIndex(x + radius + 1, width)] - row[mirrorIndex(x - radius, width)];
    }
  }
  std::vector<double> col(width, 0.0);
  for (int k = -radius; k <= radius; ++k) {
    const float* row = tmp.data() + static_cast<std::size_t>(mirrorIndex(k, height)) * width;
    for (int x = 0; x < width; ++x) col[x] += row[x];
  }
  const double inv = 1.0 / (static_cast<double>(size) * size);
  for (int y = 0; y < height; ++y) {
    float* o = out.data() + static_cast<std::size_t>(y) * width;
    const float* add = tmp.data() + static_cast<std::size_t>(mirrorIndex(y + radius + 1, height)) * width;
    const float* sub = tmp.data() + static_cast<std::size_t>(mirrorIndex(y - radius, height)) * width;
    for (int x = 0; x < width; ++x) {
      o[x] = static_cast<float>(col[x] * inv);
      col[x] += static_cast<double>(add[x]) - sub[x];
    }
  }
  return out;
}

int labelComponents(const std::uint8_t* mask, int width, int height, std::vector<int>& labels) {
  labels.assign(static_cast<std::size_t>(width) * height, 0);
  int count = 0;
  std::vector<int> stack;
  for (int start = 0; start < width * height; ++start) {
    if (!mask[start] || labels[start]) continue;
    labels[start] = ++count;
    stack.push_back(start);
    while (!stack.empty()) {
      const int i = stack.back();
      stack.pop_back();
      const int x = i % width, y = i / width;
      for (int dy = -1; dy <= 1; ++dy) {
        for (int dx = -1; dx <= 1; ++dx) {
          const int nx = x + dx, ny = y + dy;
          if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
          const int j = ny * width + nx;
          if (mask[j] && !labels[j]) {
            labels[j] = count;
            stack.push_back(j);
          }
        }
      }
    }
  }
  return count;
}

float quantile(std::vector<float> values, double q) {
  if (values.empty()) return 0;
  const std::size_t k = std::min(values.size() - 1, static_cast<std::size_t>(q * (values.size() - 1) + 0.5));
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(k), values.end());
  return values[k];
}

}  // namespace ls
