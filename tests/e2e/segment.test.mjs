// End-to-end segmentation in Debian's chromium with the fixture model: WASM
// masks equal an independent onnxruntime-node reference, point/box prompts,
// accept; WebGPU (SwiftShader) agrees with WASM; a WebGPU failure falls back;
// the trained built-in model is the default and matches its reference too.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  appState, assertOnlyOwnOrigin, launchBrowser, repoRoot, restoreSavedSession, screenshot, startServer,
  strokeOnImage, toScreen, waitForSeries,
} from './harness.mjs';
import { dice, readInt16Pixels, referenceMask } from './reference-model.mjs';

const fixtureDir = join(repoRoot, 'tests', 'fixtures', 'sam-fixture');
let server;
let wasm;
let wasmMaskAtCentre;

before(async () => {
  server = await startServer();
  wasm = await launchBrowser();
});

after(async () => {
  await wasm?.close();
  server?.stop();
});

async function openWithModel(page, query) {
  await page.goto(`${server.origin}/${query}`);
  await waitForSeries(page);
  await page.waitForFunction(() => LocalSeg.state().model, null, { timeout: 120000 });
  return appState(page);
}

async function waitForCandidates(page, previousDecoderRuns = null) {
  await page.waitForFunction((previous) => {
    const p = LocalSeg.state().prompts;
    return p && p.candidates.length > 0 && !p.decoding && JSON.stringify(p.candidates) !== previous;
  }, previousDecoderRuns, { timeout: 120000, polling: 100 });
  return appState(page);
}

const area = (mask) => mask.reduce((sum, v) => sum + v, 0);

test('WASM: a click gives the mask an independent onnxruntime-node run gives', async () => {
  const { page } = wasm;
  const state = await openWithModel(page, '?backend=wasm&model=fixture');
  assert.match(state.inferenceStatus, /^WASM, \d+ threads?/);
  assert.equal(state.model, 'LocalSeg test fixture (untrained, geometric)');
  const point = [120.5, 130.5];  // continuous image coordinates: the centre of pixel (120, 130)
  const screen = await toScreen(page, state, ...point);
  await page.mouse.click(screen.x, screen.y);
  const after = await waitForCandidates(page);
  assert.equal(after.prompts.candidates.length, 3);
  assert.ok(after.prompts.encoderMs > 0 && after.prompts.decoderMs > 0);
  const preview = await page.evaluate(() => LocalSeg.previewMask());
  wasmMaskAtCentre = preview;

  const reference = await referenceMask({
    fixtureDir,
    pixels: readInt16Pixels(join(repoRoot, 'public', 'demo', 'mr-brain', after.volume.sliceFile)),
    columns: after.volume.columns,
    rows: after.volume.rows,
    window: after.window,
    click: { points: [point], labels: [1] },
  });
  assert.ok(area(reference) > 500, 'the reference mask is not empty');
  const score = dice(preview, reference);
  assert.ok(score >= 0.98, `Dice with the reference ${score.toFixed(4)}`);
  // The clicked pixel is inside.
  assert.equal(preview[130 * after.volume.columns + 120], 1);
});

test('an exclude point (Ctrl+click) removes area around it', async () => {
  const { page } = wasm;
  const state = await appState(page);
  const before = state.prompts.candidates.map((candidate) => candidate.area);
  const exclude = await toScreen(page, state, 136.5, 130.5);  // 16 px right of the include point
  await page.keyboard.down('Control');
  await page.mouse.click(exclude.x, exclude.y);
  await page.keyboard.up('Control');
  const after = await waitForCandidates(page, JSON.stringify(state.prompts.candidates));
  assert.equal(after.prompts.points, 2);
  const mask = await page.evaluate(() => LocalSeg.previewMask());
  after.prompts.candidates.forEach((candidate, k) => {
    assert.ok(candidate.area < before[k], `mask ${k + 1}: area ${candidate.area} < ${before[k]}`);
  });
  assert.equal(mask[130 * after.volume.columns + 136], 0, 'the excluded pixel is outside');
  assert.equal(mask[130 * after.volume.columns + 120], 1, 'the included pixel stays inside');
});

test('Escape discards; a dragged box gives a box-shaped mask; Enter commits it', async () => {
  const { page } = wasm;
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => LocalSeg.state().prompts.points === 0);
  let state = await appState(page);
  assert.equal(state.prompts.candidates.length, 0);

  const a = await toScreen(page, state, 90, 100);
  const b = await toScreen(page, state, 150, 140);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move(b.x, b.y, { steps: 8 });
  await page.mouse.up();
  state = await waitForCandidates(page);
  assert.equal(state.prompts.box, true);
  const mask = await page.evaluate(() => LocalSeg.previewMask());
  const columns = state.volume.columns;
  let inside = 0;
  for (let y = 100; y < 140; y += 1) for (let x = 90; x < 150; x += 1) inside += mask[y * columns + x];
  const boxArea = 60 * 40;
  assert.ok(inside > 0.8 * boxArea, `${inside} of ${boxArea} box pixels are in the mask`);
  assert.ok(area(mask) < 1.3 * boxArea, `mask area ${area(mask)} stays near the box`);

  await page.keyboard.press('Enter');
  await page.waitForFunction(() => LocalSeg.state().labelledVoxelsOnSlice > 0);
  state = await appState(page);
  assert.equal(state.labelledVoxelsOnSlice, area(mask));
  assert.equal(state.prompts.candidates.length, 0);

  // Undo and redo the accept.
  await page.keyboard.press('Control+z');
  await page.waitForFunction(() => LocalSeg.state().labelledVoxelsOnSlice === 0);
  await page.keyboard.press('Control+y');
  await page.waitForFunction((n) => LocalSeg.state().labelledVoxelsOnSlice === n, area(mask));
  assertOnlyOwnOrigin(assert, wasm.requests, server.origin);
  assert.deepEqual(wasm.problems, []);
});

test('brush (B) paints a stroke, eraser (E) removes, each one undo step', async () => {
  const { page } = wasm;
  let state = await appState(page);
  const before = state.labelledVoxels;
  await page.keyboard.press('b');
  const a = await toScreen(page, state, 40, 200);
  const b = await toScreen(page, state, 80, 200);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move(b.x, b.y, { steps: 10 });
  await page.mouse.up();
  await page.waitForFunction((n) => LocalSeg.state().labelledVoxels > n + 100, before);
  state = await appState(page);
  assert.equal(state.prompts.points, 0, 'painting adds no prompt');
  const painted = state.labelledVoxels;
  await page.keyboard.press('e');
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move(b.x, b.y, { steps: 10 });
  await page.mouse.up();
  await page.waitForFunction((n) => LocalSeg.state().labelledVoxels === n, before);
  await page.keyboard.press('Control+z');
  await page.waitForFunction((n) => LocalSeg.state().labelledVoxels === n, painted);
  await page.keyboard.press('p');
});

test('accepted labels survive a reload (browser storage) and export as NIfTI and DICOM SEG', async () => {
  const { page } = wasm;
  const before = await appState(page);
  assert.ok(before.labelledVoxels > 0);
  // The last edit's save is issued on the next frame and written asynchronously.
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
  await page.waitForFunction(() => LocalSeg.pendingSaves() === 0);
  await page.reload();
  assert.ok(wasm.dialogs.includes('beforeunload'), 'leaving with unexported labels asks first');
  const state = await waitForSeries(page, 0, 60000, { keepOffer: true });
  const offer = await restoreSavedSession(page);
  assert.equal(offer.labelledVoxels, before.labelledVoxels);
  await page.waitForFunction((expected) => LocalSeg.state().labelledVoxels === expected, before.labelledVoxels);
  const restored = (await appState(page)).messages.find((m) => /annotation restored/.test(m.message));
  assert.ok(restored, 'the restore is announced');
  assert.equal(state.volume.sliceFile, before.volume.sliceFile);

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.evaluate(() => Module.ccall('ls_export_nifti', null, [], [])),
  ]);
  assert.equal(download.suggestedFilename(), 'localseg-labels.nii.gz');
  const { readFileSync } = await import('node:fs');
  const bytes = (await import('node:zlib')).gunzipSync(readFileSync(await download.path()));
  assert.equal(bytes.readInt32LE(0), 348);
  assert.deepEqual([bytes.readInt16LE(42), bytes.readInt16LE(44), bytes.readInt16LE(46)], [256, 256, 20]);
  assert.equal(bytes.toString('latin1', 344, 347), 'n+1');
  let labelled = 0;
  for (let i = bytes.readFloatLE(108); i < bytes.length; i += 1) labelled += bytes[i] ? 1 : 0;
  assert.equal(labelled, before.labelledVoxels);

  // The same labels as a DICOM SEG, read back by DCMTK's dcmdump.
  const [segDownload] = await Promise.all([
    page.waitForEvent('download'),
    page.evaluate(() => Module.ccall('ls_export_seg', null, [], [])),
  ]);
  assert.equal(segDownload.suggestedFilename(), 'localseg-seg.dcm');
  const dump = execFileSync('dcmdump', ['+P', 'Modality', '+P', 'SegmentLabel', '+P', 'NumberOfFrames',
    '+P', 'StudyInstanceUID', await segDownload.path()], { encoding: 'utf8' });
  assert.match(dump, /\(0008,0060\) CS \[SEG\]/);
  assert.match(dump, /SegmentLabel/);
  const frames = Number(/\(0028,0008\) IS \[(\d+)\]/.exec(dump)[1]);
  assert.ok(frames >= 1, `frames ${frames}`);
  assertOnlyOwnOrigin(assert, wasm.requests, server.origin);
});

test('WebGPU (SwiftShader): the same click gives the same mask as WASM', async () => {
  const gpu = await launchBrowser(['--enable-unsafe-webgpu']);
  try {
    const state = await openWithModel(gpu.page, '?backend=auto&model=fixture');
    assert.match(state.inferenceStatus, /^WebGPU/, `status: ${state.inferenceStatus}`);
    const screen = await toScreen(gpu.page, state, 120.5, 130.5);
    await gpu.page.mouse.click(screen.x, screen.y);
    await waitForCandidates(gpu.page);
    const mask = await gpu.page.evaluate(() => LocalSeg.previewMask());
    const score = dice(mask, wasmMaskAtCentre);
    assert.ok(score >= 0.99, `Dice WebGPU vs WASM ${score.toFixed(4)}`);
    assertOnlyOwnOrigin(assert, gpu.requests, server.origin);
  } finally {
    await gpu.close();
  }
});

test('a WebGPU failure falls back to WASM and says so', async () => {
  const gpu = await launchBrowser(['--enable-unsafe-webgpu']);
  try {
    const state = await openWithModel(gpu.page, '?simulate-webgpu-failure&model=fixture');
    assert.match(state.inferenceStatus, /^WASM, \d+ threads? \(WebGPU failed: simulated WebGPU failure/);
    const screen = await toScreen(gpu.page, state, 120.5, 130.5);
    await gpu.page.mouse.click(screen.x, screen.y);
    await waitForCandidates(gpu.page);
    assert.equal(dice(await gpu.page.evaluate(() => LocalSeg.previewMask()), wasmMaskAtCentre), 1);
  } finally {
    await gpu.close();
  }
});

test('the built-in trained model loads by default and a click segments the demo', async () => {
  const { page } = wasm;
  const builtinDir = join(repoRoot, 'models', 'builtin');
  const manifest = JSON.parse(await import('node:fs').then((fs) => fs.readFileSync(join(builtinDir, 'manifest.json'))));
  const state = await openWithModel(page, '?backend=wasm');
  assert.equal(state.model, manifest.name);
  const point = [100.5, 120.5];
  const screen = await toScreen(page, state, ...point);
  await page.mouse.click(screen.x, screen.y);
  const after = await waitForCandidates(page);
  const preview = await page.evaluate(() => LocalSeg.previewMask());
  const reference = await referenceMask({
    fixtureDir: builtinDir,
    pixels: readInt16Pixels(join(repoRoot, 'public', 'demo', 'mr-brain', after.volume.sliceFile)),
    columns: after.volume.columns,
    rows: after.volume.rows,
    window: after.window,
    click: { points: [point], labels: [1] },
  });
  const score = dice(preview, reference);
  assert.ok(score >= 0.98, `Dice with the onnxruntime-node reference ${score.toFixed(4)}`);
  const pixels = after.volume.columns * after.volume.rows;
  assert.ok(area(preview) > 30 && area(preview) < 0.6 * pixels, `mask area ${area(preview)}`);
  assert.equal(preview[120 * after.volume.columns + 100], 1, 'the clicked pixel is inside');
  await page.keyboard.press('Escape');
  assertOnlyOwnOrigin(assert, wasm.requests, server.origin);
});

test('segments: N adds one, edits go to the active one in its colour, undo, keep-box, fill, and they survive a reload', async () => {
  const browser = await launchBrowser();  // fresh storage: no annotation from the tests above
  const { page } = browser;
  try {
    await page.goto(`${server.origin}/?nomodel`);
    let state = await waitForSeries(page);
    assert.equal(state.segments.length, 1);
    await page.keyboard.press('?');  // the help overlay, closed by Escape
    await page.waitForFunction(() => LocalSeg.state().help === true);
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => LocalSeg.state().help === false);
    await page.keyboard.press('n');
    await page.waitForFunction(() => LocalSeg.state().segments.length === 2);
    state = await appState(page);
    assert.equal(state.activeSegment, 1);
    const [first, second] = state.segments;
    assert.notDeepEqual(first.colour, second.colour);

    const stroke = (from, to) => strokeOnImage(page, state, from, to, 10);
    await page.keyboard.press('b');
    await stroke([60, 60], [120, 60]);  // segment 2
    await page.waitForFunction(() => LocalSeg.state().segments[1].voxels > 0);
    await page.keyboard.press('Comma');   // back to segment 1
    await stroke([60, 160], [120, 160]);
    await page.waitForFunction(() => LocalSeg.state().segments[0].voxels > 0);
    state = await appState(page);
    assert.equal(state.activeSegment, 0);

    // Each stroke is drawn in its segment's colour.
    const png = await screenshot(page);
    const ratio = await page.evaluate(() => canvas.width / canvas.clientWidth);
    const colourAt = async (column, row) => {
      const p = await toScreen(page, state, column, row);
      const i = (Math.round(p.y * ratio) * png.width + Math.round(p.x * ratio)) * 4;
      return [png.data[i], png.data[i + 1], png.data[i + 2]];
    };
    const closer = (pixel, a, b) => {
      const d = (c) => c.reduce((sum, v, k) => sum + (v - pixel[k]) ** 2, 0);
      return d(a) < d(b);
    };
    assert.ok(closer(await colourAt(90, 60), second.colour, first.colour), 'stroke 1 in segment 2\'s colour');
    assert.ok(closer(await colourAt(90, 160), first.colour, second.colour), 'stroke 2 in segment 1\'s colour');

    await page.keyboard.press('Control+z');
    await page.waitForFunction(() => LocalSeg.state().segments[0].voxels === 0);

    // Keep box (X): segment 2 only inside a box over the middle of its stroke.
    await page.keyboard.press('Period');
    await page.keyboard.press('x');
    const strokeVoxels = (await appState(page)).segments[1].voxels;
    await stroke([80, 40], [100, 80]);
    await page.waitForFunction((n) => LocalSeg.state().segments[1].voxels < n, strokeVoxels);
    const kept = (await appState(page)).segments[1].voxels;
    assert.ok(kept > 0 && kept < strokeVoxels / 2, `kept ${kept} of ${strokeVoxels}`);
    // Fill (G) where no contour of the segment encloses the click: nothing, and a message says why.
    await page.keyboard.press('g');
    const where = await toScreen(page, state, 30.5, 200.5);
    await page.mouse.click(where.x, where.y);
    await page.waitForFunction(() => LocalSeg.state().messages.some((m) => /no closed contour/.test(m.message)));
    assert.equal((await appState(page)).segments[1].voxels, kept);
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
    await page.waitForFunction(() => LocalSeg.pendingSaves() === 0);
    const before = await appState(page);
    await page.reload();
    await waitForSeries(page, 0, 60000, { keepOffer: true });
    await restoreSavedSession(page);
    await page.waitForFunction((n) => LocalSeg.state().labelledVoxels === n, before.labelledVoxels);
    state = await appState(page);
    assert.deepEqual(state.segments.map((s) => [s.name, s.colour, s.voxels]),
      before.segments.map((s) => [s.name, s.colour, s.voxels]));
    assertOnlyOwnOrigin(assert, browser.requests, server.origin);
  } finally {
    await browser.close();
  }
});

test('propagation carries the mask to the next slices, one undo step each', async () => {
  const browser = await launchBrowser();  // fresh storage
  const { page } = browser;
  try {
    const state = await openWithModel(page, '?backend=wasm&model=fixture');
    const start = state.slice;
    const screen = await toScreen(page, state, 120.5, 130.5);
    await page.mouse.click(screen.x, screen.y);
    await waitForCandidates(page);
    await page.evaluate(() => Module.ccall('ls_propagate', null, ['number'], [1]));
    await page.waitForFunction(() => !LocalSeg.state().propagation.running, null, { timeout: 240000, polling: 200 });
    const after = await appState(page);
    const done = after.propagation.slicesDone;
    assert.ok(done >= 2, `propagated ${done} slices: ${after.propagation.status}`);
    assert.match(after.propagation.status, /slices propagated; (reached the end|the structure ends|stopped)/);
    // Labels on the start slice and on each propagated one.
    const labelled = await page.evaluate(() => LocalSeg.state().labelledVoxels);
    assert.ok(labelled > (done + 1) * 100, `labelled ${labelled}`);
    await page.keyboard.press('Control+z');
    await page.waitForFunction((n) => LocalSeg.state().labelledVoxels < n, labelled);
    assert.ok((await appState(page)).slice > start, 'the view followed the propagation');
  } finally {
    await browser.close();
  }
});

test('refine feeds the mask back round after round and shows the result', async () => {
  const browser = await launchBrowser();
  const { page } = browser;
  try {
    const state = await openWithModel(page, '?backend=wasm&model=fixture');
    const screen = await toScreen(page, state, 120.5, 130.5);
    await page.mouse.click(screen.x, screen.y);
    await waitForCandidates(page);
    await page.evaluate(() => Module.ccall('ls_refine', null, ['number'], [3]));
    await page.waitForFunction(() => LocalSeg.state().refinement.round >= 1 && !LocalSeg.state().refinement.running,
      null, { timeout: 120000, polling: 200 });
    const after = await appState(page);
    assert.match(after.refinement.status, /^round [1-3] of 3: IoU with the previous mask [0-9.]+; (stable|last round)/);
    assert.ok(after.prompts.candidates.length > 0, 'the refined mask is the preview');
    assert.equal(after.labelledVoxels, 0, 'nothing is committed before Enter');
  } finally {
    await browser.close();
  }
});

test('threshold candidates: the chosen one is accepted and logged; the log exports as JSON Lines', async () => {
  const browser = await launchBrowser();
  const { page } = browser;
  try {
    const state = await openWithModel(page, '?backend=wasm&model=fixture');
    assert.equal(state.preferenceCount, 0);
    const screen = await toScreen(page, state, 120.5, 130.5);
    await page.mouse.click(screen.x, screen.y);
    await waitForCandidates(page);
    await page.evaluate(() => Module.ccall('ls_choose_threshold', null, ['number'], [1]));
    await page.waitForFunction(() => LocalSeg.state().preferenceCount === 1);
    const after = await appState(page);
    assert.ok(after.labelledVoxels > 0, 'the chosen mask is accepted');
    assert.equal(after.prompts.candidates.length, 0);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.evaluate(() => LocalSeg.exportPreferences()),
    ]);
    assert.equal(download.suggestedFilename(), 'localseg-preferences.jsonl');
    const text = await import('node:fs').then((fs) => download.path().then((p) => fs.readFileSync(p, 'utf8')));
    const lines = text.trim().split('\n');
    assert.equal(lines.length, 1);
    const record = JSON.parse(lines[0]);
    assert.equal(record.chosen.threshold.toFixed(1), '0.4');
    assert.deepEqual(record.rejected.map((r) => r.threshold.toFixed(1)), ['0.3', '0.5', '0.6']);
    assert.equal(record.chosen.counts.reduce((a, b) => a + b, 0), after.volume.columns * after.volume.rows);
    assert.equal(record.image.slice, after.slice);
    assert.equal(record.prompts.points.length, 1);
    const [point] = record.prompts.points;
    assert.ok(point.include && Math.abs(point.x - 120.5) < 1 && Math.abs(point.y - 130.5) < 1, JSON.stringify(point));
    assert.match(record.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(record.model, 'LocalSeg test fixture (untrained, geometric)');
    // Kept in this browser: a reload counts it again.
    await page.reload();
    await waitForSeries(page);
    await page.waitForFunction(() => LocalSeg.state().preferenceCount === 1);
    assertOnlyOwnOrigin(assert, browser.requests, server.origin);
  } finally {
    await browser.close();
  }
});

// Drags the pointer along image row `row` from column `from` to `to`.
async function strokeAlongRow(page, state, row, from, to) {
  const start = await toScreen(page, state, from, row);
  const end = await toScreen(page, state, to, row);
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  for (let k = 1; k <= 12; k += 1) await page.mouse.move(start.x + ((end.x - start.x) * k) / 12, start.y);
  await page.mouse.up();
}

test('scribble (S): a stroke becomes include points along it and a mask over it; with Ctrl it excludes', async () => {
  const { page } = wasm;
  let state = await openWithModel(page, '?backend=wasm&model=fixture');
  await page.keyboard.press('s');
  await strokeAlongRow(page, state, 120.5, 100.5, 140.5);
  state = await waitForCandidates(page);
  assert.equal(state.prompts.points, 5, '40 px of stroke: 5 points along it');
  assert.equal(state.prompts.box, false);
  let mask = await page.evaluate(() => LocalSeg.previewMask());
  const columns = state.volume.columns;
  for (const column of [100, 110, 120, 130, 140]) assert.equal(mask[120 * columns + column], 1, `(${column}, 120) inside`);
  const before = state.prompts.candidates.map((candidate) => candidate.area);

  // Ctrl + a short stroke between two include points: exclude points there.
  await page.keyboard.down('Control');
  await strokeAlongRow(page, state, 120.5, 124.5, 126.5);
  await page.keyboard.up('Control');
  state = await waitForCandidates(page, JSON.stringify(state.prompts.candidates));
  assert.equal(state.prompts.points, 7, '5 include + 2 exclude points');
  mask = await page.evaluate(() => LocalSeg.previewMask());
  assert.equal(mask[120 * columns + 125], 0, 'the excluded stroke is outside');
  assert.ok(state.prompts.candidates[state.prompts.selected].area < before[state.prompts.selected]);
  await page.keyboard.press('Escape');
  await page.keyboard.press('p');
});
