/**
 * Beer–Lambert colour: a pixel's transmitted light is I0 · 10^(−Σ cᵢ·vᵢ), with cᵢ the amount of
 * stain i and vᵢ its optical-density vector. Concentrations are painted; colour is computed.
 */

export type Rgb = readonly [number, number, number];

export interface StainModel {
  /** Background (glass) intensity per channel, 0–255. */
  readonly white: Rgb;
  readonly hematoxylin: Rgb;
  readonly eosin: Rgb;
  readonly dab: Rgb;
}

function unitVec(v: Rgb): Rgb {
  const n = Math.hypot(v[0], v[1], v[2]);
  return [v[0] / n, v[1] / n, v[2] / n];
}

/**
 * Optical-density vectors measured from the reference scans (scripts/specimen-report.ts prints
 * the measurement); Ruifrok & Johnston's published eosin vector renders magenta on screen.
 */
export const DEFAULT_STAINS: StainModel = {
  white: [244, 242, 245],
  hematoxylin: unitVec([0.62, 0.72, 0.31]),
  eosin: unitVec([0.16, 0.82, 0.36]),
  dab: unitVec([0.3, 0.55, 0.78]),
};

/** Optical density of a channel value relative to white; clamps at 1/255 to stay finite. */
export function opticalDensity(value: number, white: number): number {
  return -Math.log10(Math.max(value, 1) / white);
}

const LN10 = Math.LN10;

/**
 * Writes RGBA for one pixel from total optical densities per channel.
 * Kept tiny and monomorphic: it runs once per pixel of every tile.
 */
export function writeBeerLambert(out: Uint8ClampedArray, o: number, white: Rgb, odR: number, odG: number, odB: number): void {
  out[o] = white[0] * Math.exp(-odR * LN10);
  out[o + 1] = white[1] * Math.exp(-odG * LN10);
  out[o + 2] = white[2] * Math.exp(-odB * LN10);
  out[o + 3] = 255;
}
