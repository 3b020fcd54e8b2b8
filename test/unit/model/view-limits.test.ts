import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MAX_MAGNIFICATION, MIN_MAGNIFICATION, clampMagnification, clampView, screenPxPerImagePx } from '../../../src/model/view-limits';

const slide = { width: 40000, height: 30000 };

describe('view limits', () => {
  it('clamps a link’s zoom to 0.5x–80x and its centre to the slide', () => {
    expect(clampView({ x: 25200, y: 12000, z: 100000, r: 30 }, slide)).toEqual({ x: 25200, y: 12000, z: MAX_MAGNIFICATION, r: 30 });
    expect(clampView({ x: 1e15, y: -1e15, z: 10, r: 0 }, slide)).toEqual({ x: 40000, y: 0, z: 10, r: 0 });
    expect(clampView({ x: 10, y: 10, z: 0.001, r: 0 }, slide).z).toBe(MIN_MAGNIFICATION);
  });

  it('leaves a view already within the limits unchanged', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 40000, noNaN: true }), fc.double({ min: 0, max: 30000, noNaN: true }), fc.double({ min: 0.5, max: 80, noNaN: true }), (x, y, z) => {
        expect(clampView({ x, y, z, r: 90 }, slide)).toEqual({ x, y, z, r: 90 });
      }),
    );
  });

  it('never shows more than the maximum, even where the minimum is above it', () => {
    expect(clampMagnification(200, { minZ: 120, maxZ: 80 })).toBe(80);
    expect(clampMagnification(1, { minZ: 2 })).toBe(2);
  });

  it('80x is 2 screen pixels per image pixel at 0.25 µm per pixel, 4 at 0.5', () => {
    expect(screenPxPerImagePx(80, 0.25)).toBeCloseTo(2, 12);
    expect(screenPxPerImagePx(80, 0.5)).toBeCloseTo(4, 12);
  });
});
