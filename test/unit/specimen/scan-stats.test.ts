import { describe, expect, it } from 'vitest';
import { areaResample, blockEdges, boxDownsample, scanStats } from '../../../src/specimen/scan-stats';
import { TileRenderer } from '../../../src/specimen/render';
import { spec } from './pixels';
import { IHC_STAINS } from '../../../src/specimen/stain';
import { dominatedBy2 } from '../../../src/specimen/stain-analysis';

/** The measures the quality bar is stated in, checked on images whose answers are known. */
function grey(w: number, h: number, at: (x: number, y: number) => number): { width: number; height: number; data: Uint8ClampedArray } {
  const data = new Uint8ClampedArray(w * h * 4);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const v = at(x, y);
      data.set([v, v, v, 255], (y * w + x) * 4);
    }
  return { width: w, height: h, data };
}

describe('scan statistics', () => {
  it('a flat field has no noise; a checkerboard of ±10 has noise 80/9', () => {
    expect(scanStats(grey(20, 20, () => 128)).noise).toBe(0);
    const s = scanStats(grey(20, 20, (x, y) => ((x + y) & 1 ? 138 : 118)));
    // A +10 pixel's 3 × 3 mean is (5 · 10 − 4 · 10) / 9, so it sits 10 − 10/9 = 80/9 above it.
    expect(s.noise).toBeCloseTo(80 / 9, 3);
  });

  it('takes the tonal figures over the pixels a mask keeps, and DAB-dominated pixels are the brown ones', () => {
    // Left half luminance 0..49, right half 200; the mask keeps the left half only.
    const img = grey(100, 10, (x) => (x < 50 ? x : 200));
    const left = new Uint8Array(1000).map((_, i) => (i % 100 < 50 ? 1 : 0));
    expect(scanStats(img).p90).toBeCloseTo(200, 0);
    expect(scanStats(img, left).p90).toBeCloseTo(44, 0);
    expect(() => scanStats(img, new Uint8Array(1000))).toThrow(/keeps no pixels/);
    // Pixels of pure haematoxylin (blue) and pure DAB (brown) through the IHC vectors.
    const { white, hematoxylin: h, dab } = IHC_STAINS;
    const px = (v: readonly number[], od: number): number[] => [0, 1, 2].map((k) => white[k]! * 10 ** (-od * v[k]!));
    const data = new Uint8ClampedArray([...px(h, 0.6), 255, ...px(dab, 0.6), 255, ...px(dab, 0.05), 255, ...white, 255]);
    expect([...dominatedBy2({ width: 4, height: 1, data }, white, h, dab)]).toEqual([0, 1, 0, 0]);
  });

  it('reads the tonal range and the darkest 5% off the histogram', () => {
    // Luminance 0..99 along x, ten pixels of each.
    const s = scanStats(grey(100, 10, (x) => x));
    expect(s.p1).toBeCloseTo(0, 0);
    expect(s.p90).toBeCloseTo(89, 0);
    expect(s.dark5).toBeCloseTo(2, 0);
  });

  it('averages blocks for a coarser level', () => {
    const d = boxDownsample(grey(4, 2, (x) => (x & 1 ? 100 : 50)), 2);
    expect([d.width, d.height]).toEqual([2, 1]);
    expect(d.data[0]).toBe(75);
  });

  it('area resampling: a whole factor is the box average; a fractional one weighs partly covered pixels and keeps the mean', () => {
    const ramp = grey(12, 12, (x, y) => 10 * x + y);
    expect(areaResample(ramp, 2).data).toEqual(boxDownsample(ramp, 2).data);
    const stripes = grey(3, 3, (x) => (x === 1 ? 90 : 0));
    const r = areaResample(stripes, 1.5);
    expect([r.width, r.height]).toEqual([2, 2]);
    // Each output pixel covers a half of column 1 (value 90) out of 1.5 columns: 90 · 0.5 / 1.5 = 30.
    expect([r.data[0], r.data[4], r.data[8], r.data[12]]).toEqual([30, 30, 30, 30]);
    // A window from an offset, capped in size.
    const w = areaResample(ramp, 2.5, 1, 2, 3);
    expect([w.width, w.height]).toEqual([3, 3]);
    // First pixel: columns 1 and 2 whole and half of 3 (mean x 1.8), rows 2, 3 and half of 4
    // (mean y 2.8), of 10x + y.
    expect(w.data[0]).toBe(Math.round(10 * 1.8 + 2.8));
    expect(() => areaResample(ramp, 0.5)).toThrow(RangeError);
  });

  it('block edges: 1 for smooth texture, more where every eighth step is larger', () => {
    // Random texture: no grid phase differs from another but by chance.
    const texture = (x: number, y: number): number => 100 + 50 * ((Math.sin(x * 12.9898 + y * 78.233) * 43758.5453) % 1);
    expect(blockEdges(grey(256, 256, texture))).toBeLessThan(1.03);
    // The same texture with each 8 × 8 block shifted by its own offset, as JPEG's DC rounding does.
    const blocky = grey(256, 256, (x, y) => texture(x, y) + (((x >> 3) * 7 + (y >> 3) * 3) % 5) * 10);
    expect(blockEdges(blocky)).toBeGreaterThan(1.1);
    // The same blocks at another phase in x than in y (a crop need not start on the grid).
    const shifted = grey(256, 256, (x, y) => texture(x, y) + ((((x + 3) >> 3) * 7 + ((y + 5) >> 3) * 3) % 5) * 10);
    expect(blockEdges(shifted)).toBeCloseTo(blockEdges(blocky), 1);
  });
});

describe('a virtual slide as a scanner stores it', () => {
  it('is JPEG-compressed: its 8 × 8 block edges show at 40x and 20x, as in the reference scans', () => {
    const r = new TileRenderer(spec, 'he');
    const g = r.geometry;
    for (const level of [16, 15]) {
      const upp = g.mpp * 2 ** (g.maxLevel - level);
      const t = r.render(level, Math.floor(spec.mitoses.hotSpot.cx / upp / 256), Math.floor(spec.mitoses.hotSpot.cy / upp / 256));
      const e = blockEdges(t);
      expect(e, `level ${level}`).toBeGreaterThan(1.05);
      expect(e, `level ${level}`).toBeLessThan(1.5);
    }
  });
});
