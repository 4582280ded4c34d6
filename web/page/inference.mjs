// In-page inference: picks ONNX Runtime Web's WebGPU backend when the browser
// offers an adapter, else WASM (multi-threaded when cross-origin isolated),
// runs the C++ side's encode/decode requests through SamBridge and hands the
// results back. Any WebGPU failure falls back to WASM and says so. Model files
// come from this origin or from the user's disk; nothing is uploaded.
import { SamBridge } from './sam-bridge.mjs';

const params = new URLSearchParams(location.search);
const ORT_ENTRIES = {
  wasm: './ort/ort.wasm.min.mjs',
  webgpu: typeof WebAssembly.Suspending === 'function' ? './ort/ort.jspi.min.mjs' : './ort/ort.webgpu.min.mjs',
};

let bridge = null;
let backend = null;     // 'webgpu' | 'wasm'
let model = null;       // { manifest, encoder, decoder, label }
let queue = Promise.resolve();
let fallbackReason = '';

function preferredBackend() {
  return params.get('backend') || localStorage.getItem('localseg.backend') || 'auto';
}

async function webgpuAdapter() {
  if (!navigator.gpu) return null;
  try {
    return await navigator.gpu.requestAdapter();
  } catch {
    return null;
  }
}

// Each runtime is imported once and shared (the denoisers in restore.mjs use it too).
const runtimes = {};
function loadOrt(kind) {
  runtimes[kind] ||= importOrt(kind);
  return runtimes[kind];
}

async function importOrt(kind) {
  const ort = await import(ORT_ENTRIES[kind]);
  ort.env.wasm.wasmPaths = new URL('./ort/', location.href).href;
  const threads = Number(params.get('threads')) || Math.min(4, navigator.hardwareConcurrency || 1);
  ort.env.wasm.numThreads = self.crossOriginIsolated ? threads : 1;
  // Off the main thread, so scrolling stays fluid while a slice encodes.
  if (kind === 'wasm') ort.env.wasm.proxy = true;
  return ort;
}

function setStatus(text) {
  Module.ccall('ls_set_inference_status', null, ['string'], [text]);
}

async function createBridge(kind, adapter) {
  const ort = await loadOrt(kind);
  const options = kind === 'webgpu' ? { executionProviders: ['webgpu'] } : { executionProviders: ['wasm'] };
  if (kind === 'webgpu' && params.has('simulate-webgpu-failure')) {
    throw new Error('simulated WebGPU failure (?simulate-webgpu-failure)');
  }
  const created = await SamBridge.create(ort, model, options);
  if (kind === 'webgpu') {
    const name = adapter?.info?.description || adapter?.info?.vendor || 'adapter';
    setStatus(`WebGPU (${name})`);
  } else {
    const threads = ort.env.wasm.numThreads;
    setStatus(`WASM, ${threads} thread${threads === 1 ? '' : 's'}${fallbackReason ? ` (WebGPU failed: ${fallbackReason})` : ''}`);
  }
  return created;
}

async function start() {
  const wanted = preferredBackend();
  Module.ccall('ls_set_backend_preference', null, ['string'], [wanted]);
  const adapter = wanted === 'wasm' ? null : await webgpuAdapter();
  if (adapter && wanted !== 'wasm') {
    try {
      backend = 'webgpu';
      bridge = await createBridge('webgpu', adapter);
      return;
    } catch (error) {
      fallbackReason = error.message || String(error);
      console.warn(`WebGPU unavailable, using WASM: ${fallbackReason}`);
    }
  }
  backend = 'wasm';
  bridge = await createBridge('wasm', null);
}

// Runs `task` (async) once every ONNX Runtime call queued before it has
// finished: sessions are created and run one at a time, the segmentation's
// and the restoration denoisers' alike (they share the runtime). ORT's
// WebGPU build (JSPI) runs on this thread and failed with "unreachable" when
// a WebGPU session was created and run while another one's run was waiting
// for the GPU (seen in bench/inference.mjs, whose bare runs now queue here).
// (Starting a task at once when the queue is idle, inside the call of the
// frame that sent the prompt, made the fixture's decode slower: 8.0 against
// 5.1 ms in bench-inference, 1 thread. The hop lets that frame end first.)
function exclusive(task) {
  const job = queue.then(task);
  queue = job.catch(() => {});
  return job;
}

// Runs one request; on a WebGPU failure switches to WASM and retries once.
function run(task) {
  return exclusive(async () => {
    try {
      return await task(bridge);
    } catch (error) {
      if (backend !== 'webgpu') throw error;
      fallbackReason = error.message || String(error);
      console.warn(`WebGPU failed, falling back to WASM: ${fallbackReason}`);
      backend = 'wasm';
      bridge = await createBridge('wasm', null);
      return task(bridge);
    }
  });
}

function copyFromHeap(pointer, count) {
  return Module.heap().HEAPF32.slice(pointer >> 2, (pointer >> 2) + count);
}

function copyToHeap(values) {
  const pointer = Module._malloc(Math.max(values.length, 1) * 4);
  Module.heap().HEAPF32.set(values, pointer >> 2);
  return pointer;
}

function fail(id, error) {
  Module.ccall('ls_inference_failed', null, ['number', 'string'], [id, error.message || String(error)]);
}

export const inference = {
  // Called by C++ (web_inference.cpp). Inputs are copied before returning.
  encode(id, inputPointer, inputCount) {
    const input = copyFromHeap(inputPointer, inputCount);
    run((b) => b.encode(input)).then(({ embedding, milliseconds }) => {
      const pointer = copyToHeap(embedding);
      Module.ccall('ls_encode_done', null, ['number', 'number', 'number', 'number'],
        [id, pointer, embedding.length, milliseconds]);
    }, (error) => fail(id, error));
  },

  decode(id, request) {
    const copied = {
      embedding: copyFromHeap(request.embedding, request.embeddingCount),
      pointCoords: copyFromHeap(request.points, request.pointCount * 2),
      pointLabels: copyFromHeap(request.labels, request.pointCount),
      maskInput: copyFromHeap(request.maskInput, request.maskInputCount),
      hasMaskInput: request.hasMaskInput,
      imageWidth: request.imageWidth,
      imageHeight: request.imageHeight,
    };
    run((b) => b.decode(copied)).then(({ lowResMasks, iouPredictions, milliseconds }) => {
      const masks = copyToHeap(lowResMasks);
      const iou = copyToHeap(iouPredictions);
      Module.ccall('ls_decode_done', null, ['number', 'number', 'number', 'number', 'number', 'number'],
        [id, masks, lowResMasks.length, iou, iouPredictions.length, milliseconds]);
    }, (error) => fail(id, error));
  },

  // A model from this origin (a folder with manifest.json) or from the user's
  // files (a manifest .json and the .onnx files it names).
  async loadFromUrl(base) {
    const manifestText = await (await fetch(`${base}/manifest.json`)).text();
    const manifest = JSON.parse(manifestText);
    const bytes = async (name) => new Uint8Array(await (await fetch(`${base}/${name}`)).arrayBuffer());
    await this.use({ manifest, manifestText, encoder: await bytes(manifest.encoder.file),
      decoder: await bytes(manifest.decoder.file) });
  },

  async loadFromFiles(files) {
    const list = Array.from(files);
    const manifestFile = list.find((file) => file.name.endsWith('.json'));
    if (!manifestFile) throw new Error('choose the model\'s manifest (.json) together with its .onnx files');
    const manifestText = await manifestFile.text();
    let manifest;
    try {
      manifest = JSON.parse(manifestText);
    } catch (error) {
      throw new Error(`${manifestFile.name}: not valid JSON (${error.message})`);
    }
    const named = (name) => {
      const file = list.find((candidate) => candidate.name === name);
      if (!file) throw new Error(`${manifestFile.name} names "${name}", which was not among the chosen files`);
      return file.arrayBuffer().then((buffer) => new Uint8Array(buffer));
    };
    await this.use({ manifest, manifestText, encoder: await named(manifest.encoder?.file),
      decoder: await named(manifest.decoder?.file) });
  },

  async use(next) {
    // C++ validates the manifest first: a bad one is reported, the old model stays.
    const accepted = Module.ccall('ls_check_manifest', 'number', ['string'], [next.manifestText]);
    if (!accepted) return;
    const previous = { model, bridge };
    model = next;
    try {
      await exclusive(async () => {
        if (backend) bridge = await createBridge(backend, await webgpuAdapter());
        else await start();
      });
    } catch (error) {
      ({ model, bridge } = previous);
      Module.ccall('ls_report_model_error', null, ['string'], [error.message || String(error)]);
      return;
    }
    await previous.bridge?.release();
    Module.ccall('ls_set_model', null, ['string'], [next.manifestText]);
  },

  exclusive,
  backend: () => backend,
  // The ONNX Runtime module in use (WASM's when no model has started one).
  runtime: () => loadOrt(backend || 'wasm'),

  // The user's choice in the settings ("auto", "webgpu", "wasm"), kept in this
  // browser; the running model is moved to it.
  setBackend(kind) {
    localStorage.setItem('localseg.backend', kind);
    params.delete('backend');
    if (!model) return;
    exclusive(async () => {
      const previous = bridge;
      fallbackReason = '';
      backend = null;
      await start();
      await previous?.release();
    }).catch((error) => Module.ccall('ls_report_model_error', null, ['string'], [error.message || String(error)]));
  },
};

self.LocalSegInference = inference;
self.dispatchEvent(new Event('localseg-inference'));
