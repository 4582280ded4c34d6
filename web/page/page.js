// Page glue between the browser and the WebAssembly application: file picker,
// folder picker, drag-and-drop, the built-in demo series. Files are read with
// the File API and handed to the wasm module as bytes; nothing is uploaded.
'use strict';

const canvas = document.getElementById('canvas');

var Module = {
  canvas,
  print: (text) => console.log(text),
  printErr: (text) => console.warn(text),
  // The module's memory, with views renewed first: files decode on worker
  // threads, and memory a worker grows is not yet seen by the views this page
  // holds. Read and write HEAPU8 / HEAPF32 only through this.
  heap() {
    Module._ls_refresh_heap_views();
    return Module;
  },
};

// Annotations are saved in this browser (IndexedDB) after every change and
// come back when the same series is opened again: work is never lost to a
// closed tab. Nothing is sent anywhere.
const LocalSegStorage = (() => {
  let database = null;
  function open() {
    if (database) return database;
    database = new Promise((resolve, reject) => {
      const request = indexedDB.open('localseg', 1);
      request.onupgradeneeded = () => request.result.createObjectStore('annotations');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    return database;
  }
  async function run(mode, action) {
    const db = await open();
    return new Promise((resolve, reject) => {
      const transaction = db.transaction('annotations', mode);
      const request = action(transaction.objectStore('annotations'));
      transaction.oncomplete = () => resolve(request.result);
      transaction.onerror = () => reject(transaction.error);
    });
  }
  return {
    save(key, bytes) {
      return run('readwrite', (store) => store.put({ bytes, savedAt: new Date().toISOString() }, key));
    },
    load(key) { return run('readonly', (store) => store.get(key)); },
  };
})();

const LocalSeg = (() => {
  let isReady = false;
  let pendingSaves = 0;  // annotation writes not yet committed to IndexedDB
  const whenReady = [];

  // --- Reading files ------------------------------------------------------

  // Reads each {name, size, read: () => Promise<ArrayBuffer>} in turn and hands its
  // bytes to the C++ function `bridge` (name, pointer, length; it frees the
  // copy), so memory holds a few extra copies at most. `backlog`, when
  // given, says how many handed-over bytes still wait to be decoded: reading
  // pauses while that is over QUEUE_LIMIT, so a large drop is not held whole
  // in WebAssembly memory (which never shrinks) beside its decoded pixels.
  const QUEUE_LIMIT = 16 << 20;
  const nextFrame = () => new Promise((resolve) => requestAnimationFrame(resolve));
  // Reads are kept in flight up to READ_AHEAD_BYTES (sizes known from the
  // File; at least one): each is a round trip to the browser's file system,
  // slower than decoding the small file it brings.
  const READ_AHEAD_BYTES = 16 << 20;
  async function handOver(items, bridge, backlog = () => 0) {
    const reads = new Map();
    let next = 0;
    let inFlightBytes = 0;
    const readAhead = () => {
      while (next < items.length && (reads.size === 0 || inFlightBytes + (items[next].size || 0) <= READ_AHEAD_BYTES)) {
        const item = items[next];
        inFlightBytes += item.size || 0;
        reads.set(next, item.read().then((buffer) => ({ buffer }), (error) => ({ error })));
        next += 1;
      }
    };
    for (let i = 0; i < items.length; i += 1) {
      readAhead();
      while (backlog() > QUEUE_LIMIT) await nextFrame();
      const { buffer, error } = await reads.get(i);
      reads.delete(i);
      inFlightBytes -= items[i].size || 0;
      if (error) {
        Module.ccall('ls_add_unreadable_file', null, ['string', 'string'],
                     [items[i].name, `the browser could not read the file: ${error.message || error}`]);
        continue;
      }
      const bytes = new Uint8Array(buffer);
      const pointer = Module._malloc(Math.max(bytes.length, 1));
      Module.heap().HEAPU8.set(bytes, pointer);
      Module.ccall(bridge, null, ['string', 'number', 'number'], [items[i].name, pointer, bytes.length]);
    }
  }

  // Hands a batch of files to the decoder.
  async function loadFiles(items, label) {
    if (items.length === 0) return;
    Module.ccall('ls_begin_batch', null, ['number', 'string'], [items.length, label]);
    await handOver(items, 'ls_add_file', () => Module._ls_queued_bytes());
  }

  function fromFileList(files) {
    return Array.from(files, (file) => ({
      name: file.webkitRelativePath || file.name,
      size: file.size,
      read: () => file.arrayBuffer(),
    }));
  }

  // Walks dropped folders (FileSystemEntry API) into a flat list of files.
  async function fromEntry(entry, prefix) {
    if (entry.isFile) {
      const file = await new Promise((resolve, reject) => entry.file(resolve, reject));
      return [{ name: prefix + entry.name, size: file.size, read: () => file.arrayBuffer() }];
    }
    if (!entry.isDirectory) return [];
    const reader = entry.createReader();
    const items = [];
    for (;;) {
      const batch = await new Promise((resolve, reject) => reader.readEntries(resolve, reject));
      if (batch.length === 0) break;
      for (const child of batch) items.push(...await fromEntry(child, `${prefix}${entry.name}/`));
    }
    return items;
  }

  // --- Pickers and drag-and-drop -------------------------------------------

  const fileInput = document.getElementById('file-input');
  const folderInput = document.getElementById('folder-input');
  for (const input of [fileInput, folderInput]) {
    input.addEventListener('change', () => {
      const label = input === folderInput ? 'folder' : 'selected files';
      loadFiles(fromFileList(input.files), label);
      input.value = '';
    });
  }

  const overlay = document.getElementById('drop-overlay');
  let dragDepth = 0;
  document.addEventListener('dragenter', (event) => {
    event.preventDefault();
    dragDepth += 1;
    overlay.hidden = false;
  });
  document.addEventListener('dragleave', () => {
    dragDepth = Math.max(0, dragDepth - 1);
    if (dragDepth === 0) overlay.hidden = true;
  });
  document.addEventListener('dragover', (event) => event.preventDefault());
  document.addEventListener('drop', async (event) => {
    event.preventDefault();
    dragDepth = 0;
    overlay.hidden = true;
    // Entries must be taken synchronously, before the first await.
    const entries = Array.from(event.dataTransfer.items || [])
      .map((item) => (item.webkitGetAsEntry ? item.webkitGetAsEntry() : null));
    const dropped = Array.from(event.dataTransfer.files || []);
    if (dropped.length > 0 && dropped.every((file) => isNifti(file.name))) {
      importSegmentations(dropped);
      return;
    }
    let items;
    if (entries.length > 0 && entries.every((entry) => entry)) {
      items = (await Promise.all(entries.map((entry) => fromEntry(entry, '')))).flat();
    } else {
      items = fromFileList(event.dataTransfer.files);
    }
    loadFiles(items, 'dropped files');
  });

  // --- Segmentations (DICOM SEG, NIfTI) onto the open series ---------------

  const segmentationInput = document.getElementById('segmentation-input');
  const importSegmentations = (files) => handOver(fromFileList(files), 'ls_import_segmentation');
  segmentationInput.addEventListener('change', () => {
    const files = Array.from(segmentationInput.files);
    segmentationInput.value = '';
    importSegmentations(files);
  });
  // NIfTI files dropped on an open series are label maps for it.
  const isNifti = (name) => /\.nii(\.gz)?$/i.test(name);

  // --- Models ---------------------------------------------------------------

  // inference.mjs is a module (loaded after this script): wait for it.
  function withInference(callback) {
    if (self.LocalSegInference) callback(self.LocalSegInference);
    else self.addEventListener('localseg-inference', () => callback(self.LocalSegInference), { once: true });
  }

  const modelInput = document.getElementById('model-input');
  modelInput.addEventListener('change', () => {
    const files = Array.from(modelInput.files);
    modelInput.value = '';
    withInference((inference) => inference.loadFromFiles(files).catch((error) => {
      Module.ccall('ls_report_model_error', null, ['string'], [error.message || String(error)]);
    }));
  });

  // The model served with the app: models/builtin (the trained one) unless
  // ?model=<name> picks another folder under models/ (the tests use "fixture").
  function loadBuiltInModel() {
    const requested = new URLSearchParams(location.search).get('model') || 'builtin';
    const name = /^[a-z0-9-]+$/.test(requested) ? requested : 'builtin';
    withInference((inference) => inference.loadFromUrl(`models/${name}`).catch((error) => {
      Module.ccall('ls_report_model_error', null, ['string'], [`built-in model: ${error.message || error}`]);
    }));
  }

  // Right-drag is window/level, not the browser's context menu.
  canvas.addEventListener('contextmenu', (event) => event.preventDefault());

  const PREFERENCES_KEY = 'localseg.preferences';
  const SHORTCUTS_KEY = 'localseg.shortcuts';  // the user's keymap, "command=Key" lines
  function preferenceLines() {
    return (localStorage.getItem(PREFERENCES_KEY) || '').split('\n').filter((line) => line.length > 0);
  }

  // --- Demo series --------------------------------------------------------

  async function loadDemo() {
    const response = await fetch('demo/manifest.json');
    const manifest = await response.json();
    const items = manifest.files.map((path) => ({
      name: path.split('/').pop(),
      read: async () => {
        const file = await fetch(`demo/${path}`);
        if (!file.ok) throw new Error(`HTTP ${file.status}`);
        return file.arrayBuffer();
      },
    }));
    await loadFiles(items, `demo: ${manifest.name}`);
  }

  return {
    // Called by the wasm module once its main loop runs.
    ready() {
      isReady = true;
      whenReady.splice(0).forEach((callback) => callback());
      const params = new URLSearchParams(location.search);
      if (!params.has('nodemo')) {
        loadDemo().catch((error) => console.warn(`demo series not loaded: ${error.message}`));
      }
      if (!params.has('nomodel')) loadBuiltInModel();
      Module.ccall('ls_set_preference_count', null, ['number'], [preferenceLines().length]);
      Module.ccall('ls_load_shortcuts', null, ['string'], [localStorage.getItem(SHORTCUTS_KEY) || '']);
    },
    saveShortcuts(text) { localStorage.setItem(SHORTCUTS_KEY, text); },
    onReady(callback) { if (isReady) callback(); else whenReady.push(callback); },
    openPicker(folder) { (folder ? folderInput : fileInput).click(); },
    openModelPicker() { modelInput.click(); },
    openSegmentationPicker() { segmentationInput.click(); },
    importSegmentations,
    // The mask preview (image-sized 0/1 bytes) or null, for tests.
    previewMask() {
      const state = LocalSeg.state();
      const pointer = Module.ccall('ls_preview_mask', 'number', [], []);
      if (!pointer || !state.volume) return null;
      return Array.from(Module.heap().HEAPU8.subarray(pointer, pointer + state.volume.columns * state.volume.rows));
    },
    // The committed label volume (slice-major bytes) or null, for tests.
    labelVolume() {
      const volume = LocalSeg.state().volume;
      const pointer = Module.ccall('ls_label_volume', 'number', [], []);
      if (!pointer || !volume) return null;
      return Array.from(Module.heap().HEAPU8.subarray(pointer, pointer + volume.columns * volume.rows * volume.slices));
    },
    fatal(message) {
      const box = document.getElementById('fatal');
      box.textContent = `LocalSeg cannot start: ${message}`;
      box.hidden = false;
    },
    // What is on screen, for the status of the page and its tests.
    state() { return JSON.parse(Module.ccall('ls_state_json', 'string', [], [])); },
    loadFiles,

    // Called by C++ (main.cpp).
    saveAnnotation(key, pointer, length) {
      const bytes = Module.heap().HEAPU8.slice(pointer, pointer + length);
      pendingSaves += 1;
      LocalSegStorage.save(key, bytes).finally(() => { pendingSaves -= 1; }).then(
        () => Module.ccall('ls_annotation_saved', null, ['number'], [1]),
        (error) => {
          console.warn(`annotation not saved: ${error.message || error}`);
          Module.ccall('ls_annotation_saved', null, ['number'], [0]);
        });
    },
    // Edits not yet in IndexedDB: waiting for their (spaced out) save, or being written.
    pendingSaves: () => pendingSaves + Module.ccall('ls_autosave_waiting', 'number', [], []),
    loadAnnotation(key, generation) {
      const answer = (bytes, savedAt) => {
        const pointer = Module._malloc(Math.max(bytes.length, 1));
        Module.heap().HEAPU8.set(bytes, pointer);
        Module.ccall('ls_offer_saved_annotation', null, ['number', 'number', 'number', 'string'],
          [generation, pointer, bytes.length, savedAt]);
      };
      LocalSegStorage.load(key).then((record) => {
        if (record) answer(record.bytes, record.savedAt || '');
        else answer(new Uint8Array(0), '');
      }, (error) => {
        console.warn(`saved annotations unavailable: ${error.message || error}`);
        answer(new Uint8Array(0), '');
      });
    },
    // The preference log (threshold choices, JSON Lines) stays in this
    // browser's localStorage until the user exports it.
    appendPreference(line) {
      localStorage.setItem(PREFERENCES_KEY, (localStorage.getItem(PREFERENCES_KEY) || '') + line + '\n');
    },
    exportPreferences() {
      const text = preferenceLines().map((line) => `${line}\n`).join('');
      const link = document.createElement('a');
      link.href = URL.createObjectURL(new Blob([text], { type: 'application/x-ndjson' }));
      link.download = 'localseg-preferences.jsonl';
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 10000);
    },
    // The view as shown (RGBA rows, bottom row first as GL reads them) saved
    // as a PNG by the browser's own encoder; a local blob, never uploaded.
    downloadPng(name, pointer, width, height) {
      const rowBytes = width * 4;
      const pixels = new Uint8ClampedArray(rowBytes * height);
      for (let y = 0; y < height; y += 1) {
        const from = pointer + (height - 1 - y) * rowBytes;
        pixels.set(Module.heap().HEAPU8.subarray(from, from + rowBytes), y * rowBytes);
      }
      const canvas2d = document.createElement('canvas');
      canvas2d.width = width;
      canvas2d.height = height;
      canvas2d.getContext('2d').putImageData(new ImageData(pixels, width, height), 0, 0);
      canvas2d.toBlob((blob) => {
        const link = document.createElement('a');
        link.href = URL.createObjectURL(blob);
        link.download = name;
        link.click();
        setTimeout(() => URL.revokeObjectURL(link.href), 10000);
      }, 'image/png');
    },
    // Saves bytes from the wasm heap as a file on the user's disk (a local
    // blob: URL; nothing leaves the machine).
    download(name, pointer, length) {
      const blob = new Blob([Module.heap().HEAPU8.slice(pointer, pointer + length)], { type: 'application/octet-stream' });
      const link = document.createElement('a');
      link.href = URL.createObjectURL(blob);
      link.download = name;
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 10000);
    },
  };
})();

// Leaving with labels not yet exported: the browser asks first. The work is
// autosaved too, but a warning costs one click and an unexported afternoon
// of contouring is worth it.
window.addEventListener('beforeunload', (event) => {
  let unexported = false;
  try {
    unexported = Module.ccall('ls_has_unexported_work', 'number', [], []) !== 0;
  } catch (error) {
    return;  // the module is not running: nothing to lose
  }
  if (unexported) {
    event.preventDefault();
    event.returnValue = '';
  }
});

window.addEventListener('error', (event) => {
  if (String(event.message).includes('WebGL')) LocalSeg.fatal(event.message);
});
