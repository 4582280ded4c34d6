// make bench-viewer: frame times of the 2x2 multiplanar layout on a
// 512 x 512 x 300 CT in headless chromium, while scrolling the axial view
// (wheel) and while dragging window/level (right button), against the floor:
// a bare WebGL2 page in the same browser that only uploads one 512 x 512
// float slice texture (scrolling) or changes the window uniform (dragging)
// and draws it over the same canvas size, with the same shader arithmetic.
// Each step is an input event dispatched on the canvas; its time runs from
// the event to the end of the frame that shows it (GL calls issued on the
// main thread, which both pages record). A benchmark: it measures and prints.
import { rmSync } from 'node:fs';
import { appState, launchBrowser, startServer, waitForSeries } from '../tests/e2e/harness.mjs';
import { makeCtSeries, median, p95 } from './ct-series.mjs';
import { traceGpu } from './gpu-trace.mjs';

const SLICES = Number(process.env.SLICES || 300);  // SLICES=1000: the DICOM issue's large series
const STEPS = Number(process.env.STEPS || 80);
const TRACE = process.env.TRACE === '1';  // also: GPU-process time per frame (a second, traced run)

// In the LocalSeg page: `steps` wheel events or right-button moves at (x, y),
// each timed to the end of the frame that shows it.
function timeLocalSeg(page, kind, x, y) {
  return page.evaluate(async ({ kind, x, y, steps }) => {
    const frames = () => Module.ccall('ls_frames_drawn', 'number', [], []);
    const nextFrame = async (before) => {
      while (frames() === before) await new Promise((done) => setTimeout(done, 0));
      return Module.ccall('ls_last_frame_end_ms', 'number', [], []);
    };
    const at = { clientX: x, clientY: y, bubbles: true };
    if (kind === 'window') {
      const before = frames();
      canvas.dispatchEvent(new MouseEvent('mousedown', { ...at, button: 2, buttons: 2 }));
      await nextFrame(before);
    }
    const times = [];
    for (let i = 0; i < steps; i += 1) {
      const before = frames();
      const start = performance.now();
      if (kind === 'scroll') {
        canvas.dispatchEvent(new WheelEvent('wheel', { ...at, deltaY: i < steps / 2 ? 100 : -100 }));
      } else {
        canvas.dispatchEvent(new MouseEvent('mousemove', { ...at, clientX: x + (i % 2 ? 6 : -6), buttons: 2 }));
      }
      times.push((await nextFrame(before)) - start);
    }
    if (kind === 'window') window.dispatchEvent(new MouseEvent('mouseup', { ...at, button: 2, buttons: 0 }));
    return times;
  }, { kind, x, y, steps: STEPS });
}

// The floor: a bare WebGL2 canvas of the same size drawing one windowed slice.
function timeBareWebGl(page, kind, width, height) {
  return page.evaluate(async ({ kind, width, height, steps }) => {
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    document.body.style.margin = '0';
    document.body.appendChild(canvas);
    const gl = canvas.getContext('webgl2', { antialias: false });
    const compile = (type, source) => {
      const shader = gl.createShader(type);
      gl.shaderSource(shader, source);
      gl.compileShader(shader);
      return shader;
    };
    const program = gl.createProgram();
    gl.attachShader(program, compile(gl.VERTEX_SHADER, `#version 300 es
      layout(location = 0) in vec2 corner; out vec2 uv;
      void main() { uv = corner; gl_Position = vec4(corner * 2.0 - 1.0, 0.0, 1.0); }`));
    gl.attachShader(program, compile(gl.FRAGMENT_SHADER, `#version 300 es
      precision highp float; uniform sampler2D slice; uniform float center, width; in vec2 uv; out vec4 colour;
      void main() { float v = texture(slice, uv).r;
        colour = vec4(vec3(clamp((v - (center - 0.5)) / (width - 1.0) + 0.5, 0.0, 1.0)), 1.0); }`));
    gl.linkProgram(program);
    gl.useProgram(program);
    gl.bindBuffer(gl.ARRAY_BUFFER, gl.createBuffer());
    gl.bufferData(gl.ARRAY_BUFFER, new Float32Array([0, 0, 1, 0, 0, 1, 1, 1]), gl.STATIC_DRAW);
    gl.enableVertexAttribArray(0);
    gl.vertexAttribPointer(0, 2, gl.FLOAT, false, 0, 0);
    gl.bindTexture(gl.TEXTURE_2D, gl.createTexture());
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.NEAREST);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.NEAREST);
    const slices = [0, 1].map((s) => Float32Array.from({ length: 512 * 512 }, (_, i) => ((i * 7 + s * 13) % 2000) - 1000));
    const upload = (data) => gl.texImage2D(gl.TEXTURE_2D, 0, gl.R32F, 512, 512, 0, gl.RED, gl.FLOAT, data);
    upload(slices[0]);
    const centre = gl.getUniformLocation(program, 'center');
    const windowWidth = gl.getUniformLocation(program, 'width');
    let level = 40;
    let done = null;
    canvas.addEventListener(kind === 'scroll' ? 'wheel' : 'mousemove', () => requestAnimationFrame(() => {
      if (kind === 'scroll') upload(slices[Math.floor(Math.random() * 2)]);
      else level += 3;
      gl.viewport(0, 0, width, height);
      gl.uniform1f(centre, level);
      gl.uniform1f(windowWidth, 400);
      gl.drawArrays(gl.TRIANGLE_STRIP, 0, 4);
      done(performance.now());
    }));
    const times = [];
    for (let i = 0; i < steps; i += 1) {
      const finished = new Promise((resolve) => { done = resolve; });
      const start = performance.now();
      canvas.dispatchEvent(kind === 'scroll' ? new WheelEvent('wheel', { deltaY: 100 })
        : new MouseEvent('mousemove', { clientX: 10 + (i % 2), buttons: 2 }));
      times.push((await finished) - start);
    }
    canvas.remove();
    return times;
  }, { kind, width, height, steps: STEPS });
}

const { folder, files } = makeCtSeries(SLICES);
const server = await startServer();
const browser = await launchBrowser();
const { page } = browser;
try {
  await page.goto(`${server.origin}/?nodemo&nomodel`);
  await page.waitForFunction(() => typeof LocalSeg !== 'undefined' && Module.calledRun);
  // Drop to the first image on screen (a first look while the rest decodes), and to the whole series.
  const dropped = Date.now();
  await page.setInputFiles('#file-input', files);
  await page.waitForFunction(() => LocalSeg.state().volume, null, { timeout: 600000, polling: 'raf' });
  const firstImageMs = Date.now() - dropped;
  const loaded = await waitForSeries(page, 0, 600000);
  const wholeSeriesMs = Date.now() - dropped;
  // WebAssembly memory never shrinks: its size now is the peak of the load.
  const memoryMb = await page.evaluate(() => (Module.heap ? Module.heap() : Module).HEAPU8.length / 1e6);
  const volumeMb = (SLICES * 512 * 512 * 4) / 1e6;
  if (loaded.volume.slices !== SLICES) throw new Error(`${loaded.volume.slices} slices loaded, expected ${SLICES}`);
  await page.mouse.move(700, 300);
  await page.keyboard.press('3');
  await page.waitForFunction(() => LocalSeg.state().layout === '2x2' && LocalSeg.state().panes.length === 4);
  const state = await appState(page);
  const ratio = await page.evaluate(() => canvas.width / canvas.clientWidth);
  const axial = state.panes[0];
  const x = (axial.rect[0] + axial.rect[2] / 2) / ratio;
  const y = (axial.rect[1] + axial.rect[3] / 2) / ratio;
  await page.mouse.move(x, y);
  const size = await page.evaluate(() => [canvas.width, canvas.height]);

  const bare = await browser.context.newPage();
  await bare.setViewportSize({ width: 1280, height: 800 });
  await bare.goto('about:blank');
  const rows = [];
  const traces = [];
  for (const [kind, name] of [['scroll', 'scroll the axial view (wheel)'], ['window', 'drag window/level (right button)']]) {
    await page.bringToFront();
    await timeLocalSeg(page, kind, x, y);  // warm-up
    const app = await timeLocalSeg(page, kind, x, y);
    await bare.bringToFront();
    await timeBareWebGl(bare, kind, ...size);
    const floor = await timeBareWebGl(bare, kind, ...size);
    rows.push([name, app, floor]);
    if (TRACE) {
      const tracer = browser.context.browser();
      await page.bringToFront();
      const appTrace = await traceGpu(tracer, page, () => timeLocalSeg(page, kind, x, y));
      await bare.bringToFront();
      const floorTrace = await traceGpu(tracer, bare, () => timeBareWebGl(bare, kind, ...size));
      traces.push([name, appTrace, floorTrace]);
    }
  }
  const after = await appState(page);
  if (after.layout !== '2x2') throw new Error('the layout changed during the benchmark');

  console.log(`\nDrop of ${SLICES} files (${SLICES} x 512 x 512 CT): first image on screen after `
    + `${firstImageMs} ms, the whole series after ${wholeSeriesMs} ms (ratio ${(firstImageMs / wholeSeriesMs).toFixed(3)}); `
    + `WebAssembly memory ${memoryMb.toFixed(0)} MB for a ${volumeMb.toFixed(0)} MB float volume `
    + `(${(memoryMb / volumeMb).toFixed(2)}x; the labels add 0.25x)`);
  console.log(`\n2x2 layout, 512 x 512 x ${SLICES} CT, canvas ${size[0]} x ${size[1]}, `
    + `headless chromium ${browser.context.browser()?.version() ?? ''} (software GPU), ${STEPS} steps each`);
  console.log('| interaction | LocalSeg median ms | LocalSeg p95 ms | bare WebGL2 median ms | bare p95 ms | ratio p95 | goal |');
  console.log('|---|---|---|---|---|---|---|');
  for (const [name, app, floor] of rows) {
    console.log(`| ${name} | ${median(app).toFixed(1)} | ${p95(app).toFixed(1)} | ${median(floor).toFixed(1)} | `
      + `${p95(floor).toFixed(1)} | ${(p95(app) / p95(floor)).toFixed(2)} | <= 1.5x floor here, <= 16.7 ms with a GPU |`);
  }
  if (TRACE) {
    console.log('\nTraced runs: GPU-process WebGL execution and the compositor\'s readback wait, ms per drawn frame');
    console.log('| interaction | LocalSeg GPU | LocalSeg readback | bare GPU | bare readback |');
    console.log('|---|---|---|---|---|');
    for (const [name, a, b] of traces) {
      console.log(`| ${name} | ${a.gpuMsPerFrame.toFixed(1)} | ${a.readbackMsPerFrame.toFixed(1)} | `
        + `${b.gpuMsPerFrame.toFixed(1)} | ${b.readbackMsPerFrame.toFixed(1)} |`);
    }
  }
} finally {
  await browser.close();
  server.stop();
  rmSync(folder, { recursive: true, force: true });
}
