import { describe, expect, it } from 'vitest';
import { regionLevel } from '../../../src/viewer/region-reader';

describe('the level pixel analysis reads', () => {
  it('a power-of-two pyramid (virtual slides, DZI): the level whose pixels are exactly the scale asked for', () => {
    const pow2 = [256, 128, 64, 32, 16, 8, 4, 2, 1];
    expect(pow2[regionLevel(pow2, 2)]).toBe(2);
    expect(pow2[regionLevel(pow2, 1)]).toBe(1);
    expect(pow2[regionLevel(pow2, 3)]).toBe(2);
  });

  it('a slide file whose levels step by 4 (an SVS: 1, 4, 16, then halvings): the finer level when none matches, never a coarser one', () => {
    const svs = [256, 128, 64, 32, 16.04, 4.001, 1];
    expect(svs[regionLevel(svs, 2)]).toBe(1);
    expect(svs[regionLevel(svs, 4)]).toBe(4.001);
    expect(svs[regionLevel(svs, 10)]).toBe(4.001);
    // 0.5 µm asked of a 0.499 µm scan: its own pixels.
    expect(svs[regionLevel(svs, 0.5 / 0.499)]).toBe(1);
    // Finer than the scan: full resolution.
    expect(svs[regionLevel(svs, 0.5)]).toBe(1);
  });

  it('levels OpenSeadragon does not show (below minLevel) are never chosen', () => {
    expect(regionLevel([NaN, NaN, 4, 2, 1], 100)).toBe(2);
  });
});
