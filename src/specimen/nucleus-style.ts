/**
 * How a nucleus's chromatin looks (paint-nucleus.ts draws it; cells.ts chooses it): its own
 * module so the cell placer needs none of the painter.
 */

/** Fine even granules: an ordinary interphase nucleus. */
export const FINE = 0;
/** Coarse clumps with pale parachromatin between: atypia. */
export const COARSE = 1;
/** Smudged: dark and nearly textureless, as degenerate bizarre nuclei are. */
export const SMUDGED = 2;
/** Vesicular: pale inside a thick dark membrane, round a macronucleolus. */
export const VESICULAR = 3;

export interface NucleusStyle {
  readonly chromatin: number;
  /** Radius (µm) of a prominent nucleolus, or 0 (then a small one only where chromatin is dark). */
  readonly nucleolus: number;
  /** Depth (share of the radius) of a notch in the membrane, or 0. */
  readonly notch: number;
  /** Amplitude of three-fold lobulation, or 0. */
  readonly lobe: number;
}

export const PLAIN: NucleusStyle = Object.freeze({ chromatin: FINE, nucleolus: 0, notch: 0, lobe: 0 });
