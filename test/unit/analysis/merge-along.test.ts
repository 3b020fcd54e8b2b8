import { describe, expect, it } from 'vitest';
import { findNuclei } from '../../../src/analysis/nuclei';

/**
 * Long nuclei counted once: a Ki67-positive spindle nucleus 24 × 3.4 µm at 0.5 µm per pixel,
 * its stain denser towards one end (the painter's chromatin tilt) and its DAB in granules.
 */
function spindles(specs: ReadonlyArray<{ cx: number; cy: number; angle: number; stain: number; tilt: number }>, w: number): { h: Float32Array; dab: Float32Array } {
  const h = new Float32Array(w * w);
  const dab = new Float32Array(w * w);
  for (const s of specs) {
    const ux = Math.cos(s.angle);
    const uy = Math.sin(s.angle);
    for (let y = 0; y < w; y++)
      for (let x = 0; x < w; x++) {
        const a = (x - s.cx) * ux + (y - s.cy) * uy;
        const b = -(x - s.cx) * uy + (y - s.cy) * ux;
        const u = a / 24;
        if (u ** 4 * 0.55 + u ** 2 * 0.45 + (b / 3.4) ** 2 > 1) continue;
        const grain = 1 + 0.3 * Math.cos(a * 0.9) * Math.cos(b * 1.1);
        h[y * w + x] = 0.25 * s.stain;
        dab[y * w + x] = s.stain * (1 + s.tilt * u) * grain;
      }
  }
  return { h, dab };
}

describe('long nuclei', () => {
  it('finds a long positive nucleus, denser at one end and granular, once at its centre', () => {
    const w = 120;
    const found: number[] = [];
    for (const tilt of [0.2, 0.3, -0.25])
      for (const angle of [0, 0.5, 1.2]) {
        const { h, dab } = spindles([{ cx: 60, cy: 60, angle, stain: 0.8, tilt }], w);
        const { nuclei } = findNuclei(h, dab, w, w, { pixelUm: 0.5, positiveOd: 0.15 });
        found.push(nuclei.length);
        if (nuclei.length === 1) expect(Math.hypot(nuclei[0]!.x - 60, nuclei[0]!.y - 60)).toBeLessThan(4);
      }
    expect(found.every((n) => n === 1), `nuclei found per spindle: ${found.join(', ')}`).toBe(true);
  });

  it('keeps two nuclei lying end to end, or side by side, apart', () => {
    const w = 160;
    const pairs = [
      // End to end, 1 µm between their tips.
      [{ cx: 55, cy: 80, angle: 0, stain: 0.8, tilt: 0.1 }, { cx: 105, cy: 80, angle: 0, stain: 0.7, tilt: -0.1 }],
      // Side by side, centres 4 µm apart.
      [{ cx: 80, cy: 76, angle: 0, stain: 0.8, tilt: 0.1 }, { cx: 80, cy: 84, angle: 0, stain: 0.75, tilt: 0.1 }],
    ];
    for (const pair of pairs) {
      const { h, dab } = spindles(pair, w);
      const { nuclei } = findNuclei(h, dab, w, w, { pixelUm: 0.5, positiveOd: 0.15 });
      expect(nuclei).toHaveLength(2);
    }
  });
});
