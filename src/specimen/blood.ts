import { hash3, unit } from './hash';
import { clamp01 } from './coverage';
import type { Scene } from './scene';

/** Eosin of the plasma round red cells (a pale pink). */
export const PLASMA_E = 0.07;

/**
 * Haemoglobin (the red-cell chromophore, stain.ts) of blood at a point: round discs ~7 µm
 * across with pale centres, touching in places, plasma between. Pixels wider than a red cell
 * show the mean. `density` (0–1 at a point) is the share of the packed cells present there.
 */
export function redCells(scene: Scene, x: number, y: number, upp: number, density?: (x: number, y: number) => number): number {
  if (upp > 1.5) return density ? 0.4 * density(x, y) : 0.4;
  const rc = scene.scratch.redCells.nearest(x, y, 0x4bc);
  // Whole cells are kept or left out: the density is read at each cell's centre.
  // Packed: in a vessel most places hold a cell, and neighbours press into each other.
  if (unit(hash3(rc.site, 3, 3)) >= (density ? 0.9 * density(rc.sx, rc.sy) : 0.9)) return 0;
  const rr = 3.2 + 0.6 * unit(hash3(rc.site, 4, 3));
  // Round discs; where two touch, a fine pale line keeps them apart.
  const cov = clamp01((rr - rc.near) / upp + 0.5) * (0.5 + 0.5 * clamp01(rc.border / 0.25));
  const centre = rc.near / rr;
  // Each cell its own depth of colour (thickness, angle in the section), mean as before.
  const depth = 0.8 + 0.4 * unit(hash3(rc.site, 5, 3));
  return cov * 0.85 * depth * (0.6 + 0.4 * Math.min(1, centre * centre * 1.8));
}
