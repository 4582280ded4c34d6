// make bench-inference: encoder ms/slice and decoder ms/prompt for the
// built-in model on WASM (1 and 2 threads) and WebGPU where the browser has
// an adapter, and the ratio of LocalSeg's prompt -> mask time (bridge, model,
// C++ post-processing) to a bare onnxruntime-web session.run of the same
// decoder in the same page, each run after the same pause as a click (see
// the rounds below). A benchmark, not a test: it measures and prints.
import { launchBrowser, startServer, waitForSeries } from '../tests/e2e/harness.mjs';

// 40 rounds: a single bare run after a pause varies by several ms, so 15
// rounds gave ratios from 0.8 to 1.35. WebGPU on a software adapter takes
// ~12 s per round, hence fewer there.
const ROUNDS = Number(process.env.ROUNDS || 40);
const WEBGPU_ROUNDS = Number(process.env.WEBGPU_ROUNDS || 5);
const MODEL = process.env.MODEL || 'builtin';  // a folder under models/ in dist (MODEL=fixture: the test fixture)
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function measure(server, label, query, args, rounds) {
  const browser = await launchBrowser(args);
  const { page } = browser;
  try {
    await page.goto(`${server.origin}/${query}`);
    await waitForSeries(page);
    await page.waitForFunction(() => LocalSeg.state().model, null, { timeout: 120000 });
    const status = (await page.evaluate(() => LocalSeg.state())).inferenceStatus;
    const [x0, y0, x1, y1] = (await page.evaluate(() => LocalSeg.state())).imageRect;
    const ratio = await page.evaluate(() => canvas.width / canvas.clientWidth);

    // The same encoder and decoder through bare onnxruntime-web in this page
    // (the page's ORT module, so the same proxy worker).
    await page.evaluate(async ({ backend, model }) => {
      const entry = backend === 'webgpu'
        ? (typeof WebAssembly.Suspending === 'function' ? './ort/ort.jspi.min.mjs' : './ort/ort.webgpu.min.mjs')
        : './ort/ort.wasm.min.mjs';
      const ort = await import(entry);
      const manifest = await (await fetch(`models/${model}/manifest.json`)).json();
      const load = async (name) => new Uint8Array(await (await fetch(`models/${model}/${name}`)).arrayBuffer());
      const options = { executionProviders: [backend] };
      const encoder = await ort.InferenceSession.create(await load(manifest.encoder.file), options);
      const decoder = await ort.InferenceSession.create(await load(manifest.decoder.file), options);
      const n = manifest.input_size;
      const lowRes = manifest.low_res_size;
      // Fresh arrays per run: the WASM proxy worker takes ownership of inputs.
      const image = () => new ort.Tensor('float32', new Float32Array(3 * n * n).fill(0.3), [1, 3, n, n]);
      let embedding = null;
      window.bareEncode = async () => {
        const t = performance.now();
        embedding = (await encoder.run({ image: image() })).image_embeddings;
        await embedding.getData();
        return performance.now() - t;
      };
      await window.bareEncode();
      const embeddingData = Float32Array.from(await embedding.getData());
      window.bareDecode = async () => {
        const t = performance.now();
        const out = await decoder.run({
          image_embeddings: new ort.Tensor('float32', embeddingData.slice(), embedding.dims),
          point_coords: new ort.Tensor('float32', new Float32Array([30, 32, 0, 0]), [1, 2, 2]),
          point_labels: new ort.Tensor('float32', new Float32Array([1, -1]), [1, 2]),
          mask_input: new ort.Tensor('float32', new Float32Array(lowRes * lowRes), [1, 1, lowRes, lowRes]),
          has_mask_input: new ort.Tensor('float32', new Float32Array([0]), [1]),
          orig_im_size: new ort.Tensor('float32', new Float32Array([256, 256]), [2]),
        });
        await out.low_res_masks.getData();
        return performance.now() - t;
      };
    }, { backend: status.startsWith('WebGPU') ? 'webgpu' : 'wasm', model: MODEL });

    // Rounds: LocalSeg end to end (Escape, click, wait for the candidates),
    // then, after a pause like the one before a click, one bare decoder run:
    // both start from a page that has been idle (a run right after another is
    // faster: warm caches), so the peer sees the same conditions. Then a few
    // bare runs back to back, reported for comparison.
    const endToEnd = [];
    const spaced = [];
    const backToBack = [];
    const encoderTimes = [];
    const pause = () => new Promise((resolve) => setTimeout(resolve, 50));
    for (let round = 0; round < rounds + 2; round += 1) {
      await page.keyboard.press('Escape');
      const x = (x0 + (x1 - x0) * (0.4 + 0.01 * round)) / ratio;
      await page.mouse.click(x, (y0 + y1) / 2 / ratio);
      await page.waitForFunction(() => {
        const p = LocalSeg.state().prompts;
        return p.candidates.length > 0 && !p.decoding;
      }, null, { timeout: 120000, polling: 'raf' });
      const localseg = (await page.evaluate(() => LocalSeg.state())).prompts.promptToMaskMs;
      await pause();
      const bare = await page.evaluate(() => window.bareDecode());
      const burst = await page.evaluate(async () => {
        let last = 0;
        for (let i = 0; i < 2; i += 1) last = await window.bareDecode();
        return last;
      });
      const encode = await page.evaluate(() => window.bareEncode());
      if (round >= 2) {
        endToEnd.push(localseg);
        spaced.push(bare);
        backToBack.push(burst);
        encoderTimes.push(encode);
      }
    }

    return {
      label, status,
      encoder: median(encoderTimes),
      decoder: median(spaced),
      backToBack: median(backToBack),
      endToEnd: median(endToEnd),
    };
  } finally {
    await browser.close();
  }
}

const server = await startServer();
const rows = [];
const backends = [
  ['WASM, 1 thread', `?backend=wasm&threads=1&model=${MODEL}`, []],
  ['WASM, 2 threads', `?backend=wasm&threads=2&model=${MODEL}`, []],
  ['WebGPU (SwiftShader)', `?backend=webgpu&model=${MODEL}`, ['--enable-unsafe-webgpu']],
// WebGPU only when asked for (BACKENDS=wasm,webgpu): on SwiftShader this
// version's interleaved rounds end with the page closed after minutes (see
// docs/performance.md).
].filter(([label]) => (process.env.BACKENDS || 'wasm').split(',').some((b) => label.toLowerCase().startsWith(b)));
try {
  for (const [label, query, args] of backends) {
    rows.push(await measure(server, label, query, args, label.startsWith('WebGPU') ? WEBGPU_ROUNDS : ROUNDS));
    console.log(`${label}: measured`);  // the WebGPU row takes minutes on a software adapter
  }
} finally {
  server.stop();
}
console.log(`\n${MODEL} model, median of ${ROUNDS} rounds (WebGPU: ${WEBGPU_ROUNDS}) (ms); ratio = LocalSeg prompt->mask / bare session.run after the same pause`);
console.log('| backend | status | encoder ms/slice | bare decoder ms/prompt (after a pause) | bare, back to back | LocalSeg prompt->mask ms | ratio |');
console.log('|---|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(`| ${r.label} | ${r.status} | ${r.encoder.toFixed(1)} | ${r.decoder.toFixed(1)} | ${r.backToBack.toFixed(1)} | ${r.endToEnd.toFixed(1)} | ${(r.endToEnd / r.decoder).toFixed(2)} |`);
}
