// The page's SamBridge, run here with onnxruntime-node on the fixture model,
// returns exactly what direct session.run calls return.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import ort from 'onnxruntime-node';
import { SamBridge } from '../../web/page/sam-bridge.mjs';

const fixture = join(import.meta.dirname, '..', 'fixtures', 'sam-fixture');
const manifest = JSON.parse(readFileSync(join(fixture, 'manifest.json'), 'utf8'));
const model = {
  manifest,
  encoder: readFileSync(join(fixture, manifest.encoder.file)),
  decoder: readFileSync(join(fixture, manifest.decoder.file)),
};

function image() {
  const size = manifest.input_size;
  const data = new Float32Array(3 * size * size);
  for (let i = 0; i < data.length; i += 1) data[i] = Math.sin(i * 0.37) * 2;  // deterministic texture
  return data;
}

test('encode and decode through the bridge equal direct ONNX Runtime calls', async () => {
  const bridge = await SamBridge.create(ort, model);
  const input = image();
  const { embedding } = await bridge.encode(input);
  assert.equal(embedding.length, manifest.embedding_shape.reduce((a, b) => a * b));

  const lowRes = manifest.low_res_size;
  const request = {
    embedding,
    pointCoords: new Float32Array([20, 30, 40, 12, 0, 0]),
    pointLabels: new Float32Array([1, 0, -1]),
    maskInput: new Float32Array(lowRes * lowRes).fill(0.5),
    hasMaskInput: true,
    imageWidth: 200,
    imageHeight: 150,
  };
  const result = await bridge.decode(request, { withMasks: true });

  const encoder = await ort.InferenceSession.create(model.encoder);
  const decoder = await ort.InferenceSession.create(model.decoder);
  const size = manifest.input_size;
  const direct = (await encoder.run({ image: new ort.Tensor('float32', input, [1, 3, size, size]) }))
    .image_embeddings;
  assert.deepEqual(Array.from(embedding), Array.from(direct.data));
  const outputs = await decoder.run({
    image_embeddings: direct,
    point_coords: new ort.Tensor('float32', request.pointCoords, [1, 3, 2]),
    point_labels: new ort.Tensor('float32', request.pointLabels, [1, 3]),
    mask_input: new ort.Tensor('float32', request.maskInput, [1, 1, lowRes, lowRes]),
    has_mask_input: new ort.Tensor('float32', new Float32Array([1]), [1]),
    orig_im_size: new ort.Tensor('float32', new Float32Array([150, 200]), [2]),
  });
  assert.deepEqual(Array.from(result.lowResMasks), Array.from(outputs.low_res_masks.data));
  assert.deepEqual(Array.from(result.iouPredictions), Array.from(outputs.iou_predictions.data));
  assert.deepEqual(result.maskDims, [1, 3, 150, 200]);
  assert.deepEqual(Array.from(result.masks), Array.from(outputs.masks.data));
  // The include point is inside the first mask, the exclude point outside.
  const at = (x, y) => result.masks[Math.round(y / 64 * 200) * 200 + Math.round(x / 64 * 200)];
  assert.ok(at(20, 30) > 0);
  assert.ok(at(40, 12) < 0);
});

test('a decoder without the SAM signature is refused with a clear message', async () => {
  await assert.rejects(SamBridge.create(ort, { ...model, decoder: model.encoder }),
    /does not have the SAM decoder signature \(missing image_embeddings/);
});

test('an encoder output of the wrong shape is caught', async () => {
  const wrong = { ...manifest, embedding_shape: [16, 8, 8] };
  const bridge = await SamBridge.create(ort, { ...model, manifest: wrong });
  await assert.rejects(bridge.encode(image()), /encoder output has shape \[1,8,16,16\] instead of \[1,16,8,8\]/);
});
