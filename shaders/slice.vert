#version 300 es
// Draws one quad covering the slice's rectangle on screen. Texture
// coordinates run 0..1 across the image, so the physical aspect ratio is
// entirely decided by the rectangle the application passes in.
layout(location = 0) in vec2 aCorner;  // (0,0), (1,0), (0,1), (1,1)
uniform vec4 uRectNdc;                  // x0, y0, x1, y1 in normalised device coordinates
out vec2 vTexCoord;

void main() {
  vTexCoord = aCorner;
  gl_Position = vec4(mix(uRectNdc.xy, uRectNdc.zw, aCorner), 0.0, 1.0);
}
