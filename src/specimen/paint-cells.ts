import type { Buffers } from './paint-tissue';
import type { Cell } from './cells';
import type { Scene } from './scene';
import { ANAPHASE, DEBRIS, FIBROBLAST, GHOST, MARROW_CELL, METAPHASE, MITOSIS, MULTIPOLAR, OSTEOCYTE, RING, SPINDLE, TRIPOLAR } from './cells';
import { hash3, unit } from './hash';
import { VESSEL_GRID_UM } from './scene';

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

function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

/**
 * A sub-pixel nucleus, deposited as area-weighted stain mass over the pixels it falls into,
 * so that mean colour is kept across pyramid levels.
 */
function depositPoint(b: Buffers, f: Frame, x: number, y: number, massH: number, massD: number): void {
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
  }
}

/**
 * An irregular blunt-ended nucleus (superellipse with a noisy outline and chromatin texture).
 * `dark` scales haematoxylin; for a Ki67-positive nucleus most of it is DAB instead.
 */
function paintNucleus(scene: Scene, b: Buffers, f: Frame, cx: number, cy: number, angle: number, a: number, bb: number, dark: number, dab: boolean, seed: number, irregular: number): void {
  const { upp } = f;
  const hFrac = dab ? 0.22 : 1;
  const dFrac = dab ? 0.95 : 0;
  if (bb * 2 < upp * 1.2) {
    // Effective stain mass of a small dark nucleus; 0.8 compensates Beer–Lambert's nonlinearity.
    const mass = Math.PI * a * bb * 0.78 * dark * 0.8;
    depositPoint(b, f, cx, cy, mass * hFrac, mass * dFrac);
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
  const sharp = bb / (2 * upp); // edge gradient in pixels: keeps outlines anti-aliased at every zoom
  const fine = clamp01(1.4 - upp * 1.2);
  const pale = 0.85 + 0.3 * unit(hash3(seed, 2, 1));
  const base = 0.78 * dark * pale;
  const ia = 1 / a;
  const ib = 1 / bb;
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
      if (q > 2.2) continue;
      const n1 = tex.noise(dx * 0.55 + ox, dy * 0.55 + oy);
      q *= 1 + irregular * n1;
      const cov = clamp01((1 - q) * sharp * 2 + 0.5);
      if (cov <= 0) continue;
      // Chromatin: coarse granules and a darker rim (nuclear membrane).
      const n2 = fine > 0 ? tex.noise(dx * 1.9 + oy, dy * 1.9 + ox) : 0;
      const rim = q > 0.7 ? 1 + 0.35 * fine : 1;
      const d = base * (1 + 0.32 * n2 * fine) * rim * cov;
      const i = py * b.size + px;
      const hh = d * hFrac;
      if (hh > b.H[i]!) b.H[i] = hh;
      const dd = d * dFrac;
      if (dd > b.D[i]!) b.D[i] = dd;
      // The nucleus displaces cytoplasm.
      b.E[i] = b.E[i]! * (1 - 0.45 * cov);
    }
  }
}

/** Clears cytoplasm in an ellipse: perinuclear vacuoles, lacunae, mitotic halos. */
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
      const k = amount * clamp01((1 - q) * 3);
      const i = py * b.size + px;
      b.E[i] = b.E[i]! * (1 - k);
      b.S[i] = b.S[i]! * (1 - k);
    }
  }
}

/** Chromosome masses of a mitotic figure: a set of short thick segments, or a ring. */
function paintMitosis(scene: Scene, b: Buffers, f: Frame, c: Cell): void {
  const halo = c.a + 3.5;
  clearAround(b, f, c.x, c.y, c.angle, halo, halo * 0.85, 0.55);
  const dab = f.ki67;
  const ang = c.angle;
  const len = c.a;
  const seg = (ox: number, oy: number, t: number, l: number, w: number, s: number): void =>
    paintNucleus(scene, b, f, c.x + ox, c.y + oy, t, l, w, 1.9, dab, s, 0.45);
  switch (c.form) {
    case METAPHASE:
      // The plate is seen edge-on: a dense bar across the spindle axis.
      seg(0, 0, ang + Math.PI / 2, len, 1.3, c.h);
      break;
    case ANAPHASE: {
      const d = 3.2;
      seg(Math.cos(ang) * d, Math.sin(ang) * d, ang + Math.PI / 2, len * 0.85, 1.1, c.h);
      seg(-Math.cos(ang) * d, -Math.sin(ang) * d, ang + Math.PI / 2, len * 0.85, 1.1, hash3(c.h, 3, 3));
      break;
    }
    case TRIPOLAR:
    case MULTIPOLAR: {
      const arms = c.form === TRIPOLAR ? 3 : 4 + (c.h & 1);
      for (let k = 0; k < arms; k++) {
        const t = ang + (k * 2 * Math.PI) / arms;
        const r = len * 0.55;
        seg(Math.cos(t) * r, Math.sin(t) * r, t + Math.PI / 2, len * 0.5, 1.2, hash3(c.h, k, 7));
      }
      break;
    }
    case RING: {
      const n = 9;
      for (let k = 0; k < n; k++) {
        const t = (k * 2 * Math.PI) / n;
        const r = len * 0.75;
        seg(Math.cos(t) * r, Math.sin(t) * r, t + Math.PI / 2, 1.6, 1.0, hash3(c.h, k, 9));
      }
      break;
    }
  }
}

export function paintCell(scene: Scene, b: Buffers, f: Frame, c: Cell): void {
  switch (c.kind) {
    case SPINDLE: {
      if (c.lobes > 1) {
        for (let k = 0; k < c.lobes; k++) {
          const t = c.angle + (k * 2.4);
          const r = c.a * 0.7;
          paintNucleus(scene, b, f, c.x + Math.cos(t) * r, c.y + Math.sin(t) * r, t, c.a * 0.6, c.b * 0.8, c.dark, f.ki67 && c.ki67, hash3(c.h, k, 11), 0.4);
        }
        return;
      }
      if ((c.h & 7) < 2 && c.b < c.a * 0.6) {
        // Perinuclear vacuole at one pole, as leiomyosarcoma cells often show.
        const side = c.h & 8 ? 1 : -1;
        const d = (c.a + 1.4) * side;
        clearAround(b, f, c.x + Math.cos(c.angle) * d, c.y + Math.sin(c.angle) * d, c.angle, 1.8, 1.4, 0.8);
      }
      const irregular = 0.1 + 0.3 * Math.min(1, Math.max(0, c.dark - 0.9));
      paintNucleus(scene, b, f, c.x, c.y, c.angle, c.a, c.b, c.dark, f.ki67 && c.ki67, c.h, irregular);
      return;
    }
    case MITOSIS:
      paintMitosis(scene, b, f, c);
      return;
    case GHOST:
      paintNucleus(scene, b, f, c.x, c.y, c.angle, c.a, c.b, c.dark, false, c.h, 0.15);
      return;
    case DEBRIS:
      paintNucleus(scene, b, f, c.x, c.y, c.angle, c.a, c.b, c.dark, false, c.h, 0.3);
      return;
    case FIBROBLAST:
      paintNucleus(scene, b, f, c.x, c.y, c.angle, c.a, c.b, c.dark, false, c.h, 0.12);
      return;
    case OSTEOCYTE:
      clearAround(b, f, c.x, c.y, c.angle, c.a + 1.5, c.b + 1.3, 0.9);
      paintNucleus(scene, b, f, c.x, c.y, c.angle, c.a, c.b, c.dark, false, c.h, 0.1);
      return;
    case MARROW_CELL:
      paintNucleus(scene, b, f, c.x, c.y, c.angle, c.a, c.b, c.dark, false, c.h, 0.12);
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
          const d = Math.hypot(X - v.x, Y - v.y);
          if (d >= v.wall) continue;
          const i = py * b.size + px;
          if (d < v.r) {
            // Red cells: packed discs, bright eosinophilic, no nucleus.
            const rb = tex.noise(X / 3.2 + 31, Y / 3.2);
            b.E[i] = upp > 1.5 ? 0.45 : rb > 0.05 ? 0.85 + 0.2 * rb : 0.08;
            b.H[i] = 0;
            b.S[i] = 0;
          } else if (d < v.r + 1.3) {
            const t = Math.atan2(Y - v.y, X - v.x) * v.r;
            const nuc = Math.sin(t / 5) > 0.8;
            b.H[i] = nuc ? 0.75 : 0.04;
            b.E[i] = 0.3;
            b.S[i] = 0.2;
          } else {
            const t = Math.atan2(Y - v.y, X - v.x) * d;
            b.E[i] = 0.42 + 0.08 * tex.noise(t / 1.2, d / 8);
            b.S[i] = 1.25;
            b.H[i] = tex.noise(t / 6, d / 1.5) > 0.55 ? 0.6 : 0.03;
          }
        }
      }
    }
  }
}
