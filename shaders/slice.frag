#version 300 es
// Mode 0: window/level of modality values (R32F texture) with the DICOM
// linear VOI function (PS3.3 C.11.2.1.2.1), then MONOCHROME1 inversion. Must
// match src/imaging/window.cpp, its tested reference.
// Mode 1: the difference uOther - uSlice (restored - source) on a signed
// colour scale: black at zero, red-yellow where the restoration raised values,
// blue-cyan where it lowered them, full colour at +/- uRange.
precision highp float;
precision highp sampler2D;

uniform sampler2D uSlice;
uniform sampler2D uOther;
uniform int uMode;
uniform float uRange;
uniform float uCenter;
uniform float uWidth;
uniform bool uInvert;
in vec2 vTexCoord;
out vec4 outColor;

vec3 signedColour(float t) {
  float a = clamp(abs(t), 0.0, 1.0);
  vec3 warm = vec3(1.0, 0.15 + 0.85 * a * a, 0.05);
  vec3 cool = vec3(0.05, 0.35 + 0.65 * a * a, 1.0);
  return (t >= 0.0 ? warm : cool) * a;
}

void main() {
  float value = texture(uSlice, vTexCoord).r;
  if (uMode == 1) {
    float difference = texture(uOther, vTexCoord).r - value;
    outColor = vec4(signedColour(difference / max(uRange, 1e-6)), 1.0);
    return;
  }
  float width = uWidth;
  float grey;
  if (width < 1.0) {  // LINEAR_EXACT for values finer than one unit (window.cpp)
    grey = width <= 0.0 ? step(uCenter, value) : clamp((value - uCenter) / width + 0.5, 0.0, 1.0);
  } else if (width == 1.0) {
    grey = value <= uCenter - 0.5 ? 0.0 : 1.0;
  } else {
    grey = clamp((value - (uCenter - 0.5)) / (width - 1.0) + 0.5, 0.0, 1.0);
  }
  if (uInvert) grey = 1.0 - grey;
  outColor = vec4(vec3(grey), 1.0);
}
