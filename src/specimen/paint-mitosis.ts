import type { Buffers } from './paint-tissue';
import type { Cell } from './cells';
import type { Scene } from './scene';
import { ANAPHASE, METAPHASE, MULTIPOLAR, RING, TRIPOLAR } from './cells';
import { hash3, unit } from './hash';
import { clamp01 } from './coverage';
import type { Frame } from './paint-nucleus';
import { NUCLEAR_OD } from './paint-nucleus';
import { CYTOPLASM_E } from './paint-muscle';

/**
 * A mitotic figure as a dividing cell: the cell rounds up (14-27 µm across, its neighbours
 * pushed aside by the cell placer), its cytoplasm clears or turns glassy pink, a thin membrane
 * with a retraction gap outlines it, and inside lie its condensed chromosomes: dense bands with
 * hairy, ragged edges where the arms stick out. Metaphase is one plate seen edge-on (or a
 * thicker oblique clump), anaphase two plates moving apart, atypical forms tripolar or
 * multipolar plates with stray chromosomes, or a hollow ring. At 10x the whole is a small dark
 * cell in a pale halo; at every level the chromatin keeps its stain mass, so nothing aliases.
 */

/** Haematoxylin of condensed chromatin, relative to an average interphase nucleus's. */
const CHROMATIN_DARK = 3.2;
/** How much of a ring form stays closed: its course opens where a noise round it falls
 * below -RING_OPEN (about a quarter of it, in one or two gaps). */
const RING_OPEN = 0.2;
/** The retraction gap opens where a noise round the outline passes this (about a quarter of
 * it; round half of it, a pale ring framed each body as a stamped disc). */
const GAP_CLOSED = 0.3;
/** Chromosome arms along each edge of a plate, per µm of its length. */
const ARMS_PER_UM = 1.6;

export function paintMitosis(scene: Scene, b: Buffers, f: Frame, c: Cell): void {
  paintBody(scene, b, f, c);
  const h = c.h;
  const ax = c.angle;
  const plate = ax + Math.PI / 2;
  const r = (k: number): number => unit(hash3(h, k, 41));
  switch (c.form) {
    case METAPHASE: {
      // One in four is seen obliquely: a shorter, thicker clump.
      const oblique = (h & 3) === 0;
      const bow = (r(1) - 0.5) * 1.2;
      paintBand(scene, b, f, c.x, c.y, plate, oblique ? c.a * 0.7 : c.a, oblique ? c.b * 1.7 : c.b, bow, oblique ? 0.7 : 1, f.ki67, h);
      break;
    }
    case ANAPHASE: {
      // Two daughter plates apart along the spindle axis, their ends trailing towards the
      // equator (arms dragged behind the centromeres), seldom parallel or alike: each tilted
      // its own way and of its own length (two equal straight bars read as "=" signs).
      const sep = 2.6 + 1.6 * r(2);
      for (const side of [1, -1]) {
        const x = c.x + Math.cos(ax) * sep * side;
        const y = c.y + Math.sin(ax) * sep * side;
        const tilt = (r(5 + side) - 0.5) * 0.6;
        paintBand(scene, b, f, x, y, plate + tilt, c.a * (0.65 + 0.3 * r(8 + side)), c.b * 0.85, -(1 + 0.8 * r(11 + side)) * side, 0.9, f.ki67, hash3(h, side + 2, 43));
      }
      break;
    }
    case TRIPOLAR:
    case MULTIPOLAR: {
      // Plates radiating from the centre towards three or more poles, of unequal lengths.
      const arms = c.form === TRIPOLAR ? 3 : 4 + (h & 1);
      for (let k = 0; k < arms; k++) {
        const t = ax + (k * 2 * Math.PI) / arms + (r(10 + k) - 0.5) * 0.7;
        const len = c.a * (0.55 + 0.6 * r(20 + k));
        const x = c.x + Math.cos(t) * len * 0.55;
        const y = c.y + Math.sin(t) * len * 0.55;
        paintBand(scene, b, f, x, y, t, len * 0.6, c.b * (0.8 + 0.3 * r(30 + k)), (r(40 + k) - 0.5) * 1.2, 1, f.ki67, hash3(h, k, 47));
      }
      // Lagging and stray chromosomes between the plates and out towards the membrane.
      const strays = 2 + (h & 3) + (c.form === MULTIPOLAR ? 2 : 0);
      for (let k = 0; k < strays; k++) {
        const t = r(50 + k) * Math.PI * 2;
        const d = c.body * (0.35 + 0.4 * r(60 + k));
        paintBand(scene, b, f, c.x + Math.cos(t) * d, c.y + Math.sin(t) * d, r(70 + k) * Math.PI, 0.5 + 0.6 * r(80 + k), 0.35 + 0.15 * r(90 + k), 0, 0.3, f.ki67, hash3(h, k, 53));
      }
      break;
    }
    case RING:
      paintRing(scene, b, f, c);
      break;
  }
}

/**
 * The rounded-up cell: cleared (two in three) or glassy eosinophilic cytoplasm inside a thin
 * membrane, with a retraction gap round most of it. Nuclei already drawn keep their stain.
 */
function paintBody(scene: Scene, b: Buffers, f: Frame, c: Cell): void {
  const { upp } = f;
  const h = c.h;
  // Anaphase cells lengthen along the spindle; the others are round or nearly.
  const ra = c.body * (c.form === ANAPHASE ? 1.12 : 1);
  const rb = c.body * (c.form === ANAPHASE ? 0.86 : 0.88 + 0.12 * unit(hash3(h, 1, 45)));
  const cleared = unit(hash3(h, 2, 45)) < 0.67;
  // Cleared cytoplasm is pale and flocculent, not empty; glassy cytoplasm a little deeper and
  // smoother than the cells round it.
  // (Paler than the cells round it by about two fifths, not white: at 10x a white disc round a
  // dark dot reads as a target, not a cell.)
  // On SMA a dividing tumour cell is still a smooth-muscle cell, its actin about as strong as
  // its neighbours' (a pale or deep disc round each figure read as a stamped halo); its body's
  // eosin, which gates how much actin shows (compose), is kept near theirs.
  const inner = f.actin
    ? CYTOPLASM_E * (0.9 + 0.2 * unit(hash3(h, 3, 45)))
    : cleared
      ? 0.14 + 0.06 * unit(hash3(h, 3, 45))
      : 0.41 + 0.05 * unit(hash3(h, 3, 45));
  const texture = cleared ? 0.4 : 0.2;
  const actin = f.actin ? 0.95 : 1;
  const cs = Math.cos(c.angle);
  const sn = Math.sin(c.angle);
  const reach = ra * 1.15 + 1 + upp;
  const px0 = Math.max(0, Math.floor((c.x - reach - f.x0) / upp));
  const px1 = Math.min(f.w - 1, Math.floor((c.x + reach - f.x0) / upp));
  const py0 = Math.max(0, Math.floor((c.y - reach - f.y0) / upp));
  const py1 = Math.min(f.h - 1, Math.floor((c.y + reach - f.y0) / upp));
  if (px0 > px1 || py0 > py1) return;
  const tex = scene.tex;
  const ox = unit(hash3(h, 4, 45)) * 100;
  const oy = unit(hash3(h, 5, 45)) * 100;
  const fine = clamp01((0.9 - upp) / 0.5);
  // The body's own colour shows where the objective resolves it: fully at 40x and 20x (where a
  // dark mark without its cell read as a glyph), not at 10x, where a pale disc round a dark
  // mark read as a target, not a cell.
  const shown = clamp01((0.9 - upp) / 0.4);
  if (shown <= 0) return;
  // Widths (in units of the radius) of the membrane and of the retraction gap outside it, kept
  // at least a pixel wide in coverage terms by the antialiasing below.
  // (Soft over about a micrometre: a crisp outline drew each body as a pasted disc.)
  const soft = Math.max(1.5 * upp, 1.2) / rb;
  const mem = 0.45 / rb;
  const gap = 0.8 / rb;
  for (let py = py0; py <= py1; py++) {
    const dy = f.y0 + (py + 0.5) * upp - c.y;
    for (let px = px0; px <= px1; px++) {
      const dx = f.x0 + (px + 0.5) * upp - c.x;
      const u = (dx * cs + dy * sn) / ra;
      const v = (-dx * sn + dy * cs) / rb;
      let q = Math.sqrt(u * u + v * v);
      if (q > 1.2) continue;
      // An irregular outline, not a drawn circle.
      q *= 1 + 0.16 * tex.noise(u * 1.1 + ox, v * 1.1 + oy) + 0.08 * tex.noise(u * 2.4 + oy, v * 2.4 + ox);
      const i = py * b.size + px;
      const keep = 1 - clamp01(b.H[i]! * 4);
      if (keep <= 0) continue;
      const inside = clamp01((1 - q) / soft + 0.5);
      let e = b.E[i]!;
      let s = b.S[i]!;
      if (inside > 0) {
        const grain = fine > 0 ? 1 + fine * texture * tex.noise(dx * 1.3 + ox, dy * 1.3 + oy) : 1;
        // A trace of the fibrillar cytoplasm the cell rounded up from stays in its body (a
        // uniform fill drew a pasted disc).
        e += (inner * (0.7 * grain + (0.3 * e) / CYTOPLASM_E) - e) * inside;
        s += (s * actin - s) * inside;
      }
      // The membrane: a faint deeper line just inside the outline.
      e += 0.07 * fine * inside * clamp01(1 - Math.abs(q - 1 + mem) / Math.max(mem, soft));
      // A retraction gap along part of the outline, of varying width.
      const opening = tex.noise(Math.atan2(v, u) * 1.4 + ox, 3.3);
      if (opening > GAP_CLOSED && q > 1 - soft && q < 1 + gap + soft) {
        const g = clamp01(1 - Math.abs(q - 1 - gap * 0.5) / Math.max(gap * 0.5, soft)) * Math.min(1, (opening - GAP_CLOSED) * 3);
        e *= 1 - 0.75 * g;
        s *= 1 - 0.75 * g;
      }
      b.E[i] = b.E[i]! + (e - b.E[i]!) * keep * shown;
      b.S[i] = b.S[i]! + (s - b.S[i]!) * keep * shown;
    }
  }
}

/** Edge width (µm) of condensed chromatin: it softens with the pixel, as at 20x and 10x a crisp one-pixel band read as a drawn mark. */
function chromatinSoftness(upp: number): number {
  return Math.max(1.8 * upp - 0.15, 0.35);
}

/**
 * A band of condensed chromosomes centred at (cx, cy) along `angle`: half-length `half`,
 * half-thickness `w`, its ends bowed by `bow` µm, its edges ragged with arms where `hair` > 0.
 * Where a pixel is wider than the band, the band widens to it and thins its stain in step, so
 * its stain mass is the same at every level.
 */
function paintBand(scene: Scene, b: Buffers, f: Frame, cx: number, cy: number, angle: number, half: number, w: number, bow: number, hair: number, dab: boolean, seed: number): void {
  const { upp } = f;
  const fine = clamp01((0.9 - upp) / 0.5);
  const weff = Math.max(w, 0.6 * upp);
  const arms = hair * fine;
  const od = (NUCLEAR_OD * CHROMATIN_DARK * w) / weff;
  const hFrac = dab ? 0.25 : 1;
  const dFrac = dab ? 6 : 0;
  const cs = Math.cos(angle);
  const sn = Math.sin(angle);
  const reach = half + weff + 2.5 + Math.abs(bow) + upp;
  const px0 = Math.max(0, Math.floor((cx - reach - f.x0) / upp));
  const px1 = Math.min(f.w - 1, Math.floor((cx + reach - f.x0) / upp));
  const py0 = Math.max(0, Math.floor((cy - reach - f.y0) / upp));
  const py1 = Math.min(f.h - 1, Math.floor((cy + reach - f.y0) / upp));
  if (px0 > px1 || py0 > py1) return;
  const tex = scene.tex;
  const ox = unit(seed) * 200;
  const oy = unit(hash3(seed, 1, 49)) * 200;
  const soft = chromatinSoftness(upp);
  const inv = 1 / Math.max(half, 0.1);
  for (let py = py0; py <= py1; py++) {
    const dy = f.y0 + (py + 0.5) * upp - cy;
    for (let px = px0; px <= px1; px++) {
      const dx = f.x0 + (px + 0.5) * upp - cx;
      const s = dx * cs + dy * sn;
      const sr = s * inv;
      const t = -dx * sn + dy * cs - bow * sr * sr;
      const as = Math.abs(s);
      if (as > half + 2 + soft) continue;
      // Tapered ends.
      const taper = Math.sqrt(clamp01((half - as) / (1.2 * weff) + 0.35));
      // Each edge of the plate lumpy on its own (chromosomes bunch unevenly along it): with
      // straight parallel edges the bands read as printed bars and "=" signs at 20x.
      // (Gently: at 0.75 over 2.5 µm the edges zigzagged, a caterpillar at 20x.)
      const lump = 0.85 + 0.45 * tex.noise(s * 0.28 + ox, t > 0 ? 7.7 : 12.1);
      const core = weff * taper * (lump > 0.3 ? lump : 0.3);
      const at = Math.abs(t);
      let cov = clamp01((core - at) / soft + 0.5) * clamp01((half - as) / soft + 0.5);
      // Arms: single chromosome arms sticking out of both edges and the ends, each a short
      // rod tilted its own way (three candidates per pixel from a hashed row of them).
      if (arms > 0 && at > core * 0.5 && at < core + 2.4 && as < half + 1.6) {
        const side = t > 0 ? 1 : 2;
        const k0 = Math.floor(s * ARMS_PER_UM);
        for (let k = k0 - 1; k <= k0 + 1; k++) {
          const ha = hash3(seed, k, side);
          const base = (k + unit(ha)) / ARMS_PER_UM;
          if (Math.abs(base) > half + 0.6) continue;
          const len = (0.6 + 1.5 * unit(hash3(ha, 1, 0))) * arms * (0.5 + 0.5 * taper);
          const out = at - core * 0.6;
          if (out < 0 || out > len) continue;
          const tilt = (unit(hash3(ha, 2, 0)) - 0.5) * 1.3;
          const axisS = base + out * tilt;
          const rod = clamp01((0.3 - Math.abs(s - axisS)) / soft + 0.5) * clamp01((len - out) / soft + 0.5);
          if (rod > cov) cov = rod;
        }
      }
      // Chromatin in clumps, not an even fill.
      const clump = fine > 0 ? 1 + fine * 0.55 * tex.noise(s * 1.6 + oy, t * 1.6 + ox) : 1;
      const d = od * clump;
      const i = py * b.size + px;
      b.H[i] = b.H[i]! * (1 - cov) + d * hFrac * cov;
      b.D[i] = b.D[i]! * (1 - cov) + d * dFrac * cov;
      b.E[i] = b.E[i]! * (1 - 0.6 * cov) + 0.1 * cov;
      b.S[i] = b.S[i]! * (1 - 0.6 * cov);
    }
  }
}

/** An atypical ring form: chromosomes round a hollow centre, arms pointing out and in. */
function paintRing(scene: Scene, b: Buffers, f: Frame, c: Cell): void {
  const { upp } = f;
  const fine = clamp01((0.9 - upp) / 0.5);
  const r0 = c.a * 0.75;
  const w = c.b * 0.75;
  const weff = Math.max(w, 0.6 * upp);
  const arms = 1.2 * fine;
  const od = (NUCLEAR_OD * CHROMATIN_DARK * w) / weff;
  const hFrac = f.ki67 ? 0.25 : 1;
  const dFrac = f.ki67 ? 6 : 0;
  const reach = r0 + weff + arms + upp;
  const px0 = Math.max(0, Math.floor((c.x - reach - f.x0) / upp));
  const px1 = Math.min(f.w - 1, Math.floor((c.x + reach - f.x0) / upp));
  const py0 = Math.max(0, Math.floor((c.y - reach - f.y0) / upp));
  const py1 = Math.min(f.h - 1, Math.floor((c.y + reach - f.y0) / upp));
  if (px0 > px1 || py0 > py1) return;
  const tex = scene.tex;
  const ox = unit(hash3(c.h, 1, 51)) * 200;
  const oval = 0.1 + 0.15 * unit(hash3(c.h, 2, 51));
  const tilt = unit(hash3(c.h, 3, 51)) * Math.PI;
  const soft = chromatinSoftness(upp);
  for (let py = py0; py <= py1; py++) {
    const dy = f.y0 + (py + 0.5) * upp - c.y;
    for (let px = px0; px <= px1; px++) {
      const dx = f.x0 + (px + 0.5) * upp - c.x;
      const r = Math.sqrt(dx * dx + dy * dy);
      const th = Math.atan2(dy, dx);
      const arc = th * r0;
      // A lumpy, uneven ring: oval, its radius wandering, open on part of its course (an
      // unbroken round ring with even spikes read as a stamped glyph).
      const t = r - r0 * (1 + oval * Math.cos(2 * (th - tilt)) + 0.16 * tex.noise(Math.cos(th) * 1.2 + ox, Math.sin(th) * 1.2 + 3));
      let spike = 0;
      if (arms > 0) {
        const n = tex.noise(arc * 1.9 + ox, t > 0 ? 5.5 : 9.1);
        spike = n > 0 ? n * n * 2.2 * arms : 0;
      }
      // The ring thins and thickens round its course.
      const lump = tex.noise(Math.cos(th) * 1.8 + ox, Math.sin(th) * 1.8 + 11);
      const open = clamp01((tex.noise(Math.cos(th) * 0.9 + ox, Math.sin(th) * 0.9 + 23) + RING_OPEN) * 10);
      const thick = (weff * Math.max(0, 0.9 + 1.1 * lump) + spike) * open;
      const cov = clamp01((thick - Math.abs(t)) / soft + 0.5);
      if (cov <= 0) continue;
      const i = py * b.size + px;
      b.H[i] = b.H[i]! * (1 - cov) + od * hFrac * cov;
      b.D[i] = b.D[i]! * (1 - cov) + od * dFrac * cov;
      b.E[i] = b.E[i]! * (1 - 0.6 * cov) + 0.1 * cov;
      b.S[i] = b.S[i]! * (1 - 0.6 * cov);
    }
  }
}
