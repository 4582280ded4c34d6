// The shipped denoisers (models/denoise-ct, models/denoise-mr) load in ONNX
// Runtime with the signature their manifests declare, keep the shape of a
// non-square input, are close to the identity at sigma 0, and bring a noisy
// synthetic slice closer to its clean version.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import ort from 'onnxruntime-node';

const root = join(import.meta.dirname, '..', '..', 'models');
const models = Object.fromEntries(['ct', 'mr'].map((m) => {
  const dir = join(root, `denoise-${m}`);
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  return [m, { manifest, session: ort.InferenceSession.create(join(dir, manifest.file)) }];
}));

function random(seed) {       // mulberry32
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6D2B79F5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
function gaussian(rand) { return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand()); }

// A phantom in modality units: CT a water-like body (40 HU) with a bright
// (300 HU) and a dark (-80 HU) insert in air; MR a head-like ellipse (0.6 of
// the peak) with a brighter core (0.9), on 0.
function phantom(modality, height, width) {
  const out = new Float32Array(height * width);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const u = (x - width / 2) / (0.42 * width);
      const v = (y - height / 2) / (0.42 * height);
      const inBody = u * u + v * v < 1;
      const a = (x - 0.38 * width) ** 2 + (y - 0.45 * height) ** 2 < (0.08 * height) ** 2;
      const b = (x - 0.62 * width) ** 2 + (y - 0.55 * height) ** 2 < (0.1 * height) ** 2;
      out[y * width + x] = modality === 'ct'
        ? (inBody ? (a ? 300 : b ? -80 : 40) : -1000)
        : (inBody ? (a ? 900 : 600) : 0);
    }
  }
  return out;
}

function normalise(manifest, image) {
  const n = manifest.normalize;
  let offset = 0;
  let scale;
  if (n.mode === 'fixed') ({ offset, scale } = n);
  else {
    const sorted = Float32Array.from(image).sort();
    scale = sorted[Math.min(sorted.length - 1, Math.floor((n.percentile / 100) * (sorted.length - 1)))];
  }
  return { data: image.map((v) => (v - offset) / scale), offset, scale };
}

async function run(m, data, height, width, sigma) {
  const { manifest, session } = models[m];
  const s = await session;
  const feeds = {
    [manifest.inputs.image]: new ort.Tensor('float32', data, [1, 1, height, width]),
    [manifest.inputs.noise_sigma]: new ort.Tensor('float32', new Float32Array([sigma]), [1]),
  };
  return (await s.run(feeds))[manifest.output];
}

function meanAbs(a, b) { let s = 0; for (let i = 0; i < a.length; i += 1) s += Math.abs(a[i] - b[i]); return s / a.length; }
function mse(a, b) { let s = 0; for (let i = 0; i < a.length; i += 1) s += (a[i] - b[i]) ** 2; return s / a.length; }

for (const m of ['ct', 'mr']) {
  test(`${m}: declared signature, non-square shapes`, async () => {
    const { manifest, session } = models[m];
    const s = await session;
    assert.equal(manifest.kind, 'denoiser');
    assert.equal(manifest.modality, m.toUpperCase());
    assert.deepEqual(s.inputNames, [manifest.inputs.image, manifest.inputs.noise_sigma]);
    assert.deepEqual(s.outputNames, [manifest.output]);
    const k = manifest.size_multiple;
    for (const [h, w] of [[3 * k, 5 * k], [7 * k, 2 * k]]) {
      const out = await run(m, new Float32Array(h * w).fill(0.5), h, w, manifest.noise_sigma.normalised.default);
      assert.deepEqual(out.dims, [1, 1, h, w]);
      assert.ok(out.data.every(Number.isFinite));
    }
  });

  test(`${m}: sigma 0 is close to the identity`, async () => {
    const { manifest } = models[m];
    const [h, w] = [96, 128];
    const { data } = normalise(manifest, phantom(m, h, w));
    const out = await run(m, data, h, w, 0);
    // Within 0.5 % of the normalisation scale (5 HU for CT) on average.
    assert.ok(meanAbs(out.data, data) < 0.005, `mean |out - in| = ${meanAbs(out.data, data)}`);
  });

  test(`${m}: a noisy phantom gets closer to the clean one`, async () => {
    const { manifest } = models[m];
    const [h, w] = [128, 160];
    const clean = phantom(m, h, w);
    const rand = random(42);
    const sigmaUser = manifest.noise_sigma.default;
    const noisy = new Float32Array(clean.length);
    if (m === 'ct') {
      for (let i = 0; i < clean.length; i += 1) noisy[i] = clean[i] + sigmaUser * gaussian(rand);
    } else {
      const sigma = (sigmaUser / 100) * 900;          // percent of about the 99.5th percentile
      for (let i = 0; i < clean.length; i += 1) {
        const re = clean[i] + sigma * gaussian(rand);
        const im = sigma * gaussian(rand);
        noisy[i] = Math.hypot(re, im);
      }
    }
    const { data, offset, scale } = normalise(manifest, noisy);
    const sigmaIn = m === 'ct' ? sigmaUser / scale : sigmaUser / 100;
    const out = await run(m, data, h, w, sigmaIn);
    const restored = out.data.map((v) => v * scale + offset);
    const before = mse(noisy, clean);
    const after = mse(restored, clean);
    assert.ok(after < 0.5 * before, `MSE ${before.toFixed(1)} -> ${after.toFixed(1)}`);
  });
}
