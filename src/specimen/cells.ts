import { hash3, unit } from './hash';
import type { Fascicle, Scene } from './scene';
import { GLASS, MARROW, NECROSIS, SOFT, TRABECULA, TUMOUR } from './scene';
import { MARROW_FAT_SALT, erythroidColony, fatCell, isFatVacuole, liningPlace } from './marrow';
import { siteCoord } from './tessellation';
import { CELL_GRID_UM, cellHash } from './grid';
import { COARSE, FINE, SMUDGED, VESICULAR } from './nucleus-style';
import { sweepAt } from './fibre-bend';
import { OBLIQUE_SHORTEN, OBLIQUE_WIDEN } from './fascicles';

/**
 * Cells on a jittered grid: one candidate per CELL_GRID_UM square, fully determined by the
 * scene's seed and the square's indices. The renderer draws these records; the ground truth
 * counts the same records, so what is counted is exactly what is drawn.
 */

export { CELL_GRID_UM } from './grid';
/** Largest distance a cell's drawing reaches from its centre (bizarre cells, mitotic cells). */
export const CELL_REACH_UM = 21;

export const NONE = 0;
export const SPINDLE = 1;
export const MITOSIS = 2;
export const GHOST = 3;
export const DEBRIS = 4;
export const FIBROBLAST = 5;
export const OSTEOCYTE = 6;
export const MARROW_CELL = 7;

export const METAPHASE = 0;
export const ANAPHASE = 1;
export const TRIPOLAR = 2;
export const MULTIPOLAR = 3;
export const RING = 4;
export const MITOSIS_FORMS = ['metaphase', 'anaphase', 'tripolar', 'multipolar', 'ring'] as const;
export type MitosisForm = (typeof MITOSIS_FORMS)[number];
export function isAtypicalForm(form: number): boolean {
  return form >= TRIPOLAR;
}

const TUMOUR_OCCUPANCY = 0.5;
/** Tumour cells per mm² of viable tumour, from the grid and its occupancy. */
export const TUMOUR_CELLS_PER_MM2 = (TUMOUR_OCCUPANCY * 1e6) / (CELL_GRID_UM * CELL_GRID_UM);

/** A mutable record, reused by callers so that rendering allocates nothing per cell. */
export interface Cell {
  kind: number;
  /** Centre in scene µm (with this section's jitter). */
  x: number;
  y: number;
  angle: number;
  /** Semi-axes of the nucleus, µm. */
  a: number;
  b: number;
  /** Haematoxylin density multiplier (hyperchromasia). */
  dark: number;
  /** A hash for per-cell details (outline wobble, chromatin, vacuoles). */
  h: number;
  /** Mitotic form when kind is MITOSIS. */
  form: number;
  /** Number of nuclei (bizarre multinucleated cells have 2–4). */
  lobes: number;
  /** Ki67 positivity for tumour nuclei. */
  ki67: boolean;
  /** Region at the cell's centre. */
  region: number;
  /** Radius (µm) of a cell drawn with its own body (mitoses, bizarre giants), else 0. */
  body: number;
  /** Nuclear style (paint-nucleus.ts): chromatin pattern, nucleolus radius µm, notch depth, lobulation. */
  chromatin: number;
  nucleolus: number;
  notch: number;
  lobe: number;
}

export function newCell(): Cell {
  return { kind: NONE, x: 0, y: 0, angle: 0, a: 0, b: 0, dark: 1, h: 0, form: 0, lobes: 1, ki67: false, region: GLASS, body: 0, chromatin: FINE, nucleolus: 0, notch: 0, lobe: 0 };
}

const SECTION_SALT: Record<string, number> = { he: 1, sma: 2, ki67: 3 };
export function sectionSalt(section: string): number {
  return SECTION_SALT[section] ?? 9;
}

/**
 * A cell's place in its grid square, before the section's jitter. Kept off the square's outer
 * margin so that neighbours do not crowd: tumour cells push each other apart.
 */
function baseX(i: number, h: number): number {
  return siteCoord(i, h, 1, CELL_GRID_UM);
}
function baseY(j: number, h: number): number {
  return siteCoord(j, h, 2, CELL_GRID_UM);
}

/**
 * Whether the tumour cell of grid square (i, j), hash h, at (x, y) is in mitosis, and which form.
 * Ki67 status and every other choice stay with the square's hashes, so callers agree.
 */
function mitoticForm(scene: Scene, h: number, x: number, y: number): number {
  const p = scene.mitosisDensity(x, y) / TUMOUR_CELLS_PER_MM2;
  if (unit(hash3(h, 8, 0)) >= p) return -1;
  const atypical = unit(hash3(h, 10, 0)) < scene.spec.mitoses.atypicalFraction;
  const f = unit(hash3(h, 11, 0));
  return atypical ? (f < 0.45 ? TRIPOLAR : f < 0.8 ? MULTIPOLAR : RING) : f < 0.65 ? METAPHASE : ANAPHASE;
}

/**
 * Radius (µm) of a mitotic cell's rounded body: a cell in mitosis rounds up to 14-20 µm across,
 * its plate 8-15 µm long inside; atypical forms are larger. Depends on the form and hash alone.
 */
export function mitoticBodyRadius(form: number, h: number): number {
  const r = unit(hash3(h, 30, 0));
  switch (form) {
    case METAPHASE:
      return 7 + 2.5 * r;
    case ANAPHASE:
      return 8 + 2 * r;
    case RING:
      return 9 + 2.5 * r;
    default:
      return 10 + 3.5 * r;
  }
}

/**
 * Bizarre giant cells: at most this share of tumour cells (where atypia is greatest). Drawn
 * from the same hash as mitoses, in a range of its own, so one hash rejects both at once.
 */
const GIANT_MAX = 0.003;
const GIANT_FROM = 0.5;

function isGiant(scene: Scene, h: number, x: number, y: number): boolean {
  const u = unit(hash3(h, 8, 0)) - GIANT_FROM;
  return u >= 0 && u < GIANT_MAX * scene.atypiaAt(x, y);
}

/** Radius (µm) of a bizarre giant cell's body: 22-32 µm across. */
export function giantBodyRadius(h: number): number {
  return 11 + 5 * unit(hash3(h, 31, 0));
}

/** Largest body radius (mitosis or giant), and the clearance kept between a body and a neighbour's centre. */
const MAX_BODY_UM = 16;
const BODY_CLEARANCE_UM = 2;

/**
 * The cell with a body of its own (a mitosis or a bizarre giant) that a tumour cell at (x, y)
 * lies too close to, as its centre and radius in `out` (returns false if none). A cell whose
 * centre falls inside such a body plus clearance is not there at all: the big cell has taken
 * its room. Decided from the grid's hashes and positions alone, so the ground truth (which
 * counts without shapes) and the renderer agree on which cells exist.
 */
function bodyNear(scene: Scene, i: number, j: number, salt: number, x: number, y: number, out: { x: number; y: number; r: number }): boolean {
  const seed = scene.spec.seed;
  const pMax = scene.maxMitosisDensity / TUMOUR_CELLS_PER_MM2;
  let best = Infinity;
  for (let dj = -2; dj <= 2; dj++) {
    for (let di = -2; di <= 2; di++) {
      if (di === 0 && dj === 0) continue;
      const h = cellHash(seed, i + di, j + dj, salt);
      // Cheap tests first: one hash rejects all but a percent or so of squares.
      const u8 = unit(hash3(h, 8, 0));
      if (u8 >= pMax && (u8 < GIANT_FROM || u8 >= GIANT_FROM + GIANT_MAX)) continue;
      if (unit(hash3(h, 3, 0)) >= TUMOUR_OCCUPANCY) continue;
      const mx = baseX(i + di, h);
      const my = baseY(j + dj, h);
      const d = Math.hypot(mx - x, my - y);
      if (d >= MAX_BODY_UM + BODY_CLEARANCE_UM + 4 || d >= best) continue;
      if (scene.regionAt(mx, my) !== TUMOUR || scene.inVessel(mx, my, 1.5)) continue;
      const form = mitoticForm(scene, h, mx, my);
      let r: number;
      if (form >= 0) r = mitoticBodyRadius(form, h);
      else if (isGiant(scene, h, mx, my)) r = giantBodyRadius(h);
      else continue;
      best = d;
      out.x = mx;
      out.y = my;
      out.r = r;
    }
  }
  return best < Infinity;
}

/**
 * Shortens or narrows a neighbour's nucleus (centre x, y) so it stops short of a big cell's
 * body (centre and radius in `m`): the dividing or giant cell pushes its neighbours aside.
 */
function stopShort(out: Cell, x: number, y: number, m: { x: number; y: number; r: number }): void {
  const gap = 0.6;
  const dx = m.x - x;
  const dy = m.y - y;
  const cs = Math.cos(out.angle);
  const sn = Math.sin(out.angle);
  const u = Math.abs(dx * cs + dy * sn);
  const v = Math.abs(-dx * sn + dy * cs);
  const R = m.r + gap;
  if (v >= R + out.b) return;
  if (v < R) out.a = Math.max(1.2, Math.min(out.a, u - Math.sqrt(R * R - v * v)));
  else out.b = Math.max(0.85, v - R);
  out.b = Math.min(out.b, out.a);
}

/** Whether the fascicle at (dx, dy) from a nucleus runs over 30° from it. */
function foreignAt(scene: Scene, out: Cell, dx: number, dy: number): boolean {
  const probe = scene.scratch.probe;
  scene.fascicle(out.x + dx, out.y + dy, probe);
  return Math.abs(Math.sin(probe.angle - out.angle)) > 0.5;
}

/**
 * Shortens a nucleus that would reach across its fascicle's border: there the next fascicle's
 * cells run at another angle, and the two nuclei would cross in an L or T that no section
 * shows (each lies in its own cell). Each end is probed on the fascicle field itself (the
 * border's distance is only approximate in the field's warped domain); where an end lies in a
 * fascicle running over 30° apart, the half-length is cut back to where the nucleus's own
 * fascicle ends (both ends alike, so the nucleus keeps its centre and ground truth its place).
 */
function stopAtBorder(scene: Scene, out: Cell): void {
  const c = Math.cos(out.angle);
  const s = Math.sin(out.angle);
  let reach = out.a;
  for (let end = -1; end <= 1; end += 2) {
    if (!foreignAt(scene, out, end * c * reach, end * s * reach)) continue;
    let lo = 0;
    let hi = reach;
    for (let k = 0; k < 4; k++) {
      const mid = (lo + hi) * 0.5;
      if (foreignAt(scene, out, end * c * mid, end * s * mid)) hi = mid;
      else lo = mid;
    }
    reach = lo;
  }
  if (reach >= out.a) return;
  // Never longer than it was (a nucleus already short stays so).
  out.a = Math.min(out.a, Math.max(MIN_HALF_LENGTH, reach - 0.5));
  out.b = Math.min(out.b, out.a * 0.85);
}

/** Semi-axis of an average neighbour's nucleus across its length, µm. */
const NEIGHBOUR_HALF_WIDTH = 1.7;
const MIN_HALF_LENGTH = 2.4;
/** Mean share of a nucleus's area that `makeRoom` keeps (measured over the tumour). */
const ROOM_AREA = 0.83;

/**
 * Shortens (or narrows) a nucleus so it stops short of its neighbours' — in a section nuclei
 * lie in separate cells and rarely overlap. Each of two neighbours gives up half the gap, so
 * the result is symmetric and decided by hashes alone (both tiles agree). Only the drawn shape
 * changes, never a position, so the ground truth is unaffected.
 */
function makeRoom(seed: number, salt: number, i: number, j: number, x: number, y: number, out: Cell): void {
  const cs = Math.cos(out.angle);
  const sn = Math.sin(out.angle);
  let a = out.a;
  let b = out.b;
  for (let dj = -2; dj <= 2; dj++) {
    for (let di = -2; di <= 2; di++) {
      if (di === 0 && dj === 0) continue;
      const h = cellHash(seed, i + di, j + dj, salt);
      if (unit(hash3(h, 3, 0)) >= TUMOUR_OCCUPANCY) continue;
      const dx = baseX(i + di, h) - x;
      const dy = baseY(j + dj, h) - y;
      const u = Math.abs(dx * cs + dy * sn);
      const v = Math.abs(-dx * sn + dy * cs);
      if (v >= b + NEIGHBOUR_HALF_WIDTH + 0.3 || u >= a + 12) continue;
      // Give up whichever costs the smaller share: length (end to end) or width (side by side).
      const na = Math.max(MIN_HALF_LENGTH, u * 0.5 - 0.1);
      const nb = Math.max(0.85, v * 0.5 - 0.1);
      if (na >= a || nb >= b) continue;
      if (na / a > nb / b) a = na;
      else b = nb;
    }
  }
  // Never a needle: a nucleus squeezed thin is also shorter (a cigar stays within 1:6).
  out.a = Math.min(a, b * 6);
  out.b = Math.min(b, out.a * 0.85);
}

/** An approximately standard normal number from three hashes of h (Irwin-Hall, scaled). */
function normalish(h: number, k: number): number {
  return (unit(hash3(h, k, 1)) + unit(hash3(h, k, 2)) + unit(hash3(h, k, 3)) - 1.5) * 2;
}

/**
 * A tumour nucleus's size, shape and chromatin where atypia is `atypia` (0-1, Scene.atypiaAt).
 * Blunt cigars of 12-20 µm where it is low; where it is marked, sizes spread log-normally (the
 * area of one nucleus three to five times another's), nuclei plump up, darken unevenly, clump
 * or smudge their chromatin, notch and lobulate, and some show a macronucleolus.
 */
function pleomorphicNucleus(out: Cell, h: number, atypia: number, transverse: boolean, oblique: number): void {
  const r1 = unit(hash3(h, 4, 0));
  const r2 = unit(hash3(h, 5, 0));
  const size = Math.exp((0.08 + 0.34 * atypia) * normalish(h, 17));
  const plump = 1 + 0.6 * atypia * unit(hash3(h, 18, 0));
  if (transverse) {
    // Cut across: the cigar is seen end-on as a round profile.
    out.a = (2.2 + 1.0 * r1) * size * plump;
    out.b = out.a * (0.8 + 0.15 * r2);
  } else {
    out.a = (6.5 + 3.5 * r1) * size;
    out.b = Math.min(out.a * 0.8, (1.3 + 0.45 * unit(hash3(h, 13, 0))) * size * plump);
    // Cut obliquely, the cigar is foreshortened into a shorter, plumper oval.
    if (oblique > 0) {
      out.a *= 1 - OBLIQUE_SHORTEN * oblique;
      out.b = Math.min(out.a * 0.85, out.b * (1 + OBLIQUE_WIDEN * oblique));
    }
  }
  const style = unit(hash3(h, 19, 0));
  out.chromatin = style < 0.1 * atypia ? SMUDGED : style < 0.16 * atypia ? VESICULAR : style < 0.75 * atypia ? COARSE : FINE;
  out.dark = 0.8 + 0.3 * unit(hash3(h, 14, 0)) + atypia * 0.9 * unit(hash3(h, 20, 0)) + (out.chromatin === SMUDGED ? 0.5 : 0);
  out.nucleolus = out.chromatin === VESICULAR || unit(hash3(h, 21, 0)) < 0.1 * atypia ? 0.7 + 0.7 * unit(hash3(h, 22, 0)) : 0;
  out.notch = unit(hash3(h, 23, 0)) < 0.35 * atypia ? 0.25 + 0.3 * unit(hash3(h, 24, 0)) : 0;
  out.lobe = unit(hash3(h, 25, 0)) < 0.25 * atypia ? 0.08 + 0.12 * unit(hash3(h, 26, 0)) : 0;
}

/**
 * A bizarre giant: its own body of dense pink cytoplasm 22-32 µm across, and one huge lobulated
 * nucleus or two to four unequal ones, smudged or coarse, with macronucleoli.
 */
function giantCell(out: Cell, h: number): void {
  const r1 = unit(hash3(h, 4, 0));
  const r2 = unit(hash3(h, 5, 0));
  out.body = giantBodyRadius(h);
  out.lobes = r1 < 0.5 ? 1 : 2 + Math.floor(unit(hash3(h, 15, 0)) * 3);
  const k = out.lobes === 1 ? 1 : 0.62;
  out.a = (8 + 5 * r2) * k;
  out.b = out.a * (0.55 + 0.3 * unit(hash3(h, 16, 0)));
  out.dark = 1.5 + 0.6 * unit(hash3(h, 14, 0));
  out.chromatin = unit(hash3(h, 19, 0)) < 0.5 ? SMUDGED : COARSE;
  out.nucleolus = 1 + 0.8 * unit(hash3(h, 22, 0));
  out.notch = 0.2 + 0.3 * unit(hash3(h, 24, 0));
  out.lobe = 0.14 + 0.12 * unit(hash3(h, 26, 0));
}

/** Nuclear debris gathers in clumps round points this far apart (µm), each pulling the debris
 * nearest it in by a share of its distance, up to DEBRIS_PULL_MAX (drawn within reach). */
const DEBRIS_CLUMP_UM = 30;
const DEBRIS_PULL_MAX = 0.5;

/**
 * Pulls a fragment of debris towards the nearest clump point, if it stays in the necrosis:
 * the dust of dead cells (and of the neutrophils that came to them) drifts together into
 * clumps, not lying as evenly as the cells once did, which read as pepper to a blind reader.
 */
function clumpDebris(scene: Scene, out: Cell): void {
  const g = DEBRIS_CLUMP_UM;
  const ci = Math.round(out.x / g);
  const cj = Math.round(out.y / g);
  const h = hash3(ci, cj, scene.spec.seed + 0xdeb);
  // (Jittered by most of the spacing: clumps on a visible lattice would be a tell of their own.)
  const cx = (ci + 0.9 * (unit(hash3(h, 1, 0)) - 0.5)) * g;
  const cy = (cj + 0.9 * (unit(hash3(h, 2, 0)) - 0.5)) * g;
  // Some clumps tight, some loose.
  const pull = DEBRIS_PULL_MAX * (0.3 + 0.7 * unit(hash3(h, 3, 0)));
  const x = out.x + (cx - out.x) * pull;
  const y = out.y + (cy - out.y) * pull;
  if (scene.regionAt(x, y) !== NECROSIS) return;
  out.x = x;
  out.y = y;
}

/**
 * Fills `out` with the cell of grid square (i, j) as cut in the scene's section; returns its kind.
 * `fas` is scratch space; `pointUpp` the pixel size (µm) when drawing, below which a nucleus is
 * a point. Serial sections cut the same cell in a square or another one (cellHash); a cell cut
 * again differs only by a sub-micrometre jitter.
 */
export function cellAt(scene: Scene, i: number, j: number, out: Cell, fas: Fascicle, shape = true, pointUpp = 0): number {
  const salt = scene.sectionSalt;
  const h = cellHash(scene.spec.seed, i, j, salt);
  const bx = baseX(i, h);
  const by = baseY(j, h);
  const jit = scene.spec.sectionJitterUm;
  out.x = bx + jit * (unit(hash3(h, 6, salt)) - 0.5);
  out.y = by + jit * (unit(hash3(h, 7, salt)) - 0.5);
  // Region where the nucleus is drawn on this section, so truth and pixels agree exactly at
  // borders (serial sections may differ there by a cell, as real ones do).
  let region = scene.regionAt(out.x, out.y);
  if (region !== GLASS && region !== TRABECULA && region !== NECROSIS && scene.inVessel(bx, by, 1.5)) region = GLASS;
  out.region = region;
  out.h = h;
  out.kind = NONE;
  out.lobes = 1;
  out.form = 0;
  out.ki67 = false;
  out.dark = 1;
  out.body = 0;
  out.chromatin = FINE;
  out.nucleolus = 0;
  out.notch = 0;
  out.lobe = 0;
  const occ = unit(hash3(h, 3, 0));
  const r1 = unit(hash3(h, 4, 0));
  const r2 = unit(hash3(h, 5, 0));
  switch (region) {
    case TUMOUR: {
      if (occ >= TUMOUR_OCCUPANCY) return NONE;
      // Counting needs kinds, not shapes: skip the fascicle field when only counting.
      if (shape) scene.fascicle(bx, by, fas, true);
      else {
        fas.transverse = false;
        fas.oblique = 0;
      }
      out.angle = fas.angle + (r1 - 0.5) * 0.35 + (shape && !fas.transverse ? sweepAt(fas, bx, by) : 0);
      out.ki67 = unit(hash3(h, 9, 0)) < scene.spec.ki67PositiveFraction;
      const form = mitoticForm(scene, h, bx, by);
      if (form >= 0) {
        out.kind = MITOSIS;
        out.ki67 = true; // cycling cells are Ki67 positive in every phase
        out.form = form;
        // Half-length and half-thickness of the chromosome plate(s); the cell's rounded body.
        out.a = 4 + 3.5 * r2;
        out.b = 1.4 + 0.6 * unit(hash3(h, 13, 0));
        out.body = mitoticBodyRadius(form, h);
        out.dark = 3.8;
        return (out.kind = MITOSIS);
      }
      const near = scene.scratch.body;
      const nearBody = bodyNear(scene, i, j, salt, bx, by, near);
      if (nearBody && Math.hypot(near.x - bx, near.y - by) < near.r + BODY_CLEARANCE_UM) return NONE;
      if (isGiant(scene, h, bx, by)) {
        giantCell(out, h);
        return (out.kind = SPINDLE);
      }
      pleomorphicNucleus(out, h, scene.atypiaAt(bx, by), fas.transverse, shape ? fas.oblique : 0);
      // A nucleus drawn as a point (under a pixel across) needs only its mean area, not its room.
      if (shape && out.b * 2 >= pointUpp * 1.2) makeRoom(scene.spec.seed, salt, i, j, bx, by, out);
      else if (shape) out.a *= ROOM_AREA;
      if (shape && nearBody) stopShort(out, bx, by, near);
      if (shape && fas.edge < 2 * out.a + 4) stopAtBorder(scene, out);
      return (out.kind = SPINDLE);
    }
    case NECROSIS: {
      if (occ >= 0.55) return NONE;
      scene.fascicle(bx, by, fas);
      out.angle = fas.angle + (r1 - 0.5) * 0.6 + (fas.transverse ? 0 : sweepAt(fas, bx, by));
      // Dead cells keep their place in the ghost fascicles; their nuclei fade (ghosts) or
      // shrink and break up (pyknosis, karyorrhexis), mostly near the border and in drifts.
      if (r2 < scene.debrisShare(bx, by)) {
        out.kind = DEBRIS;
        const f = unit(hash3(h, 16, 0));
        out.lobes = f < 0.3 ? 1 : 2 + Math.floor(f * 7);
        out.a = out.lobes === 1 ? 0.9 + 1.1 * r1 : 0.3 + 0.6 * r1;
        out.b = out.a * 0.85;
        out.dark = 2.1;
        clumpDebris(scene, out);
      } else {
        out.kind = GHOST;
        out.a = 4.5 + 3 * r1;
        out.b = 1.5 + 0.6 * r2;
        out.dark = 0.22;
      }
      return out.kind;
    }
    case SOFT: {
      if (occ >= 0.12 || scene.inFatLobule(out.x, out.y)) return NONE;
      out.angle = 0.5 * scene.shape.noise(bx / 300, by / 300) + 1.3;
      out.a = 4 + 3 * r1;
      out.b = 0.9 + 0.3 * r2;
      out.dark = 1.2;
      return (out.kind = FIBROBLAST);
    }
    case TRABECULA: {
      if (occ >= 0.07) return NONE;
      out.angle = r1 * Math.PI;
      out.a = 2.8 + r2;
      out.b = 1.35;
      out.dark = 1.4;
      return (out.kind = OSTEOCYTE);
    }
    case MARROW: {
      if (occ >= 0.9) return NONE;
      // Bone-lining cells: flat nuclei lying along the trabecular surface.
      // (Asked at the cell's drawn centre, where its region was just decided: the field is cached.)
      const lining = liningPlace(scene, out.x, out.y);
      if (lining !== undefined) {
        if (occ >= 0.55) return NONE;
        out.x = lining.x;
        out.y = lining.y;
        out.angle = lining.angle;
        out.a = 3.5 + 2 * r1;
        out.b = 0.75 + 0.2 * r2;
        out.dark = 1.4;
        out.form = 2;
        return (out.kind = MARROW_CELL);
      }
      // Fat vacuoles are empty; the spaces between them are packed with blood-forming cells.
      if (isFatVacuole(scene, fatCell(scene, bx, by, scene.scratch.cellMarrowFat, MARROW_FAT_SALT))) return NONE;
      out.angle = r1 * Math.PI;
      const t = unit(hash3(h, 20, 0));
      if (t < 0.012) {
        // Megakaryocyte: a giant with a lobulated nucleus.
        out.a = 6.5 + 2 * r2;
        out.b = out.a * 0.8;
        out.dark = 1.25;
        out.lobes = 3 + Math.floor(r1 * 3);
      } else if (t < (erythroidColony(scene, bx, by) > 0 ? 0.75 : 0.2)) {
        // Normoblast: a small round ink-dark nucleus.
        out.a = 1.6 + 0.5 * r2;
        out.b = out.a * 0.92;
        out.dark = 2.4;
        out.form = 1;
      } else {
        // Myeloid precursor: a paler oval or indented nucleus.
        out.a = 2.7 + r2;
        out.b = out.a * (0.65 + 0.25 * r1);
        out.dark = 0.95;
      }
      return (out.kind = MARROW_CELL);
    }
    default:
      return NONE;
  }
}
