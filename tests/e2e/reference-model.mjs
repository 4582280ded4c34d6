// An independent reference for the in-page segmentation: reads the demo
// slice's pixels straight from the file, prepares the encoder input in
// JavaScript (window, PIL-style bilinear shrink, normalise, pad), runs the
// fixture through onnxruntime-node and thresholds the decoder's own `masks`
// output (SAM's post-processing inside the ONNX graph).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ort from 'onnxruntime-node';

// Pixel Data of an uncompressed explicit-VR little-endian file, signed 16-bit.
export function readInt16Pixels(path) {
  const bytes = readFileSync(path);
  const tag = Buffer.from([0xe0, 0x7f, 0x10, 0x00, 0x4f, 0x57, 0x00, 0x00]);  // (7FE0,0010) OW
  const at = bytes.lastIndexOf(tag);
  if (at < 0) throw new Error(`${path}: no OW Pixel Data element`);
  const length = bytes.readUInt32LE(at + 8);
  const start = at + 12;
  const values = new Float32Array(length / 2);
  for (let i = 0; i < values.length; i += 1) values[i] = bytes.readInt16LE(start + 2 * i);
  return values;
}

function applyWindow(value, center, width) {
  if (width <= 1) return value <= center - 0.5 ? 0 : 1;
  const lower = center - 0.5 - (width - 1) / 2;
  const upper = center - 0.5 + (width - 1) / 2;
  if (value <= lower) return 0;
  if (value > upper) return 1;
  return (value - (center - 0.5)) / (width - 1) + 0.5;
}

// PIL's BILINEAR resize: a triangle filter widened by the scale when shrinking.
function resizeAxis(source, inW, inH, outW, horizontal) {
  const inLength = horizontal ? inW : inH;
  const scale = inLength / outW;
  const support = Math.max(scale, 1);
  const out = horizontal ? new Float32Array(outW * inH) : new Float32Array(inW * outW);
  for (let o = 0; o < outW; o += 1) {
    const centre = (o + 0.5) * scale;
    const lo = Math.max(0, Math.floor(centre - support));
    const hi = Math.min(inLength, Math.ceil(centre + support));
    const weights = [];
    let total = 0;
    for (let i = lo; i < hi; i += 1) {
      const w = Math.max(0, 1 - Math.abs((i + 0.5 - centre) / support));
      weights.push(w);
      total += w;
    }
    const lines = horizontal ? inH : inW;
    for (let line = 0; line < lines; line += 1) {
      let sum = 0;
      for (let k = 0; k < weights.length; k += 1) {
        const i = lo + k;
        sum += weights[k] * (horizontal ? source[line * inW + i] : source[i * inW + line]);
      }
      if (horizontal) out[line * outW + o] = sum / total;
      else out[o * inW + line] = sum / total;
    }
  }
  return out;
}

export async function referenceMask({ fixtureDir, pixels, columns, rows, window, click }) {
  const manifest = JSON.parse(readFileSync(join(fixtureDir, 'manifest.json'), 'utf8'));
  const size = manifest.input_size;
  const scale = size / Math.max(columns, rows);
  const resizedW = Math.floor(columns * scale + 0.5);
  const resizedH = Math.floor(rows * scale + 0.5);
  const grey = pixels.map((v) => applyWindow(v, window.center, window.width) * 255);
  const shrunk = resizeAxis(resizeAxis(grey, columns, rows, resizedW, true), resizedW, rows, resizedH, false);
  const input = new Float32Array(3 * size * size);
  for (let c = 0; c < 3; c += 1) {
    for (let y = 0; y < resizedH; y += 1) {
      for (let x = 0; x < resizedW; x += 1) {
        input[c * size * size + y * size + x] = (shrunk[y * resizedW + x] - manifest.pixel.mean[c]) / manifest.pixel.std[c];
      }
    }
  }
  const encoder = await ort.InferenceSession.create(join(fixtureDir, manifest.encoder.file));
  const decoder = await ort.InferenceSession.create(join(fixtureDir, manifest.decoder.file));
  const embedding = (await encoder.run({ image: new ort.Tensor('float32', input, [1, 3, size, size]) }))
    .image_embeddings;
  // Continuous image coordinates -> SAM pixel-centre coordinates, scaled.
  const points = click.points.flatMap(([x, y]) => [(x - 0.5) * resizedW / columns, (y - 0.5) * resizedH / rows]);
  const labels = [...click.labels];
  if (!labels.includes(2)) { points.push(0, 0); labels.push(-1); }
  const lowRes = manifest.low_res_size;
  const outputs = await decoder.run({
    image_embeddings: embedding,
    point_coords: new ort.Tensor('float32', Float32Array.from(points), [1, labels.length, 2]),
    point_labels: new ort.Tensor('float32', Float32Array.from(labels), [1, labels.length]),
    mask_input: new ort.Tensor('float32', new Float32Array(lowRes * lowRes), [1, 1, lowRes, lowRes]),
    has_mask_input: new ort.Tensor('float32', new Float32Array([0]), [1]),
    orig_im_size: new ort.Tensor('float32', new Float32Array([rows, columns]), [2]),
  });
  const iou = Array.from(outputs.iou_predictions.data);
  const best = iou.indexOf(Math.max(...iou));
  const plane = rows * columns;
  return Array.from(outputs.masks.data.subarray(best * plane, (best + 1) * plane), (v) => (v > 0 ? 1 : 0));
}

export function dice(a, b) {
  let both = 0;
  let total = 0;
  for (let i = 0; i < a.length; i += 1) {
    both += a[i] && b[i] ? 1 : 0;
    total += a[i] + b[i];
  }
  return total === 0 ? 1 : (2 * both) / total;
}
