#!/usr/bin/env node
// `npm run bench`: tile render time per pyramid level (Node, one core), then navigation → ready
// per figure in headless Chromium, annotations, durability, import, and own slide files against
// GeoTIFFTileSource. Speed lives here, never in tests.
import { spawnSync } from 'node:child_process';

const steps = [
  ['tsx', 'bench/tiles.ts'],
  ['tsx', 'bench/figures.ts'],
  ['tsx', 'bench/annotations.ts'],
  ['tsx', 'bench/durability.ts'],
  ['tsx', 'bench/import.ts'],
  ['tsx', 'bench/slides.ts'],
  ['tsx', 'bench/counting.ts'],
];
let failed = false;
for (const args of steps) {
  const r = spawnSync('npx', args, { stdio: 'inherit' });
  if (r.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
