// End-to-end: colour images in the page. A PALETTE COLOR ultrasound cine
// (octave-dicom, RLE, 10 frames) and an RGB image with planar configuration 1
// (pydicom, big endian) are drawn in their colours: canvas pixels against
// pydicom's RGB reading of the same files (an independent decoder).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import { join } from 'node:path';
import { appState, launchBrowser, screenshot, startServer, testData, waitForSeries } from './harness.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  await browser.page.goto(`${server.origin}/?nodemo&nomodel`);
  await browser.page.waitForFunction(() => typeof LocalSeg !== 'undefined' && Module.calledRun);
});

after(async () => {
  await browser?.close();
  server?.stop();
});

// One frame as 8-bit RGB, read by pydicom (palette through its colour table).
function pydicomRgb(file, frame) {
  const json = execFileSync('/usr/bin/python3', ['-c', `
import json, sys, numpy, pydicom
from pydicom.pixel_data_handlers.util import apply_color_lut, convert_color_space
d = pydicom.dcmread(sys.argv[1])
p = d.pixel_array
if d.PhotometricInterpretation == "PALETTE COLOR":
    p = apply_color_lut(p, d)
if int(getattr(d, "NumberOfFrames", 1) or 1) > 1:
    p = p[int(sys.argv[2])]
if p.dtype.itemsize > 1:
    p = numpy.rint(p.astype(numpy.float64) * 255 / (65535 if p.max() > 255 else 255))
print(json.dumps({"rows": int(d.Rows), "columns": int(d.Columns), "rgb": p.astype(numpy.uint8).ravel().tolist()}))
`, file, String(frame)], { maxBuffer: 64 << 20 });
  return JSON.parse(json);
}

async function loadFile(page, file) {
  const generation = (await appState(page)).volumeGeneration;
  await page.setInputFiles('#file-input', [file]);
  return waitForSeries(page, generation);
}

// Canvas colours at a grid of image pixels against the reference, within `tolerance`.
async function compareColours(page, state, reference, tolerance) {
  const png = await screenshot(page);
  const ratio = await page.evaluate(() => canvas.width / canvas.clientWidth);
  const [x0, y0, x1, y1] = state.imageRect;
  let compared = 0;
  let coloured = 0;
  const mismatches = [];
  for (let gy = 0; gy < 24; gy += 1) {
    for (let gx = 0; gx < 24; gx += 1) {
      const column = Math.floor(((gx + 0.5) / 24) * reference.columns);
      const row = Math.floor(((gy + 0.5) / 24) * reference.rows);
      const sx = (x0 + ((column + 0.5) / reference.columns) * (x1 - x0)) / ratio;
      const sy = (y0 + ((row + 0.5) / reference.rows) * (y1 - y0)) / ratio;
      const i = (png.width * Math.floor(sy) + Math.floor(sx)) * 4;
      const want = reference.rgb.slice((row * reference.columns + column) * 3, (row * reference.columns + column) * 3 + 3);
      const got = [png.data[i], png.data[i + 1], png.data[i + 2]];
      compared += 1;
      if (new Set(want).size > 1) coloured += 1;
      if (want.some((v, c) => Math.abs(v - got[c]) > tolerance)) mismatches.push({ column, row, want, got });
    }
  }
  return { compared, coloured, mismatches };
}

test('a PALETTE COLOR ultrasound cine is shown in its colours, frame by frame', async () => {
  const { page } = browser;
  const file = join(testData, 'octave-dicom', 'US-PAL-8-10x-echo.dcm');
  const state = await loadFile(page, file);
  assert.equal(state.volume.colour, true);
  assert.equal(state.volume.photometric, 'PALETTE COLOR');
  assert.equal(state.volume.slices, 10);
  assert.equal(state.window.name, 'colour as stored');
  assert.equal(state.volume.orientationKnown, false, 'no patient orientation in the file: no letters drawn');
  assert.equal(state.volume.spacingKnown, false, 'no pixel spacing in the file: lengths in pixels');
  const reference = pydicomRgb(file, state.slice);
  const result = await compareColours(page, state, reference, 1);
  assert.ok(result.coloured > 20, `only ${result.coloured} coloured pixels compared`);
  assert.deepEqual(result.mismatches.slice(0, 5), []);
  // The next frame, and the readout gives the colour under the pointer.
  await page.keyboard.press('ArrowDown');
  await page.waitForFunction((s) => LocalSeg.state().slice === s + 1, state.slice);
  const next = await appState(page);
  const nextResult = await compareColours(page, next, pydicomRgb(file, next.slice), 1);
  assert.deepEqual(nextResult.mismatches.slice(0, 5), []);
  const [x0, y0, x1, y1] = next.imageRect;
  await page.mouse.move((x0 + x1) / 2, (y0 + y1) / 2);
  await page.waitForFunction(() => LocalSeg.state().cursor?.rgb);
  assert.equal((await appState(page)).cursor.rgb.length, 3);
});

test('an RGB image with planar configuration 1 (big endian) is shown in its colours', async () => {
  const { page } = browser;
  const file = join(testData, 'pydicom', 'ExplVR_BigEnd.dcm');
  const state = await loadFile(page, file);
  assert.equal(state.volume.colour, true);
  const result = await compareColours(page, state, pydicomRgb(file, 0), 1);
  assert.ok(result.coloured > 100);
  assert.deepEqual(result.mismatches.slice(0, 5), []);
  assert.deepEqual(browser.problems, []);
});
