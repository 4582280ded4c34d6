#include "render/slice_renderer.h"

#include <GLES3/gl3.h>

#include "render/shaders_embedded.h"

namespace ls {
namespace {

std::string compile(GLuint shader, const char* source) {
  glShaderSource(shader, 1, &source, nullptr);
  glCompileShader(shader);
  GLint ok = 0;
  glGetShaderiv(shader, GL_COMPILE_STATUS, &ok);
  if (ok) return {};
  char log[1024] = {};
  glGetShaderInfoLog(shader, sizeof log, nullptr, log);
  return log;
}

}  // namespace

std::string SliceRenderer::init() {
  GLuint vs = glCreateShader(GL_VERTEX_SHADER), fs = glCreateShader(GL_FRAGMENT_SHADER);
  if (auto e = compile(vs, kSliceVertexShader); !e.empty()) return "slice.vert: " + e;
  if (auto e = compile(fs, kSliceFragmentShader); !e.empty()) return "slice.frag: " + e;
  program_ = glCreateProgram();
  glAttachShader(program_, vs);
  glAttachShader(program_, fs);
  glLinkProgram(program_);
  GLint ok = 0;
  glGetProgramiv(program_, GL_LINK_STATUS, &ok);
  if (!ok) return "slice shader program failed to link";
  uRectNdc_ = glGetUniformLocation(program_, "uRectNdc");
  uCenter_ = glGetUniformLocation(program_, "uCenter");
  uWidth_ = glGetUniformLocation(program_, "uWidth");
  uInvert_ = glGetUniformLocation(program_, "uInvert");
  uSlice_ = glGetUniformLocation(program_, "uSlice");

  const float corners[] = {0, 0, 1, 0, 0, 1, 1, 1};
  glGenVertexArrays(1, &vao_);
  glBindVertexArray(vao_);
  glGenBuffers(1, &vbo_);
  glBindBuffer(GL_ARRAY_BUFFER, vbo_);
  glBufferData(GL_ARRAY_BUFFER, sizeof corners, corners, GL_STATIC_DRAW);
  glEnableVertexAttribArray(0);
  glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, 0, nullptr);
  glBindVertexArray(0);

  glGenTextures(1, &texture_);
  glBindTexture(GL_TEXTURE_2D, texture_);
  // Nearest: every screen pixel shows a real stored value (float textures are
  // not filterable everywhere in WebGL2 either).
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  return {};
}

void SliceRenderer::uploadIfChanged(const AppState& app) {
  if (uploadedGeneration_ == app.volumeGeneration && uploadedSlice_ == app.slice) return;
  const auto& g = app.volume->geometry;
  glBindTexture(GL_TEXTURE_2D, texture_);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_R32F, g.columns, g.rows, 0, GL_RED, GL_FLOAT,
               app.volume->slice(app.slice));
  uploadedGeneration_ = app.volumeGeneration;
  uploadedSlice_ = app.slice;
}

void SliceRenderer::draw(const AppState& app, int fbWidth, int fbHeight) {
  if (!app.volume) return;
  uploadIfChanged(app);
  const ImageExtent extent = imageExtent(*app.volume);
  const Point2 topLeft = imageToScreen(app.view, app.viewRect, extent, {0, 0});
  const Point2 bottomRight =
      imageToScreen(app.view, app.viewRect, extent, {double(extent.columns), double(extent.rows)});
  auto ndcX = [&](double x) { return static_cast<float>(x / fbWidth * 2 - 1); };
  auto ndcY = [&](double y) { return static_cast<float>(1 - y / fbHeight * 2); };

  const ScreenRect& r = app.viewRect;
  glEnable(GL_SCISSOR_TEST);
  glScissor(static_cast<int>(r.x), static_cast<int>(fbHeight - r.y - r.height), static_cast<int>(r.width),
            static_cast<int>(r.height));
  glViewport(0, 0, fbWidth, fbHeight);
  glUseProgram(program_);
  glUniform4f(uRectNdc_, ndcX(topLeft.x), ndcY(topLeft.y), ndcX(bottomRight.x), ndcY(bottomRight.y));
  glUniform1f(uCenter_, static_cast<float>(app.window.center));
  glUniform1f(uWidth_, static_cast<float>(app.window.width));
  glUniform1i(uInvert_, app.volume->invertDisplay ? 1 : 0);
  glActiveTexture(GL_TEXTURE0);
  glBindTexture(GL_TEXTURE_2D, texture_);
  glUniform1i(uSlice_, 0);
  glBindVertexArray(vao_);
  glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
  glBindVertexArray(0);
  glDisable(GL_SCISSOR_TEST);
}

}  // namespace ls
