// The built-in model (models/builtin) loads in ONNX Runtime with the shapes its
// manifest declares and the SAM decoder signature, and segments: a box around
// a bright disc on a noisy background gives that disc.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import ort from 'onnxruntime-node';

const dir = join(import.meta.dirname, '..', '..', 'models', 'builtin');
const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
const sessions = Promise.all([
  ort.InferenceSession.create(join(dir, manifest.encoder.file)),
  ort.InferenceSession.create(join(dir, manifest.decoder.file)),
]);

// A 200 x 160 image (not square: exercises the padding) holding a disc of
// radius 30 at (120, 70), grey 200 on 60, with deterministic noise.
const width = 200;
const height = 160;
const disc = { x: 120, y: 70, r: 30 };
function inDisc(x, y) { return (x - disc.x) ** 2 + (y - disc.y) ** 2 <= disc.r ** 2; }

function encoderInput() {
  const size = manifest.input_size;
  const scale = size / Math.max(width, height);
  const plane = size * size;
  const data = new Float32Array(3 * plane);
  for (let y = 0; y < Math.round(height * scale); y += 1) {
    for (let x = 0; x < Math.round(width * scale); x += 1) {
      const grey = (inDisc((x + 0.5) / scale - 0.5, (y + 0.5) / scale - 0.5) ? 200 : 60)
        + 15 * Math.sin(x * 12.9898 + y * 78.233);
      for (let c = 0; c < 3; c += 1) data[c * plane + y * size + x] = (grey - manifest.pixel.mean[c]) / manifest.pixel.std[c];
    }
  }
  return new ort.Tensor('float32', data, [1, 3, size, size]);
}

test('encoder and decoder have the declared names and shapes', async () => {
  const [encoder, decoder] = await sessions;
  assert.deepEqual(encoder.inputNames, [manifest.encoder.input]);
  assert.deepEqual(encoder.outputNames, [manifest.encoder.output]);
  assert.deepEqual(decoder.inputNames,
    ['image_embeddings', 'point_coords', 'point_labels', 'mask_input', 'has_mask_input', 'orig_im_size']);
  assert.deepEqual(decoder.outputNames, ['masks', 'iou_predictions', 'low_res_masks']);
  const embedding = (await encoder.run({ [manifest.encoder.input]: encoderInput() }))[manifest.encoder.output];
  assert.deepEqual(embedding.dims, [1, ...manifest.embedding_shape]);
});

test('a box around a disc segments the disc', async () => {
  const [encoder, decoder] = await sessions;
  const embedding = (await encoder.run({ [manifest.encoder.input]: encoderInput() }))[manifest.encoder.output];
  const scale = manifest.input_size / Math.max(width, height);
  const box = [disc.x - disc.r - 3, disc.y - disc.r - 2, disc.x + disc.r + 2, disc.y + disc.r + 3].map((v) => v * scale);
  const low = manifest.low_res_size;
  const out = await decoder.run({
    image_embeddings: embedding,
    point_coords: new ort.Tensor('float32', new Float32Array(box), [1, 2, 2]),
    point_labels: new ort.Tensor('float32', new Float32Array([2, 3]), [1, 2]),
    mask_input: new ort.Tensor('float32', new Float32Array(low * low), [1, 1, low, low]),
    has_mask_input: new ort.Tensor('float32', new Float32Array([0]), [1]),
    orig_im_size: new ort.Tensor('float32', new Float32Array([height, width]), [2]),
  });
  assert.deepEqual(out.masks.dims, [1, 3, height, width]);
  assert.deepEqual(out.low_res_masks.dims, [1, 3, low, low]);
  const iou = Array.from(out.iou_predictions.data);
  iou.forEach((v) => assert.ok(v >= 0 && v <= 1, `predicted IoU ${v} in [0, 1]`));
  const best = iou.indexOf(Math.max(...iou));
  let both = 0;
  let predicted = 0;
  let truth = 0;
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const p = out.masks.data[(best * height + y) * width + x] > manifest.mask_threshold;
      const t = inDisc(x, y);
      both += p && t;
      predicted += p;
      truth += t;
    }
  }
  const dice = (2 * both) / (predicted + truth);
  assert.ok(dice > 0.9, `Dice of the disc ${dice.toFixed(3)} > 0.9`);
});
