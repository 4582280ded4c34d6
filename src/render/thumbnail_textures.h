// ThumbnailTextures: the series browser's thumbnails (SeriesLoader::
// thumbnails) as GL textures for ImGui, made again only when the loader's
// list of series changes.
#pragma once

#include <cstdint>
#include <vector>

#include "app/series_loader.h"

namespace ls {

class ThumbnailTextures {
 public:
  // Returns one texture handle (ImTextureID) per series, in the loader's order.
  const std::vector<std::uintptr_t>& update(const SeriesLoader& loader);

 private:
  std::vector<std::uintptr_t> handles_;
  int version_ = -1;
};

}  // namespace ls
