// End-to-end: the user's annotation as files and sessions. Painting leaves
// unexported work (the page asks before it is left); a reload offers the saved
// session, which comes back exactly (labels, segments, slice); SEG and NIfTI
// exports pass independent validators (dciodvfy, pydicom, nibabel) and import
// back onto the series exactly; the view saves as a PNG;
// hovering a segment in the view highlights it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { PNG } from 'pngjs';
import {
  appState, assertOnlyOwnOrigin, launchBrowser, repoRoot, restoreSavedSession, screenshot, startServer, strokeOnImage,
  toScreen, waitForSeries,
} from './harness.mjs';

let server;
let browser;
const downloadDirs = [];

before(async () => {
  server = await startServer();
  browser = await launchBrowser();  // its own storage: no session saved by other tests
});

after(async () => {
  await browser?.close();
  server?.stop();
  if (!process.env.LOCALSEG_KEEP_EXPORTS) downloadDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true }));
});

const nextFrames = (page) =>
  page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));

const stroke = strokeOnImage;

// A download saved under its suggested name (nibabel goes by the extension).
async function download(page, action) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.evaluate(action)]);
  const dir = mkdtempSync(join(tmpdir(), 'localseg-download-'));
  downloadDirs.push(dir);
  const path = join(dir, file.suggestedFilename());
  await file.saveAs(path);
  return { name: file.suggestedFilename(), path };
}

const labelVolume = (page) => page.evaluate(() => LocalSeg.labelVolume());

// Two segments painted on two slices: something worth keeping.
async function paintTwoSegments(page) {
  let state = await appState(page);
  await page.keyboard.press('b');
  await stroke(page, state, [70, 80], [150, 80]);
  await page.waitForFunction(() => LocalSeg.state().labelledVoxels > 0);
  await page.keyboard.press('n');  // a second segment, active
  await page.waitForFunction(() => LocalSeg.state().segments.length === 2);
  await page.keyboard.press('ArrowUp');
  state = await appState(page);
  await stroke(page, state, [90, 160], [160, 190]);
  await page.waitForFunction(() => LocalSeg.state().segments[1].voxels > 0);
  return appState(page);
}

let painted;  // state after painting
let paintedLabels;

test('unexported work: the page asks before it is left, and the saved session is offered and restored exactly', async () => {
  const { page, dialogs } = browser;
  await page.goto(`${server.origin}/?nomodel`);
  await waitForSeries(page);
  await paintTwoSegments(page);
  // Measurements are part of the session: a ruler, a rectangle ROI, an angle.
  let state = await appState(page);
  await page.keyboard.press('m');
  await stroke(page, state, [40, 40], [100, 40]);
  await page.keyboard.press('q');
  await stroke(page, state, [60, 100], [120, 140]);
  await page.keyboard.press('a');
  await stroke(page, state, [200, 60], [150, 60]);  // first arm, to the vertex
  await page.waitForFunction(() => LocalSeg.state().measurements.at(-1)?.kind === 'angle');
  await nextFrames(page);  // then, as a hand would, the click that ends the second arm
  const third = await toScreen(page, state, 150, 10);
  await page.mouse.click(third.x, third.y);
  await page.waitForFunction(() => LocalSeg.state().measurements.length === 3
    && LocalSeg.state().measurements.every((m) => m.complete));
  painted = await appState(page);
  assert.deepEqual(painted.measurements.map((m) => m.kind), ['length', 'rectangle', 'angle']);
  assert.ok(Math.abs(painted.measurements[2].value - 90) < 1.5, `angle ${painted.measurements[2].value}`);
  paintedLabels = await labelVolume(page);
  assert.equal(painted.unexportedWork, true);
  await nextFrames(page);
  await page.waitForFunction(() => LocalSeg.pendingSaves() === 0);

  await page.reload();
  assert.ok(dialogs.includes('beforeunload'), 'leaving with unexported labels asks first');
  await waitForSeries(page, 0, 60000, { keepOffer: true });
  await page.waitForFunction(() => LocalSeg.state().restoreOffer);
  state = await appState(page);
  assert.equal(state.labelledVoxels, 0, 'nothing is applied before the user answers');
  assert.equal(state.restoreOffer.labelledVoxels, painted.labelledVoxels);
  assert.equal(state.restoreOffer.segments, 2);
  assert.match(state.restoreOffer.savedAt, /^\d{4}-\d\d-\d\dT/);
  // The offer is a dialog over the view: its buttons are there to see.
  const shot = await screenshot(page);
  assert.ok(shot.width > 0);
  await restoreSavedSession(page);
  state = await appState(page);
  assert.equal(state.slice, painted.slice, 'the slice the user was on');
  assert.deepEqual(state.segments.map((s) => [s.name, s.colour, s.voxels]),
    painted.segments.map((s) => [s.name, s.colour, s.voxels]));
  assert.deepEqual(await labelVolume(page), paintedLabels);
  assert.equal(state.activeSegment, painted.activeSegment);
  assert.equal(state.measurements.length, painted.measurements.length);
  state.measurements.forEach((m, i) => {
    const saved = painted.measurements[i];
    assert.ok(m.kind === saved.kind && m.slice === saved.slice && Math.abs(m.value - saved.value) < 1e-3,
      `${JSON.stringify(m)} vs ${JSON.stringify(saved)}`);
  });
});

test('SEG and NIfTI exports import back onto the series exactly; exported work leaves without a question', async () => {
  const { page, dialogs } = browser;
  const seg = await download(page, () => Module.ccall('ls_export_seg', null, [], []));
  assert.equal(seg.name, 'localseg-seg.dcm');
  const nifti = await download(page, () => Module.ccall('ls_export_nifti', null, [], []));
  assert.match(nifti.name, /^localseg-labels\.nii(\.gz)?$/);
  assert.equal((await appState(page)).unexportedWork, false);
  // Independent readers: dciodvfy, pydicom and nibabel against the label volume.
  const labelsPath = join(dirname(seg.path), 'labels.raw');
  writeFileSync(labelsPath, Buffer.from(paintedLabels));
  const validator = spawnSync('/usr/bin/python3', [join(repoRoot, 'tests', 'validate_annotation_exports.py'),
    '--seg', seg.path, '--nifti', nifti.path, '--labels', labelsPath,
    '--series', join(repoRoot, 'public', 'demo', 'mr-brain')], { encoding: 'utf8' });
  console.log(validator.stdout);
  if (process.env.LOCALSEG_KEEP_EXPORTS) console.log(`exports kept in ${dirname(seg.path)}`);
  assert.equal(validator.status, 0, `validators: ${validator.stdout}${validator.stderr}`);

  const asked = dialogs.length;
  await page.reload();
  await waitForSeries(page);  // declines the offer: starts empty
  assert.equal(dialogs.length, asked, 'no question once everything is exported');
  assert.equal((await appState(page)).labelledVoxels, 0);

  for (const file of [seg, nifti]) {
    const before = await appState(page);
    await page.setInputFiles('#segmentation-input', { name: file.name, mimeType: 'application/octet-stream',
      buffer: readFileSync(file.path) });
    await page.waitForFunction((n) => LocalSeg.state().labelledVoxels > 0 && LocalSeg.state().messages.length > n,
      before.messages.length);
    const state = await appState(page);
    assert.ok(state.messages.some((m) => m.file === file.name && /imported 2 segments/.test(m.message)),
      JSON.stringify(state.messages.slice(-3)));
    assert.deepEqual(await labelVolume(page), paintedLabels, `${file.name}: the same label volume`);
    assert.deepEqual(state.segments.map((s) => s.name), painted.segments.map((s) => s.name));
    // One undo step takes the import away again.
    await page.keyboard.press('Control+z');
    await page.waitForFunction(() => LocalSeg.state().labelledVoxels === 0);
  }
});

test('a file that is not a segmentation of this series is refused with its name', async () => {
  const { page } = browser;
  const before = (await appState(page)).messages.length;
  await page.setInputFiles('#segmentation-input', { name: 'notes.nii', mimeType: 'application/octet-stream',
    buffer: Buffer.from('this is not a label map') });
  await page.waitForFunction((n) => LocalSeg.state().messages.length > n, before);
  const message = (await appState(page)).messages.at(-1);
  assert.equal(message.file, 'notes.nii');
  assert.equal(message.severity, 'error');
  assert.equal((await appState(page)).labelledVoxels, 0);
});

test('the view saves as a PNG, and hovering a segment in the view highlights it', async () => {
  const { page } = browser;
  let state = await appState(page);
  await page.keyboard.press('b');
  await stroke(page, state, [60, 120], [190, 120]);
  await page.waitForFunction(() => LocalSeg.state().labelledVoxels > 0);
  state = await appState(page);

  const png = await download(page, () => Module.ccall('ls_save_view_png', null, [], []));
  assert.equal(png.name, `localseg-view-slice-${state.slice + 1}.png`);
  const image = PNG.sync.read(readFileSync(png.path));
  const ratio = await page.evaluate(() => canvas.width / canvas.clientWidth);
  const [, , viewWidth] = state.viewRect;
  assert.ok(Math.abs(image.width - viewWidth) <= 1, `PNG ${image.width} px wide, view ${viewWidth}`);
  // The painted stroke is in it, in the segment's colour.
  const [x0, y0] = state.viewRect;
  const at = await toScreen(page, state, 125, 120);
  const px = Math.round(at.x * ratio - x0), py = Math.round(at.y * ratio - y0);
  const i = (py * image.width + px) * 4;
  const [r, g, b] = state.segments[0].colour;
  const pixel = [image.data[i], image.data[i + 1], image.data[i + 2]];
  const towards = (c, v) => Math.abs(c - v) < 200;
  assert.ok(pixel.some((v) => v > 30) && towards(r, pixel[0]) && towards(g, pixel[1]) && towards(b, pixel[2]),
    `overlay pixel ${pixel} vs segment colour ${[r, g, b]}`);

  // Hover: the segment under the pointer is highlighted and named.
  await page.keyboard.press('p');
  const outside = await toScreen(page, state, 125, 30);
  await page.mouse.move(outside.x, outside.y);
  await page.waitForFunction(() => LocalSeg.state().highlightedSegment === -1);
  await nextFrames(page);
  const plain = PNG.sync.read(await page.screenshot());
  await page.mouse.move(at.x, at.y);
  await page.waitForFunction((label) => LocalSeg.state().highlightedSegment === label, state.segments[0].label);
  await nextFrames(page);
  const lit = PNG.sync.read(await page.screenshot());
  const near = await toScreen(page, state, 110, 120);
  const j = (Math.round(near.y) * plain.width + Math.round(near.x)) * 4;
  const brightness = (img) => img.data[j] + img.data[j + 1] + img.data[j + 2];
  assert.notEqual(brightness(lit), brightness(plain), 'the hovered segment is drawn differently');
  assertOnlyOwnOrigin(assert, browser.requests, server.origin);
  assert.deepEqual(browser.problems, []);
});
