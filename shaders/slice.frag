#version 300 es
// Window/level of modality values (R32F texture) with the DICOM linear VOI
// function (PS3.3 C.11.2.1.2.1), then MONOCHROME1 inversion. Must match
// src/imaging/window.cpp, its tested reference.
precision highp float;
precision highp sampler2D;

uniform sampler2D uSlice;
uniform float uCenter;
uniform float uWidth;
uniform bool uInvert;
in vec2 vTexCoord;
out vec4 outColor;

void main() {
  float value = texture(uSlice, vTexCoord).r;
  float width = max(uWidth, 1.0);
  float grey;
  if (width <= 1.0) {
    grey = value <= uCenter - 0.5 ? 0.0 : 1.0;
  } else {
    grey = clamp((value - (uCenter - 0.5)) / (width - 1.0) + 0.5, 0.0, 1.0);
  }
  if (uInvert) grey = 1.0 - grey;
  outColor = vec4(vec3(grey), 1.0);
}
