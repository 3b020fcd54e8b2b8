import { describe, expect, it } from 'vitest';
import { TileRenderer } from '../../../src/specimen/render';
import { HE_STAINS } from '../../../src/specimen/stain';
import { deconvolve, patchAt, singleNuclei, spec } from './pixels';

/**
 * Marked nuclear atypia as a pathologist judges it: nuclei of very different sizes side by side
 * in the atypical zone (figure 5's hot spot), measured on the rendered nuclei.
 */
const he = new TileRenderer(spec, 'he');
const hot = spec.mitoses.hotSpot;

function nuclearAreas(cx: number, cy: number): number[] {
  const areas: number[] = [];
  for (const [dx, dy] of [[-150, -120], [0, 0], [140, 90], [-60, 160], [120, -150], [-170, 40]] as const) {
    const p = patchAt(he, 16, cx + dx, cy + dy, 320);
    const [H] = deconvolve(p, HE_STAINS.white, HE_STAINS.hematoxylin, HE_STAINS.eosin);
    areas.push(...singleNuclei(p, H, 0.15));
  }
  return areas;
}

const quantile = (xs: number[], q: number): number => [...xs].sort((a, b) => a - b)[Math.floor(q * (xs.length - 1))]!;

describe('nuclear atypia', () => {
  it('in the atypical zone nuclear areas vary widely: log-normal CV ≥ 0.5, the 90th percentile ≥ 3.5× the 10th', () => {
    const areas = nuclearAreas(hot.cx, hot.cy);
    expect(areas.length).toBeGreaterThan(60);
    // Spread on a log scale (nuclei merged into one blob or cut by the patch edge are left out,
    // so the plain CV would mostly measure which blobs were kept): the SD of log area, 0.48
    // being a log-normal CV of 0.5, and the 90th percentile against the 10th.
    const logs = areas.map(Math.log);
    const lm = logs.reduce((a, b) => a + b, 0) / logs.length;
    const lsd = Math.sqrt(logs.reduce((a, b) => a + (b - lm) ** 2, 0) / logs.length);
    const spread = quantile(areas, 0.9) / quantile(areas, 0.1);
    expect(lsd, `SD of log area over ${areas.length} nuclei`).toBeGreaterThan(0.48);
    expect(spread, 'p90 / p10 of area').toBeGreaterThan(3.5);
  }, 60_000);
});
