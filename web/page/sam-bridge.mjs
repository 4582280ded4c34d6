// SamBridge: runs a SAM-family encoder/decoder pair with whichever ONNX
// Runtime it is given (onnxruntime-web in the page, onnxruntime-node in tests),
// so the page and the tests share this exact code. Plain typed arrays in and
// out; it checks output names and shapes so a broken backend is caught (and,
// in the page, answered by falling back to WASM).

const DECODER_INPUTS = ['image_embeddings', 'point_coords', 'point_labels', 'mask_input', 'has_mask_input',
  'orig_im_size'];
const DECODER_OUTPUTS = ['masks', 'iou_predictions', 'low_res_masks'];

export class SamBridge {
  constructor(ort, encoder, decoder, manifest) {
    this.ort = ort;
    this.encoder = encoder;
    this.decoder = decoder;
    this.manifest = manifest;
  }

  // model: { manifest, encoder: Uint8Array, decoder: Uint8Array }
  static async create(ort, model, sessionOptions = {}) {
    const encoder = await ort.InferenceSession.create(model.encoder, sessionOptions);
    const decoder = await ort.InferenceSession.create(model.decoder, sessionOptions);
    const missing = DECODER_INPUTS.filter((name) => !decoder.inputNames.includes(name))
      .concat(DECODER_OUTPUTS.filter((name) => !decoder.outputNames.includes(name)));
    if (missing.length) {
      throw new Error(`the decoder does not have the SAM decoder signature (missing ${missing.join(', ')})`);
    }
    const encoderInput = model.manifest.encoder.input || 'image';
    if (!encoder.inputNames.includes(encoderInput)) {
      throw new Error(`the encoder has no input "${encoderInput}" (it has ${encoder.inputNames.join(', ')})`);
    }
    return new SamBridge(ort, encoder, decoder, model.manifest);
  }

  // input: Float32Array 1 x 3 x N x N -> { embedding: Float32Array, milliseconds }
  async encode(input) {
    const { ort, manifest } = this;
    const size = manifest.input_size;
    const started = performance.now();
    const feeds = { [manifest.encoder.input || 'image']: new ort.Tensor('float32', input, [1, 3, size, size]) };
    const outputs = await this.encoder.run(feeds);
    const output = outputs[manifest.encoder.output || 'image_embeddings'];
    const expected = [1, ...manifest.embedding_shape];
    if (!output || output.dims.join() !== expected.join()) {
      throw new Error(`encoder output has shape [${output?.dims}] instead of [${expected}]`);
    }
    return { embedding: await output.getData(), milliseconds: performance.now() - started };
  }

  // request: { embedding, pointCoords (N*2), pointLabels (N), maskInput, hasMaskInput, imageWidth, imageHeight }
  // -> { lowResMasks, iouPredictions, milliseconds } and, with { withMasks: true },
  // the decoder's own full-size `masks` and their dims (the page post-processes
  // the low-res logits itself, so it skips that copy).
  async decode(request, { withMasks = false } = {}) {
    const { ort, manifest } = this;
    const count = request.pointLabels.length;
    const lowRes = manifest.low_res_size || manifest.embedding_shape[1] * 4;
    const started = performance.now();
    const outputs = await this.decoder.run({
      image_embeddings: new ort.Tensor('float32', request.embedding, [1, ...manifest.embedding_shape]),
      point_coords: new ort.Tensor('float32', request.pointCoords, [1, count, 2]),
      point_labels: new ort.Tensor('float32', request.pointLabels, [1, count]),
      mask_input: new ort.Tensor('float32', request.maskInput, [1, 1, lowRes, lowRes]),
      has_mask_input: new ort.Tensor('float32', new Float32Array([request.hasMaskInput ? 1 : 0]), [1]),
      orig_im_size: new ort.Tensor('float32', new Float32Array([request.imageHeight, request.imageWidth]), [2]),
    });
    const low = outputs.low_res_masks;
    const iou = outputs.iou_predictions;
    const masks = outputs.masks;
    const maskCount = iou.dims[iou.dims.length - 1];
    if (low.dims.join() !== [1, maskCount, lowRes, lowRes].join()) {
      throw new Error(`decoder low_res_masks has shape [${low.dims}], expected [1,${maskCount},${lowRes},${lowRes}]`);
    }
    const result = {
      lowResMasks: await low.getData(),
      iouPredictions: await iou.getData(),
      milliseconds: performance.now() - started,
    };
    if (withMasks) {
      result.masks = await masks.getData();
      result.maskDims = masks.dims;
    }
    return result;
  }

  async release() {
    await this.encoder.release?.();
    await this.decoder.release?.();
  }
}
