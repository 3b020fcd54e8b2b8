/**
 * The objective's blur. A scanner never resolves an edge to one pixel: its point spread (plus
 * focus error across the section's depth) softens every membrane and chromatin grain over about
 * 0.3 µm. Applied to transmitted light (linear intensity), as optics do, so a tile's mean colour
 * is unchanged and pyramid levels still agree.
 */

import type { StainId } from '../model/manifest';

/** Pixels rendered beyond each tile edge so the blur reads real neighbours (a multiple of 4: the classification lattice). */
export const OPTICS_APRON = 4;

/** Kernels with integer taps (sums 64, 16, 4, 6 and 16): σ ≈ 1.22 px, 1 px, 0.71 px, 0.58 px and 0.35 px. */
const KERNEL_7 = [1, 6, 15, 20, 15, 6, 1] as const;
const KERNEL_5 = [1, 4, 6, 4, 1] as const;
const KERNEL_3 = [1, 2, 1] as const;
const KERNEL_3_LIGHT = [1, 4, 1] as const;
const KERNEL_LIGHTER = [1, 14, 1] as const;

/**
 * The kernel for a pixel size: σ ≈ 0.25 µm (H&E) or 0.3 µm (IHC) at 40x, 0.3–0.35 µm at 20x
 * (the H&E reference resolves a nuclear membrane as a line one pixel thick); at coarser levels a
 * light one, as a scanner's pyramid is made by filtering before it subsamples: detail under a
 * pixel shows as its average, not as single dark or bright pixels. Set by `npm run
 * specimen:report` against the reference scans: at 20x the H&E reference is crisper than the
 * immunostains' (whose 40x scans are already smoother than ours: Ki67 pixel noise 1.9 against
 * our 3.3), so H&E gets the lighter kernel there. Below 20x, σ ≈ 0.5 px left every level
 * smoother than its finer level averaged (0.80–0.87) and pixel noise 0.42–0.48 of the real
 * scans'; σ ≈ 0.35 px gives 1.06–1.08 and 0.52–0.58; no blur at all aliases (1.34–1.38).
 */
export function blurKernel(upp: number, section: StainId = 'he'): readonly number[] {
  if (upp <= 0.3) return section === 'he' ? KERNEL_5 : KERNEL_7;
  if (upp <= 0.6) return section === 'he' ? KERNEL_3_LIGHT : KERNEL_3;
  return KERNEL_LIGHTER;
}

/**
 * Focus across the section, as a scanner's focus map leaves it: a smooth field (tens to
 * hundreds of µm) of how much more or less than the nominal blur a pixel gets, −0.5 (sharper)
 * to +0.1 or +0.3 (softer), sampled every FOCUS_STEP pixels of the tile and its apron.
 */
export const FOCUS_STEP = 16;
export function focusLattice(noise: (x: number, y: number) => number, x0: number, y0: number, upp: number, w: number, h: number, out: Float32Array): number {
  // Softer is an extrapolation away from the sharp pixel: beyond this the kernel's centre
  // weight would turn negative and print inverted pixel detail (noise, not blur).
  const softest = upp <= 0.3 ? 0.1 : 0.3;
  const cols = Math.ceil(w / FOCUS_STEP) + 1;
  const rows = Math.ceil(h / FOCUS_STEP) + 1;
  for (let j = 0; j < rows; j++) {
    for (let i = 0; i < cols; i++) {
      const X = x0 + i * FOCUS_STEP * upp;
      const Y = y0 + j * FOCUS_STEP * upp;
      const f = 0.1 + 0.55 * noise(X / 900 + 71, Y / 900) + 0.3 * noise(X / 160 + 17, Y / 160);
      out[j * cols + i] = f < -0.5 ? -0.5 : f > softest ? softest : f;
    }
  }
  return cols;
}

/** Length of the focus lattice for tiles up to `tileSize` across (with their apron). */
export function focusLatticeLength(tileSize: number): number {
  return (Math.ceil((tileSize + 2 * OPTICS_APRON) / FOCUS_STEP) + 2) ** 2;
}

/**
 * Blurs the RGB of `src` (RGBA, stride W, with OPTICS_APRON extra pixels on every side of the
 * w × h tile) into `out` (RGBA, w × h). `tmp` holds the horizontal pass (`blurScratchLength`),
 * `focusRow` (optional scratch, `w` long) the focus weight of each pixel of a row.
 * Tap sums are integers, so leaving out the taps a kernel weighs 0 changes no byte.
 */
export function blurInto(src: Uint8ClampedArray, W: number, w: number, h: number, kernel: readonly number[], tmp: Uint16Array, out: Uint8ClampedArray, focus?: Float32Array, focusCols = 0, focusRow?: Float64Array): void {
  const A = OPTICS_APRON;
  // Kernels are symmetric: fold each pair of taps (weights c0 at the centre, c1..c3 outwards).
  const r = (kernel.length - 1) >> 1;
  const c0 = kernel[r]!;
  const c1 = r >= 1 ? kernel[r + 1]! : 0;
  const c2 = r >= 2 ? kernel[r + 2]! : 0;
  const c3 = r >= 3 ? kernel[r + 3]! : 0;
  const rows = h + 2 * A;
  const wide = r >= 2;
  // Horizontal pass over every row the vertical pass will read.
  for (let y = 0; y < rows; y++) {
    let o = (y * W + A) * 4;
    let t = y * w * 3;
    if (wide) {
      for (let x = 0; x < w; x++, o += 4, t += 3) {
        tmp[t] = c0 * src[o]! + c1 * (src[o - 4]! + src[o + 4]!) + c2 * (src[o - 8]! + src[o + 8]!) + c3 * (src[o - 12]! + src[o + 12]!);
        tmp[t + 1] = c0 * src[o + 1]! + c1 * (src[o - 3]! + src[o + 5]!) + c2 * (src[o - 7]! + src[o + 9]!) + c3 * (src[o - 11]! + src[o + 13]!);
        tmp[t + 2] = c0 * src[o + 2]! + c1 * (src[o - 2]! + src[o + 6]!) + c2 * (src[o - 6]! + src[o + 10]!) + c3 * (src[o - 10]! + src[o + 14]!);
      }
    } else {
      for (let x = 0; x < w; x++, o += 4, t += 3) {
        tmp[t] = c0 * src[o]! + c1 * (src[o - 4]! + src[o + 4]!);
        tmp[t + 1] = c0 * src[o + 1]! + c1 * (src[o - 3]! + src[o + 5]!);
        tmp[t + 2] = c0 * src[o + 2]! + c1 * (src[o - 2]! + src[o + 6]!);
      }
    }
  }
  let norm = 0;
  for (const c of kernel) norm += c;
  const inv = 1 / (norm * norm);
  const s1 = w * 3;
  const s2 = s1 * 2;
  const s3 = s1 * 3;
  const fk = focus ? (focusRow ?? new Float64Array(w)) : undefined;
  for (let y = 0; y < h; y++) {
    let t = (y + A) * s1;
    let o = y * w * 4;
    let so = ((y + A) * W + A) * 4;
    if (focus && fk) {
      // Focus: the lattice row pair and weight for this row (pixel y + A of the painted area),
      // interpolated along the row once (the same arithmetic, pixel by pixel, as before).
      const fy = (y + A) / FOCUS_STEP;
      const fj = Math.floor(fy);
      const wy = fy - fj;
      for (let x = 0; x < w; x++) {
        const fx = (x + A) / FOCUS_STEP;
        const fi = Math.floor(fx);
        const wx = fx - fi;
        const r0 = fj * focusCols + fi;
        const r1 = r0 + focusCols;
        fk[x] = (focus[r0]! * (1 - wx) + focus[r0 + 1]! * wx) * (1 - wy) + (focus[r1]! * (1 - wx) + focus[r1 + 1]! * wx) * wy;
      }
    }
    for (let x = 0; x < w; x++, o += 4, t += 3, so += 4) {
      let v0: number;
      let v1: number;
      let v2: number;
      if (wide) {
        v0 = (c0 * tmp[t]! + c1 * (tmp[t - s1]! + tmp[t + s1]!) + c2 * (tmp[t - s2]! + tmp[t + s2]!) + c3 * (tmp[t - s3]! + tmp[t + s3]!)) * inv;
        v1 = (c0 * tmp[t + 1]! + c1 * (tmp[t + 1 - s1]! + tmp[t + 1 + s1]!) + c2 * (tmp[t + 1 - s2]! + tmp[t + 1 + s2]!) + c3 * (tmp[t + 1 - s3]! + tmp[t + 1 + s3]!)) * inv;
        v2 = (c0 * tmp[t + 2]! + c1 * (tmp[t + 2 - s1]! + tmp[t + 2 + s1]!) + c2 * (tmp[t + 2 - s2]! + tmp[t + 2 + s2]!) + c3 * (tmp[t + 2 - s3]! + tmp[t + 2 + s3]!)) * inv;
      } else {
        v0 = (c0 * tmp[t]! + c1 * (tmp[t - s1]! + tmp[t + s1]!)) * inv;
        v1 = (c0 * tmp[t + 1]! + c1 * (tmp[t + 1 - s1]! + tmp[t + 1 + s1]!)) * inv;
        v2 = (c0 * tmp[t + 2]! + c1 * (tmp[t + 2 - s1]! + tmp[t + 2 + s1]!)) * inv;
      }
      if (fk) {
        // Softer (k > 0) or sharper (k < 0) than nominal: away from the sharp pixel or back to it.
        const k = fk[x]!;
        out[o] = v0 + (v0 - src[so]!) * k; // a clamped array rounds to nearest
        out[o + 1] = v1 + (v1 - src[so + 1]!) * k;
        out[o + 2] = v2 + (v2 - src[so + 2]!) * k;
      } else {
        out[o] = v0;
        out[o + 1] = v1;
        out[o + 2] = v2;
      }
      out[o + 3] = 255;
    }
  }
}

/** Length of the horizontal-pass scratch for tiles up to `tileSize` across. */
export function blurScratchLength(tileSize: number): number {
  return tileSize * (tileSize + 2 * OPTICS_APRON) * 3;
}
