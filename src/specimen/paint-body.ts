import type { Buffers } from './paint-tissue';
import type { Frame } from './paint-nucleus';
import { clamp01 } from './coverage';

/**
 * A smooth-muscle cell's body round its nucleus: a spindle of cytoplasm a shade deeper or paler
 * than its neighbours', tapering to points well past the nucleus's ends. Without it the
 * cytoplasm's texture ran in strips of its own (the ribbons) that took no notice of where the
 * nuclei were, and blind readers saw nuclei "on a painted backdrop", not cells.
 */

/** Width (µm) over which a body's side fades into its neighbours'. */
const SOFT_UM = 2;

/**
 * Scales the eosin (and actin) of the spindle centred on (cx, cy) along `angle`, half-length
 * `half` and half-width `wide` at its middle, by 1 - tone (tone < 0 deepens). Its width tapers as
 * 1 - u² along it (u = ±1 at its tips), and its sides and tips are soft. A neighbour's nucleus,
 * already drawn, keeps its stain. Only the spindle's rows are visited, each over its own span.
 */
export function toneBody(b: Buffers, f: Frame, cx: number, cy: number, angle: number, half: number, wide: number, tone: number): void {
  const { upp } = f;
  if (wide < upp) return;
  const cs = Math.cos(angle);
  const sn = Math.sin(angle);
  const ry = Math.abs(half * sn) + Math.abs(wide * cs) + upp;
  const py0 = Math.max(0, Math.floor((cy - ry - f.y0) / upp));
  const py1 = Math.min(f.h - 1, Math.floor((cy + ry - f.y0) / upp));
  const iHalf = 1 / half;
  const iSoft = 1 / SOFT_UM;
  // Along the axis the tone fades over 3 SOFT_UM to each tip.
  const tipSoft = half / (3 * SOFT_UM);
  for (let py = py0; py <= py1; py++) {
    const dy = f.y0 + (py + 0.5) * upp - cy;
    // The row's span inside the body's bounding rectangle (|u| ≤ half, |v| ≤ wide), with
    // u = dx cs + dy sn and v = dy cs - dx sn.
    let lo = -Infinity;
    let hi = Infinity;
    if (Math.abs(cs) > 1e-6) {
      const a = (-half - dy * sn) / cs;
      const c = (half - dy * sn) / cs;
      lo = Math.max(lo, Math.min(a, c));
      hi = Math.min(hi, Math.max(a, c));
    }
    if (Math.abs(sn) > 1e-6) {
      const a = (dy * cs - wide) / sn;
      const c = (dy * cs + wide) / sn;
      lo = Math.max(lo, Math.min(a, c));
      hi = Math.min(hi, Math.max(a, c));
    }
    if (!(hi > lo)) continue;
    const px0 = Math.max(0, Math.floor((cx + lo - f.x0) / upp));
    const px1 = Math.min(f.w - 1, Math.floor((cx + hi - f.x0) / upp));
    const row = py * b.size;
    for (let px = px0; px <= px1; px++) {
      const dx = f.x0 + (px + 0.5) * upp - cx;
      const u = (dx * cs + dy * sn) * iHalf;
      const u2 = u * u;
      if (u2 >= 1) continue;
      const v = Math.abs(dy * cs - dx * sn);
      const w = wide * (1 - u2);
      if (v >= w) continue;
      const i = row + px;
      const k = tone * clamp01((w - v) * iSoft) * clamp01((1 - Math.abs(u)) * tipSoft) * (1 - clamp01(b.H[i]! * 5));
      b.E[i] = b.E[i]! * (1 - k);
      b.S[i] = b.S[i]! * (1 - k);
    }
  }
}
