import { readFileSync } from 'node:fs';
import { TileRenderer, tileExtent } from '/work/main/src/specimen/render';
import type { SceneSpec } from '/work/main/src/specimen/scene';
const spec = JSON.parse(readFileSync('/work/main/images/lms-block.scene.json', 'utf8')) as SceneSpec;
const r = new TileRenderer(spec, (process.argv[2] ?? 'he') as 'he');
const g = r.geometry;
const out = new Uint8ClampedArray(256 * 256 * 4);
r.render(8, 0, 0);
const levels = (process.argv[3] ?? '16,12').split(',').map(Number);
for (let rep = 0; rep < 3; rep++)
for (const level of levels) {
  const cols = Math.ceil(g.width / 2 ** (g.maxLevel - level) / g.tileSize);
  const rows = Math.ceil(g.height / 2 ** (g.maxLevel - level) / g.tileSize);
  for (let k = 0; k < 40; k++) {
    const c = Math.floor(((k * 0.618034 + 0.31) % 1) * cols);
    const rr = Math.floor(((k * 0.7548777 + 0.17) % 1) * rows);
    r.render(level, c, rr, out);
  }
}
