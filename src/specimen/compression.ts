/**
 * A scanner's JPEG, as every whole-slide scanner stores its tiles: each 8 × 8 block's luminance
 * is taken to cosine frequencies, rounded to the steps of the standard (Annex K) table at a
 * quality, and taken back, so fine detail is coarsened block by block and faint block edges
 * show at 40x; colour is kept at half resolution (4:2:0). Blocks lie on the level's own 8-pixel
 * grid, so a tile's bytes do not depend on how the level is cut into tiles.
 */

/** The standard JPEG luminance quantisation table (ITU T.81, Annex K.1), in row order. */
const LUMA_TABLE = [
  16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62, 18, 22, 37, 56, 68, 109,
  103, 77, 24, 35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
] as const;

/**
 * Quality as scanners set it (Aperio's default is 70; the NDPI reference is crisper). 85 keeps
 * the 20x and 10x pixel noise within the report's bar; at 80 the 10x figure fell just under it.
 */
export const SCANNER_JPEG_QUALITY = 85;

/** AAN's scale of each frequency (cos(kπ/16)·√2, 1 for k = 0), folded into the quantiser steps. */
const AAN_SCALE = [1, 1.387039845, 1.306562965, 1.175875602, 1, 0.785694958, 0.5411961, 0.275899379] as const;

/**
 * The 8-point DCT by Arai, Agui and Nakajima's factorisation (5 multiplications, as in the IJG
 * library's float coder): outputs are the DCT's coefficients times AAN_SCALE[k] · √8, a scale
 * the quantiser divides out. Runs over the 8 values at `o`, `o + s`, … `o + 7s` of `d`.
 */
export function aanForward(d: Float64Array, o: number, s: number): void {
  const d0 = d[o]!, d1 = d[o + s]!, d2 = d[o + 2 * s]!, d3 = d[o + 3 * s]!;
  const d4 = d[o + 4 * s]!, d5 = d[o + 5 * s]!, d6 = d[o + 6 * s]!, d7 = d[o + 7 * s]!;
  const t0 = d0 + d7, t7 = d0 - d7, t1 = d1 + d6, t6 = d1 - d6;
  const t2 = d2 + d5, t5 = d2 - d5, t3 = d3 + d4, t4 = d3 - d4;
  // Even part.
  const e10 = t0 + t3, e13 = t0 - t3, e11 = t1 + t2, e12 = t1 - t2;
  d[o] = e10 + e11;
  d[o + 4 * s] = e10 - e11;
  const z1 = (e12 + e13) * 0.707106781;
  d[o + 2 * s] = e13 + z1;
  d[o + 6 * s] = e13 - z1;
  // Odd part.
  const o10 = t4 + t5, o11 = t5 + t6, o12 = t6 + t7;
  const z5 = (o10 - o12) * 0.382683433;
  const z2 = 0.5411961 * o10 + z5;
  const z4 = 1.306562965 * o12 + z5;
  const z3 = o11 * 0.707106781;
  const z11 = t7 + z3, z13 = t7 - z3;
  d[o + 5 * s] = z13 + z2;
  d[o + 3 * s] = z13 - z2;
  d[o + s] = z11 + z4;
  d[o + 7 * s] = z11 - z4;
}

/** The inverse of aanForward for coefficients already multiplied back by their scale. */
export function aanInverse(d: Float64Array, o: number, s: number): void {
  // Even part.
  const a0 = d[o]!, a1 = d[o + 2 * s]!, a2 = d[o + 4 * s]!, a3 = d[o + 6 * s]!;
  const e10 = a0 + a2, e11 = a0 - a2;
  const e13 = a1 + a3;
  const e12 = (a1 - a3) * 1.414213562 - e13;
  const p0 = e10 + e13, p3 = e10 - e13, p1 = e11 + e12, p2 = e11 - e12;
  // Odd part.
  const b4 = d[o + s]!, b5 = d[o + 3 * s]!, b6 = d[o + 5 * s]!, b7 = d[o + 7 * s]!;
  const z13 = b6 + b5, z10 = b6 - b5, z11 = b4 + b7, z12 = b4 - b7;
  const q7 = z11 + z13;
  const q11 = (z11 - z13) * 1.414213562;
  const z5 = (z10 + z12) * 1.847759065;
  const q10 = 1.0823922 * z12 - z5;
  const q12 = -2.61312593 * z10 + z5;
  const q6 = q12 - q7;
  const q5 = q11 - q6;
  const q4 = q10 + q5;
  d[o] = p0 + q7;
  d[o + 7 * s] = p0 - q7;
  d[o + s] = p1 + q6;
  d[o + 6 * s] = p1 - q6;
  d[o + 2 * s] = p2 + q5;
  d[o + 5 * s] = p2 - q5;
  d[o + 4 * s] = p3 + q4;
  d[o + 3 * s] = p3 - q4;
}

export class BlockCompression {
  /** Per coefficient: what takes an AAN output to quantiser steps, and a step back to AAN input. */
  private readonly toSteps = new Float64Array(64);
  private readonly fromSteps = new Float64Array(64);
  private readonly y = new Float64Array(64);
  private readonly cb = new Float64Array(16);
  private readonly cr = new Float64Array(16);

  constructor(quality = SCANNER_JPEG_QUALITY) {
    // The IJG scaling of the table to a quality (1–100).
    const q = Math.max(1, Math.min(100, quality));
    const scale = q < 50 ? 5000 / q : 200 - 2 * q;
    for (let v = 0; v < 8; v++)
      for (let u = 0; u < 8; u++) {
        const k = v * 8 + u;
        const step = Math.max(1, Math.floor((LUMA_TABLE[k]! * scale + 50) / 100));
        const aan = AAN_SCALE[v]! * AAN_SCALE[u]!;
        this.toSteps[k] = 1 / (step * aan * 8);
        // The inverse's output comes out 8 times too large; divided here, not per pixel.
        this.fromSteps[k] = (step * aan) / 8;
      }
  }

  /**
   * Compresses an RGBA tile of w × h in place. Its top-left pixel must lie on the level's
   * 8-pixel grid (tiles are 64, 128 or 256 px), so its blocks are the level's.
   */
  apply(data: Uint8ClampedArray, w: number, h: number): void {
    for (let by = 0; by < h; by += 8) for (let bx = 0; bx < w; bx += 8) this.block(data, w, h, bx, by);
  }

  private block(data: Uint8ClampedArray, w: number, h: number, bx: number, by: number): void {
    const { y, toSteps, fromSteps, cb, cr } = this;
    cb.fill(0);
    cr.fill(0);
    // Luminance of the block (its last row and column repeated past the image's edge, as a
    // JPEG encoder pads) and chroma summed over 2 × 2 pixels.
    const full = bx + 8 <= w && by + 8 <= h;
    for (let j = 0; j < 8; j++) {
      const py = by + j < h ? by + j : h - 1;
      let o = (py * w + bx) * 4;
      const k0 = j * 8;
      const c0 = (j >> 1) * 4;
      for (let i = 0; i < 8; i += 2) {
        // Two pixels share a chroma sample along the row.
        if (!full) o = (py * w + (bx + i < w ? bx + i : w - 1)) * 4;
        const r0 = data[o]!;
        const g0 = data[o + 1]!;
        const b0 = data[o + 2]!;
        if (!full) o = (py * w + (bx + i + 1 < w ? bx + i + 1 : w - 1)) * 4;
        else o += 4;
        const r1 = data[o]!;
        const g1 = data[o + 1]!;
        const b1 = data[o + 2]!;
        o += 4;
        const l0 = 0.299 * r0 + 0.587 * g0 + 0.114 * b0;
        const l1 = 0.299 * r1 + 0.587 * g1 + 0.114 * b1;
        y[k0 + i] = l0 - 128;
        y[k0 + i + 1] = l1 - 128;
        const c = c0 + (i >> 1);
        cb[c] = cb[c]! + (b0 + b1 - l0 - l1) * 0.564;
        cr[c] = cr[c]! + (r0 + r1 - l0 - l1) * 0.713;
      }
    }
    for (let j = 0; j < 8; j++) aanForward(y, j * 8, 1);
    for (let u = 0; u < 8; u++) aanForward(y, u, 8);
    // Quantise: each coefficient rounded to its step (the rounding is the compression).
    for (let k = 0; k < 64; k++) y[k] = Math.round(y[k]! * toSteps[k]!) * fromSteps[k]!;
    for (let u = 0; u < 8; u++) aanInverse(y, u, 8);
    for (let j = 0; j < 8; j++) aanInverse(y, j * 8, 1);
    const rows = by + 8 <= h ? 8 : h - by;
    const cols = bx + 8 <= w ? 8 : w - bx;
    for (let j = 0; j < rows; j++) {
      let o = ((by + j) * w + bx) * 4;
      const c0 = (j >> 1) * 4;
      for (let i = 0; i < cols; i++, o += 4) {
        const l = y[j * 8 + i]! + 128;
        const c = c0 + (i >> 1);
        // Chroma sums of four pixels: a quarter of each factor.
        const b2 = cb[c]!;
        const r2 = cr[c]!;
        data[o] = l + 0.3505 * r2;
        data[o + 1] = l - 0.086034 * b2 - 0.178534 * r2;
        data[o + 2] = l + 0.443 * b2;
      }
    }
  }
}
