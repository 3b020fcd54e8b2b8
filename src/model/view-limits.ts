import type { ViewState } from './route';
import { umPerScreenPxAt } from './optics';

/**
 * How far a view may go, whoever asks (a link, a button, the wheel): from a low-power overview
 * to single nuclei, with the centre on the slide. A link is data from anywhere; without these
 * limits `z=100000` showed a 10 nm scale bar and `x=1e15` a blank viewer that never got ready.
 */

/** Equivalent objective magnifications, as the readout shows them. */
export const MIN_MAGNIFICATION = 0.5;
export const MAX_MAGNIFICATION = 80;

export interface ViewLimits {
  /** Full-resolution image size in pixels: the centre stays within [0, width] × [0, height]. */
  readonly width: number;
  readonly height: number;
  /** Magnification range; defaults to MIN_MAGNIFICATION…MAX_MAGNIFICATION. */
  readonly minZ?: number;
  readonly maxZ?: number;
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

/** The nearest magnification within the limits. */
export function clampMagnification(z: number, limits: Pick<ViewLimits, 'minZ' | 'maxZ'>): number {
  const maxZ = limits.maxZ ?? MAX_MAGNIFICATION;
  // Where the two bounds cross (an image smaller than the screen at its minimum zoom), the
  // maximum wins: the promise is never to show more than maxZ.
  const minZ = Math.min(limits.minZ ?? MIN_MAGNIFICATION, maxZ);
  return clamp(z, minZ, maxZ);
}

/** The nearest view within the limits; a view already within them comes back unchanged. */
export function clampView(v: ViewState, limits: ViewLimits): ViewState {
  return { x: clamp(v.x, 0, limits.width), y: clamp(v.y, 0, limits.height), z: clampMagnification(v.z, limits), r: v.r };
}

/** Screen (CSS) pixels per full-resolution image pixel at a magnification, for a slide of `mpp` µm per pixel. */
export function screenPxPerImagePx(magnification: number, mpp: number): number {
  return mpp / umPerScreenPxAt(magnification);
}
