// Dear ImGui's OpenGL3 backend reads the GL state back before it draws
// (glGetIntegerv) so that it can restore it afterwards. In Chromium, WebGL
// answers the scissor box and the blend functions and equations with a
// synchronous round trip to the GPU process: the first one waits until that
// process has drawn everything sent before it (the views, on a software GPU),
// and together they cost ~2.8 ms of every frame (measured, 2026-12-02). The
// app sets each of these states itself wherever it uses them (the slice
// renderer enables scissor and blending with their values), so the backend
// is compiled with its glGetIntegerv renamed to this function, which answers
// those queries with OpenGL's defaults (what the backend then restores) and
// passes every other query on.
#include <GLES3/gl3.h>

extern "C" void ls_imgui_glGetIntegerv(GLenum name, GLint* values) {
  switch (name) {
    case GL_SCISSOR_BOX:
      values[0] = values[1] = values[2] = values[3] = 0;  // used only with the scissor test on
      return;
    case GL_BLEND_SRC_RGB:
    case GL_BLEND_SRC_ALPHA: values[0] = GL_ONE; return;
    case GL_BLEND_DST_RGB:
    case GL_BLEND_DST_ALPHA: values[0] = GL_ZERO; return;
    case GL_BLEND_EQUATION_RGB:
    case GL_BLEND_EQUATION_ALPHA: values[0] = GL_FUNC_ADD; return;
    default: glGetIntegerv(name, values);
  }
}
