// make bench-inference: encoder ms/slice and decoder ms/prompt for the test
// fixture and the built-in model on WASM (1 and 2 threads) and WebGPU where
// the browser has an adapter (BACKENDS=wasm for WASM only; MODELS=builtin), and the ratio of LocalSeg's prompt -> mask time (bridge, model,
// C++ post-processing) to a bare onnxruntime-web session.run of the same
// decoder in the same page, each run after the same pause as a click (see
// the rounds below). A benchmark, not a test: it measures and prints.
import { launchBrowser, startServer, waitForSeries } from '../tests/e2e/harness.mjs';

// 40 rounds: a single bare run after a pause varies by several ms, so 15
// rounds gave ratios from 0.8 to 1.35. WebGPU on a software adapter takes
// ~50 s per round with the built-in model (8 s a decode), hence fewer there.
const ROUNDS = Number(process.env.ROUNDS || 40);
const WEBGPU_ROUNDS = Number(process.env.WEBGPU_ROUNDS || 3);
// Folders under models/ in dist: the test fixture and the built-in model.
const MODELS = (process.env.MODELS || 'fixture,builtin').split(',');
// Idle time before each timed run, LocalSeg's and the peer's alike.
const PAUSE_MS = Number(process.env.PAUSE_MS || 100);
// How long a click holds the button (a person's click: about 100 ms).
const PRESS_MS = Number(process.env.PRESS_MS || 80);
const quantile = (values, q) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) * q + 0.5)];
const median = (values) => quantile(values, 0.5);

async function measure(server, label, query, args, rounds, model) {
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
    // (the page's ORT module, so the same proxy worker). Each bare call waits
    // for LocalSeg's own runs (pre-encoding) through the page's queue, and is
    // timed once it runs: two runs at once crash ORT's WebGPU build (JSPI).
    await page.evaluate(({ backend, model }) => LocalSegInference.exclusive(async () => {
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
      const encode = async () => {
        const t = performance.now();
        embedding = (await encoder.run({ image: image() })).image_embeddings;
        await embedding.getData();
        return performance.now() - t;
      };
      window.bareEncode = () => LocalSegInference.exclusive(encode);
      await encode();
      const embeddingData = Float32Array.from(await embedding.getData());
      window.bareDecode = () => LocalSegInference.exclusive(async () => {
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
      });
    }), { backend: status.startsWith('WebGPU') ? 'webgpu' : 'wasm', model });

    // Rounds: LocalSeg end to end (Escape, then a pause that lets its frames
    // finish, a click, wait for the candidates) and, after the same pause,
    // one bare decoder run: both start from a page that has been idle for
    // PAUSE_MS (a run right after another is faster: warm caches, a spinning
    // thread pool), so the peer sees the conditions of a prompt. The order of
    // the pair alternates between rounds, so whatever the first run leaves
    // behind (a frame still rasterising, a warm cache) weighs on both sides
    // alike. Then two bare runs back to back, reported for comparison. The
    // wait for the candidates polls a counter (ls_preview_version), not the
    // state JSON, so the bench itself takes no main-thread time from the decode.
    const endToEnd = [];
    const localRun = [];
    const spaced = [];
    const backToBack = [];
    const encoderTimes = [];
    const pause = () => new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
    const bareAfterPause = async () => {
      await pause();
      return page.evaluate(() => window.bareDecode());
    };
    const promptAfterPause = async (round) => {
      await page.keyboard.press('Escape');
      const x = (x0 + (x1 - x0) * (0.4 + 0.01 * round)) / ratio;
      const y = (y0 + y1) / 2 / ratio;
      await page.mouse.move(x, y);
      await pause();
      const before = await page.evaluate(() => Module._ls_preview_version());
      // A click as a hand makes it: the button held PRESS_MS. (An instant
      // click sends the prompt while the software GPU still rasterises the
      // frame drawn for the press, which takes the CPU from the decoder.)
      await page.mouse.down();
      await new Promise((resolve) => setTimeout(resolve, PRESS_MS));
      await page.mouse.up();
      await page.evaluate(async (version) => {
        const started = performance.now();
        while (Module._ls_preview_version() === version && performance.now() - started < 120000) {
          await new Promise((resolve) => setTimeout(resolve, 4));
        }
      }, before);
      const prompts = (await page.evaluate(() => LocalSeg.state())).prompts;
      if (prompts.candidates.length === 0 || prompts.decoding) throw new Error(`${label}: no candidates after a click`);
      return prompts;
    };
    for (let round = 0; round < rounds + 2; round += 1) {
      let prompts;
      let bare;
      if (round % 2 === 0) {
        prompts = await promptAfterPause(round);
        bare = await bareAfterPause();
      } else {
        bare = await bareAfterPause();
        prompts = await promptAfterPause(round);
      }
      const burst = await page.evaluate(async () => {
        let last = 0;
        for (let i = 0; i < 2; i += 1) last = await window.bareDecode();
        return last;
      });
      const encode = await page.evaluate(() => window.bareEncode());
      if (round >= 2) {
        endToEnd.push(prompts.promptToMaskMs);
        localRun.push(prompts.decoderMs);
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
      localRun: median(localRun),
      perRound: endToEnd.map((value, i) => value / spaced[i]),
    };
  } finally {
    await browser.close();
  }
}

const server = await startServer();
const backends = [
  ['WASM, 1 thread', 'backend=wasm&threads=1', []],
  ['WASM, 2 threads', 'backend=wasm&threads=2', []],
  ['WebGPU (SwiftShader)', 'backend=webgpu', ['--enable-unsafe-webgpu']],
].filter(([label]) => (process.env.BACKENDS || 'wasm,webgpu').split(',').some((b) => label.toLowerCase().startsWith(b)));
const tables = [];
try {
  for (const model of MODELS) {
    const rows = [];
    for (const [label, query, args] of backends) {
      const webgpu = label.startsWith('WebGPU');
      rows.push(await measure(server, label, `?${query}&model=${model}`, args, webgpu ? WEBGPU_ROUNDS : ROUNDS, model));
      console.log(`${model}, ${label}: measured`);  // the WebGPU row takes minutes on a software adapter
    }
    tables.push([model, rows]);
  }
} finally {
  server.stop();
}
for (const [model, rows] of tables) {
  console.log(`\n${model} model, median of ${ROUNDS} rounds (WebGPU: ${WEBGPU_ROUNDS}), each run after ${PAUSE_MS} ms idle (ms); ratio = LocalSeg prompt->mask / bare session.run`);
  console.log('| backend | status | encoder ms/slice | bare decoder ms/prompt (after the pause) | bare, back to back | LocalSeg prompt->mask ms | of which the run | ratio | per-round ratios: median (quartiles) |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    console.log(`| ${r.label} | ${r.status} | ${r.encoder.toFixed(1)} | ${r.decoder.toFixed(1)} | ${r.backToBack.toFixed(1)} | ${r.endToEnd.toFixed(1)} | ${r.localRun.toFixed(1)} | ${(r.endToEnd / r.decoder).toFixed(2)} | ${median(r.perRound).toFixed(2)} (${quantile(r.perRound, 0.25).toFixed(2)}-${quantile(r.perRound, 0.75).toFixed(2)}) |`);
  }
}
