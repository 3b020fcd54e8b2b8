import type { Buffers } from './paint-tissue';
import type { Scene } from './scene';
import { bandCoverage } from './coverage';
import { hash3, unit } from './hash';
import type { Tessellation } from './tessellation';
import { bendOf, bendOffset, frameKey, meanderOf } from './fibre-bend';
import { OBLIQUE_SHORTEN, OBLIQUE_WIDEN } from './fascicles';

/**
 * Tumour cytoplasm: smooth-muscle cells laid out in the fascicle's own frame. Cut along, they
 * are long ribbons of fibrillary pink cytoplasm, each a little paler or deeper than the next,
 * with thin pale borders that open here and there into retraction clefts; cut across, they are
 * polygons. Every choice is a hash of the ribbon's and segment's indices, so tiles agree.
 */

/** Eosin amount of an average tumour cell's cytoplasm (calibrated by specimen:report). */
export const CYTOPLASM_E = 0.31;
/** Cell-to-cell tint of the cytoplasm: TINT_LOW + TINT_SPAN × a hash (mean 1). */
const TINT_LOW = 0.75;
const TINT_SPAN = 0.5;
/** Ribbons this wide (µm), cut into cells this long. */
const RIBBON_UM = 5.5;
const SEGMENT_UM = 46;
/** Retraction clefts: stretches of ribbon border this long, and the share that are open. */
const CLEFT_STRETCH_UM = 26;
const CLEFT_SHARE = 0.04;
const CLEFT_MAX_HALF_UM = 1.1;
/** Above this many µm per pixel a ribbon is under two pixels wide and is drawn as its mean. */
const COARSE_UPP = 1.5;
/** Over this distance (µm) from a fascicle's border (or a finger's) its texture blends with its
 * neighbour's: the fingers' edges are soft, not cut. */
const FASCICLE_BLEND_UM = 2.5;

/**
 * The weight of a pixel's own fascicle against its neighbour's at `edge` µm from a (finger's)
 * border: a half at the border, all its own from FASCICLE_BLEND_UM on. Everything blended over
 * fascicle borders (texture, actin strength) uses it, so the blends stay in step.
 */
export function ownFascicleWeight(edge: number): number {
  return edge >= FASCICLE_BLEND_UM ? 1 : 0.5 + (0.5 * edge) / FASCICLE_BLEND_UM;
}
/** Fibrils: contrast of their streaks, the noise level under which they part into pale gaps
 * (a sixth of the area), and the pattern's mean (measured over the noise), which is divided out. */
const FIBRIL_CONTRAST = 0.45;
const FIBRIL_GAP = -0.3;
/** How much eosin a gap loses at its palest: clefts between myofibrils, not empty streaks
 * (at 0.72 they printed as a hatch of white brush strokes). */
const FIBRIL_PALE = 0.5;
const FIBRIL_MEAN = 0.957;
/**
 * At 20x and 40x (FINE_UPP and finer) the fibrils are gentler and their pale gaps open only in
 * dashes a few µm long (where a second noise, long along the cell, is high) and a little paler
 * there, while the cytoplasm's mottle (the 4.5 µm smudges and 1.2 µm cloud) is 1.8x stronger.
 * Drawn alike at every power, the gaps ran as continuous hairlines the length of the cells, a
 * hatch of white streaks that blind readers called brushed metal; a blind A/B reader preferred
 * these in all 7 of 8 fields they could tell apart (5 December). 10x, where a pixel is as wide
 * as a fibril, keeps the old figures (the A/B reader saw no difference there) and with them its
 * pixel noise. The mean of the pattern with dashes, measured over the noise: 0.988.
 */
const FINE_UPP = 0.6;
const COARSE_FIBRIL_UPP = 0.9;
const FIBRIL_CONTRAST_FINE = 0.3;
const MOTTLE_FINE = 1.8;
const GAP_DASH = 0.15;
const GAP_DASH_PALER = 1.3;
const FIBRIL_MEAN_FINE = 0.988;
/**
 * How open the fibrils and ribbon borders are follows the tumour's pale and deep territories
 * (Buffers.zone, about -0.5 to 0.5, ~140 µm across): in deep ones the cytoplasm is compact, its
 * fibril gaps closing (gone from 0.45 up); in pale, oedematous ones clefts open more often. One
 * hatch of white streaks, the same everywhere, read as a single brush to a blind reader.
 */
const FIBRIL_CLOSE_BY_ZONE = 2.2;
const CLEFT_BY_ZONE = 3;

function fibrilPale(zone: number): number {
  return zone > 0 ? FIBRIL_PALE * Math.max(0, 1 - FIBRIL_CLOSE_BY_ZONE * zone) : FIBRIL_PALE;
}
/** Mean of the ribbon detail (pale borders and clefts take about 2.5% of the eosin). */
const RIBBON_MEAN = 0.975;

const rowShift = (scene: Scene, row: number, key: number): number => unit(scene.scratch.rowHash.of(row, key, 0x5e9));
const cellTint = (scene: Scene, row: number, seg: number, key: number): number => unit(scene.scratch.tintHash.of(row, seg, key));
const borderShift = (scene: Scene, bRow: number, key: number): number => unit(scene.scratch.borderHash.of(bRow, key, 3));
const borderStretch = (scene: Scene, bRow: number, cseg: number, key: number): number => scene.scratch.stretchHash.of(bRow, cseg, key ^ 0x3c1);

/**
 * Pixel i in its fascicle's own frame (or, `other`, in the frame of the neighbour across the
 * fascicle's border): u along the cells, v across them (with the ribbons' sideways wander), and
 * the fascicle's hash key. Written to `frame`, read straight after.
 */
function toFascicleFrame(scene: Scene, b: Buffers, i: number, X: number, Y: number, other: boolean): void {
  const frame = scene.scratch.frame;
  const c2 = other ? b.c2b[i]! : b.c2[i]!;
  const cs = Math.sqrt((1 + c2) * 0.5);
  const sn = ((other ? b.s2b[i]! : b.s2[i]!) >= 0 ? 1 : -1) * Math.sqrt(Math.max(0, (1 - c2) * 0.5));
  const ox = other ? b.oxb[i]! : b.ox[i]!;
  const oy = other ? b.oyb[i]! : b.oy[i]!;
  const dx = X - ox;
  const dy = Y - oy;
  const key = frameKey(ox, oy);
  if (key !== frame.key) {
    frame.key = key;
    frame.phi = bendOf(key);
    frame.phase = meanderOf(key);
  }
  frame.u = dx * cs + dy * sn;
  // Ribbons wander sideways, as relaxed smooth muscle does, and the fascicle sweeps and meanders.
  frame.v = -dx * sn + dy * cs + b.wave[i]! - bendOffset(frame.phi, frame.u, frame.phase);
  // Cut obliquely, the cells (ribbons, their segments and fibrils) are shorter and wider.
  const o = other ? b.oblb[i]! : b.obl[i]!;
  if (o > 0) {
    frame.u *= 1 / (1 - OBLIQUE_SHORTEN * o);
    frame.v *= 1 / (1 + OBLIQUE_WIDEN * o);
  }
}

/** The tint (mean 1) of the smooth-muscle cell under pixel i, without its fine detail. */
function ribbonTint(scene: Scene, b: Buffers, i: number, X: number, Y: number, other: boolean): number {
  toFascicleFrame(scene, b, i, X, Y, other);
  const frame = scene.scratch.frame;
  const row = Math.floor(frame.v * (1 / RIBBON_UM));
  const seg = Math.floor(frame.u * (1 / SEGMENT_UM) + rowShift(scene, row, frame.key));
  return TINT_LOW + TINT_SPAN * cellTint(scene, row, seg, frame.key);
}

/**
 * Cut across, each cell is a rounded polygon of cytoplasm stippled by its myofilaments, with its
 * nucleus at the centre where the cut passes through one (the tumour's own cell grid), and a
 * thin pale membrane between neighbours. Borders bow (a warped domain) and are faint: tumour
 * cells pack tight. (Kept out of line: inlined, it made cross-cut tiles ~50% slower in V8.)
 */
function crossSection(scene: Scene, X: number, Y: number, half: number, fine: number): number {
  const p = crossSectionAt(scene, X, Y, fine > 0);
  const n = scene.scratch.noiseOut;
  const tint = 0.88 + 0.24 * unit(hash3(p.site, 21, 0));
  // The stipple of myofilaments cut across (its noises came in crossSectionAt's batch).
  const e = CYTOPLASM_E * tint * (fine > 0 ? 1 + fine * (0.14 * n[2]! + 0.18 * n[3]!) : 1);
  // (The membrane takes 0.22 of the eosin, not 0.35: darker, the profiles drew a polygon grid
  // that a blind reviewer named as Voronoi-like.)
  return e * (1 - 0.22 * bandCoverage(p.border, 0.2, half));
}

/**
 * The cross-cut cell whose profile covers a point (its site is a tumour cell-grid site). With
 * `stipple`, the same batch of noises also leaves the cytoplasm's stipple in noiseOut[2..3].
 */
export function crossSectionAt(scene: Scene, X: number, Y: number, stipple = false): Tessellation {
  const q = scene.scratch.noiseXY;
  const n = scene.scratch.noiseOut;
  // The profiles' borders bow: a warped domain.
  q[0] = X / 4 + 70;
  q[1] = Y / 4;
  q[2] = X / 4;
  q[3] = Y / 4 + 70;
  q[4] = X / 0.8 + 40;
  q[5] = Y / 0.8;
  q[6] = X / 1.2 + 7;
  q[7] = Y / 1.2;
  scene.tex.noiseAt(q, stipple ? 4 : 2, n);
  return scene.scratch.profiles.nearest(X + 1.2 * n[0]!, Y + 1.2 * n[1]!, scene.spec.seed);
}

/** Eosin amount of tumour cytoplasm at pixel i (scene point X, Y). */
export function tumourCytoplasm(scene: Scene, b: Buffers, i: number, X: number, Y: number, upp: number, fine: number): number {
  let e = cytoplasmIn(scene, b, i, X, Y, upp, fine, false);
  // Between fascicles the cells interlace (fingers of each reach into the other: the fascicle
  // field); at the fingers' edges both textures show, blended half and half on the edge itself,
  // so they meet without a drawn line. (The band is narrow: averaged wider, two independent
  // textures lose contrast and the band reads as a smooth seam.)
  const edge = b.edge[i]!;
  if (edge < FASCICLE_BLEND_UM) {
    const m = CYTOPLASM_E * RIBBON_MEAN;
    const w = ownFascicleWeight(edge);
    const e2 = cytoplasmIn(scene, b, i, X, Y, upp, fine, true);
    e = m + w * (e - m) + (1 - w) * (e2 - m);
    // Here and there the border opens into a retraction gap: rarely, as where fingers interlace
    // the border winds, and a gap along all of it drew white lace.
    if (edge < 1.5) {
      const gap = scene.tex.noise(X / 30 + 11, Y / 30) - 0.55;
      if (gap > 0) e *= 1 - 0.9 * bandCoverage(edge, 0.15 + gap * 0.8, upp * 0.5);
    }
  }
  return e;
}

/** Eosin amount of the cytoplasm of the pixel's own fascicle, or (`other`) of its neighbour's. */
function cytoplasmIn(scene: Scene, b: Buffers, i: number, X: number, Y: number, upp: number, fine: number, other: boolean): number {
  const tex = scene.tex;
  const half = upp * 0.5;
  let e: number;
  if (upp > COARSE_UPP) {
    // Ribbons under two pixels wide: each pixel shows the tint of the cells it falls on, a
    // little evened out by the neighbours it also covers — fascicles still stream at 2.5x.
    e = CYTOPLASM_E * RIBBON_MEAN;
    if (!(other ? b.acrossb[i] : b.across[i])) e *= 1 + (ribbonTint(scene, b, i, X, Y, other) - 1) * Math.min(1, Math.sqrt(RIBBON_UM / (2 * upp)));
  } else if (other ? b.acrossb[i] : b.across[i]) {
    e = crossSection(scene, X, Y, half, fine);
  } else {
    toFascicleFrame(scene, b, i, X, Y, other);
    const { u, v, key } = scene.scratch.frame;
    const rf = v * (1 / RIBBON_UM);
    const row = Math.floor(rf);
    const fr = rf - row;
    const sf = u * (1 / SEGMENT_UM) + rowShift(scene, row, key);
    const seg = Math.floor(sf);
    const fs = sf - seg;
    // Each cell a little paler or deeper than the next, blending over its tapered ends.
    const t0 = cellTint(scene, row, seg, key);
    const end = fs < 0.5 ? fs : 1 - fs;
    const t1 = end < 0.2 ? unit(hash3(row, fs < 0.5 ? seg - 1 : seg + 1, key)) : t0;
    const tint = TINT_LOW + TINT_SPAN * (t0 + (t1 - t0) * (0.5 - 2.5 * end));
    // Fibrils: wavy streaks of deeper pink along the cell with pale gaps between them, and a
    // fine granularity of the myofilaments; mean-preserving, and faded where a pixel is wider
    // than they are (coarser levels draw the mean).
    const fib = Math.max(0, Math.min(1, 1.75 - 1.5 * upp));
    let p = 1;
    if (fib > 0) {
      const wv = v + 1.6 * tex.noise(u / 14 + 5, v / 4);
      // Smudges of a few µm over the streaks, so they never read as ruled lines, and the
      // cloudy granularity of fixed cytoplasm (about a micrometre, and finer at 40x).
      const q = scene.scratch.noiseXY;
      const n = scene.scratch.noiseOut;
      q[0] = u * 0.07;
      q[1] = wv * (1 / 0.75);
      q[2] = u * 2.1 + 13;
      q[3] = v * 2.1;
      q[4] = X / 4.5 + 51;
      q[5] = Y / 4.5;
      q[6] = X / 1.2 + 7;
      q[7] = Y / 1.2;
      q[8] = u * (1 / 9) + 29;
      q[9] = v * (1 / 2.5);
      q[10] = X / 0.45 + 3;
      q[11] = Y / 0.45;
      tex.noiseAt(q, upp < 0.4 ? 6 : 5, n);
      const f = n[0]!;
      // How far this power is from 10x's drawing towards the fine one (1 at 20x and 40x).
      const d = Math.max(0, Math.min(1, (COARSE_FIBRIL_UPP - upp) / (COARSE_FIBRIL_UPP - FINE_UPP)));
      const mottle = 1 + (MOTTLE_FINE - 1) * d;
      p = 1 + (FIBRIL_CONTRAST + (FIBRIL_CONTRAST_FINE - FIBRIL_CONTRAST) * d) * f + 0.1 * n[1]! + mottle * (0.16 * n[2]! + 0.22 * n[3]!) + (upp < 0.4 ? 0.14 * n[5]! : 0);
      const pale = fibrilPale(b.zone[i]!);
      if (f < FIBRIL_GAP) {
        const dash = Math.max(0, Math.min(1, (n[4]! - GAP_DASH) * 4)) * GAP_DASH_PALER;
        p *= 1 - (1 + (dash - 1) * d) * pale * Math.min(1, (FIBRIL_GAP - f) * 6);
      }
      // (The mean goes with how pale the gaps are, about in proportion: compact cytoplasm is
      // no deeper pink on the whole than open, only smoother.)
      const mean = FIBRIL_MEAN + (FIBRIL_MEAN_FINE - FIBRIL_MEAN) * d;
      p = 1 + fib * (p / (1 - (1 - mean) * (pale / FIBRIL_PALE)) - 1);
    }
    e = CYTOPLASM_E * tint * p;
    // Borders between ribbons: a faint pale line, opening on some stretches into a retraction
    // cleft that tapers at both ends.
    const dv = (fr < 0.5 ? fr : 1 - fr) * RIBBON_UM;
    if (dv < CLEFT_MAX_HALF_UM + half) {
      const bRow = fr < 0.5 ? row : row + 1;
      const cf = u * (1 / CLEFT_STRETCH_UM) + borderShift(scene, bRow, key);
      const cseg = Math.floor(cf);
      const ch = borderStretch(scene, bRow, cseg, key);
      let w = 0.12;
      let k = 0.2;
      if (unit(ch) < CLEFT_SHARE * Math.max(0, 1 - CLEFT_BY_ZONE * b.zone[i]!)) {
        w = Math.max(w, (0.2 + (CLEFT_MAX_HALF_UM - 0.2) * unit(hash3(ch, 1, 1))) * Math.sin(Math.PI * (cf - cseg)));
        k = 0.88;
      }
      e *= 1 - k * bandCoverage(dv, w, half);
    }
  }
  return e;
}
