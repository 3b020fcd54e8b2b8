import { describe, expect, it } from 'vitest';
import sceneJson from '../../../images/lms-block.scene.json';
import lodJson from '../../../images/lms-block.lod.json';
import type { SceneSpec } from '../../../src/specimen/scene';
import { REGION_ROW, TileRenderer } from '../../../src/specimen/render';
import type { StainId } from '../../../src/model/manifest';
import { deltaE, meanRgb } from '../../../src/specimen/colour';

const spec = sceneJson as SceneSpec;

/** Mean colour of a tile and of its four children one level up (2× finer), as one image. */
function parentAndChildren(r: TileRenderer, level: number, col: number, row: number): { parent: [number, number, number]; children: [number, number, number] } {
  const p = r.render(level, col, row);
  const parent = meanRgb(p.data, p.width * p.height);
  const sum: [number, number, number] = [0, 0, 0];
  let n = 0;
  for (let q = 0; q < 4; q++) {
    const c = r.render(level + 1, col * 2 + (q & 1), row * 2 + (q >> 1));
    const m = meanRgb(c.data, c.width * c.height);
    const px = c.width * c.height;
    for (let k = 0; k < 3; k++) sum[k] = sum[k]! + m[k]! * px;
    n += px;
  }
  return { parent, children: [sum[0] / n, sum[1] / n, sum[2] / n] };
}

/** Tiles (at 4 µm/px, level 12) over tumour, necrosis, bone and the bone–tumour border. */
const PLACES: Array<[string, number, number]> = [
  ['tumour', 5600, 4300],
  ['necrosis', 8300, 4200],
  ['bone and marrow', 1500, 3700],
  ['border', 3300, 3600],
];

describe('pyramid consistency', () => {
  for (const section of ['he', 'sma', 'ki67'] as StainId[]) {
    it.each(PLACES)(`${section}: a tile's mean colour matches its four children's (%s)`, (_name, x, y) => {
      const r = TileRenderer.fromTable(spec, section, lodJson.colours as never);
      for (const level of [11, 13, 15]) {
        const upp = 0.25 * 2 ** (r.geometry.maxLevel - level);
        const col = Math.floor(x / upp / 256);
        const row = Math.floor(y / upp / 256);
        const { parent, children } = parentAndChildren(r, level, col, row);
        expect(deltaE(parent, children), `level ${level} vs ${level + 1}`).toBeLessThan(level === 11 ? 4 : 3);
      }
      // (Each renders 15 tiles, about 1.5 s alone; on a busy 2-core runner the default 5 s ran out.)
    }, 30_000);
  }

  it('the stored low-level colour table is what the renderer measures now (rerun specimen:calibrate if not)', () => {
    for (const section of ['he', 'sma', 'ki67'] as StainId[]) {
      const fresh = new TileRenderer(spec, section).measureRegionColours();
      const stored = (lodJson.colours as Record<string, number[][]>)[section]!;
      stored.forEach((row, region) => {
        expect(row).toHaveLength(REGION_ROW);
        // The mean with cells, then the tissue's alone.
        for (const at of [0, 3]) {
          const o = region * REGION_ROW + at;
          const now: [number, number, number] = [fresh[o]!, fresh[o + 1]!, fresh[o + 2]!];
          expect(deltaE([row[at]!, row[at + 1]!, row[at + 2]!], now), `${section} region ${region} at ${at}`).toBeLessThan(0.5);
        }
      });
    }
  }, 30_000);
});
