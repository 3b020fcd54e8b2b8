import type { Buffers } from './paint-tissue';
import type { Scene, Vessel } from './scene';
import type { Frame } from './paint-nucleus';
import { hash3, unit } from './hash';
import { clamp01 } from './coverage';
import { VESSEL_GRID_UM } from './scene';
import { PLASMA_E, redCells } from './blood';
import { paintNucleus } from './paint-nucleus';
import { alongOval, beyondLumen, newOvalPoint } from './vessel-shape';

/**
 * Vessels as cut in a section: an oval, slightly irregular lumen holding plasma and red cells,
 * lined by flat endothelial cells whose nuclei bulge into it; a media of circumferential smooth
 * muscle (eosinophilic, SMA-positive, with cigar nuclei lying round the lumen); an adventitia of
 * paler collagen fading into the tumour. The wall is a band of even thickness round the oval
 * (vessel-shape.ts), the outline within which the scene places no other cells.
 */

/** Share of endothelial cells whose nucleus the section cuts through. */
const ENDOTHELIUM_CUT = 0.4;
/** Share of the wall's thickness that is media; the rest is adventitia. */
const MEDIA = 0.7;
/** How far (as a share of the lumen radius) the lumen's outline wanders. */
const WOBBLE = 0.14;

interface Shape {
  readonly ox: number;
  readonly oy: number;
  /** Share of the lumen the red cells fill (some vessels are nearly empty). */
  readonly fill: number;
  /** A capillary whose lumen its red cells fill, squeezed in single file (else it is empty). */
  readonly packed: boolean;
}

/** Lumen radius (µm) under which a vessel is a capillary, its red cells in single file. */
const CAPILLARY_R = 8;
/** Lumen half-width (minor semi-axis, µm) under which a vessel's red cells are packed as in a
 * capillary, filling the part of the lumen they settle in (whole 7 µm discs, clipped by a
 * narrow or slit lumen, left one or two red cells in a white oval). */
const CONGESTED_R = 12;
/** Share of larger vessels whose lumen holds no red cells (washed out in processing). */
const EMPTY_SHARE = 0.25;
/** Red cells packed in a capillary, squeezed, lie this much closer than in a wide vessel. */
const PACK_SCALE = 2.2;

function shapeOf(v: Vessel): Shape {
  const h = hash3(Math.round(v.x * 8), Math.round(v.y * 8), 0x5e55);
  return {
    ox: unit(hash3(h, 2, 2)) * 100,
    oy: unit(hash3(h, 3, 2)) * 100,
    // A quarter empty, the rest holding many red cells settled to one side or filling it. (Fills
    // from 0.35 up left two in five lumens with one to three red cells in a white oval, blind
    // readers' first tell on 5 December.)
    fill: unit(hash3(h, 6, 2)) < EMPTY_SHARE ? 0 : 0.6 + 0.4 * unit(hash3(h, 4, 2)),
    packed: v.r < CAPILLARY_R && unit(hash3(h, 5, 2)) < 0.85,
  };
}

/**
 * Haemoglobin in a capillary packed with red cells: they fill its lumen but for a sliver of
 * plasma at the wall, pressed into one another in single file, each a face-on or edge-on disc
 * of its own depth, a faint pale line between neighbours. (A 7 µm disc drawn whole in a lumen
 * as wide left a white ring of plasma round one red cell, blind readers' tell for a capillary;
 * so did a sliver of plasma 0.25-0.85 µm deep, next to a lining paler than the tumour: the
 * red now starts 0.05 µm in and is whole by 0.4 µm at 40x.)
 */
function packedRed(scene: Scene, s: Shape, X: number, Y: number, depthIn: number, upp: number): number {
  const margin = clamp01((depthIn - 0.05) / Math.max(0.35, 0.8 * upp));
  if (margin <= 0) return 0;
  // Red cells' own tessellation, scaled down to squeezed cells about 3 µm apart.
  const rc = scene.scratch.redCells.nearest(X * PACK_SCALE + s.ox, Y * PACK_SCALE + s.oy, 0x4bd);
  const depth = 0.7 + 0.45 * unit(hash3(rc.site, 6, 3));
  const line = upp < 1 ? 0.45 * clamp01(1 - rc.border / PACK_SCALE / 0.35) : 0;
  return margin * 0.62 * depth * (1 - line);
}

/** Share of red cells present at a point of a lumen: they settle towards one side of it. */
function settled(scene: Scene, v: Vessel, s: Shape, x: number, y: number): number {
  if (s.fill === 0) return 0;
  const t = ((x - v.x) * 0.7 + (y - v.y) * 0.7) / v.r + 1 - 2 * (1 - s.fill) + 0.3 * scene.shape.noise(x / 6 + s.ox, y / 6);
  return t <= 0 ? 0 : t >= 0.7 ? 1 : t / 0.7;
}

/** Lumen radius (along the oval's major axis) in the direction θ of the oval's own frame. */
function lumenRadius(scene: Scene, v: Vessel, s: Shape, theta: number): number {
  const c = Math.cos(theta);
  const sn = Math.sin(theta);
  // Two scales of wander: a smooth oval reads as drawn, a lumen is pushed in here and there.
  return v.r * (1 + WOBBLE * (scene.shape.noise(c * 1.1 + s.ox, sn * 1.1 + s.oy) + 0.45 * scene.shape.noise(c * 2.7 + s.oy, sn * 2.7 + s.ox)));
}

/**
 * Thickness of the media. A capillary (lumen under about 8 µm across its radius) has no
 * muscular media, only pericytes: a thin ring, not the pink band of an arteriole.
 */
function mediaThickness(v: Vessel): number {
  return (v.wall - v.r) * MEDIA * muscularity(v);
}

/** 1 for an arteriole's full media, down to 0.2 for a capillary's pericytes. */
function muscularity(v: Vessel): number {
  return Math.max(0.2, Math.min(1, (v.r - 4) / 5));
}

export function paintVessels(scene: Scene, b: Buffers, f: Frame): void {
  const { upp } = f;
  const x1 = f.x0 + f.w * upp;
  const y1 = f.y0 + f.h * upp;
  const margin = 60;
  const gi0 = Math.floor((f.x0 - margin) / VESSEL_GRID_UM);
  const gi1 = Math.floor((x1 + margin) / VESSEL_GRID_UM);
  const gj0 = Math.floor((f.y0 - margin) / VESSEL_GRID_UM);
  const gj1 = Math.floor((y1 + margin) / VESSEL_GRID_UM);
  for (let gj = gj0; gj <= gj1; gj++) {
    for (let gi = gi0; gi <= gi1; gi++) {
      const v = scene.vesselAt(gi, gj);
      if (!v) continue;
      if (v.x + v.wall < f.x0 - upp || v.x - v.wall > x1 + upp || v.y + v.wall < f.y0 - upp || v.y - v.wall > y1 + upp) continue;
      const s = shapeOf(v);
      paintWall(scene, b, f, v, s);
      paintWallNuclei(scene, b, f, v, s);
    }
  }
}

function paintWall(scene: Scene, b: Buffers, f: Frame, v: Vessel, s: Shape): void {
  const { upp } = f;
  const tex = scene.tex;
  const px0 = Math.max(0, Math.floor((v.x - v.wall - f.x0) / upp));
  const px1 = Math.min(f.w - 1, Math.floor((v.x + v.wall - f.x0) / upp));
  const py0 = Math.max(0, Math.floor((v.y - v.wall - f.y0) / upp));
  const py1 = Math.min(f.h - 1, Math.floor((v.y + v.wall - f.y0) / upp));
  const mediaT = mediaThickness(v);
  const wallT = v.wall - v.r;
  const o = newOvalPoint();
  // Fine texture fades where a pixel is wider than it (coarse levels show its mean).
  const fine = Math.max(0, Math.min(1, 1.6 - upp));
  const density = (x: number, y: number): number => settled(scene, v, s, x, y);
  for (let py = py0; py <= py1; py++) {
    const dy = f.y0 + (py + 0.5) * upp - v.y;
    for (let px = px0; px <= px1; px++) {
      const dx = f.x0 + (px + 0.5) * upp - v.x;
      // The wall ends a set distance outside the plain oval; its layers are measured from the
      // lumen's wandering outline.
      const d0 = beyondLumen(v, dx, dy, o);
      if (d0 >= wallT) continue;
      const theta = o.theta;
      const rl = lumenRadius(scene, v, s, theta);
      const de = (o.rho - rl) / o.grad;
      const i = py * b.size + px;
      if (de < 0) {
        const X = v.x + dx;
        const Y = v.y + dy;
        // Fixed plasma: a pale pink, flocculent, not an empty white hole.
        b.E[i] = PLASMA_E * (1.5 + 0.8 * s.fill) * (1 + fine * 0.35 * tex.noise(X / 2.2 + s.ox, Y / 2.2));
        // Red cells settle to one side of a half-empty lumen; a capillary's fill it, or it is empty.
        if (s.packed) b.R[i] = packedRed(scene, s, X, Y, -de, upp);
        else if (s.fill > 0 && v.r * v.asp < CONGESTED_R) b.R[i] = packedRed(scene, s, X, Y, -de, upp) * clamp01((density(X, Y) - 0.3) * 4);
        else b.R[i] = v.r < CAPILLARY_R ? 0 : redCells(scene, X, Y, upp, density);
        b.H[i] = 0;
        b.S[i] = 0;
      } else if (de < 0.8) {
        // Endothelial cytoplasm: a thin pink line (its nuclei come later), as deep as the
        // cells round it (paler, with the plasma it read as a white halo round the lumen).
        b.E[i] = 0.31;
        b.H[i] = 0.01;
        b.S[i] = 0.15;
        b.R[i] = 0;
      } else if (de < mediaT) {
        // Media: circumferential smooth muscle, deeper pink than the tumour, in fine lamellae.
        const arc = theta * (v.r + de);
        b.E[i] = 0.4 * (1 + fine * 0.14 * tex.noise(arc / 3 + s.ox, de / 0.8));
        b.S[i] = 1.3;
        b.H[i] = 0.012;
        b.R[i] = 0;
      } else {
        // Adventitia: paler wavy collagen, blending into the tissue round the vessel.
        const t = Math.max(0, (d0 - mediaT) / (wallT - mediaT));
        const k = t * t;
        // (A capillary's is barely there: a pink collar round it read as a media.)
        const e = (0.27 + 0.07 * muscularity(v)) * (1 + fine * 0.2 * tex.noise((theta * (v.r + de)) / 2 + s.oy, de / 1.3));
        b.E[i] = e * (1 - k) + b.E[i]! * k;
        b.S[i] = 0.35 * (1 - k) + b.S[i]! * k;
        b.H[i] = b.H[i]! * k;
        b.R[i] = b.R[i]! * k;
      }
    }
  }
}

/** Endothelial nuclei along the lumen and smooth-muscle nuclei lying round it in the media. */
function paintWallNuclei(scene: Scene, b: Buffers, f: Frame, v: Vessel, s: Shape): void {
  const h = hash3(Math.round(v.x * 8), Math.round(v.y * 8), 0x6e6d);
  // Endothelium: a cell every 12–20 µm round the lining, but a section 4 µm thick cuts through
  // the nucleus of only some (each lies 10-15 µm along a cell 30-50 µm long): about two in five show,
  // anywhere along their cell, so the lining's nuclei come at uneven gaps. (One at every
  // cell, evenly spaced, drew each lumen as a ring of beads, a stamped flower in Ki67.)
  const perimeter = Math.PI * v.r * (1 + v.asp);
  const ne = Math.max(3, Math.round(perimeter / 16));
  const first = Math.floor(unit(hash3(h, 7, 1)) * ne);
  for (let k = 0; k < ne; k++) {
    const hk = hash3(h, k, 1);
    if (k !== first && unit(hash3(hk, 3, 1)) > ENDOTHELIUM_CUT) continue;
    const theta = ((k + unit(hk)) / ne) * 2 * Math.PI;
    const [x, y, ang] = alongOval(v, theta, lumenRadius(scene, v, s, theta), 0.5);
    paintNucleus(scene, b, f, x, y, ang, 3.6 + 1.6 * unit(hash3(hk, 1, 1)), 0.85 + 0.25 * unit(hash3(hk, 2, 1)), 1.25, false, hk, 0.1);
  }
  // Media: cigar nuclei lying round the lumen, about one per 60 µm² of the media.
  const mediaT = mediaThickness(v);
  const area = perimeter * (mediaT - 1.5);
  const nm = Math.max(2, Math.round(area / 60));
  for (let k = 0; k < nm; k++) {
    const hk = hash3(h, k, 2);
    const theta = unit(hk) * 2 * Math.PI;
    const d = 2.2 + (mediaT - 3.2) * unit(hash3(hk, 1, 2));
    if (d <= 2.2) continue;
    const [x, y, ang] = alongOval(v, theta, lumenRadius(scene, v, s, theta), d);
    paintNucleus(scene, b, f, x, y, ang, 3.8 + 1.8 * unit(hash3(hk, 2, 2)), 1.05 + 0.3 * unit(hash3(hk, 3, 2)), 1.05, false, hk, 0.15);
  }
}
