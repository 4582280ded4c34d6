// DenoiserBridge: runs a learned denoiser (models/denoise-*) with whichever
// ONNX Runtime it is given (onnxruntime-web in the page, onnxruntime-node in
// tests and benchmarks), so all of them share this code. The C++ side
// normalises and pads the slice; this only runs the session and checks that
// the output has the input's shape.
export class DenoiserBridge {
  constructor(ort, session, manifest) {
    this.ort = ort;
    this.session = session;
    this.manifest = manifest;
    this.inputs = { image: manifest.inputs?.image || 'image', sigma: manifest.inputs?.noise_sigma || 'noise_sigma' };
    this.output = manifest.output || 'denoised';
  }

  static async create(ort, bytes, manifest, sessionOptions = {}) {
    const session = await ort.InferenceSession.create(bytes, sessionOptions);
    const bridge = new DenoiserBridge(ort, session, manifest);
    const missing = [bridge.inputs.image, bridge.inputs.sigma].filter((name) => !session.inputNames.includes(name))
      .concat(session.outputNames.includes(bridge.output) ? [] : [bridge.output]);
    if (missing.length) {
      throw new Error(`${manifest.name}: the denoiser has no ${missing.join(', ')} (it has inputs ` +
        `${session.inputNames.join(', ')} and outputs ${session.outputNames.join(', ')})`);
    }
    return bridge;
  }

  // image: Float32Array height x width (normalised, padded) -> { image, milliseconds }
  async denoise(image, width, height, sigma) {
    const { ort } = this;
    const started = performance.now();
    const outputs = await this.session.run({
      [this.inputs.image]: new ort.Tensor('float32', image, [1, 1, height, width]),
      [this.inputs.sigma]: new ort.Tensor('float32', Float32Array.of(sigma), [1]),
    });
    const output = outputs[this.output];
    if (!output || output.dims.join() !== [1, 1, height, width].join()) {
      throw new Error(`${this.manifest.name}: output has shape [${output?.dims}], expected [1,1,${height},${width}]`);
    }
    return { image: await output.getData(), milliseconds: performance.now() - started };
  }

  async release() { await this.session.release?.(); }
}
