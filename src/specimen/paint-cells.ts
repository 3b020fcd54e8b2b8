import type { Buffers } from './paint-tissue';
import type { Cell } from './cells';
import type { Scene } from './scene';
import { CELL_REACH_UM, DEBRIS, FIBROBLAST, GHOST, MARROW_CELL, MITOSIS, OSTEOCYTE, SPINDLE } from './cells';
import { hash3, unit } from './hash';
import type { Frame } from './paint-nucleus';
import { clearAround, paintNucleus } from './paint-nucleus';
import { paintMitosis } from './paint-mitosis';
import { toneBody } from './paint-body';

export type { Frame } from './paint-nucleus';

/**
 * Splats cells and vessels into the stain buffers. Everything is positioned in scene µm, so a
 * cell that straddles two tiles is drawn identically in both halves.
 */

/** Share of round (cross-cut) tumour nuclei sitting in a clear perinuclear ring. */
const CROSS_HALO_SHARE = 0.45;

/** A ghost cell's body beyond its nucleus (µm along and across), and how much paler or
 * deeper than the coagulum it may be (a share of its eosin). */
const GHOST_BODY_ALONG = 3;
const GHOST_BODY_ACROSS = 1.8;
const GHOST_BODY_TONE = 0.3;
/** A tumour cell's body (paint-body.ts), cut along: its half-length (× its nucleus's, from
 * BODY_LONG to BODY_LONG + BODY_LONG_SPAN), its half-width (× its nucleus's, at least
 * BODY_WIDE_MIN µm) and how much deeper or paler than the mean it may be. */
const BODY_LONG = 2.4;
const BODY_LONG_SPAN = 1.6;
const BODY_WIDE = 1.8;
const BODY_WIDE_MIN = 2.6;
const BODY_TONE = 0.35;
/** Above this many µm per pixel a body is not drawn: its tone is lost in the level's mean. */
const BODY_UPP = 1.5;

export function paintCell(scene: Scene, b: Buffers, f: Frame, c: Cell): void {
  switch (c.kind) {
    case SPINDLE: {
      if (c.body > 0) {
        paintGiant(scene, b, f, c);
        return;
      }
      if (c.b < c.a * 0.75 && f.upp <= BODY_UPP) {
        // Within the reach the renderer lists cells by (every point of the body lies within
        // half + wide of its centre): longer, a body was drawn in one tile and cut off at the
        // edge of the next, which never listed its cell.
        const wide = Math.max(BODY_WIDE_MIN, c.b * BODY_WIDE);
        const half = Math.min(c.a * (BODY_LONG + BODY_LONG_SPAN * unit(hash3(c.h, 26, 1))), CELL_REACH_UM - wide);
        toneBody(b, f, c.x, c.y, c.angle, half, wide, BODY_TONE * (2 * unit(hash3(c.h, 27, 1)) - 1));
      }
      if ((c.h & 31) < 3 && c.b < c.a * 0.6) {
        // Perinuclear vacuole at one pole, as leiomyosarcoma cells often show: a clear space.
        const side = c.h & 16 ? 1 : -1;
        const len = 1.4 + 1.2 * ((c.h >>> 8) & 3) * 0.33;
        const d = (c.a + len * 0.7) * side;
        clearAround(b, f, c.x + Math.cos(c.angle) * d, c.y + Math.sin(c.angle) * d, c.angle, len * 1.25, Math.min(1.5, c.b * 0.95), 0.35 + 0.4 * unit(hash3(c.h, 8, 1)));
      }
      if (c.b > c.a * 0.75 && c.a < 4.5 && unit(hash3(c.h, 23, 1)) < CROSS_HALO_SHARE) {
        // Cut across, a smooth-muscle cell's nucleus often sits in a clear ring where the
        // cytoplasm shrank from it: the cross-cut bundles' most telling feature.
        const w = 0.5 + 0.9 * unit(hash3(c.h, 24, 1));
        clearAround(b, f, c.x, c.y, c.angle, c.a + w, c.b + w, 0.3 + 0.3 * unit(hash3(c.h, 25, 1)));
      }
      const irregular = 0.18 + 0.3 * Math.min(1, Math.max(0, c.dark - 0.9));
      paintNucleus(scene, b, f, c.x, c.y, c.angle, c.a, c.b, c.dark, f.ki67 && c.ki67, c.h, irregular, 0.32, c);
      return;
    }
    case MITOSIS:
      paintMitosis(scene, b, f, c);
      return;
    case GHOST: {
      // The dead cell's outline survives the cell: its coagulated body a shade paler or deeper
      // than its neighbours', so the ghost fascicles read as cells at 10x, not as a smooth
      // tint; its nucleus a faded, smudged shadow of more or less of its old stain.
      const tone = unit(hash3(c.h, 31, 1));
      clearAround(b, f, c.x, c.y, c.angle, c.a + GHOST_BODY_ALONG, c.b + GHOST_BODY_ACROSS, GHOST_BODY_TONE * (2 * tone - 1));
      paintNucleus(scene, b, f, c.x, c.y, c.angle, c.a, c.b, c.dark * (0.6 + 1.2 * unit(hash3(c.h, 32, 1))), false, c.h, 0.15);
      return;
    }
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
        // Each bead its own density: the larger fragments ink-dark, the dust among them grey.
        const dk = c.dark * (0.4 + 0.6 * unit(hash3(hk, 3, 17)));
        paintNucleus(scene, b, f, c.x + Math.cos(t) * r, c.y + Math.sin(t) * r, t, s, s * 0.85, dk, false, hk, 0.2);
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

/**
 * A bizarre giant's nuclei: hyperchromatic (a third darker than the tumour's own, which are
 * mostly a little pale) and irregular, with bumps at a finer scale — drawn smooth and pale
 * they read as stacked ellipses.
 */
const GIANT_DARK = 1.35;
/** (Capped: the darkest, times their own hyperchromasia, printed as black blobs at 10x.) */
const GIANT_DARK_MAX = 2.3;
const GIANT_IRREGULAR = 0.45;
/** A giant's body: semi-axes along and across the fascicle (× its radius) and how much it
 * narrows towards its ends. */
const GIANT_LONG = 1.5;
const GIANT_WIDE = 0.72;
const GIANT_TAPER = 0.35;
/** Width (µm) over which a giant's body fades into the cells round it: over 0.9 µm its deep
 * pink body still read at 10x and 20x as a sharp-edged lens or polygon pasted round the nuclei. */
const GIANT_SOFT_UM = 2.5;
/** How much more eosin a giant's body holds than the cytoplasm it is drawn over. */
const GIANT_DEEPEN = 1.25;
const GIANT_DEEPEN_SPAN = 0.2;

/**
 * A bizarre giant cell: an irregular body of dense, finely granular pink cytoplasm (its outline
 * bulging and angular, as a cell squeezed among others is), holding one huge lobulated nucleus
 * or two to four unequal ones. Neighbours' nuclei already drawn keep their stain.
 */
function paintGiant(scene: Scene, b: Buffers, f: Frame, c: Cell): void {
  const { upp } = f;
  const R = c.body;
  // As far as the body can reach: q is tested up to 1.45 in units of its long semi-axis. (At
  // 1.3 R its ends were cut off square by the box: the "sharp-edged polygonal halo" round the
  // nuclei that blind readers saw.)
  const reach = R * GIANT_LONG * 1.45 + upp;
  const px0 = Math.max(0, Math.floor((c.x - reach - f.x0) / upp));
  const px1 = Math.min(f.w - 1, Math.floor((c.x + reach - f.x0) / upp));
  const py0 = Math.max(0, Math.floor((c.y - reach - f.y0) / upp));
  const py1 = Math.min(f.h - 1, Math.floor((c.y + reach - f.y0) / upp));
  const tex = scene.tex;
  const ox = unit(hash3(c.h, 1, 57)) * 100;
  const oy = unit(hash3(c.h, 2, 57)) * 100;
  const cs = Math.cos(c.angle);
  const sn = Math.sin(c.angle);
  const fine = Math.max(0, Math.min(1, (0.9 - upp) / 0.5));
  // Denser than its neighbours' cytoplasm, by a factor: the fibrils, gaps and tint already
  // drawn run on through it. (Set to one deep pink, smooth, it read to a blind reader as "a
  // giant cell sitting in a smooth darker-pink halo", the same round every giant.)
  const deep = GIANT_DEEPEN + GIANT_DEEPEN_SPAN * unit(hash3(c.h, 3, 57));
  // (Soft over GIANT_SOFT_UM: a crisp outline read as a pink halo pasted round the nuclei.)
  const soft = Math.max(1.5 * upp, GIANT_SOFT_UM) / R;
  for (let py = py0; py <= py1; py++) {
    const dy = f.y0 + (py + 0.5) * upp - c.y;
    for (let px = px0; px <= px1; px++) {
      const dx = f.x0 + (px + 0.5) * upp - c.x;
      // Long along the fascicle and tapering to its ends, as a smooth-muscle cell is (a body
      // near round read as a disc pasted on, at 10x a round brown blot in SMA); the outline
      // pushed in and out at two scales.
      const u = (dx * cs + dy * sn) / (R * GIANT_LONG);
      const v = (-dx * sn + dy * cs) / (R * GIANT_WIDE * (1 - GIANT_TAPER * Math.min(1, u * u)));
      let q = Math.sqrt(u * u + v * v);
      if (q > 1.45) continue;
      q *= 1 + 0.22 * tex.noise(u * 1.2 + ox, v * 1.2 + oy) + 0.07 * tex.noise(u * 4 + oy, v * 4 + ox);
      const inside = Math.max(0, Math.min(1, (1 - q) / soft + 0.5));
      if (inside <= 0) continue;
      const i = py * b.size + px;
      const keep = (1 - Math.max(0, Math.min(1, b.H[i]! * 4))) * inside;
      // Fibrillar and a little uneven, not a flat pink fill.
      const grain = fine > 0 ? 1 + fine * (0.12 * tex.noise(dx * 1.5 + ox, dy * 1.5 + oy) + 0.12 * tex.noise(dx * 0.35 + oy, dy * 0.35 + ox)) : 1;
      b.E[i] = b.E[i]! * (1 + (deep * grain - 1) * keep);
      b.S[i] = b.S[i]! * (1 + 0.15 * keep);
      b.H[i] = b.H[i]! + (0.02 - b.H[i]!) * keep;
    }
  }
  const dab = f.ki67 && c.ki67;
  const dark = Math.min(c.dark * GIANT_DARK, GIANT_DARK_MAX);
  if (c.lobes === 1) {
    paintNucleus(scene, b, f, c.x, c.y, c.angle, c.a, c.b, dark, dab, c.h, GIANT_IRREGULAR, 0.45, c);
    return;
  }
  // Several nuclei of unequal sizes, crowded towards the middle.
  for (let k = 0; k < c.lobes; k++) {
    const hk = hash3(c.h, k, 11);
    const t = c.angle + (k * 2 * Math.PI) / c.lobes + (unit(hk) - 0.5);
    const r = c.a * (0.55 + 0.3 * unit(hash3(hk, 1, 11)));
    const s = 0.7 + 0.6 * unit(hash3(hk, 2, 11));
    paintNucleus(scene, b, f, c.x + Math.cos(t) * r, c.y + Math.sin(t) * r, t + unit(hash3(hk, 3, 11)), c.a * s, c.b * s, dark, dab, hk, GIANT_IRREGULAR, 0.45, c);
  }
}
