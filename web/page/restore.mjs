// In-page learned denoisers for the restoration preview: the models shipped
// under models/denoise-* are announced to C++ at start; a session is created
// on first use with the ONNX Runtime the segmentation model uses (WASM
// backend), and requests run one at a time, in the segmentation's queue
// (inference.exclusive: one ONNX Runtime call at a time). Slices never leave
// the page.
import { DenoiserBridge } from './denoiser-bridge.mjs';

const SHIPPED = ['denoise-ct', 'denoise-mr'];
const models = new Map();  // name -> { base, manifest, bridge: Promise<DenoiserBridge> | null }

function withInference(callback) {
  if (self.LocalSegInference) callback(self.LocalSegInference);
  else self.addEventListener('localseg-inference', () => callback(self.LocalSegInference), { once: true });
}

async function announce(folder) {
  const response = await fetch(`models/${folder}/manifest.json`);
  if (!response.ok) throw new Error(`models/${folder}/manifest.json: HTTP ${response.status}`);
  const text = await response.text();
  const manifest = JSON.parse(text);
  models.set(manifest.name, { base: `models/${folder}`, manifest, bridge: null });
  Module.ccall('ls_add_denoiser', null, ['string'], [text]);
}

function bridgeFor(name) {
  const model = models.get(name);
  if (!model) throw new Error(`no denoiser named "${name}"`);
  model.bridge ||= new Promise((resolve) => withInference(resolve)).then(async (inference) => {
    const ort = await inference.runtime();
    const bytes = new Uint8Array(await (await fetch(`${model.base}/${model.manifest.file}`)).arrayBuffer());
    return DenoiserBridge.create(ort, bytes, model.manifest, { executionProviders: ['wasm'] });
  });
  model.bridge.catch(() => { model.bridge = null; });  // a later request tries again
  return model.bridge;
}

export const restore = {
  start() {
    for (const folder of SHIPPED) {
      announce(folder).catch((error) => console.warn(`denoiser ${folder} not available: ${error.message}`));
    }
  },

  // Called by C++ (web_denoiser.cpp); the input is copied before returning.
  denoise(id, name, pointer, count, width, height, sigma) {
    const image = Module.heap().HEAPF32.slice(pointer >> 2, (pointer >> 2) + count);
    withInference((inference) => inference.exclusive(async () => {
      try {
        const bridge = await bridgeFor(name);
        const result = await bridge.denoise(image, width, height, sigma);
        const out = Module._malloc(result.image.length * 4);
        Module.heap().HEAPF32.set(result.image, out >> 2);
        Module.ccall('ls_denoise_done', null, ['number', 'number', 'number', 'number'],
          [id, out, result.image.length, result.milliseconds]);
      } catch (error) {
        Module.ccall('ls_denoise_failed', null, ['number', 'string'], [id, error.message || String(error)]);
      }
    }));
  },
};

self.LocalSegRestore = restore;
LocalSeg.onReady(() => restore.start());
