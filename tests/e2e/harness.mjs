// Browser test harness: serves dist/ with web/server.mjs on a free loopback
// port, drives Debian's chromium through playwright-core (never a downloaded
// browser), records every request and console error, and renders reference
// images with DCMTK's dcm2pnm, a decoder independent of the page.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { PNG } from 'pngjs';

export const repoRoot = resolve(new URL('../..', import.meta.url).pathname);
export const distDir = resolve(repoRoot, process.env.LOCALSEG_DIST || 'build/wasm/dist');
export const testData = join(repoRoot, 'tests', 'data');

async function freePort() {
  return new Promise((resolvePort) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolvePort(port));
    });
  });
}

export async function startServer() {
  const port = await freePort();
  const child = spawn(process.execPath, [join(repoRoot, 'web', 'server.mjs'), distDir, String(port)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise((ready, fail) => {
    child.stdout.on('data', (chunk) => { if (String(chunk).includes('LocalSeg at')) ready(); });
    child.on('exit', (code) => fail(new Error(`server exited with ${code}`)));
  });
  return { origin: `http://127.0.0.1:${port}`, stop: () => child.kill() };
}

export async function launchBrowser(extraArgs = []) {
  const profile = mkdtempSync(join(tmpdir(), 'localseg-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic', ...extraArgs],
  });
  const requests = [];
  const problems = [];
  context.on('request', (request) => requests.push({
    url: request.url(), method: request.method(), body: request.postDataBuffer(),
  }));
  const page = context.pages()[0] || await context.newPage();
  // The page asks before it is left with unexported work: the tests record
  // the question and leave anyway (a dismissed one would cancel the reload).
  const dialogs = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.type());
    if (dialog.type() === 'beforeunload') dialog.accept();
    else dialog.dismiss();
  });
  page.on('console', (message) => { if (message.type() === 'error') problems.push(message.text()); });
  page.on('pageerror', (error) => problems.push(String(error)));
  return {
    context, page, requests, problems, dialogs,
    close: async () => { await context.close(); rmSync(profile, { recursive: true, force: true }); },
  };
}

export const appState = (page) => page.evaluate(() => LocalSeg.state());

// CSS position of a continuous image coordinate, and back.
export async function toScreen(page, state, column, row) {
  const ratio = await page.evaluate(() => canvas.width / canvas.clientWidth);
  const [x0, y0, x1, y1] = state.imageRect;
  return {
    x: (x0 + (column / state.volume.columns) * (x1 - x0)) / ratio,
    y: (y0 + (row / state.volume.rows) * (y1 - y0)) / ratio,
  };
}


// Waits until a series is shown, nothing is loading and the browser's
// storage has been asked for a saved session of it. A session saved by an
// earlier test is declined ("Start empty"), as a user starting over would,
// unless `keepOffer` leaves the offer standing for the test to answer.
export async function waitForSeries(page, generation = 0, timeout = 60000, { keepOffer = false } = {}) {
  await page.waitForFunction((previous) => {
    if (typeof LocalSeg === 'undefined' || typeof Module === 'undefined' || !Module.calledRun) return false;
    const state = LocalSeg.state();
    return !state.loading && state.volume && state.volumeGeneration > previous && state.savedSessionChecked;
  }, generation, { timeout, polling: 100 });
  if (!keepOffer) {
    await page.evaluate(() => {
      if (LocalSeg.state().restoreOffer) Module.ccall('ls_answer_restore_offer', null, ['number'], [0]);
    });
  }
  // Let one more frame draw what the state says.
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
  return appState(page);
}

// A left-button drag on the image from one image coordinate to another.
export async function strokeOnImage(page, state, from, to, steps = 8) {
  const a = await toScreen(page, state, ...from);
  const b = await toScreen(page, state, ...to);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move(b.x, b.y, { steps });
  await page.mouse.up();
}

// After a reload: the saved session is offered; take it (the dialog's
// "Restore it" button) and wait until it is back.
export async function restoreSavedSession(page) {
  await page.waitForFunction(() => LocalSeg.state().restoreOffer, null, { timeout: 30000, polling: 100 });
  const offer = (await appState(page)).restoreOffer;
  await page.evaluate(() => Module.ccall('ls_answer_restore_offer', null, ['number'], [1]));
  await page.waitForFunction(() => !LocalSeg.state().restoreOffer);
  return offer;
}

export async function waitForIdle(page, timeout = 60000) {
  await page.waitForFunction(() => typeof LocalSeg !== 'undefined' && Module.calledRun && !LocalSeg.state().loading,
    null, { timeout, polling: 100 });
  return appState(page);
}

export async function screenshot(page) {
  return PNG.sync.read(await page.screenshot());
}

export function greyAt(png, x, y) {
  const i = (png.width * Math.floor(y) + Math.floor(x)) * 4;
  return [png.data[i], png.data[i + 1], png.data[i + 2]];
}

// 8-bit greyscale reference of one DICOM file by dcm2pnm (binary PGM).
export function referenceImage(file, windowArgs) {
  const dir = mkdtempSync(join(tmpdir(), 'localseg-ref-'));
  const out = join(dir, 'ref.pgm');
  execFileSync('dcm2pnm', ['--write-raw-pnm', ...windowArgs, file, out], { stdio: 'pipe' });
  const bytes = readFileSync(out);
  rmSync(dir, { recursive: true, force: true });
  // Header: "P5\n<width> <height>\n<max>\n" then width*height bytes.
  const header = bytes.toString('latin1', 0, 64).match(/^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/);
  const [, width, height] = header.map(Number);
  return { width, height, pixels: bytes.subarray(header[0].length) };
}

// Compares the canvas with a reference at a grid of image pixels: the screen
// position of each pixel's centre comes from the page's image rectangle.
// `ratio`: canvas backing pixels per CSS pixel (the screenshot is in CSS pixels).
export function compareWithReference(png, state, reference, { ratio = 1, tolerance = 2, grid = 24 } = {}) {
  const [x0, y0, x1, y1] = state.imageRect;
  const { columns, rows } = state.volume;
  const mismatches = [];
  let compared = 0;
  for (let gy = 0; gy < grid; gy += 1) {
    for (let gx = 0; gx < grid; gx += 1) {
      const column = Math.floor(((gx + 0.5) / grid) * columns);
      const row = Math.floor(((gy + 0.5) / grid) * rows);
      const sx = x0 + ((column + 0.5) / columns) * (x1 - x0);
      const sy = y0 + ((row + 0.5) / rows) * (y1 - y0);
      if (sx < 0 || sy < 0 || sx / ratio >= png.width || sy / ratio >= png.height) continue;
      const expected = reference.pixels[row * reference.width + column];
      const [r, g, b] = greyAt(png, sx / ratio, sy / ratio);
      compared += 1;
      if (Math.abs(r - expected) > tolerance || r !== g || g !== b) {
        mismatches.push({ column, row, expected, got: [r, g, b] });
      }
    }
  }
  return { compared, mismatches };
}

// Asserts every recorded request stayed on `origin` and carried no body.
export function assertOnlyOwnOrigin(assert, requests, origin) {
  assert.ok(requests.length > 0);
  for (const request of requests) {
    const url = new URL(request.url);
    assert.ok(url.origin === origin || url.protocol === 'data:' || url.protocol === 'blob:',
      `request to another origin: ${request.url}`);
    assert.ok(['GET', 'HEAD'].includes(request.method), `${request.method} ${request.url}`);
    assert.ok(!request.body || request.body.length === 0, `request with a body: ${request.url}`);
  }
}
