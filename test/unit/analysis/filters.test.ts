import { describe, expect, it } from 'vitest';
import { background, opening } from '../../../src/analysis/filters';

/** Minimum (or maximum) over the (2r + 1)² square round each pixel, edges clamped: by brute force. */
function squareFilter(src: Float32Array, w: number, h: number, r: number, pick: (a: number, b: number) => number, start: number): Float32Array {
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let m = start;
      for (let dy = -r; dy <= r; dy++)
        for (let dx = -r; dx <= r; dx++) m = pick(m, src[Math.min(h - 1, Math.max(0, y + dy)) * w + Math.min(w - 1, Math.max(0, x + dx))]!);
      out[y * w + x] = m;
    }
  return out;
}

describe('background filters', () => {
  it('opens by a square exactly: the running minima and maxima equal brute force at every pixel', () => {
    const w = 37;
    const h = 23;
    let seed = 7;
    const src = new Float32Array(w * h).map(() => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    for (const r of [1, 2, 5, 15]) {
      const want = squareFilter(squareFilter(src, w, h, r, Math.min, Infinity), w, h, r, Math.max, -Infinity);
      expect(Array.from(opening(src, w, h, r))).toEqual(Array.from(want));
    }
  });

  it('takes the level under narrow objects: a sloping ground with 6-pixel dots on it', () => {
    const w = 120;
    const src = new Float32Array(w * w);
    for (let y = 0; y < w; y++)
      for (let x = 0; x < w; x++) {
        const ground = 0.05 + 0.001 * x;
        const dot = (x % 20) - 10 < 3 && (x % 20) - 10 >= -3 && (y % 20) - 10 < 3 && (y % 20) - 10 >= -3;
        src[y * w + x] = ground + (dot ? 0.8 : 0);
      }
    const bg = background(src, w, w, 8);
    for (let y = 0; y < w; y += 7)
      for (let x = 0; x < w; x += 7) expect(Math.abs(bg[y * w + x]! - (0.05 + 0.001 * x))).toBeLessThan(0.01);
  });
});
