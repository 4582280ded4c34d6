// Where a frame's time goes in Chromium: traces `run` and sums the GPU
// process's execution of the page's WebGL commands (on a software GPU,
// SwiftShader's fill) and the compositor's wait for them (headless Chromium
// reads the canvas back). `run` returns the frames it drew (an array of step
// times: one frame each); totals are divided by their number. Only for
// benchmarks: tracing slows the page a little.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function traceGpu(browser, page, run) {
  const folder = mkdtempSync(join(tmpdir(), 'localseg-trace-'));
  const path = join(folder, 'trace.json');
  await browser.startTracing(page, { path, categories: ['gpu', 'cc', 'toplevel'] });
  const result = await run();
  await browser.stopTracing();
  const trace = JSON.parse(readFileSync(path, 'utf8'));
  rmSync(folder, { recursive: true, force: true });
  const events = trace.traceEvents || trace;
  const threads = new Map();
  for (const e of events) if (e.name === 'thread_name') threads.set(`${e.pid}:${e.tid}`, e.args.name);
  const total = (thread, name) => {
    let us = 0, count = 0;
    for (const e of events) {
      if (e.ph === 'X' && e.name === name && threads.get(`${e.pid}:${e.tid}`) === thread) us += e.dur, count += 1;
    }
    return { ms: us / 1000, count };
  };
  const frames = Math.max(1, result.length);
  return {
    result,
    frames,
    gpuMsPerFrame: total('CrGpuMain', 'CommandBuffer::Flush').ms / frames,
    readbackMsPerFrame: total('CrRendererMain', 'GLES2::ReadPixels').ms / frames,
  };
}
