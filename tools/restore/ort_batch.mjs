// Runs a denoiser (models/denoise-*) on a batch of slices for the Python
// tools (there is no Python onnxruntime here). Python writes a job folder:
//   job.json: {"model": "<dir with manifest.json>", "threads": 1,
//              "items": [{"in": "0.f32", "out": "0.out.f32", "height": H, "width": W, "sigma": s}]}
// with each input a raw little-endian float32 [H, W] image already normalised
// and padded to the model's size multiple, sigma in normalised units.
// usage: node tools/restore/ort_batch.mjs <job folder>
// Writes each output next to it and prints {"ok": true, "ms": [...]}.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ort from 'onnxruntime-node';

const folder = process.argv[2];
const job = JSON.parse(readFileSync(join(folder, 'job.json'), 'utf8'));
const manifest = JSON.parse(readFileSync(join(job.model, 'manifest.json'), 'utf8'));
const session = await ort.InferenceSession.create(join(job.model, manifest.file), {
  executionProviders: ['cpu'], intraOpNumThreads: job.threads || 1, interOpNumThreads: 1,
});
const ms = [];
for (const item of job.items) {
  const bytes = readFileSync(join(folder, item.in));
  const data = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
  const feeds = {
    [manifest.inputs.image]: new ort.Tensor('float32', data, [1, 1, item.height, item.width]),
    [manifest.inputs.noise_sigma]: new ort.Tensor('float32', new Float32Array([item.sigma]), [1]),
  };
  const t = performance.now();
  const out = (await session.run(feeds))[manifest.output];
  ms.push(performance.now() - t);
  writeFileSync(join(folder, item.out), Buffer.from(out.data.buffer, out.data.byteOffset, out.data.byteLength));
}
console.log(JSON.stringify({ ok: true, ms }));
