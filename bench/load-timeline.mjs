// Where a large drop's load time goes: drops N CT files (default 300, made at
// run time as in bench-viewer) on the page and prints, every 100 ms, how many
// files the loader has taken back from the decode threads and how many bytes
// wait to be decoded, plus when the page handed over its last file and when
// the whole series was shown. A benchmark: it measures and prints.
//   LOCALSEG_DIST=build/wasm/dist node bench/load-timeline.mjs
import { rmSync } from 'node:fs';
import { launchBrowser, startServer } from '../tests/e2e/harness.mjs';
import { makeCtSeries } from './ct-series.mjs';

const SLICES = Number(process.env.SLICES || 300);
const ct = makeCtSeries(SLICES);
const server = await startServer();
const browser = await launchBrowser();
const { page } = browser;
try {
  await page.goto(`${server.origin}/?nodemo&nomodel`);
  await page.waitForFunction(() => typeof LocalSeg !== 'undefined' && Module.calledRun);
  await page.evaluate((slices) => {
    window.timeline = { start: 0, lastHandOver: 0, rows: [] };
    const call = Module.ccall;
    Module.ccall = function (name, ...rest) {
      if (name === 'ls_begin_batch') window.timeline.start = performance.now();
      if (name === 'ls_add_file') window.timeline.lastHandOver = performance.now() - window.timeline.start;
      return call.call(this, name, ...rest);
    };
    const sample = () => {
      const t = window.timeline;
      if (t.start) {
        const state = JSON.parse(call('ls_state_json', 'string', [], []));
        t.rows.push([Math.round(performance.now() - t.start), state.loading ? Math.round(state.progress * slices) : 'done',
          Math.round(Module._ls_queued_bytes() / 1e6)]);
      }
      setTimeout(sample, 100);
    };
    sample();
  }, SLICES);
  await page.setInputFiles('#file-input', ct.files);
  await page.waitForFunction((n) => LocalSeg.state().volume?.slices === n, SLICES, { timeout: 600000, polling: 50 });
  const t = await page.evaluate(() => ({ ...window.timeline, shown: performance.now() - window.timeline.start }));
  console.log(`${SLICES} files: last handed over after ${Math.round(t.lastHandOver)} ms, whole series shown after ${Math.round(t.shown)} ms`);
  console.log('| ms since the drop | files taken | MB waiting to be decoded |');
  console.log('|---|---|---|');
  for (const row of t.rows) console.log(`| ${row.join(' | ')} |`);
} finally {
  await browser.close();
  server.stop();
  rmSync(ct.folder, { recursive: true, force: true });
}
