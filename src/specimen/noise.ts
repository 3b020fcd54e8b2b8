import { makeRng } from './hash';

/**
 * 2D gradient (Perlin-style) noise with a seeded permutation; smooth, isotropic enough for tissue
 * texture, and free of the blockiness of value noise. Output is roughly in [-1, 1].
 */
export class GradientNoise {
  private readonly perm = new Uint16Array(512);
  private readonly gx = new Float32Array(256);
  private readonly gy = new Float32Array(256);

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
      this.gx[i] = Math.cos(a);
      this.gy[i] = Math.sin(a);
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
    const gx = this.gx;
    const gy = this.gy;
    const a = perm[xi]! + yi;
    const b = perm[xi + 1]! + yi;
    const g00 = perm[a]!;
    const g01 = perm[a + 1]!;
    const g10 = perm[b]!;
    const g11 = perm[b + 1]!;
    const n00 = gx[g00]! * fx + gy[g00]! * fy;
    const n10 = gx[g10]! * (fx - 1) + gy[g10]! * fy;
    const n01 = gx[g01]! * fx + gy[g01]! * (fy - 1);
    const n11 = gx[g11]! * (fx - 1) + gy[g11]! * (fy - 1);
    const u = fx * fx * fx * (fx * (fx * 6 - 15) + 10);
    const v = fy * fy * fy * (fy * (fy * 6 - 15) + 10);
    const nx0 = n00 + u * (n10 - n00);
    const nx1 = n01 + u * (n11 - n01);
    return (nx0 + v * (nx1 - nx0)) * 1.41;
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
