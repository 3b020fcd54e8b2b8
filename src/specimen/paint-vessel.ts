import type { Buffers } from './paint-tissue';
import type { Scene, Vessel } from './scene';
import type { Frame } from './paint-nucleus';
import { hash3, unit } from './hash';
import { VESSEL_GRID_UM } from './scene';
import { PLASMA_E, redCells } from './blood';
import { paintNucleus } from './paint-nucleus';

/**
 * Vessels as cut in a section: an oval, slightly irregular lumen holding plasma and red cells,
 * lined by flat endothelial cells whose nuclei bulge into it; a media of circumferential smooth
 * muscle (eosinophilic, SMA-positive, with cigar nuclei lying round the lumen); an adventitia of
 * paler collagen fading into the tumour. Everything stays inside the circle `wall` (where the
 * scene places no other cells): the oval is squeezed within it, never stretched past it.
 */

/** Share of the wall's thickness that is media; the rest is adventitia. */
const MEDIA = 0.7;
/** How far (as a share of the lumen radius) the lumen's outline wanders. */
const WOBBLE = 0.14;

interface Shape {
  readonly cs: number;
  readonly sn: number;
  /** Minor over major axis of the oval. */
  readonly asp: number;
  readonly ox: number;
  readonly oy: number;
  /** Share of the lumen the red cells fill (some vessels are nearly empty). */
  readonly fill: number;
}

function shapeOf(v: Vessel): Shape {
  const h = hash3(Math.round(v.x * 8), Math.round(v.y * 8), 0x5e55);
  const phi = unit(h) * Math.PI;
  return { cs: Math.cos(phi), sn: Math.sin(phi), asp: 0.62 + 0.35 * unit(hash3(h, 1, 2)), ox: unit(hash3(h, 2, 2)) * 100, oy: unit(hash3(h, 3, 2)) * 100, fill: 0.35 + 0.65 * unit(hash3(h, 4, 2)) };
}

/** Share of red cells present at a point of a lumen: they settle towards one side of it. */
function settled(scene: Scene, v: Vessel, s: Shape, x: number, y: number): number {
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
 * Outer radius of the media. A capillary (lumen under about 8 µm across its radius) has no
 * muscular media, only pericytes: a thin ring, not the pink band of an arteriole.
 */
function mediaOuter(v: Vessel): number {
  const muscular = Math.max(0.2, Math.min(1, (v.r - 4) / 5));
  return v.r + (v.wall - v.r) * MEDIA * muscular;
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
  const ia = 1 / s.asp;
  const mediaOut = mediaOuter(v);
  // Fine texture fades where a pixel is wider than it (coarse levels show its mean).
  const fine = Math.max(0, Math.min(1, 1.6 - upp));
  const density = (x: number, y: number): number => settled(scene, v, s, x, y);
  for (let py = py0; py <= py1; py++) {
    const dy = f.y0 + (py + 0.5) * upp - v.y;
    for (let px = px0; px <= px1; px++) {
      const dx = f.x0 + (px + 0.5) * upp - v.x;
      const du = dx * s.cs + dy * s.sn;
      const dv = (-dx * s.sn + dy * s.cs) * ia;
      // Distance in the oval's frame: never less than the true one, so the oval stays inside.
      const de = Math.sqrt(du * du + dv * dv);
      if (de >= v.wall) continue;
      const theta = Math.atan2(dv, du);
      const rl = lumenRadius(scene, v, s, theta);
      const i = py * b.size + px;
      if (de < rl) {
        const X = v.x + dx;
        const Y = v.y + dy;
        // Fixed plasma: a pale pink, flocculent, not an empty white hole.
        b.E[i] = PLASMA_E * (1.5 + 0.8 * s.fill) * (1 + fine * 0.35 * tex.noise(X / 2.2 + s.ox, Y / 2.2));
        // Red cells settle to one side of a half-empty lumen.
        b.R[i] = redCells(scene, X, Y, upp, density);
        b.H[i] = 0;
        b.S[i] = 0;
      } else if (de < rl + 0.8) {
        // Endothelial cytoplasm: a thin pink line (its nuclei come later).
        b.E[i] = 0.26;
        b.H[i] = 0.01;
        b.S[i] = 0.15;
        b.R[i] = 0;
      } else if (de < mediaOut) {
        // Media: circumferential smooth muscle, deeper pink than the tumour, in fine lamellae.
        const arc = theta * de;
        b.E[i] = 0.4 * (1 + fine * 0.14 * tex.noise(arc / 3 + s.ox, de / 0.8));
        b.S[i] = 1.3;
        b.H[i] = 0.012;
        b.R[i] = 0;
      } else {
        // Adventitia: paler wavy collagen, blending into the tissue round the vessel.
        const t = (de - mediaOut) / (v.wall - mediaOut);
        const k = t * t;
        const e = 0.34 * (1 + fine * 0.2 * tex.noise(theta * de / 2 + s.oy, de / 1.3));
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
  const at = (theta: number, rho: number): [number, number, number] => {
    const du = rho * Math.cos(theta);
    const dv = rho * s.asp * Math.sin(theta);
    // Tangent of the oval at θ, in the slide's frame.
    const tu = -Math.sin(theta);
    const tv = s.asp * Math.cos(theta);
    return [v.x + du * s.cs - dv * s.sn, v.y + du * s.sn + dv * s.cs, Math.atan2(tu * s.sn + tv * s.cs, tu * s.cs - tv * s.sn)];
  };
  // Endothelium: a flat nucleus every 12–20 µm of the lining.
  const perimeter = Math.PI * v.r * (1 + s.asp);
  const ne = Math.max(3, Math.round(perimeter / 16));
  for (let k = 0; k < ne; k++) {
    const hk = hash3(h, k, 1);
    const theta = ((k + 0.7 * unit(hk)) / ne) * 2 * Math.PI;
    const [x, y, ang] = at(theta, lumenRadius(scene, v, s, theta) + 0.5);
    paintNucleus(scene, b, f, x, y, ang, 3.6 + 1.6 * unit(hash3(hk, 1, 1)), 0.85 + 0.25 * unit(hash3(hk, 2, 1)), 1.25, false, hk, 0.1);
  }
  // Media: cigar nuclei lying round the lumen, about one per 60 µm² of the oval's media.
  const mediaOut = mediaOuter(v);
  const area = Math.PI * s.asp * (mediaOut * mediaOut - (v.r + 1.5) ** 2);
  const nm = Math.max(2, Math.round(area / 60));
  for (let k = 0; k < nm; k++) {
    const hk = hash3(h, k, 2);
    const theta = unit(hk) * 2 * Math.PI;
    const rl = lumenRadius(scene, v, s, theta) + 2.2;
    const rho = rl + (mediaOut - 1 - rl) * unit(hash3(hk, 1, 2));
    if (rho <= rl) continue;
    const [x, y, ang] = at(theta, rho);
    paintNucleus(scene, b, f, x, y, ang, 3.8 + 1.8 * unit(hash3(hk, 2, 2)), 1.05 + 0.3 * unit(hash3(hk, 3, 2)), 1.05, false, hk, 0.15);
  }
}
