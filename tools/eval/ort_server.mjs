// Runs a SAM-family model for the Python evaluation harness (tools/eval/).
// There is no Python onnxruntime on the build machines, so Python talks to
// this persistent Node process over stdin/stdout. It drives the model through
// the page's own SamBridge, so the harness feeds the decoder exactly as the
// app does.
//
// Protocol: both directions are frames of
//   [u32 LE header length][JSON header][u32 LE body length][body bytes]
// The body carries raw little-endian float32 arrays (no base64: the harness
// makes thousands of decoder calls). Requests are answered in order.
//   {op: "load", dir, threads}           -> {ok, manifest}
//   {op: "encode"} body: 1x3xNxN input   -> {ok, ms}          (embedding kept here)
//   {op: "decode", count, has_mask, height, width, with_masks}
//       body: coords (count*2) + labels (count) + mask_input (L*L)
//                                       -> {ok, ms, masks: M, mask_dims}
//       body: iou (M) + low_res (M*L*L) [+ decoder's own masks, with_masks only]
// Timings (ms) are taken around session.run inside SamBridge.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import { SamBridge } from '../../web/page/sam-bridge.mjs';

let bridge = null;
let embedding = null;

function floats(buffer, offset, count) {
  // Copy: a Float32Array view needs 4-byte alignment, which frame slices lack.
  const bytes = buffer.subarray(offset, offset + count * 4);
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
}

async function load({ dir, threads }) {
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  const model = {
    manifest,
    encoder: readFileSync(join(dir, manifest.encoder.file)),
    decoder: readFileSync(join(dir, manifest.decoder.file)),
  };
  const options = { executionProviders: ['cpu'], intraOpNumThreads: threads || 2, interOpNumThreads: 1 };
  await bridge?.release();
  bridge = await SamBridge.create(ort, model, options);
  embedding = null;
  return [{ manifest }, []];
}

async function encode(header, body) {
  const result = await bridge.encode(floats(body, 0, body.length / 4));
  embedding = result.embedding;
  return [{ ms: result.milliseconds }, []];
}

async function decode({ count, has_mask: hasMask, height, width, with_masks: withMasks }, body) {
  if (!embedding) throw new Error('decode before encode');
  const manifest = bridge.manifest;
  const lowRes = manifest.low_res_size || manifest.embedding_shape[1] * 4;
  const result = await bridge.decode({
    embedding,
    pointCoords: floats(body, 0, count * 2),
    pointLabels: floats(body, count * 8, count),
    maskInput: floats(body, count * 12, lowRes * lowRes),
    hasMaskInput: Boolean(hasMask),
    imageHeight: height,
    imageWidth: width,
  }, { withMasks: Boolean(withMasks) });
  const arrays = [result.iouPredictions, result.lowResMasks];
  if (withMasks) arrays.push(result.masks);
  return [{ ms: result.milliseconds, masks: result.iouPredictions.length, mask_dims: result.maskDims }, arrays];
}

const handlers = { load, encode, decode };

function send(header, arrays) {
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const parts = arrays.map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength));
  const bodyLength = parts.reduce((n, p) => n + p.length, 0);
  const head = Buffer.alloc(4);
  head.writeUInt32LE(json.length);
  const mid = Buffer.alloc(4);
  mid.writeUInt32LE(bodyLength);
  process.stdout.write(Buffer.concat([head, json, mid, ...parts]));
}

async function* frames(stream) {
  let buffer = Buffer.alloc(0);
  for await (const chunk of stream) {
    buffer = buffer.length ? Buffer.concat([buffer, chunk]) : chunk;
    for (;;) {
      if (buffer.length < 4) break;
      const headerLength = buffer.readUInt32LE(0);
      if (buffer.length < 8 + headerLength) break;
      const bodyLength = buffer.readUInt32LE(4 + headerLength);
      const end = 8 + headerLength + bodyLength;
      if (buffer.length < end) break;
      const header = JSON.parse(buffer.toString('utf8', 4, 4 + headerLength));
      yield { header, body: buffer.subarray(8 + headerLength, end) };
      buffer = buffer.subarray(end);
    }
  }
}

for await (const { header, body } of frames(process.stdin)) {
  if (header.op === 'quit') break;
  try {
    const handler = handlers[header.op];
    if (!handler) throw new Error(`unknown op ${header.op}`);
    const [reply, arrays] = await handler(header, body);
    send({ ok: true, ...reply }, arrays);
  } catch (error) {
    send({ ok: false, error: String(error?.stack || error) }, []);
  }
}
await bridge?.release();
