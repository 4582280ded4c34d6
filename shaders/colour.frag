#version 300 es
// A colour image (RGBA8 texture, 0..255 per channel): the DICOM linear VOI
// function of slice.frag applied to each channel (center 128, width 256 shows
// the colours as stored), then inversion. A program of its own, so the
// greyscale shader that a software GPU runs for every pixel stays minimal.
precision highp float;
precision highp sampler2D;

uniform sampler2D uSlice;
uniform float uCenter;
uniform float uWidth;
uniform bool uInvert;
in vec2 vTexCoord;
out vec4 outColor;

float windowed(float value) {
  float width = max(uWidth, 1.0);
  if (width <= 1.0) return value <= uCenter - 0.5 ? 0.0 : 1.0;
  return clamp((value - (uCenter - 0.5)) / (width - 1.0) + 0.5, 0.0, 1.0);
}

void main() {
  vec3 rgb = texture(uSlice, vTexCoord).rgb * 255.0;
  vec3 colour = vec3(windowed(rgb.r), windowed(rgb.g), windowed(rgb.b));
  outColor = vec4(uInvert ? 1.0 - colour : colour, 1.0);
}
