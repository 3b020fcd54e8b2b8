/**
 * The objective's blur. A scanner never resolves an edge to one pixel: its point spread (plus
 * focus error across the section's depth) softens every membrane and chromatin grain over about
 * 0.3 µm. Applied to transmitted light (linear intensity), as optics do, so a tile's mean colour
 * is unchanged and pyramid levels still agree.
 */

/** Pixels rendered beyond each tile edge so the blur reads real neighbours (a multiple of 4: the classification lattice). */
export const OPTICS_APRON = 4;

/** Binomial kernels (sums 4 and 64): σ ≈ 0.71 px and 1.22 px. */
const KERNEL_3 = [1, 2, 1] as const;
const KERNEL_7 = [1, 6, 15, 20, 15, 6, 1] as const;

/** The kernel for a pixel size: σ ≈ 0.3 µm, or none once that is well under a pixel. */
export function blurKernel(upp: number): readonly number[] | undefined {
  if (upp <= 0.3) return KERNEL_7;
  if (upp <= 0.6) return KERNEL_3;
  return undefined;
}

/**
 * Blurs the RGB of `src` (RGBA, stride W, with OPTICS_APRON extra pixels on every side of the
 * w × h tile) into `out` (RGBA, w × h). `tmp` holds the horizontal pass (`blurScratchLength`).
 */
export function blurInto(src: Uint8ClampedArray, W: number, w: number, h: number, kernel: readonly number[], tmp: Uint16Array, out: Uint8ClampedArray): void {
  const A = OPTICS_APRON;
  // Kernels are symmetric: fold each pair of taps (weights c0 at the centre, c1..c3 outwards).
  const r = (kernel.length - 1) >> 1;
  const c0 = kernel[r]!;
  const c1 = r >= 1 ? kernel[r + 1]! : 0;
  const c2 = r >= 2 ? kernel[r + 2]! : 0;
  const c3 = r >= 3 ? kernel[r + 3]! : 0;
  const rows = h + 2 * A;
  // Horizontal pass over every row the vertical pass will read (taps beyond r weigh 0 and stay
  // inside the apron, so one loop serves every kernel).
  for (let y = 0; y < rows; y++) {
    let o = (y * W + A) * 4;
    let t = y * w * 3;
    for (let x = 0; x < w; x++, o += 4, t += 3) {
      for (let ch = 0; ch < 3; ch++) {
        const p = o + ch;
        tmp[t + ch] = c0 * src[p]! + c1 * (src[p - 4]! + src[p + 4]!) + c2 * (src[p - 8]! + src[p + 8]!) + c3 * (src[p - 12]! + src[p + 12]!);
      }
    }
  }
  let norm = 0;
  for (const c of kernel) norm += c;
  const inv = 1 / (norm * norm);
  const s1 = w * 3;
  const s2 = s1 * 2;
  const s3 = s1 * 3;
  for (let y = 0; y < h; y++) {
    let t = (y + A) * s1;
    let o = y * w * 4;
    for (let x = 0; x < w; x++, o += 4, t += 3) {
      for (let ch = 0; ch < 3; ch++) {
        const p = t + ch;
        const v = c0 * tmp[p]! + c1 * (tmp[p - s1]! + tmp[p + s1]!) + c2 * (tmp[p - s2]! + tmp[p + s2]!) + c3 * (tmp[p - s3]! + tmp[p + s3]!);
        out[o + ch] = v * inv; // a clamped array rounds to nearest
      }
      out[o + 3] = 255;
    }
  }
}

/** Length of the horizontal-pass scratch for tiles up to `tileSize` across. */
export function blurScratchLength(tileSize: number): number {
  return tileSize * (tileSize + 2 * OPTICS_APRON) * 3;
}
