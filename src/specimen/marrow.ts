import type { Scene } from './scene';
import { hash3, unit } from './hash';
import type { Tessellation } from './tessellation';

/**
 * Fat and marrow as packed cells: a Voronoi tessellation whose cells are adipocytes (an empty
 * vacuole inside a thin membrane) or, in marrow, haematopoietic spaces filled with blood-forming
 * cells. The tissue painter and the cell placer ask the same questions here, so a marrow cell is
 * never drawn inside a fat vacuole.
 */

/** Mean adipocyte diameter in marrow and in paravertebral fat, µm. */
export const MARROW_FAT_UM = 55;
export const SOFT_FAT_UM = 70;
/** Salts of the two tessellations: painter and cell placer must use the same ones. */
export const MARROW_FAT_SALT = 0xfa6;
export const SOFT_FAT_SALT = 0xfa7;

/**
 * The fat cell (or marrow space) at point (x, y): fills and returns `t`. The domain is warped a
 * little so membranes bow instead of running ruler-straight between corners.
 */
export function fatCell(scene: Scene, x: number, y: number, t: Tessellation, salt: number): Tessellation {
  const wx = x + 0.09 * t.cell * scene.tex.noise(x / 24 + 3, y / 24);
  const wy = y + 0.09 * t.cell * scene.tex.noise(x / 24, y / 24 + 5);
  return t.nearest(wx, wy, salt);
}

/**
 * Haematopoietic cellularity around a point, 0 (all fat) to 1 (packed): marrow of an adult
 * vertebra, about half fat, with richer and poorer territories.
 */
export function marrowCellularity(scene: Scene, x: number, y: number): number {
  const c = 0.5 + 0.9 * scene.shape.noise(x / 160 + 9, y / 160);
  return c < 0.05 ? 0.05 : c > 0.95 ? 0.95 : c;
}

/**
 * Whether a marrow tessellation cell is a fat vacuole (else it is haematopoietic space).
 * Neighbouring pixels nearly always ask about the same cell, so the last answer is kept (a pure
 * cache keyed by the cell's site, per scene: the answer never depends on the order of questions).
 */
export function isFatVacuole(scene: Scene, t: Tessellation): boolean {
  const last = scene.scratch.fat;
  if (t.site !== last.site || t.sx !== last.sx) {
    last.site = t.site;
    last.sx = t.sx;
    last.fat = unit(hash3(t.site, 9, 0)) >= marrowCellularity(scene, t.sx, t.sy);
  }
  return last.fat;
}

/** Erythroid colonies: clusters of small dark normoblasts, above zero here. */
export function erythroidColony(scene: Scene, x: number, y: number): number {
  return scene.tex.noise(x / 18 + 60, y / 18) - 0.1;
}

/** Where a bone surface is within this many µm of a marrow cell's place, the cell lines it. */
const LINING_REACH_UM = 6;

/**
 * A bone-lining cell's place: the candidate point moved onto the nearest trabecular surface
 * (1 µm off it, on the marrow side) and turned to lie along it; undefined away from bone. The
 * record is shared: read it before the next call.
 */
export function liningPlace(scene: Scene, x: number, y: number): { x: number; y: number; angle: number } | undefined {
  const t = scene.trabecularField(x, y);
  const a = Math.abs(t);
  // Bone is where |t| < its half-width (Scene.regionAt); the field changes by ~0.003 per µm.
  const hw = scene.trabecularHalfWidth(x, y);
  if (a > hw + 0.005 * LINING_REACH_UM) return undefined;
  const gx = Math.abs(scene.trabecularField(x + 0.5, y)) - Math.abs(scene.trabecularField(x - 0.5, y));
  const gy = Math.abs(scene.trabecularField(x, y + 0.5)) - Math.abs(scene.trabecularField(x, y - 0.5));
  const g = Math.sqrt(gx * gx + gy * gy);
  if (g < 1e-6) return undefined;
  const dist = (a - hw) / g;
  if (dist < 0 || dist > LINING_REACH_UM) return undefined;
  const move = dist - 1;
  const liningOut = scene.scratch.lining;
  liningOut.x = x - (gx / g) * move;
  liningOut.y = y - (gy / g) * move;
  liningOut.angle = Math.atan2(gy, gx) + Math.PI / 2;
  return liningOut;
}
