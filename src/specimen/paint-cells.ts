import type { Buffers } from './paint-tissue';
import type { Cell } from './cells';
import type { Scene } from './scene';
import { ANAPHASE, DEBRIS, FIBROBLAST, GHOST, MARROW_CELL, METAPHASE, MITOSIS, MULTIPOLAR, OSTEOCYTE, RING, SPINDLE, TRIPOLAR } from './cells';
import { hash3, unit } from './hash';
import { clamp01 } from './coverage';
import { VESSEL_GRID_UM } from './scene';
import { bloodEosin } from './blood';

/**
 * Splats cells and vessels into the stain buffers. Everything is positioned in scene µm, so a
 * cell that straddles two tiles is drawn identically in both halves.
 */

/** Tile frame: origin (µm), µm per pixel, and the drawable size. */
export interface Frame {
  x0: number;
  y0: number;
  upp: number;
  w: number;
  h: number;
  /** Which stain's nuclei carry DAB (Ki67) — decided per section. */
  ki67: boolean;
}

/** Haematoxylin amount (OD) of an average nucleus: calibrated against the reference H&E scan. */
const NUCLEAR_OD = 0.36;

/**
 * A sub-pixel nucleus, deposited as area-weighted stain mass over the pixels it falls into,
 * so that mean colour is kept across pyramid levels.
 */
function depositPoint(b: Buffers, f: Frame, x: number, y: number, massH: number, massD: number, areaUm2: number): void {
  const fx = (x - f.x0) / f.upp - 0.5;
  const fy = (y - f.y0) / f.upp - 0.5;
  const ix = Math.floor(fx);
  const iy = Math.floor(fy);
  const ax = fx - ix;
  const ay = fy - iy;
  const area = f.upp * f.upp;
  for (let k = 0; k < 4; k++) {
    const px = ix + (k & 1);
    const py = iy + (k >> 1);
    if (px < 0 || py < 0 || px >= f.w || py >= f.h) continue;
    const wgt = ((k & 1) ? ax : 1 - ax) * ((k >> 1) ? ay : 1 - ay);
    const i = py * b.size + px;
    b.H[i] = b.H[i]! + (massH * wgt) / area;
    b.D[i] = b.D[i]! + (massD * wgt) / area;
    // The share of the pixel the nucleus covers holds no actin and less eosin, as drawn larger.
    const cov = Math.min(1, (areaUm2 * wgt) / area);
    b.S[i] = b.S[i]! * (1 - 0.6 * cov);
    b.E[i] = b.E[i]! * (1 - 0.45 * cov) + 0.08 * cov;
  }
}

/**
 * An irregular blunt-ended nucleus (superellipse with a noisy outline and chromatin texture).
 * `dark` scales haematoxylin; for a Ki67-positive nucleus most of it is DAB instead.
 */
function paintNucleus(scene: Scene, b: Buffers, f: Frame, cx: number, cy: number, angle: number, a: number, bb: number, dark: number, dab: boolean, seed: number, irregular: number, bumps = 0.32): void {
  const { upp } = f;
  const hFrac = dab ? 0.2 : 1;
  // Ki67 staining strength varies from nucleus to nucleus (weak, moderate, strong).
  const dFrac = dab ? 3.2 + 3 * unit(hash3(seed, 5, 1)) : 0;
  if (bb * 2 < upp * 1.2) {
    // Effective stain mass of a small dark nucleus; 0.8 compensates Beer–Lambert's nonlinearity.
    const mass = Math.PI * a * bb * NUCLEAR_OD * dark * 0.8;
    depositPoint(b, f, cx, cy, mass * hFrac, mass * dFrac, Math.PI * a * bb);
    return;
  }
  const cs = Math.cos(angle);
  const sn = Math.sin(angle);
  const reach = a * 1.25 + upp;
  const px0 = Math.max(0, Math.floor((cx - reach - f.x0) / upp));
  const px1 = Math.min(f.w - 1, Math.floor((cx + reach - f.x0) / upp));
  const py0 = Math.max(0, Math.floor((cy - reach - f.y0) / upp));
  const py1 = Math.min(f.h - 1, Math.floor((cy + reach - f.y0) / upp));
  if (px0 > px1 || py0 > py1) return;
  const tex = scene.tex;
  const ox = unit(seed) * 200;
  const oy = unit(hash3(seed, 1, 1)) * 200;
  // Edge width: anti-aliased at every zoom, and never sharper than a real objective's depth of
  // field renders a nuclear membrane (about 0.45 µm).
  const sharp = Math.min(bb / (2 * upp), bb / 0.9);
  const fine = clamp01(1.6 - upp * 1.6);
  const pale = 0.85 + 0.3 * unit(hash3(seed, 2, 1));
  // Chromatin differs from nucleus to nucleus: fine or coarse grains, evenly spread or clumped.
  const grain = 1.2 + 1.1 * unit(hash3(seed, 6, 1));
  const clump = 0.6 + 0.9 * unit(hash3(seed, 7, 1));
  const base = NUCLEAR_OD * dark * pale;
  // Prominent nucleoli in atypical nuclei: a dark dot off-centre.
  const nucleolus = dark > 1.15 && bb > 1.5 ? 1 : 0;
  const nx = (unit(hash3(seed, 3, 1)) - 0.5) * a * 0.6;
  const ny = (unit(hash3(seed, 4, 1)) - 0.5) * bb * 0.6;
  const ia = 1 / a;
  const ib = 1 / bb;
  // Beyond this the outline's wobble cannot reach (its noise stays within ±1).
  const qMax = Math.min(2.2, (1 + 0.25 / sharp) / Math.max(0.1, 1 - irregular));
  // Membrane: a band this thick (in units of q near the edge, q ≈ 1 − 2·depth/b).
  const rimQ = 1 - (2 * 0.32) / bb;
  for (let py = py0; py <= py1; py++) {
    const Y = f.y0 + (py + 0.5) * upp;
    const dy = Y - cy;
    for (let px = px0; px <= px1; px++) {
      const X = f.x0 + (px + 0.5) * upp;
      const dx = X - cx;
      const u = (dx * cs + dy * sn) * ia;
      const v = (-dx * sn + dy * cs) * ib;
      const uu = u * u;
      let q = uu * uu * 0.55 + uu * 0.45 + v * v;
      if (q > qMax) continue;
      // Outline: smooth with a few shallow dents and bulges, not crumpled.
      const n1 = tex.noise(dx * bumps + ox, dy * bumps + oy);
      q *= 1 + irregular * n1;
      const cov = clamp01((1 - q) * sharp * 2 + 0.5);
      if (cov <= 0) continue;
      let d = base;
      if (fine > 0) {
        // Chromatin: granules clumping into darker flecks, and a crisp darker membrane; roughly
        // mean-preserving, so coarser levels (which draw none of it) keep the same colour.
        const g = tex.noise(dx * grain + oy, dy * grain + ox);
        const rim = q > rimQ ? 1 : 0;
        d *= 1 + fine * (clump * (0.35 * g + 0.6 * (g > 0 ? g : 0)) + 0.3 * rim - 0.22 * clump);
      }
      if (nucleolus) {
        const du = u * a - nx;
        const dv = v * bb - ny;
        if (du * du + dv * dv < 0.45) d *= 1.7;
      }
      d *= cov;
      const i = py * b.size + px;
      // A nucleus lies over whatever was drawn before it, including an earlier neighbour's
      // nucleus: chromatin is opaque, so no outline shows through (cells are always drawn in
      // the same global order, so both tiles of a shared cell agree).
      b.H[i] = b.H[i]! * (1 - cov) + d * hFrac;
      b.D[i] = b.D[i]! * (1 - cov) + d * dFrac;
      // The nucleus displaces most of the cytoplasm's eosin, but takes up a little itself (it
      // looks blue-purple, not blue, on a real H&E).
      b.E[i] = b.E[i]! * (1 - 0.45 * cov) + 0.08 * cov;
      // Actin is cytoplasmic: SMA leaves the nucleus blue.
      b.S[i] = b.S[i]! * (1 - 0.6 * cov);
    }
  }
}

/** Clears cytoplasm in an ellipse: perinuclear vacuoles, lacunae, mitotic halos (a negative amount deepens it). */
function clearAround(b: Buffers, f: Frame, cx: number, cy: number, angle: number, a: number, bb: number, amount: number): void {
  const { upp } = f;
  if (bb < upp * 0.5) return;
  const cs = Math.cos(angle);
  const sn = Math.sin(angle);
  const reach = Math.max(a, bb) + upp;
  const px0 = Math.max(0, Math.floor((cx - reach - f.x0) / upp));
  const px1 = Math.min(f.w - 1, Math.floor((cx + reach - f.x0) / upp));
  const py0 = Math.max(0, Math.floor((cy - reach - f.y0) / upp));
  const py1 = Math.min(f.h - 1, Math.floor((cy + reach - f.y0) / upp));
  for (let py = py0; py <= py1; py++) {
    const dy = f.y0 + (py + 0.5) * upp - cy;
    for (let px = px0; px <= px1; px++) {
      const dx = f.x0 + (px + 0.5) * upp - cx;
      const u = (dx * cs + dy * sn) / a;
      const v = (-dx * sn + dy * cs) / bb;
      const q = u * u + v * v;
      if (q >= 1) continue;
      const i = py * b.size + px;
      // A neighbour's nucleus already drawn here keeps its own stain.
      const k = amount * clamp01((1 - q) * 6) * (1 - clamp01(b.H[i]! * 5));
      b.E[i] = b.E[i]! * (1 - k);
      b.S[i] = b.S[i]! * (1 - k);
    }
  }
}

/**
 * A plate of condensed chromosomes: a dense core along the plate with short dark rods packed
 * over it, most lying along the spindle axis so their arms stick out either side — the ragged,
 * hairy outline a real metaphase has, not a smooth bar.
 */
function paintPlate(scene: Scene, b: Buffers, f: Frame, c: Cell, cx: number, cy: number, along: number, half: number, rods: number, seed: number): void {
  const dab = f.ki67;
  const ca = Math.cos(along);
  const sa = Math.sin(along);
  paintNucleus(scene, b, f, cx, cy, along, half * 0.9, 0.85, c.dark, dab, seed, 0.5, 1.2);
  for (let k = 0; k < rods; k++) {
    const hk = hash3(seed, k, 23);
    const s = (unit(hk) * 2 - 1) * half;
    const o = (unit(hash3(hk, 1, 23)) - 0.5) * 1.8;
    const t = along + Math.PI / 2 + (unit(hash3(hk, 2, 23)) - 0.5) * 1.5;
    const l = 0.5 + 0.7 * unit(hash3(hk, 3, 23));
    paintNucleus(scene, b, f, cx + ca * s - sa * o, cy + sa * s + ca * o, t, l, 0.45, c.dark, dab, hk, 0.15);
  }
}

/** Stray chromosomes off the plates: lagging in anaphase, scattered in atypical forms. */
function paintStrays(scene: Scene, b: Buffers, f: Frame, c: Cell, n: number, reach: number): void {
  for (let k = 0; k < n; k++) {
    const hk = hash3(c.h, k, 29);
    const t = unit(hk) * Math.PI * 2;
    const r = reach * (0.5 + 0.5 * unit(hash3(hk, 1, 29)));
    paintNucleus(scene, b, f, c.x + Math.cos(t) * r, c.y + Math.sin(t) * r, unit(hash3(hk, 2, 29)) * Math.PI, 0.6 + 0.5 * unit(hash3(hk, 3, 29)), 0.42, c.dark, f.ki67, hk, 0.2);
  }
}

/** A mitotic figure: its plates of chromosomes in a cleared, rounded-up cell. */
function paintMitosis(scene: Scene, b: Buffers, f: Frame, c: Cell): void {
  // The cell rounds up and its cytoplasm clears, by a varying amount.
  const halo = c.a + 2.5 + 2 * unit(hash3(c.h, 1, 31));
  clearAround(b, f, c.x, c.y, c.angle, halo, halo * (0.7 + 0.25 * unit(hash3(c.h, 2, 31))), 0.15 + 0.2 * unit(hash3(c.h, 3, 31)));
  const ang = c.angle;
  const len = c.a;
  const plate = ang + Math.PI / 2;
  switch (c.form) {
    case METAPHASE:
      // The plate seen edge-on, across the spindle axis.
      paintPlate(scene, b, f, c, c.x, c.y, plate, len * 0.85, 22, c.h);
      break;
    case ANAPHASE: {
      // Two daughter plates moving apart along the spindle axis.
      const d = 2.6 + 1.2 * unit(hash3(c.h, 4, 31));
      for (const side of [1, -1]) paintPlate(scene, b, f, c, c.x + Math.cos(ang) * d * side, c.y + Math.sin(ang) * d * side, plate, len * 0.7, 14, hash3(c.h, side + 2, 3));
      if (c.h & 32) paintStrays(scene, b, f, c, 1 + ((c.h >>> 6) & 1), 1.5);
      break;
    }
    case TRIPOLAR:
    case MULTIPOLAR: {
      // Three or more plates radiating from the centre, towards as many poles.
      const arms = c.form === TRIPOLAR ? 3 : 4 + (c.h & 1);
      for (let k = 0; k < arms; k++) {
        const t = ang + (k * 2 * Math.PI) / arms + (unit(hash3(c.h, k, 33)) - 0.5) * 0.5;
        const r = len * 0.45;
        paintPlate(scene, b, f, c, c.x + Math.cos(t) * r, c.y + Math.sin(t) * r, t, len * 0.42, 9, hash3(c.h, k, 7));
      }
      paintStrays(scene, b, f, c, 2 + (c.h & 3), len * 1.1);
      break;
    }
    case RING: {
      // Chromosomes round a hollow centre, arms pointing out.
      const n = 26;
      const r0 = len * 0.6;
      for (let k = 0; k < n; k++) {
        const hk = hash3(c.h, k, 9);
        const t = (k * 2 * Math.PI) / n + (unit(hk) - 0.5) * 0.2;
        const r = r0 + (unit(hash3(hk, 1, 9)) - 0.5) * 1.2;
        paintNucleus(scene, b, f, c.x + Math.cos(t) * r, c.y + Math.sin(t) * r, t + (unit(hash3(hk, 2, 9)) - 0.5) * 0.8, 0.6 + 0.6 * unit(hash3(hk, 3, 9)), 0.45, c.dark, f.ki67, hk, 0.15);
      }
      break;
    }
  }
}

export function paintCell(scene: Scene, b: Buffers, f: Frame, c: Cell): void {
  switch (c.kind) {
    case SPINDLE: {
      if (c.lobes > 1) {
        // A bizarre giant cell: a rim of dense eosinophilic cytoplasm round a cluster of
        // overlapping lobulated nuclei.
        clearAround(b, f, c.x, c.y, c.angle, c.a * 1.5, c.b * 1.6 + 2, -0.35);
        for (let k = 0; k < c.lobes; k++) {
          const t = c.angle + k * 2.4;
          const r = c.a * (k === 0 ? 0.15 : 0.45);
          const s = k === 0 ? 0.85 : 0.6;
          paintNucleus(scene, b, f, c.x + Math.cos(t) * r, c.y + Math.sin(t) * r, t * 0.3 + c.angle, c.a * s, c.b * s * 1.1, c.dark, f.ki67 && c.ki67, hash3(c.h, k, 11), 0.45);
        }
        return;
      }
      if ((c.h & 31) < 3 && c.b < c.a * 0.6) {
        // Perinuclear vacuole at one pole, as leiomyosarcoma cells often show: a clear space.
        const side = c.h & 16 ? 1 : -1;
        const len = 1.4 + 1.2 * ((c.h >>> 8) & 3) * 0.33;
        const d = (c.a + len * 0.7) * side;
        clearAround(b, f, c.x + Math.cos(c.angle) * d, c.y + Math.sin(c.angle) * d, c.angle, len * 1.25, Math.min(1.5, c.b * 0.95), 0.35 + 0.4 * unit(hash3(c.h, 8, 1)));
      }
      const irregular = 0.18 + 0.3 * Math.min(1, Math.max(0, c.dark - 0.9));
      paintNucleus(scene, b, f, c.x, c.y, c.angle, c.a, c.b, c.dark, f.ki67 && c.ki67, c.h, irregular);
      return;
    }
    case MITOSIS:
      paintMitosis(scene, b, f, c);
      return;
    case GHOST:
      paintNucleus(scene, b, f, c.x, c.y, c.angle, c.a, c.b, c.dark, false, c.h, 0.15);
      return;
    case DEBRIS: {
      if (c.lobes === 1) {
        // Pyknosis: a shrunken, round, ink-dark nucleus.
        paintNucleus(scene, b, f, c.x, c.y, c.angle, c.a, c.b, c.dark, false, c.h, 0.15);
        return;
      }
      // Karyorrhexis: the nucleus broken into a scatter of dark beads.
      for (let k = 0; k < c.lobes; k++) {
        const hk = hash3(c.h, k, 17);
        const t = unit(hk) * Math.PI * 2;
        // Beads of every size from dust to 2 µm, scattered over 1.5-4 µm.
        const r = (1.5 + 2.5 * unit(hash3(c.h, 40, 17))) * Math.sqrt(unit(hash3(hk, 1, 17)));
        const s = c.a * (0.4 + 1.2 * unit(hash3(hk, 2, 17)));
        paintNucleus(scene, b, f, c.x + Math.cos(t) * r, c.y + Math.sin(t) * r, t, s, s * 0.85, c.dark, false, hk, 0.2);
      }
      return;
    }
    case FIBROBLAST:
      paintNucleus(scene, b, f, c.x, c.y, c.angle, c.a, c.b, c.dark, false, c.h, 0.12);
      return;
    case OSTEOCYTE:
      // The osteocyte nearly fills its lacuna: a thin clear rim at most.
      clearAround(b, f, c.x, c.y, c.angle, c.a + 0.9, c.b + 0.8, 0.6);
      paintNucleus(scene, b, f, c.x, c.y, c.angle, c.a, c.b, c.dark, false, c.h, 0.1);
      return;
    case MARROW_CELL:
      if (c.lobes > 1) {
        // Megakaryocyte: abundant pink granular cytoplasm round a cluster of nuclear lobes.
        clearAround(b, f, c.x, c.y, c.angle, c.a * 1.9, c.b * 1.9, -0.6);
        for (let k = 0; k < c.lobes; k++) {
          const t = c.angle + (k * 2 * Math.PI) / c.lobes;
          const r = c.a * 0.35;
          paintNucleus(scene, b, f, c.x + Math.cos(t) * r, c.y + Math.sin(t) * r, t, c.a * 0.5, c.b * 0.45, c.dark, false, hash3(c.h, k, 13), 0.3);
        }
      } else if (c.form === 2) {
        paintNucleus(scene, b, f, c.x, c.y, c.angle, c.a, c.b, c.dark, false, c.h, 0.1);
      } else if (c.form === 1) {
        // Normoblast: a round, ink-dark nucleus in a clear halo.
        clearAround(b, f, c.x, c.y, 0, c.a + 1.1, c.a + 1.1, 0.35);
        paintNucleus(scene, b, f, c.x, c.y, c.angle, c.a, c.b, c.dark, false, c.h, 0.06);
      } else {
        // Myeloid precursor: a paler nucleus in pink cytoplasm.
        clearAround(b, f, c.x, c.y, c.angle, c.a + 2.2, c.b + 2.2, -0.3);
        paintNucleus(scene, b, f, c.x, c.y, c.angle, c.a, c.b, c.dark, false, c.h, 0.3);
      }
      return;
  }
}

/** Vessels: lumen with red cells, endothelium, and an SMA-positive smooth-muscle wall. */
export function paintVessels(scene: Scene, b: Buffers, f: Frame): void {
  const { upp } = f;
  const x1 = f.x0 + f.w * upp;
  const y1 = f.y0 + f.h * upp;
  const margin = 60;
  const gi0 = Math.floor((f.x0 - margin) / VESSEL_GRID_UM);
  const gi1 = Math.floor((x1 + margin) / VESSEL_GRID_UM);
  const gj0 = Math.floor((f.y0 - margin) / VESSEL_GRID_UM);
  const gj1 = Math.floor((y1 + margin) / VESSEL_GRID_UM);
  const tex = scene.tex;
  for (let gj = gj0; gj <= gj1; gj++) {
    for (let gi = gi0; gi <= gi1; gi++) {
      const v = scene.vesselAt(gi, gj);
      if (!v) continue;
      const px0 = Math.max(0, Math.floor((v.x - v.wall - f.x0) / upp));
      const px1 = Math.min(f.w - 1, Math.floor((v.x + v.wall - f.x0) / upp));
      const py0 = Math.max(0, Math.floor((v.y - v.wall - f.y0) / upp));
      const py1 = Math.min(f.h - 1, Math.floor((v.y + v.wall - f.y0) / upp));
      for (let py = py0; py <= py1; py++) {
        const Y = f.y0 + (py + 0.5) * upp;
        for (let px = px0; px <= px1; px++) {
          const X = f.x0 + (px + 0.5) * upp;
          const d = Math.sqrt((X - v.x) * (X - v.x) + (Y - v.y) * (Y - v.y));
          if (d >= v.wall) continue;
          const i = py * b.size + px;
          if (d < v.r) {
            b.E[i] = bloodEosin(scene, X, Y, upp);
            b.H[i] = 0;
            b.S[i] = 0;
          } else if (d < v.r + 1.3) {
            const t = Math.atan2(Y - v.y, X - v.x) * v.r;
            const nuc = Math.sin(t / 5) > 0.8;
            b.H[i] = nuc ? 0.5 : 0.03;
            b.E[i] = 0.22;
            b.S[i] = 0.2;
          } else {
            const t = Math.atan2(Y - v.y, X - v.x) * d;
            b.E[i] = 0.3 + 0.06 * tex.noise(t / 1.2, d / 8);
            b.S[i] = 1.25;
            b.H[i] = tex.noise(t / 6, d / 1.5) > 0.55 ? 0.45 : 0.03;
          }
        }
      }
    }
  }
}
