import type { Scene } from './scene';
import { hash3, unit } from './hash';

/**
 * Fat and marrow as packed cells: a Voronoi tessellation whose cells are adipocytes (an empty
 * vacuole inside a thin membrane) or, in marrow, haematopoietic spaces filled with blood-forming
 * cells. The tissue painter and the cell placer ask the same questions here, so a marrow cell is
 * never drawn inside a fat vacuole.
 */

/** Mean adipocyte diameter in marrow and in paravertebral fat, µm. */
export const MARROW_FAT_UM = 55;
export const SOFT_FAT_UM = 70;

/** The nearest tessellation cell of a point: its site, its hash, and the distance to its border (µm). */
export interface FatSample {
  site: number;
  sx: number;
  sy: number;
  border: number;
}

export function newFatSample(): FatSample {
  return { site: 0, sx: 0, sy: 0, border: 0 };
}

/**
 * Fills `out` for point (x, y) in a tessellation of `cell`-µm cells. The domain is warped a
 * little so membranes bow instead of running ruler-straight between corners.
 */
export function fatCell(scene: Scene, x0: number, y0: number, cell: number, salt: number, out: FatSample): FatSample {
  const x = x0 + 0.09 * cell * scene.tex.noise(x0 / 24 + 3, y0 / 24);
  const y = y0 + 0.09 * cell * scene.tex.noise(x0 / 24, y0 / 24 + 5);
  const gi = Math.floor(x / cell);
  const gj = Math.floor(y / cell);
  const sites = neighbourhood(gi, gj, cell, salt);
  // Squared distances while searching; one square root each for the nearest two at the end.
  let d1 = Infinity;
  let d2 = Infinity;
  let best = 0;
  for (let k = 0; k < 27; k += 3) {
    const dx = x - sites[k]!;
    const dy = y - sites[k + 1]!;
    const d = dx * dx + dy * dy;
    if (d < d1) {
      d2 = d1;
      d1 = d;
      best = k;
    } else if (d < d2) d2 = d;
  }
  out.sx = sites[best]!;
  out.sy = sites[best + 1]!;
  out.site = sites[best + 2]!;
  out.border = (Math.sqrt(d2) - Math.sqrt(d1)) * 0.5;
  return out;
}

/**
 * The nine sites (x, y, hash) around tessellation square (gi, gj). Pixels along a row stay in
 * one square for a dozen pixels or more, so the last neighbourhood is kept — a pure cache,
 * keyed by every input.
 */
const siteCache = new Float64Array(27);
let keyI = NaN;
let keyJ = NaN;
let keyCell = NaN;
let keySalt = NaN;
function neighbourhood(gi: number, gj: number, cell: number, salt: number): Float64Array {
  if (keyI === gi && keyJ === gj && keyCell === cell && keySalt === salt) return siteCache;
  let k = 0;
  for (let j = gj - 1; j <= gj + 1; j++) {
    for (let i = gi - 1; i <= gi + 1; i++, k += 3) {
      const h = hash3(i, j, salt);
      siteCache[k] = (i + 0.15 + 0.7 * unit(h)) * cell;
      // A second uniform from the same hash: one hash per site, not two.
      siteCache[k + 1] = (j + 0.15 + 0.7 * unit(Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0)) * cell;
      siteCache[k + 2] = h;
    }
  }
  keyI = gi;
  keyJ = gj;
  keyCell = cell;
  keySalt = salt;
  return siteCache;
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
 * cache keyed by the cell's site: the answer never depends on the order of questions).
 */
let lastSite = -1;
let lastSx = NaN;
let lastScene: Scene | undefined;
let lastFat = false;
export function isFatVacuole(scene: Scene, s: FatSample): boolean {
  if (s.site !== lastSite || s.sx !== lastSx || scene !== lastScene) {
    lastSite = s.site;
    lastSx = s.sx;
    lastScene = scene;
    lastFat = unit(hash3(s.site, 9, 0)) >= marrowCellularity(scene, s.sx, s.sy);
  }
  return lastFat;
}

/** Erythroid colonies: clusters of small dark normoblasts, above zero here. */
export function erythroidColony(scene: Scene, x: number, y: number): number {
  return scene.tex.noise(x / 18 + 60, y / 18) - 0.1;
}

/** Where a bone surface is within this many µm of a marrow cell's place, the cell lines it. */
const LINING_REACH_UM = 6;
const liningOut = { x: 0, y: 0, angle: 0 };

/**
 * A bone-lining cell's place: the candidate point moved onto the nearest trabecular surface
 * (1 µm off it, on the marrow side) and turned to lie along it; undefined away from bone.
 */
export function liningPlace(scene: Scene, x: number, y: number): { x: number; y: number; angle: number } | undefined {
  const t = scene.trabecularField(x, y);
  const a = Math.abs(t);
  // Bone is where |t| < 0.085 (Scene.regionAt); the field changes by ~0.003 per µm.
  if (a > 0.085 + 0.005 * LINING_REACH_UM) return undefined;
  const gx = Math.abs(scene.trabecularField(x + 0.5, y)) - Math.abs(scene.trabecularField(x - 0.5, y));
  const gy = Math.abs(scene.trabecularField(x, y + 0.5)) - Math.abs(scene.trabecularField(x, y - 0.5));
  const g = Math.sqrt(gx * gx + gy * gy);
  if (g < 1e-6) return undefined;
  const dist = (a - 0.085) / g;
  if (dist < 0 || dist > LINING_REACH_UM) return undefined;
  const move = dist - 1;
  liningOut.x = x - (gx / g) * move;
  liningOut.y = y - (gy / g) * move;
  liningOut.angle = Math.atan2(gy, gx) + Math.PI / 2;
  return liningOut;
}
