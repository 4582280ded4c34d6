#include "render/thumbnail_textures.h"

#include <GLES3/gl3.h>

namespace ls {

const std::vector<std::uintptr_t>& ThumbnailTextures::update(const SeriesLoader& loader) {
  if (loader.seriesVersion() == version_) return handles_;
  version_ = loader.seriesVersion();
  for (std::uintptr_t handle : handles_) {
    const GLuint texture = static_cast<GLuint>(handle);
    glDeleteTextures(1, &texture);
  }
  handles_.clear();
  for (const Thumbnail& t : loader.thumbnails()) {
    std::vector<std::uint8_t> rgba(t.grey.size() * 4, 255);
    for (std::size_t i = 0; i < t.grey.size(); ++i) rgba[i * 4] = rgba[i * 4 + 1] = rgba[i * 4 + 2] = t.grey[i];
    GLuint texture = 0;
    glGenTextures(1, &texture);
    glBindTexture(GL_TEXTURE_2D, texture);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, t.size, t.size, 0, GL_RGBA, GL_UNSIGNED_BYTE, rgba.data());
    handles_.push_back(texture);
  }
  return handles_;
}

}  // namespace ls
