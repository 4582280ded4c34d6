// End-to-end: the multiplanar viewer on the demo series in the real page.
// Orientation is checked against pydicom's reading of the same files (an
// independent decoder), placed by their patient positions: the sagittal and
// coronal reformats must show superior at the top, anterior left (sagittal)
// and the patient's right on the left (coronal), with the page's window.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import { join } from 'node:path';
import {
  appState, compareWithReference, launchBrowser, referenceImage, repoRoot, screenshot, startServer, waitForSeries,
} from './harness.mjs';

const demoDir = join(repoRoot, 'public', 'demo', 'mr-brain');
let server;
let browser;
let ratio;
let demo;  // pydicom's volume: slices sorted from superior to inferior

// The demo files as pydicom reads them, in patient order (most superior first).
function readDemoWithPydicom() {
  const json = execFileSync('/usr/bin/python3', ['-c', `
import glob, json, sys, numpy, pydicom
files = sorted(glob.glob(sys.argv[1] + "/*.dcm"))
slices = []
for f in files:
    d = pydicom.dcmread(f)
    pixels = d.pixel_array.astype(numpy.float64) * float(getattr(d, "RescaleSlope", 1)) + float(getattr(d, "RescaleIntercept", 0))
    slices.append((float(d.ImagePositionPatient[2]), f.split("/")[-1], pixels))
slices.sort(key=lambda s: -s[0])
print(json.dumps({"files": [s[1] for s in slices], "rows": int(slices[0][2].shape[0]),
                  "columns": int(slices[0][2].shape[1]),
                  "orientation": [float(v) for v in d.ImageOrientationPatient],
                  "voxels": [s[2].ravel().tolist() for s in slices]}))
`, demoDir], { maxBuffer: 64 << 20 });
  return JSON.parse(json);
}

// The page's grey for a value: DICOM's linear VOI window (as src/imaging/window.cpp).
function grey(value, window) {
  const width = Math.max(window.width, 1);
  const t = Math.min(1, Math.max(0, (value - (window.center - 0.5)) / (width - 1) + 0.5));
  return Math.round(t * 255);
}

// Compares a pane's pixels with `expected(u, v)` at a grid of its image pixels,
// away from the pane's edges (letters, title, scrollbar).
function comparePane(png, pane, expected, window) {
  const [x0, y0, x1, y1] = pane.imageRect;
  const [rx, ry, rw, rh] = pane.rect;
  const margin = 40;
  let compared = 0;
  const mismatches = [];
  for (let gy = 0; gy < 20; gy += 1) {
    for (let gx = 0; gx < 20; gx += 1) {
      const u = Math.floor(((gx + 0.5) / 20) * pane.columns);
      const v = Math.floor(((gy + 0.5) / 20) * pane.rows);
      const sx = x0 + ((u + 0.5) / pane.columns) * (x1 - x0);
      const sy = y0 + ((v + 0.5) / pane.rows) * (y1 - y0);
      if (sx < rx + margin || sx > rx + rw - margin || sy < ry + margin || sy > ry + rh - margin) continue;
      const i = (png.width * Math.floor(sy / ratio) + Math.floor(sx / ratio)) * 4;
      const want = grey(expected(u, v), window);
      compared += 1;
      if (Math.abs(png.data[i] - want) > 2) mismatches.push({ u, v, want, got: png.data[i] });
    }
  }
  return { compared, mismatches };
}

const voxel = (column, row, rank) => demo.voxels[rank][row * demo.columns + column];

before(async () => {
  demo = readDemoWithPydicom();
  server = await startServer();
  browser = await launchBrowser();
  await browser.page.goto(`${server.origin}/?nomodel`);
  await waitForSeries(browser.page);
  ratio = await browser.page.evaluate(() => canvas.width / canvas.clientWidth);
});

after(async () => {
  await browser?.close();
  server?.stop();
});

// Shift+C, and wait until the app has taken it (keys are handled one per frame).
async function toggleCrosshairLines(page) {
  const shown = (await appState(page)).crosshair.lines;
  await page.keyboard.press('Shift+C');
  await page.waitForFunction((was) => LocalSeg.state().crosshair.lines === !was, shown);
}

const paneCentre = (pane) => ({ x: (pane.rect[0] + pane.rect[2] / 2) / ratio, y: (pane.rect[1] + pane.rect[3] / 2) / ratio });
const toPaneScreen = (pane, u, v) => ({
  x: (pane.imageRect[0] + (u / pane.columns) * (pane.imageRect[2] - pane.imageRect[0])) / ratio,
  y: (pane.imageRect[1] + (v / pane.rows) * (pane.imageRect[3] - pane.imageRect[1])) / ratio,
});

test('2x2 layout (key 3): axial, sagittal, coronal and a fourth view, oriented as radiology shows them', async () => {
  const { page } = browser;
  await page.mouse.move(700, 300);
  await page.keyboard.press('3');
  await toggleCrosshairLines(page);  // crosshair lines off for the pixel comparison
  await page.waitForFunction(() => LocalSeg.state().layout === '2x2' && LocalSeg.state().panes.length === 4);
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
  const state = await appState(page);
  const [axial, sagittal, coronal, fourth] = state.panes;
  assert.deepEqual(state.panes.map((p) => p.plane), ['Axial', 'Sagittal', 'Coronal', 'Axial']);
  assert.equal(axial.slot, -1, 'the acquired plane is the main pane');
  assert.deepEqual([sagittal.right, sagittal.down], ['P', 'I']);
  assert.deepEqual([coronal.right, coronal.down], ['L', 'I']);
  assert.deepEqual([axial.right, axial.down], ['L', 'P']);
  assert.equal(fourth.slot, 3);
  // Physical aspect: 256 x 0.859 mm across, 20 slices of 7 mm (approx) down.
  const aspect = (p) => (p.imageRect[2] - p.imageRect[0]) / (p.imageRect[3] - p.imageRect[1]);
  const spacing = 0.859375 * 256 / (state.volume.spacing[2] * 20);
  assert.ok(Math.abs(aspect(sagittal) - spacing) < 0.02, `sagittal aspect ${aspect(sagittal)} vs ${spacing}`);

  const png = await screenshot(page);
  // Sagittal at column c: image x runs along the rows (anterior to posterior:
  // the column direction is +y), image y from the most superior slice down.
  assert.ok(demo.orientation[4] > 0.9, 'the demo\'s rows run posterior');
  const c = sagittal.position;
  const sag = comparePane(png, sagittal, (u, v) => voxel(c, u, v), state.window);
  assert.ok(sag.compared > 150, `compared ${sag.compared}`);
  assert.deepEqual(sag.mismatches.slice(0, 5), []);
  // Coronal at row r: image x along the columns (the patient's right to left).
  const r = coronal.position;
  const cor = comparePane(png, coronal, (u, v) => voxel(u, r, v), state.window);
  assert.ok(cor.compared > 150, `compared ${cor.compared}`);
  assert.deepEqual(cor.mismatches.slice(0, 5), []);
  // Flipped top to bottom would not match: the head is not symmetric S-I.
  const upsideDown = comparePane(png, coronal, (u, v) => voxel(u, r, 19 - v), state.window);
  assert.ok(upsideDown.mismatches.length > upsideDown.compared / 4);
  // The main pane is the acquired slice, as DCMTK renders its file.
  const file = join(demoDir, state.volume.sliceFile);
  const reference = referenceImage(file, ['+Ww', String(state.window.center), String(state.window.width)]);
  const main = compareWithReference(png, state, reference, { ratio, grid: 16 });
  assert.ok(main.compared > 100);
  assert.ok(main.mismatches.length <= 3, JSON.stringify(main.mismatches.slice(0, 5)));
  await toggleCrosshairLines(page);
  assert.equal((await appState(page)).layout, '2x2');
});

test('a press in the sagittal view moves the crosshair: the axial slice and the coronal plane follow', async () => {
  const { page } = browser;
  const before = await appState(page);
  const sagittal = before.panes[1];
  // Image point: row 90 (u), the 4th most superior slice (v = 3).
  const at = toPaneScreen(sagittal, 90.5, 3.5);
  await page.mouse.click(at.x, at.y);
  await page.waitForFunction(() => Math.abs(LocalSeg.state().crosshair.row - 90.5) < 1);
  const after = await appState(page);
  assert.equal(after.volume.sliceFile, demo.files[3], 'the axial view shows the slice clicked');
  assert.equal(after.panes[2].position, Math.floor(after.crosshair.row), 'the coronal view moved to that row');
  assert.equal(after.panes[1].position, sagittal.position, 'the sagittal plane itself did not move');
  assert.equal(after.panes[0].position, after.slice);
  // The axial pane now shows that file's pixels.
  const png = await screenshot(page);
  const reference = referenceImage(join(demoDir, after.volume.sliceFile),
    ['+Ww', String(after.window.center), String(after.window.width)]);
  const main = compareWithReference(png, after, reference, { ratio, grid: 16 });
  assert.ok(main.mismatches.length <= 6, JSON.stringify(main.mismatches.slice(0, 5)));
  assert.equal(after.prompts.points, 0, 'nothing was prompted');
});

test('the crosshair tool (C) in the axial view moves the sagittal and coronal planes', async () => {
  const { page } = browser;
  const state = await appState(page);
  await page.keyboard.press('c');
  const axial = state.panes[0];
  const at = toPaneScreen(axial, 60.5, 170.5);
  await page.mouse.click(at.x, at.y);
  await page.waitForFunction(() => Math.abs(LocalSeg.state().panes[1].position - 60) <= 1);
  const after = await appState(page);
  // Within a pixel: the pointer lands on whole CSS pixels, 1.5 of them per image pixel.
  assert.ok(Math.abs(after.crosshair.column - 60.5) < 1, `column ${after.crosshair.column}`);
  assert.ok(Math.abs(after.crosshair.row - 170.5) < 1, `row ${after.crosshair.row}`);
  assert.equal(after.panes[2].position, Math.floor(after.crosshair.row));
  assert.equal(after.slice, state.slice, 'the axial slice stays');
  assert.equal(after.labelledVoxelsOnSlice, 0);
  await page.keyboard.press('p');
});

test('wheel and scrollbar move only the plane under the pointer; right-drag there windows every view', async () => {
  const { page } = browser;
  const before = await appState(page);
  const coronal = before.panes[2];
  const centre = paneCentre(coronal);
  await page.mouse.move(centre.x, centre.y);
  await page.mouse.wheel(0, 120);
  await page.waitForFunction((p) => LocalSeg.state().panes[2].position === p + 1, coronal.position);
  assert.equal((await appState(page)).slice, before.slice);
  // The scrollbar along the sagittal pane's right edge: a press at a quarter of its height.
  const sagittal = before.panes[1];
  const barX = (sagittal.rect[0] + sagittal.rect[2] - 5) / ratio;
  await page.mouse.click(barX, (sagittal.rect[1] + sagittal.rect[3] * 0.25) / ratio);
  await page.waitForFunction(() => Math.abs(LocalSeg.state().panes[1].position - 64) <= 1);
  // Window/level from the coronal pane, then its pixels with the new window.
  await page.mouse.move(centre.x, centre.y);
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
  await page.mouse.down({ button: 'right' });
  await page.mouse.move(centre.x + 120, centre.y - 40, { steps: 5 });
  await page.mouse.up({ button: 'right' });
  const after = await appState(page);
  assert.ok(after.window.width > before.window.width);
  assert.ok(after.window.center < before.window.center);
  await toggleCrosshairLines(page);
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
  const png = await screenshot(page);
  const r = after.panes[2].position;
  const cor = comparePane(png, after.panes[2], (u, v) => voxel(u, r, v), after.window);
  assert.ok(cor.compared > 150);
  assert.deepEqual(cor.mismatches.slice(0, 5), []);
  await toggleCrosshairLines(page);
});

test('a segment painted in the axial view shows in the coronal reformat; undo removes it there too', async () => {
  const { page } = browser;
  const state = await appState(page);
  const [axial, , coronal] = state.panes;
  const row = Math.floor(state.crosshair.row);
  await page.keyboard.press('b');
  const from = toPaneScreen(axial, 90, row + 0.5);
  const to = toPaneScreen(axial, 150, row + 0.5);
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(to.x, to.y, { steps: 8 });
  await page.mouse.up();
  await page.waitForFunction(() => LocalSeg.state().labelledVoxels > 0);
  await toggleCrosshairLines(page);
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
  // The coronal view at that row: the painted columns, on the current slice's row of the reformat.
  const rank = demo.files.indexOf(state.volume.sliceFile);
  const tinted = async () => {
    const png = await screenshot(page);
    let count = 0;
    for (let u = 100; u < 140; u += 4) {
      const p = toPaneScreen(coronal, u + 0.5, rank + 0.5);
      const i = (png.width * Math.floor(p.y) + Math.floor(p.x)) * 4;
      if (png.data[i] !== png.data[i + 1] || png.data[i + 1] !== png.data[i + 2]) count += 1;
    }
    return count;
  };
  assert.equal(await tinted(), 10, 'every sampled voxel of the stroke is coloured in the coronal view');
  await page.keyboard.press('Control+z');
  await page.waitForFunction(() => LocalSeg.state().labelledVoxels === 0);
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
  assert.equal(await tinted(), 0, 'and gone after the undo');
  await toggleCrosshairLines(page);
  await page.keyboard.press('p');
});

test('three planes side by side (key 2), back to one view (key 1)', async () => {
  const { page } = browser;
  await page.keyboard.press('2');
  await toggleCrosshairLines(page);
  await page.waitForFunction(() => LocalSeg.state().layout === 'three planes' && LocalSeg.state().panes.length === 3);
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
  const state = await appState(page);
  assert.deepEqual(state.panes.map((p) => p.plane), ['Axial', 'Sagittal', 'Coronal']);
  const widths = state.panes.map((p) => p.rect[2]);
  assert.ok(Math.max(...widths) - Math.min(...widths) < 1);
  assert.ok(state.panes[1].rect[0] >= state.panes[0].rect[0] + widths[0]);
  const c = state.panes[1].position;
  const sag = comparePane(await screenshot(page), state.panes[1], (u, v) => voxel(c, u, v), state.window);
  assert.ok(sag.compared > 100, `compared ${sag.compared}`);
  assert.deepEqual(sag.mismatches.slice(0, 5), []);
  await toggleCrosshairLines(page);
  await page.keyboard.press('1');
  await page.waitForFunction(() => LocalSeg.state().layout === 'single' && LocalSeg.state().panes.length === 1);
});

test('shortcuts are remappable and kept in the browser', async () => {
  const { page } = browser;
  const before = await appState(page);
  assert.equal(await page.evaluate(() => Module.ccall('ls_change_shortcut', 'number', ['string'], ['next-slice'])), 1);
  await page.keyboard.press('j');
  await page.waitForFunction(() => LocalSeg.state().shortcuts.rebinding === -1);
  assert.match((await appState(page)).shortcuts.message, /^J now next slice/);
  await page.mouse.move(700, 300);
  await page.keyboard.press('j');
  await page.waitForFunction((s) => LocalSeg.state().slice === s + 1, before.slice);
  await page.keyboard.press('ArrowDown');  // no longer bound
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
  assert.equal((await appState(page)).slice, before.slice + 1);
  const stored = await page.evaluate(() => localStorage.getItem('localseg.shortcuts'));
  assert.match(stored, /^next-slice=J$/m);
  // After a reload the stored keymap is back.
  await page.reload();
  const reloaded = await waitForSeries(page, 0);
  await page.mouse.move(700, 300);
  await page.keyboard.press('j');
  await page.waitForFunction((s) => LocalSeg.state().slice === s + 1, reloaded.slice);
  assert.match((await appState(page)).shortcuts.text, /^next-slice=J$/m);
  // Unreadable stored text: the defaults apply and the panel says why.
  await page.evaluate(() => localStorage.setItem('localseg.shortcuts', 'teleport=J\n'));
  await page.reload();
  await waitForSeries(page, 0);
  const state = await appState(page);
  assert.match(state.shortcuts.message, /shortcuts line 1: unknown command 'teleport'/);
  assert.match(state.shortcuts.text, /^next-slice=Down, Right$/m);
  assert.deepEqual(browser.problems, []);
});

test('keys pressed within one frame each count: I twice leaves the image as it was', async () => {
  const { page } = browser;
  // Dispatched in one task, so the app sees them between two of its frames.
  const pressInvert = (times) => page.evaluate((n) => {
    const key = (type) => {
      const event = new KeyboardEvent(type, { key: 'i', code: 'KeyI', bubbles: true });
      Object.defineProperty(event, 'keyCode', { get: () => 73 });  // what Emscripten's GLFW reads
      return event;
    };
    for (let i = 0; i < n; i += 1) {
      window.dispatchEvent(key('keydown'));
      window.dispatchEvent(key('keyup'));
    }
  }, times);
  // A pointer move makes the app draw two frames; wait for them.
  const twoFramesAfterMove = async (x, y) => {
    const start = await page.evaluate(() => Module._ls_frames_drawn());
    await page.mouse.move(x, y);
    await page.waitForFunction((s) => Module._ls_frames_drawn() >= s + 2, start);
  };
  const inverted = (await appState(page)).volume.invert;
  await pressInvert(1);
  await page.waitForFunction((was) => LocalSeg.state().volume.invert === !was, inverted);
  await pressInvert(2);
  await twoFramesAfterMove(700, 310);  // time for both presses
  await twoFramesAfterMove(700, 300);
  assert.equal((await appState(page)).volume.invert, !inverted);
  await pressInvert(1);
  await page.waitForFunction((was) => LocalSeg.state().volume.invert === was, inverted);
});
