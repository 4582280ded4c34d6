// Times one denoiser on a 512 x 512 input: onnxruntime-node (CPU EP) and
// onnxruntime-web's WASM backend (the page's fallback), in this Node process.
// usage: node tools/restore/time_model.mjs models/denoise-ct/denoiser.onnx [threads] [runs]
// Prints one JSON line: median and min milliseconds per run for each backend.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';

const [file, threadsArg, runsArg, sizeArg] = process.argv.slice(2);
const threads = Number(threadsArg || 2);
const runs = Number(runsArg || 10);
const size = Number(sizeArg || 512);
const bytes = readFileSync(resolve(file));
const require = createRequire(import.meta.url);

function input(ort) {
  const data = new Float32Array(size * size);
  for (let i = 0; i < data.length; i += 1) data[i] = 1 + 0.05 * Math.sin(i * 12.9898);
  return {
    image: new ort.Tensor('float32', data, [1, 1, size, size]),
    noise_sigma: new ort.Tensor('float32', new Float32Array([0.03]), [1]),
  };
}

async function time(ort, options) {
  const session = await ort.InferenceSession.create(bytes, options);
  const feeds = input(ort);
  await session.run(feeds);            // warm-up
  const ms = [];
  for (let i = 0; i < runs; i += 1) {
    const t = performance.now();
    await session.run(feeds);
    ms.push(performance.now() - t);
  }
  await session.release();
  ms.sort((a, b) => a - b);
  return { median_ms: +ms[Math.floor(ms.length / 2)].toFixed(1), min_ms: +ms[0].toFixed(1) };
}

const result = { file, size, threads, runs };
const ortNode = (await import('onnxruntime-node')).default;
result.node_cpu = await time(ortNode, { executionProviders: ['cpu'], intraOpNumThreads: threads, interOpNumThreads: 1 });
const ortWeb = await import(require.resolve('onnxruntime-web'));
const web = ortWeb.default || ortWeb;
for (const n of [...new Set([threads, 1])]) {
  web.env.wasm.numThreads = n;
  try {
    result[`web_wasm_${n}t`] = await time(web, { executionProviders: ['wasm'] });
  } catch (e) {
    result[`web_wasm_${n}t`] = { error: String(e.message || e).slice(0, 200) };
  }
}
console.log(JSON.stringify(result));
process.exit(0);
