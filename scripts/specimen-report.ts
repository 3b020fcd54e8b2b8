import { existsSync, readFileSync } from 'node:fs';
import { readPng } from './png';
import { TileRenderer } from '../src/specimen/render';
import { renderRegion } from '../src/specimen/mosaic';
import type { SceneSpec } from '../src/specimen/scene';
import type { StainId } from '../src/model/manifest';
import type { Rgb } from '../src/specimen/stain';
import { stainsFor } from '../src/specimen/stain';
import { macenkoVectors, meanStainAmounts, whiteLevel } from '../src/specimen/stain-analysis';
import type { Pixels } from '../src/specimen/stain-analysis';

/**
 * Colour calibration of the virtual stains against the real scans in ../shared/reference:
 * white level, stain vectors (Macenko) and mean stain amount on stained pixels, per stain.
 * The target: every figure within 15% of its reference.
 */
const REF = new URL('../../shared/reference/', import.meta.url);
if (!existsSync(REF)) {
  console.log('specimen:report: ../shared/reference is absent; nothing to compare against (skipped).');
  process.exit(0);
}
const spec = JSON.parse(readFileSync(new URL('../images/lms-block.scene.json', import.meta.url), 'utf8')) as SceneSpec;

/** A 40x patch of n×n tiles around a point, as one image. */
function render(section: StainId, xUm: number, yUm: number, level = 16, n = 4): Pixels {
  const r = new TileRenderer(spec, section);
  const upp = r.geometry.mpp * 2 ** (r.geometry.maxLevel - level);
  const W = n * r.geometry.tileSize;
  // Tile-aligned, as before: the patch starts on the tile that holds the point.
  const x0 = Math.floor(xUm / upp / r.geometry.tileSize) * r.geometry.tileSize * upp;
  const y0 = Math.floor(yUm / upp / r.geometry.tileSize) * r.geometry.tileSize * upp;
  return { width: W, height: W, data: renderRegion(r, level, x0, y0, W, W) };
}

const fmt = (v: Rgb): string => `(${v.map((x) => x.toFixed(2)).join(', ')})`;
const ref = (name: string): Pixels => readPng(new URL(name, REF).pathname);
let failures = 0;
function row(label: string, refV: number, ours: number): void {
  const ratio = ours / refV;
  const ok = Math.abs(ratio - 1) <= 0.15;
  if (!ok) failures++;
  console.log(`  ${label.padEnd(34)} ref ${refV.toFixed(3).padStart(7)}  ours ${ours.toFixed(3).padStart(7)}  ratio ${ratio.toFixed(2)}  ${ok ? 'ok' : 'OUT (>15%)'}`);
}

// White level: the skin scan has real glass; our slide's glass is outside the section.
const skin = ref('he-skin-20x.png');
const refWhite = whiteLevel(skin);
const glass = render('he', 150, 150, 14, 2);
const ourWhite = whiteLevel(glass);
console.log('White level (99.5th percentile per channel)');
for (let k = 0; k < 3; k++) row(`channel ${'RGB'[k]}`, refWhite[k]!, ourWhite[k]!);

const pairs: Array<{ name: string; file: string; section: StainId; at: [number, number]; second: 'eosin' | 'dab' }> = [
  { name: 'H&E (carcinoma 40x) vs H&E tumour 40x', file: 'he-carcinoma-40x.png', section: 'he', at: [7450, 5300], second: 'eosin' },
  { name: 'Ki67 (carcinoma 40x) vs Ki67 tumour 40x', file: 'ki67-carcinoma-40x.png', section: 'ki67', at: [7450, 5300], second: 'dab' },
  { name: 'DAB colon vs SMA tumour 40x', file: 'dab-ihc-colon.png', section: 'sma', at: [5900, 4500], second: 'dab' },
];
for (const p of pairs) {
  const img = ref(p.file);
  const w = whiteLevel(img);
  const white: Rgb = [Math.max(w[0], 230), Math.max(w[1], 230), Math.max(w[2], 230)];
  const [h, other] = macenkoVectors(img, white);
  console.log(`\n${p.name}`);
  console.log(`  measured vectors: haematoxylin ${fmt(h)}, ${p.second} ${fmt(other)}`);
  const model = stainsFor(p.section);
  console.log(`  model vectors:    haematoxylin ${fmt(model.hematoxylin)}, ${p.second} ${fmt(p.second === 'eosin' ? model.eosin : model.dab)}`);
  // Both images deconvolved with the same (measured) vectors; amounts on pixels stained by each.
  const ours = render(p.section, p.at[0], p.at[1]);
  const a = meanStainAmounts(img, white, h, other);
  const b = meanStainAmounts(ours, model.white, h, other);
  row('haematoxylin OD where it dominates', a.stainedMean[0], b.stainedMean[0]);
  row(`${p.second} OD where it dominates`, a.stainedMean[1], b.stainedMean[1]);
  console.log(`  (over all tissue: haematoxylin ref ${a.mean[0].toFixed(3)} ours ${b.mean[0].toFixed(3)}; ${p.second} ref ${a.mean[1].toFixed(3)} ours ${b.mean[1].toFixed(3)})`);
}
console.log(`\n${failures === 0 ? 'all figures within 15% of the references' : `${failures} figure(s) outside 15%`}`);
