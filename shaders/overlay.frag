#version 300 es
// Label overlay over the slice: committed labels coloured per segment through
// a 256 x 1 lookup table (colour, opacity; alpha 0 = hidden), drawn filled
// with a stronger edge or as outlines only, and the model's mask preview.
precision highp float;
precision highp sampler2D;

uniform sampler2D uLabels;    // R8: label value / 255, nearest
uniform sampler2D uLut;       // 256 x 1 RGBA8
uniform sampler2D uPreview;   // R8: 0 or 255
uniform vec4 uPreviewColour;
uniform bool uOutline;
in vec2 vTexCoord;
out vec4 outColor;

int labelAt(ivec2 p, ivec2 size) {
  return int(texelFetch(uLabels, clamp(p, ivec2(0), size - 1), 0).r * 255.0 + 0.5);
}

void main() {
  ivec2 size = textureSize(uLabels, 0);
  ivec2 p = ivec2(vTexCoord * vec2(size));
  int label = labelAt(p, size);
  vec4 colour = vec4(0.0);
  if (label > 0) {
    vec4 entry = texelFetch(uLut, ivec2(label, 0), 0);
    bool edge = labelAt(p + ivec2(1, 0), size) != label || labelAt(p - ivec2(1, 0), size) != label ||
                labelAt(p + ivec2(0, 1), size) != label || labelAt(p - ivec2(0, 1), size) != label;
    float alpha = uOutline ? (edge ? 1.0 : 0.0) : (edge ? max(entry.a, 0.85) : entry.a);
    if (entry.a > 0.0) colour = vec4(entry.rgb, alpha);
  }
  float preview = texture(uPreview, vTexCoord).r;
  if (preview > 0.5) colour = vec4(mix(colour.rgb, uPreviewColour.rgb, uPreviewColour.a),
                                   max(colour.a, uPreviewColour.a));
  if (colour.a == 0.0) discard;
  outColor = colour;
}
