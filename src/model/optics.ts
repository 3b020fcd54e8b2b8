/**
 * Microscope arithmetic: magnification readouts and scale bars.
 * Convention (as in QuPath and most scanners): a 40x objective images 0.25 µm per pixel,
 * and one screen pixel at "Nx" covers 10 / N µm.
 */

export const REFERENCE_MAGNIFICATION = 40;
export const REFERENCE_MPP = 0.25;

/** Equivalent objective magnification for a given µm per screen pixel. */
export function magnificationFromUmPerScreenPx(umPerScreenPx: number): number {
  return (REFERENCE_MAGNIFICATION * REFERENCE_MPP) / umPerScreenPx;
}

/** µm per screen pixel at an equivalent objective magnification. */
export function umPerScreenPxAt(magnification: number): number {
  return (REFERENCE_MAGNIFICATION * REFERENCE_MPP) / magnification;
}

/** "10x", "2.5x", "0.31x": short, with one decimal below 10x. */
export function formatMagnification(mag: number): string {
  if (!Number.isFinite(mag) || mag <= 0) return '—';
  if (mag >= 10) return `${Math.round(mag)}x`;
  if (mag >= 1) return `${Math.round(mag * 10) / 10}x`;
  return `${Math.round(mag * 100) / 100}x`;
}

export interface ScaleBar {
  /** Bar length in screen pixels. */
  readonly px: number;
  /** Bar length in micrometres (a 1, 2 or 5 times a power of ten). */
  readonly um: number;
  readonly label: string;
}

export function formatLength(um: number): string {
  if (um >= 1000) {
    const mm = um / 1000;
    return `${Number.isInteger(mm) ? mm : mm.toFixed(1)} mm`;
  }
  if (um >= 1) return `${Number.isInteger(um) ? um : um.toFixed(1)} µm`;
  return `${Math.round(um * 1000)} nm`;
}

/**
 * The longest "nice" length (1, 2, 5 × 10^k µm) whose bar fits in maxPx screen pixels.
 * Returns a bar of at least maxPx / 2.5 pixels, since the next nice length is at most 2.5x longer.
 */
export function scaleBar(umPerScreenPx: number, maxPx = 160): ScaleBar {
  if (!(umPerScreenPx > 0) || !Number.isFinite(umPerScreenPx)) return { px: 0, um: 0, label: '—' };
  const maxUm = umPerScreenPx * maxPx;
  const pow = Math.pow(10, Math.floor(Math.log10(maxUm)));
  let um = pow;
  for (const m of [5, 2, 1]) {
    if (m * pow <= maxUm) {
      um = m * pow;
      break;
    }
  }
  return { px: um / umPerScreenPx, um, label: formatLength(um) };
}
