import { readFileSync, writeFileSync } from 'node:fs';
import { REGION_ROW, TileRenderer } from '../src/specimen/render';
import type { SceneSpec } from '../src/specimen/scene';
import type { StainId } from '../src/model/manifest';

/**
 * Measures each region's mean colour as the cell levels draw it (and of its tissue alone), per
 * section, and writes images/<scene>.lod.json so the app's workers start without measuring.
 * Run after changing the renderer or the scene; a unit test fails if the table has gone stale.
 */
const sceneFile = new URL('../images/lms-block.scene.json', import.meta.url);
const spec = JSON.parse(readFileSync(sceneFile, 'utf8')) as SceneSpec;
const colours: Record<string, number[][]> = {};
for (const section of ['he', 'sma', 'ki67'] as StainId[]) {
  const t = new TileRenderer(spec, section).measureRegionColours();
  const rows: number[][] = [];
  for (let r = 0; r < t.length / REGION_ROW; r++) rows.push([0, 1, 2, 3, 4, 5].map((k) => Math.round(t[r * REGION_ROW + k]! * 100) / 100));
  colours[section] = rows;
}
const out = new URL(`../images/${spec.id}.lod.json`, import.meta.url);
const body = Object.entries(colours)
  .map(([k, rows]) => `    "${k}": [\n${rows.map((r) => `      ${JSON.stringify(r)}`).join(',\n')}\n    ]`)
  .join(',\n');
writeFileSync(out, `{\n  "scene": "${spec.id}",\n  "colours": {\n${body}\n  }\n}\n`);
console.log(`wrote ${out.pathname}`);
