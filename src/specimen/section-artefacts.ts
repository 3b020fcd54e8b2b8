import type { GradientNoise } from './noise';
import { bandCoverage } from './coverage';
import { hash3, unit } from './hash';

/**
 * What the microtome leaves on a section, as a relative thickness per point (1 = the nominal
 * section): everything stained there, nuclei included, is that much denser or fainter.
 *
 * - Chatter: the knife vibrates as it cuts, leaving bands parallel to its edge, thicker and
 *   thinner by up to a fifth every few tens of µm, over part of the section.
 * - A knife line: a nick in the blade drags a narrow track through the section along the
 *   cutting direction, where the tissue is torn out: it wanders a little, widens and narrows,
 *   tears through in some stretches and only thins others, and its edges fray.
 * - The tear's edges: the nick parts the tissue and drags it along as it goes, so within a few
 *   µm of the track what lies there is pulled towards the track and forwards along the cut
 *   (`tearOffsets`), and a nucleus it crosses is split and smeared, not overpainted. (With a
 *   thinned strip alone, nuclei showed through it undisturbed: drawn over, not torn.)
 *
 * Each section is cut on its own, so each has its own (from the section's salt). Cells, mitoses
 * and regions stay where ground truth has them, only fainter or denser, except within the
 * tear's few µm, whose tissue is moved by at most TEAR_REACH_UM. Every pixel's value is the
 * area average of the thickness over it (chatter's sine by its sinc, the track by its
 * coverage), so coarser levels keep the mean of the finer ones.
 */

/** Chatter: spacing of the bands (µm), peak amplitude, and the span (µm) of its patches. (At
 * ±30% the counting assist's Ki67 precision fell to 0.88 in a chattered hot spot; ±20%, 0.90.) */
const CHATTER_UM = 40;
const CHATTER_AMP = 0.2;
const CHATTER_PATCH_UM = 5200;
/** Within a patch the bands come and go along their length (streaks ~BAND_ALONG_UM long, a
 * few bands wide) and bow by up to BAND_BOW of a cycle over ~BAND_BOW_UM: even, ruled bands
 * over a whole field read as corduroy. */
const BAND_ALONG_UM = 160;
const BAND_ACROSS_UM = 110;
const BAND_BOW = 0.3;
const BAND_BOW_UM = 240;
/** The knife line: how thin the tissue is in it, and its half-width (µm) per unit of its noise.
 * (At 0.88, 12-34% of the tissue stayed in the track, and the nuclei it crossed showed through
 * as if a pale stroke were painted over them.) */
const TRACK_THIN = 0.97;
const TRACK_HALF_UM = 2.2;
/** Its width's offset against the along-track noise (about -1.5 to 1.5): under it, no track. */
const TRACK_GAPS = 0.4;
/** How far (µm) the track wanders from its line (a ruler-straight track read as drawn), and
 * the torn edge's fine fray (µm). */
const TRACK_WANDER_UM = 3;
const TRACK_FRAY_UM = 0.6;
/** The tear's edges: how far beside the track (µm) the tissue is moved, how far at most it is
 * dragged along the cut (µm), and what share of the track's half-width it is pulled across
 * towards it (the rest of the track is tissue torn out). */
const DRAG_ZONE_UM = 6;
const DRAG_ALONG_UM = 5;
const PULL = 0.55;
/** Coarsest µm per pixel at which the drag is drawn: beyond it, it fades (under a pixel there). */
const DRAG_UPP = 2;
/** No point's tissue moves further than this (µm), at 40x (the drag fades with the pixel). */
const TEAR_REACH_UM = 6;

/** How far (µm) the tear moves tissue at most where a pixel spans `upp` µm (0: not at all). */
export function tearReach(upp: number): number {
  return upp >= DRAG_UPP ? 0 : TEAR_REACH_UM * (1 - upp / DRAG_UPP);
}
const TABLE = 1024;
/** Pixels between samples of the chatter patches' extent. */
const PATCH_STEP = 16;

export class SectionArtefacts {
  /** Cutting direction (the knife moves along it): unit vector (c, s). */
  private readonly c: number;
  private readonly s: number;
  private readonly phase: number;
  private readonly patchPhase: number;
  /** The track's offset across the cutting direction (µm), in the frame (u along, t across). */
  private readonly track: number;
  /** One period of a sine, tabulated: a tile asks for it at every pixel. */
  private readonly sine = new Float32Array(TABLE + 1);
  /** Samples of the chatter patches' extent over a tile (patchGrid). */
  private grid = new Float32Array(0);

  constructor(
    widthUm: number,
    heightUm: number,
    salt: number,
    private readonly shape: GradientNoise,
  ) {
    const a = 0.25 + 0.25 * unit(hash3(salt, 0xc47, 1));
    this.c = Math.cos(a);
    this.s = Math.sin(a);
    this.phase = unit(hash3(salt, 0xc47, 2));
    this.patchPhase = unit(hash3(salt, 0xc47, 3)) * 2 * Math.PI;
    // Through the middle 40% of the section, somewhere.
    const t = (x: number, y: number): number => -x * this.s + y * this.c;
    this.track = t(widthUm * (0.3 + 0.4 * unit(hash3(salt, 0xc47, 4))), heightUm * (0.3 + 0.4 * unit(hash3(salt, 0xc47, 5))));
    for (let k = 0; k <= TABLE; k++) this.sine[k] = Math.sin((2 * Math.PI * k) / TABLE);
  }

  /**
   * Thickness over a w × h grid of pixels (µm per pixel upp, first pixel's corner at x0, y0),
   * written row by row into `out` with row length `size`.
   */
  fill(x0: number, y0: number, upp: number, w: number, h: number, out: Float32Array, size: number): void {
    const { c, s, sine } = this;
    // A pixel's area average of the bands' sine: the sine times sinc along each axis.
    const sinc = (z: number): number => (z < 1e-6 ? 1 : Math.sin(z) / z);
    const amp = CHATTER_AMP * sinc((Math.PI * upp * c) / CHATTER_UM) * sinc((Math.PI * upp * s) / CHATTER_UM);
    const half = upp * 0.5;
    const chatter = amp > 0.002 || amp < -0.002;
    // The patches' extent is slow (hundreds of µm): sampled every PATCH_STEP pixels and
    // interpolated, a noise lookup per 256 pixels instead of per pixel.
    const gw = Math.ceil(w / PATCH_STEP) + 1;
    const gh = Math.ceil(h / PATCH_STEP) + 1;
    const nGrid = gw * gh;
    const grid = this.patchGrid(nGrid);
    if (chatter)
      for (let gj = 0; gj < gh; gj++)
        for (let gi = 0; gi < gw; gi++) {
          const X = x0 + (gi * PATCH_STEP + 0.5) * upp;
          const Y = y0 + (gj * PATCH_STEP + 0.5) * upp;
          const t = -X * s + Y * c;
          // Patches of chatter, thousands of µm across, fading in and out along the knife and
          // with a ragged edge (a slow noise), never cut off along a line.
          const g = gj * gw + gi;
          grid[g] = 1.6 * Math.sin((t / CHATTER_PATCH_UM) * 2 * Math.PI + this.patchPhase) - 0.5 + 0.9 * this.shape.noise(X / 900 + 41, Y / 900 + 17);
          // Within a patch the bands break into streaks and bow (slow too: on the same grid).
          const u = X * c + Y * s;
          grid[nGrid + g] = this.bandStrength(u, t);
          grid[2 * nGrid + g] = this.bandShift(u, t);
        }
    // Most tiles lie outside every patch and away from the knife line: all of the nominal thickness.
    let anyChatter = false;
    if (chatter) for (let g = 0; g < gw * gh; g++) if (grid[g]! > 0) anyChatter = true;
    const corners = [this.lineAt(x0, y0), this.lineAt(x0 + w * upp, y0), this.lineAt(x0, y0 + h * upp), this.lineAt(x0 + w * upp, y0 + h * upp)];
    const reach = TRACK_HALF_UM * (1.5 + TRACK_GAPS) + TRACK_FRAY_UM + 1.3 * TRACK_WANDER_UM + half;
    const nearTrack = Math.min(...corners) < reach && Math.max(...corners) > -reach;
    // (The fray fades out where pixels are wider than it, or it would alias.)
    const fray = upp < 2 ? TRACK_FRAY_UM * (1 - upp / 2) : 0;
    if (!anyChatter && !nearTrack) {
      for (let py = 0; py < h; py++) out.fill(1, py * size, py * size + w);
      return;
    }
    for (let py = 0; py < h; py++) {
      const Y = y0 + (py + 0.5) * upp;
      const gj = Math.floor(py / PATCH_STEP);
      const fy = (py - gj * PATCH_STEP) / PATCH_STEP;
      for (let px = 0; px < w; px++) {
        const X = x0 + (px + 0.5) * upp;
        const u = X * c + Y * s;
        let k = 1;
        if (anyChatter) {
          const gi = Math.floor(px / PATCH_STEP);
          const fx = (px - gi * PATCH_STEP) / PATCH_STEP;
          const g = gj * gw + gi;
          const p = (grid[g]! * (1 - fx) + grid[g + 1]! * fx) * (1 - fy) + (grid[g + gw]! * (1 - fx) + grid[g + gw + 1]! * fx) * fy;
          if (p > 0) {
            const m = g + nGrid;
            const strength = (grid[m]! * (1 - fx) + grid[m + 1]! * fx) * (1 - fy) + (grid[m + gw]! * (1 - fx) + grid[m + gw + 1]! * fx) * fy;
            const b = m + nGrid;
            const shift = (grid[b]! * (1 - fx) + grid[b + 1]! * fx) * (1 - fy) + (grid[b + gw]! * (1 - fx) + grid[b + gw + 1]! * fx) * fy;
            const f = u / CHATTER_UM + this.phase + shift;
            const j = (f - Math.floor(f)) * TABLE;
            k += amp * (p > 1 ? 1 : p) * strength * sine[j | 0]!;
          }
        }
        if (nearTrack) {
          const line = this.lineAt(X, Y);
          if (line < reach && line > -reach) {
            const t = line - this.wander(u);
            const d = t < 0 ? -t : t;
            if (d < reach - TRACK_WANDER_UM) {
              const sh = this.shape;
              // Wider and narrower along its length (up to 4 µm, and in places not there at all:
              // the nick skipped), its edges frayed at a micrometre or two, torn through in
              // holes and shreds rather than evenly thinned, deeper in some stretches than others.
              const hw = this.halfWidth(u) + (fray > 0 ? fray * sh.noise(u / 2.2 + 3, t / 1.2) : 0);
              if (hw > 0.15) {
                const depth = 1.1 + 0.5 * sh.noise(u / 260 + 19, 3.5);
                const torn = fray > 0 ? TRACK_THIN + fray * 0.25 * sh.noise(u / 3.5 + 5, t / 1.6) : TRACK_THIN;
                k *= 1 - (torn > 0.97 ? 0.97 : torn) * (depth > 1 ? 1 : depth) * bandCoverage(d, hw, half);
              }
            }
          }
        }
        out[py * size + px] = k;
      }
    }
  }

  /** Whether the tear (the track and the tissue it moves) reaches a box (µm) widened by `margin`. */
  nearTear(x0: number, y0: number, x1: number, y1: number, margin: number): boolean {
    const reach = TRACK_HALF_UM * (1.5 + TRACK_GAPS) + DRAG_ZONE_UM + 1.3 * TRACK_WANDER_UM + margin;
    const corners = [this.lineAt(x0, y0), this.lineAt(x1, y0), this.lineAt(x0, y1), this.lineAt(x1, y1)];
    return Math.min(...corners) < reach && Math.max(...corners) > -reach;
  }

  /**
   * Where the tear moved the tissue each pixel shows: for a w × h grid of pixels (µm per pixel
   * upp, first pixel's corner at x0, y0), the offset (µm) from the pixel's centre to the point
   * of the uncut section it shows, written row by row into dx and dy (row length `size`).
   * Beside the track the tissue is pulled towards it (the track opens by parting as much as by
   * tearing out) and dragged forwards along the cut, more on one side and in some stretches
   * than in others, both fading over DRAG_ZONE_UM. Returns false where nothing moved.
   */
  tearOffsets(x0: number, y0: number, upp: number, w: number, h: number, dx: Float32Array, dy: Float32Array, size: number): boolean {
    const fade = tearReach(upp) / TEAR_REACH_UM;
    if (fade <= 0 || !this.nearTear(x0, y0, x0 + w * upp, y0 + h * upp, 0)) return false;
    const { c, s } = this;
    const sh = this.shape;
    const reach = TRACK_HALF_UM * (1.5 + TRACK_GAPS) + DRAG_ZONE_UM;
    let moved = false;
    for (let py = 0; py < h; py++) {
      const Y = y0 + (py + 0.5) * upp;
      for (let px = 0; px < w; px++) {
        const X = x0 + (px + 0.5) * upp;
        const o = py * size + px;
        dx[o] = 0;
        dy[o] = 0;
        const line = this.lineAt(X, Y);
        if (line > reach + 1.3 * TRACK_WANDER_UM || line < -reach - 1.3 * TRACK_WANDER_UM) continue;
        const u = X * c + Y * s;
        const t = line - this.wander(u);
        const d = t < 0 ? -t : t;
        const hw = this.halfWidth(u);
        if (hw <= 0.15 || d > hw + DRAG_ZONE_UM) continue;
        // 1 at the track's edge (and in it), 0 DRAG_ZONE_UM beyond.
        const e = d < hw ? 1 : 1 - (d - hw) / DRAG_ZONE_UM;
        // Pulled across: the edge shows tissue from PULL of the way in (monotonic, so nothing
        // folds over itself: the shift's slope, PULL·hw / DRAG_ZONE_UM, stays under 1).
        const across = -(t < 0 ? -1 : 1) * PULL * (hw < TRACK_HALF_UM * 2 ? hw : TRACK_HALF_UM * 2) * e;
        // Dragged along: one side more than the other, in stretches, and less where the nick
        // barely cut (so the drag fades out with the track, never starts at a step).
        const side = t < 0 ? 0.55 : 1;
        const g = 0.45 + 0.7 * sh.noise(u / 70 + 23, t < 0 ? 4.5 : 6.5);
        const grip = hw > 1 ? 1 : hw;
        const along = -DRAG_ALONG_UM * side * grip * (g < 0 ? 0 : g > 1 ? 1 : g) * e;
        dx[o] = fade * (along * c - across * s);
        dy[o] = fade * (along * s + across * c);
        moved = true;
      }
    }
    return moved;
  }

  /** The track's half-width (µm) at `u` along the cut, before its edges fray (≤ 0: no track there). */
  private halfWidth(u: number): number {
    // Wider and narrower along its length (up to 4 µm, and in places not there at all: the nick skipped).
    const g = this.shape.noise(u / 45 + 7, 0.5) + 0.5 * this.shape.noise(u / 12 + 2, 1.5);
    return TRACK_HALF_UM * (g + TRACK_GAPS);
  }

  /** The patch samples' scratch, grown as needed (it belongs to this instance). */
  private patchGrid(n: number): Float32Array {
    if (this.grid.length < 3 * n) this.grid = new Float32Array(3 * n);
    return this.grid;
  }

  /** How strongly the bands show at a point (0-1): they come and go along their length. */
  private bandStrength(u: number, t: number): number {
    const m = 0.6 + 0.8 * this.shape.noise(t / BAND_ALONG_UM + 3.7, u / BAND_ACROSS_UM + 8.1);
    return m < 0 ? 0 : m > 1 ? 1 : m;
  }

  /** How far (in cycles) the bands are shifted at a point: they bow a little, not ruled. */
  private bandShift(u: number, t: number): number {
    return BAND_BOW * this.shape.noise(t / BAND_BOW_UM + 13.3, u / (2 * BAND_BOW_UM) + 2.9);
  }

  /** Where a point lies in the chatter's cycle, 0-1 (0.25 thickest, 0.75 thinnest). */
  chatterPhase(x: number, y: number): number {
    const u = x * this.c + y * this.s;
    const f = u / CHATTER_UM + this.phase + this.bandShift(u, -x * this.s + y * this.c);
    return f - Math.floor(f);
  }

  /** The cutting direction (radians). */
  get cutAngle(): number {
    return Math.atan2(this.s, this.c);
  }

  /** Distance (µm) from a point to the knife line's centre. */
  trackDistance(x: number, y: number): number {
    const t = this.trackOffset(x, y);
    return t < 0 ? -t : t;
  }

  /** Signed distance (µm) from a point to the knife line's centre, across the cut (its sign tells the side). */
  trackOffset(x: number, y: number): number {
    return this.lineAt(x, y) - this.wander(x * this.c + y * this.s);
  }

  /** Signed distance (µm) across the cutting direction from the straight line the track wanders about. */
  private lineAt(x: number, y: number): number {
    return -x * this.s + y * this.c - this.track;
  }

  /** The track's centre off its line (µm) at `u` along the cutting direction. */
  private wander(u: number): number {
    return TRACK_WANDER_UM * (this.shape.noise(u / 170 + 3, 1.5) + 0.3 * this.shape.noise(u / 37 + 11, 2.5));
  }
}
