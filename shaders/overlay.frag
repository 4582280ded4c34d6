#version 300 es
// Label overlay over the slice: committed labels and the model's mask preview
// (R8 textures, 0 or 255), blended with fixed colours.
precision highp float;
precision highp sampler2D;

uniform sampler2D uLabels;
uniform sampler2D uPreview;
uniform vec4 uLabelColour;    // rgb, alpha
uniform vec4 uPreviewColour;
in vec2 vTexCoord;
out vec4 outColor;

void main() {
  float label = texture(uLabels, vTexCoord).r;
  float preview = texture(uPreview, vTexCoord).r;
  vec4 colour = vec4(0.0);
  if (label > 0.5) colour = uLabelColour;
  if (preview > 0.5) colour = vec4(mix(colour.rgb, uPreviewColour.rgb, uPreviewColour.a),
                                   max(colour.a, uPreviewColour.a));
  if (colour.a == 0.0) discard;
  outColor = colour;
}
