import { makeRng } from './hash';

/**
 * 2D gradient (Perlin-style) noise with a seeded permutation; smooth, isotropic enough for tissue
 * texture, and free of the blockiness of value noise. Output is roughly in [-1, 1].
 */
export class GradientNoise {
  private readonly perm = new Uint8Array(512);
  /** Gradients interleaved (x, y), as float32 values: one cache line holds both of a corner's. */
  private readonly g = new Float64Array(512);

  constructor(seed: number) {
    const rng = makeRng(seed);
    const p = new Uint16Array(256);
    for (let i = 0; i < 256; i++) p[i] = i;
    for (let i = 255; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      const t = p[i]!;
      p[i] = p[j]!;
      p[j] = t;
    }
    for (let i = 0; i < 512; i++) this.perm[i] = p[i & 255]!;
    for (let i = 0; i < 256; i++) {
      const a = rng() * Math.PI * 2;
      // Rounded to single precision, as the gradients always were: the noise is unchanged.
      this.g[2 * i] = Math.fround(Math.cos(a));
      this.g[2 * i + 1] = Math.fround(Math.sin(a));
    }
  }

  noise(x: number, y: number): number {
    const xf = Math.floor(x);
    const yf = Math.floor(y);
    const fx = x - xf;
    const fy = y - yf;
    const xi = xf & 255;
    const yi = yf & 255;
    const perm = this.perm;
    const g = this.g;
    const a = perm[xi]! + yi;
    const b = perm[xi + 1]! + yi;
    const g00 = perm[a]! << 1;
    const g01 = perm[a + 1]! << 1;
    const g10 = perm[b]! << 1;
    const g11 = perm[b + 1]! << 1;
    const fx1 = fx - 1;
    const fy1 = fy - 1;
    const n00 = g[g00]! * fx + g[g00 + 1]! * fy;
    const n10 = g[g10]! * fx1 + g[g10 + 1]! * fy;
    const n01 = g[g01]! * fx + g[g01 + 1]! * fy1;
    const n11 = g[g11]! * fx1 + g[g11 + 1]! * fy1;
    const u = fx * fx * fx * (fx * (fx * 6 - 15) + 10);
    const v = fy * fy * fy * (fy * (fy * 6 - 15) + 10);
    const nx0 = n00 + u * (n10 - n00);
    const nx1 = n01 + u * (n11 - n01);
    return (nx0 + v * (nx1 - nx0)) * 1.41;
  }

  /**
   * `noise` at n points in one call: xy holds (x, y) pairs, out receives the values, each the
   * same number `noise` gives. Why: V8 inlines only two or three noises into a big painter and
   * boxes every coordinate and result of the calls it does not inline (megabytes of garbage a
   * tile); one loop here, fed through typed arrays, boxes nothing.
   */
  noiseAt(xy: Float64Array, n: number, out: Float64Array): void {
    // (noise is small enough for V8 to inline here, at this one call site.)
    for (let k = 0; k < n; k++) out[k] = this.noise(xy[2 * k]!, xy[2 * k + 1]!);
  }

  /** Fractal sum of octaves; roughly in [-1, 1]. */
  fbm(x: number, y: number, octaves: number): number {
    let sum = 0;
    let amp = 0.5;
    let f = 1;
    let norm = 0;
    for (let o = 0; o < octaves; o++) {
      sum += amp * this.noise(x * f + o * 17.3, y * f - o * 9.1);
      norm += amp;
      amp *= 0.5;
      f *= 2.03;
    }
    return sum / norm;
  }
}
