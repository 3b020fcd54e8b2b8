import { describe, expect, it } from 'vitest';
import { BlockCompression, aanForward, aanInverse } from '../../../src/specimen/compression';

/** The scanner's JPEG: its fast cosine transform against the transform's definition. */
const AAN = [1, 1.387039845, 1.306562965, 1.175875602, 1, 0.785694958, 0.5411961, 0.275899379];

function block(seed: number): Float64Array {
  const b = new Float64Array(64);
  let s = seed;
  for (let k = 0; k < 64; k++) b[k] = ((s = (s * 1103515245 + 12345) & 0x7fffffff) % 256) - 128;
  return b;
}

describe('JPEG-like compression', () => {
  it('computes the 2-D DCT-II by the AAN factorisation: its definition times the AAN scale and 8', () => {
    const f = block(7);
    const d = Float64Array.from(f);
    for (let j = 0; j < 8; j++) aanForward(d, j * 8, 1);
    for (let u = 0; u < 8; u++) aanForward(d, u, 8);
    for (let v = 0; v < 8; v++)
      for (let u = 0; u < 8; u++) {
        let s = 0;
        for (let y = 0; y < 8; y++)
          for (let x = 0; x < 8; x++) s += f[y * 8 + x]! * Math.cos(((2 * x + 1) * u * Math.PI) / 16) * Math.cos(((2 * y + 1) * v * Math.PI) / 16);
        const c = (u ? 1 : Math.SQRT1_2) * (v ? 1 : Math.SQRT1_2) * 0.25 * s;
        expect(d[v * 8 + u]).toBeCloseTo(c * AAN[u]! * AAN[v]! * 8, 4);
      }
  });

  it('inverts it: scaled coefficients back to the block, times 8', () => {
    const f = block(11);
    const d = Float64Array.from(f);
    for (let j = 0; j < 8; j++) aanForward(d, j * 8, 1);
    for (let u = 0; u < 8; u++) aanForward(d, u, 8);
    for (let k = 0; k < 64; k++) d[k] = d[k]! / (AAN[k >> 3]! * AAN[k & 7]! * 8);
    for (let k = 0; k < 64; k++) d[k] = d[k]! * AAN[k >> 3]! * AAN[k & 7]!;
    for (let u = 0; u < 8; u++) aanInverse(d, u, 8);
    for (let j = 0; j < 8; j++) aanInverse(d, j * 8, 1);
    for (let k = 0; k < 64; k++) expect(d[k]! / 8).toBeCloseTo(f[k]!, 4);
  });

  it('coarsens detail block by block, more at lower quality, and keeps each block\'s mean', () => {
    const w = 64;
    const src = new Uint8ClampedArray(w * w * 4);
    // Grey (no chroma to subsample): only the luminance's quantisation changes it.
    for (let i = 0; i < w * w; i++) {
      const v = 128 + ((i * 37) % 61) - 30;
      src.set([v, v, v, 255], i * 4);
    }
    const error = (q: number): { rms: number; meanShift: number } => {
      const out = Uint8ClampedArray.from(src);
      new BlockCompression(q).apply(out, w, w);
      let e = 0;
      let shift = 0;
      for (let i = 0; i < w * w; i++) {
        e += (out[i * 4 + 1]! - src[i * 4 + 1]!) ** 2;
        shift += out[i * 4 + 1]! - src[i * 4 + 1]!;
      }
      return { rms: Math.sqrt(e / (w * w)), meanShift: Math.abs(shift / (w * w)) };
    };
    const q95 = error(95);
    const q50 = error(50);
    expect(q95.rms).toBeGreaterThan(0);
    expect(q50.rms).toBeGreaterThan(q95.rms * 2);
    expect(q50.meanShift).toBeLessThan(1);
  });
});
