import type { Blob } from './blob';
import type { GradientNoise } from './noise';
import { hash3, unit } from './hash';
import { tableCos, tableSin } from './sine-table';
import { BEND_MEANDER_SLOPE, bendOf, bendOffset, bendSlope, frameKey, meanderOf } from './fibre-bend';

/**
 * The tumour's fascicles: long bundles of smooth-muscle cells that cross each other at roughly
 * right angles, some cut across (round profiles) or obliquely. Each site is a bundle with a
 * footprint (an ellipse in its own metric, long along its cells and narrow across them, bent
 * with their sweep), and bundles lie over each other: a point belongs to the highest bundle
 * covering it, so the one on top runs along every border it makes and the one beneath ends
 * against it. The main family's sites gather into streams about a millimetre across, each one
 * bundle with one direction and texture; the crossing family's sites in a stream make one
 * shorter bundle across it, and those cut across are bundles of their own. Borders wander a
 * little (the lookup is warped at three scales) and interlock (fingers of each side's cells).
 * A fascicle's direction is constant but for its gentle sweep (no swirls, no whorls); round a
 * necrosis, short fascicles lie along its border and wrap it. Candidate sites are listed once
 * per grid square (the nearest, and every footprint reaching into it), so a lookup tests a
 * handful of sites.
 */

export interface Fascicle {
  /** Direction of the cells. */
  angle: number;
  /** Direction of the fascicle's fibre texture (the same: constant across the fascicle). */
  textureAngle: number;
  /** Cut across: cells seen end-on as round profiles. */
  transverse: boolean;
  /** How obliquely the cells are cut, 0 (along their length) to 1 (across). */
  oblique: number;
  /** The fascicle's site: its fibre texture is laid out relative to it. */
  ox: number;
  oy: number;
  /** Distance (µm) to the nearest border with a neighbouring fascicle, or with a finger of one
   * (only `withEdge`). */
  edge: number;
  /** The fascicle's group and its neighbour's (ids: the pair names the border). A stream of
   * the main family is one group however many sites it spans. */
  site: number;
  site2: number;
  /**
   * The neighbour across that border (only `withEdge`): its texture direction, whether it is
   * cut across, and its site. Near a border both fascicles' textures show, blended.
   */
  angle2: number;
  transverse2: boolean;
  ox2: number;
  /** The neighbour's obliquity. */
  oblique2: number;
  oy2: number;
}

export function newFascicle(): Fascicle {
  return { angle: 0, textureAngle: 0, transverse: false, oblique: 0, ox: 0, oy: 0, edge: 1e9, site: 0, site2: 0, angle2: 0, transverse2: false, ox2: 0, oy2: 0, oblique2: 0 };
}

/**
 * Cells cut obliquely (Fascicle.oblique, 0 to 1) look shorter and plumper in the section: their
 * length shrinks by up to OBLIQUE_SHORTEN and their width grows by up to OBLIQUE_WIDEN, nuclei
 * (cells.ts) and the cytoplasm's ribbons and fibrils (paint-muscle.ts) alike.
 */
export const OBLIQUE_SHORTEN = 0.6;
export const OBLIQUE_WIDEN = 0.4;

/** Spacing (µm) of the fascicle sites. */
const SITE_UM = 250;
/**
 * The main family's sites gather into streams: those nearest one stream seed (seeds spaced
 * about this many µm) share its direction, texture origin, sweep and obliquity, so their cells
 * run on from one site's reach into the next with no border between them. Each site drawn
 * with a frame of its own met its neighbours at seams: a patchwork of small polygons, with
 * chevrons where two sweeps met, that blind readers named first.
 */
const STREAM_UM = 900;
/** Shares of the main family's fascicles and of the crossing family's cut obliquely. */
const MAIN_OBLIQUE_SHARE = 0.1;
const ACROSS_OBLIQUE_SHARE = 0.8;
/** Share of fascicles cut across, and of the others that belong to the crossing family. */
const ACROSS = 0.2;
const ACROSS_SHARE = 0.3;
/** Streams' directions spread this much (radians) about the section's slow direction. */
const STREAM_SPREAD = 0.3;
/** Group ids of sites that are a group of their own start here (streams' ids are below, the
 * crossing family's bundles' from CROSS_GROUP). */
const OWN_GROUP = 1 << 24;
const CROSS_GROUP = 1 << 23;
/** Kinds of site. */
const ALONG = 0;
const CROSS_CUT = 1;
const WRAP = 2;
/** Fascicles along a necrosis: one per this many µm of its border, this far outside it. */
const WRAP_SPACING_UM = 130;
const WRAP_OFFSET_UM = 30;
/** Amplitudes (µm) of the lookup's warp at 300 and 75 µm: enough to make a bundle's edge
 * wander, not so much that it leaves its fibres' course. */
const WARP_300 = 25;
const WARP_75 = 20;
/** The crossing family's bundles are shorter than the streams' (which run for millimetres). */
const CROSS_LENGTH = 0.6;
/** The crossing bundles' directions spread this much (radians) about the right angle. */
const CROSS_SPREAD = 0.3;
/** A site's footprint (its bundle): where its metric distance² is under this. */
const COVER = 1.5;
/**
 * A bundle swells and narrows along its course: its width is W · m(u), m = 1 + Σ A sin(u/λ + p)
 * over two waves (periods about 600 and 240 µm) with the site's own phases and a share of the
 * amplitudes. Of constant width, a bundle's sides ran as two straight parallel edges for
 * hundreds of µm, which blind readers named first. The waves' slope (W·A/λ, under 0.3) keeps
 * the edge within ~17° of the fibres, so the bundle on top still runs along its border.
 */
const SWELL_A1 = 0.3;
const SWELL_L1 = 95;
const SWELL_A2 = 0.1;
const SWELL_L2 = 38;
/** Sites further than this many squares from a point are never its nearest, and their footprints
 * (at most ~1.4 mm from the site, sweep included) never reach it. */
const SEARCH = 9;
/** Within this distance (µm) of a border, fingers of the next fascicle reach in; the finger
 * rule's slope (per µm) makes sure none reaches further (the noises differ by under 1.5). */
const FINGER_UM = 24;
const FINGER_SLOPE = 1.5 / FINGER_UM;
/** The finger rule's value climbs about this much a µm across a finger's border (the noise's
 * scale across it is 4.5 µm): its value over this is the distance to that border. */
const FINGER_RISE = 0.3;
/** The rule is evaluated this far (µm) from the border, past the fingers' reach, so the distance
 * it gives has grown past any blend (≥ 0.75 / FINGER_RISE = 2.5 µm) where it hands over to the
 * border's own distance. */
const FINGER_ZONE_UM = 1.5 * FINGER_UM;

export class FascicleField {
  private readonly sx: Float64Array;
  private readonly sy: Float64Array;
  private readonly cos: Float64Array;
  private readonly sin: Float64Array;
  /** 1/L² along and 1/W² across the site's direction: its metric. */
  private readonly iL2: Float64Array;
  private readonly iW2: Float64Array;
  private readonly kind: Uint8Array;
  private readonly angle: Float64Array;
  private readonly oblique: Float64Array;
  /** Each site's group (its stream's id, or from OWN_GROUP up its own) and texture origin. */
  private readonly group: Int32Array;
  /** Which bundle lies over which where their footprints overlap (higher on top). */
  private readonly prio: Float64Array;
  /** The sweep of the site's fibres (fibre-bend.ts), which its footprint follows: the turn,
   * the site's distance along from its frame origin and the sideways offset there, and how far
   * (µm) its footprint's edge strays sideways from its straight axis's (the midline's sweep and
   * the swell). */
  private readonly phi: Float64Array;
  /** The meander's phase, and whether the site sweeps and meanders at all (bundles cut along
   * or obliquely; those cut across and those wrapping a necrosis do not). */
  private readonly phase: Float64Array;
  private readonly swept: Uint8Array;
  private readonly uSite: Float64Array;
  private readonly offSite: Float64Array;
  private readonly stray: Float64Array;
  /** A bound on |∇d2| / √d2 for the site but for the swell's term: 2 (1/L + √(1 + σ²)/(W m_min)),
   * the midline's slope being under σ = |φ| + the meander's. */
  private readonly gradBound: Float64Array;
  /** The swell's amplitudes and phases (0 for bundles cut across), and a bound on |m'|/m. */
  private readonly swellA1: Float64Array;
  private readonly swellA2: Float64Array;
  private readonly swellP1: Float64Array;
  private readonly swellP2: Float64Array;
  private readonly swellSlope: Float64Array;
  private readonly fx: Float64Array;
  private readonly fy: Float64Array;
  /** Candidate sites per grid square, listed when first asked for. */
  private readonly lists: Array<Int32Array | undefined>;
  private readonly cols: number;
  private readonly rows: number;
  /** The regular sites' grid: index range and row length; wrap sites follow them. */
  private readonly perRow: number;
  private readonly n0: number;
  private readonly ni: number;
  private readonly nj: number;
  private readonly regular: number;

  constructor(
    widthUm: number,
    heightUm: number,
    seed: number,
    private readonly shape: GradientNoise,
    necrosis: readonly Blob[],
  ) {
    const sites: Array<{ x: number; y: number; a: number; L: number; W: number; kind: number; oblique: number; group: number; fx: number; fy: number }> = [];
    // One slow direction over the section; fascicles run along it or across it.
    const baseAt = (x: number, y: number): number => 1.8 * shape.noise(x / 3200 + 61, y / 3200) + 0.35 * shape.noise(x / 1100 + 40, y / 1100);
    const streamSeed = (gi: number, gj: number): [number, number] => {
      const h = hash3(gi, gj, seed ^ 0x57e4);
      return [(gi + 0.2 + 0.6 * unit(hash3(h, 1, 5))) * STREAM_UM, (gj + 0.2 + 0.6 * unit(hash3(h, 2, 5))) * STREAM_UM];
    };
    const streamOf = (x: number, y: number): [number, number] => {
      const ci = Math.floor(x / STREAM_UM);
      const cj = Math.floor(y / STREAM_UM);
      let best: [number, number] = [ci, cj];
      let bd = Infinity;
      for (let gj = cj - 1; gj <= cj + 1; gj++)
        for (let gi = ci - 1; gi <= ci + 1; gi++) {
          const [px, py] = streamSeed(gi, gj);
          const d = (px - x) ** 2 + (py - y) ** 2;
          if (d < bd) {
            bd = d;
            best = [gi, gj];
          }
        }
      return best;
    };
    // Group ids: a stream's from its seed cell, every other site its own (from OWN_GROUP up;
    // all non-negative: the painter marks "no fascicle" with -1).
    const streamId = (gi: number, gj: number): number => (gj + 8) * 4096 + gi + 8;
    const n0 = -1;
    const ni = Math.ceil(widthUm / SITE_UM) + 1;
    const nj = Math.ceil(heightUm / SITE_UM) + 1;
    for (let j = n0; j <= nj; j++) {
      for (let i = n0; i <= ni; i++) {
        const h = hash3(i, j, seed ^ 0xfa5c);
        const x = (i + 0.1 + 0.8 * unit(hash3(h, 1, 3))) * SITE_UM;
        const y = (j + 0.1 + 0.8 * unit(hash3(h, 2, 3))) * SITE_UM;
        const base = baseAt(x, y);
        const k = unit(hash3(h, 3, 3));
        if (k < ACROSS) {
          const r = SITE_UM * (0.55 + 0.25 * unit(hash3(h, 5, 3)));
          sites.push({ x, y, a: base, L: r, W: r * 0.85, kind: CROSS_CUT, oblique: 1, group: OWN_GROUP + sites.length, fx: x, fy: y });
        } else {
          // Fascicles of the crossing family lie here and there in the main family's streams.
          const across = unit(hash3(h, 9, 3)) < ACROSS_SHARE;
          const [gi, gj] = streamOf(x, y);
          // The crossing family's sites in one stream make one bundle with them: one direction
          // (about across the stream's), texture origin and obliquity, as the stream's own do.
          // (Each its own, where two overlapped they met as two parallel bundles at a seam.)
          const [sx0, sy0] = streamSeed(gi, gj);
          const [fx, fy] = across ? [sx0 + 173, sy0 - 117] : [sx0, sy0];
          const group = across ? CROSS_GROUP + streamId(gi, gj) : streamId(gi, gj);
          const gh = hash3(gi, gj, across ? seed ^ 0xc05 : seed ^ 0x0b1);
          sites.push({
            x,
            y,
            group,
            fx,
            fy,
            a: across ? baseAt(sx0, sy0) + Math.PI / 2 + CROSS_SPREAD * (unit(hash3(gh, 4, 3)) - 0.5) : baseAt(fx, fy) + STREAM_SPREAD * (unit(hash3(gh, 4, 3)) - 0.5),
            L: SITE_UM * (2 + 1.6 * unit(hash3(h, 5, 3))) * (across ? CROSS_LENGTH : 1),
            W: SITE_UM * (0.36 + 0.22 * unit(hash3(h, 6, 3))),
            kind: ALONG,
            // The main family mostly runs in the section's plane, cut along its length. The
            // family crossing it runs at right angles in space, so mostly out of that plane:
            // cut obliquely, its cells foreshortened. (Both families cut along their length
            // met at every border as two combed textures at right angles: straight seams.)
            oblique: across
              ? unit(hash3(gh, 7, 3)) < ACROSS_OBLIQUE_SHARE
                ? 0.35 + 0.45 * unit(hash3(gh, 8, 3))
                : 0
              : unit(hash3(gh, 7, 3)) < MAIN_OBLIQUE_SHARE
                ? 0.25 + 0.45 * unit(hash3(gh, 8, 3))
                : 0,
          });
        }
      }
    }
    // Round each necrosis, short fascicles lying along its border.
    necrosis.forEach((n, m) => {
      const perimeter = Math.PI * (n.rx + n.ry);
      const count = Math.max(8, Math.round(perimeter / WRAP_SPACING_UM));
      for (let k = 0; k < count; k++) {
        const t = ((k + 0.5 * unit(hash3(seed, m, k))) / count) * Math.PI * 2;
        const r = n.radiusAt(t);
        const ex = Math.cos(t) * r * n.rx;
        const ey = Math.sin(t) * r * n.ry;
        const len = Math.hypot(ex / n.rx, ey / n.ry) || 1;
        // Outward normal of the ellipse at t (near enough for a wobbling outline).
        const nx = Math.cos(t) / n.rx / len;
        const ny = Math.sin(t) / n.ry / len;
        const nn = Math.hypot(nx, ny) || 1;
        const x = n.cx + ex + (nx / nn) * WRAP_OFFSET_UM;
        const y = n.cy + ey + (ny / nn) * WRAP_OFFSET_UM;
        sites.push({ x, y, a: Math.atan2(ny, nx) + Math.PI / 2, L: WRAP_SPACING_UM * 0.9, W: 62, kind: WRAP, oblique: 0, group: OWN_GROUP + sites.length, fx: x, fy: y });
      }
    });
    const N = sites.length;
    this.sx = new Float64Array(N);
    this.sy = new Float64Array(N);
    this.cos = new Float64Array(N);
    this.sin = new Float64Array(N);
    this.iL2 = new Float64Array(N);
    this.iW2 = new Float64Array(N);
    this.kind = new Uint8Array(N);
    this.angle = new Float64Array(N);
    this.oblique = new Float64Array(N);
    this.group = new Int32Array(N);
    this.prio = new Float64Array(N);
    this.phi = new Float64Array(N);
    this.phase = new Float64Array(N);
    this.swept = new Uint8Array(N);
    this.uSite = new Float64Array(N);
    this.offSite = new Float64Array(N);
    this.stray = new Float64Array(N);
    this.gradBound = new Float64Array(N);
    this.swellA1 = new Float64Array(N);
    this.swellA2 = new Float64Array(N);
    this.swellP1 = new Float64Array(N);
    this.swellP2 = new Float64Array(N);
    this.swellSlope = new Float64Array(N);
    this.fx = new Float64Array(N);
    this.fy = new Float64Array(N);
    sites.forEach((s, k) => {
      this.sx[k] = s.x;
      this.sy[k] = s.y;
      // Direction taken in the right half-plane, as the painter's frame is (fibre-bend.ts).
      const flip = Math.cos(s.a) < 0 ? -1 : 1;
      this.cos[k] = Math.cos(s.a) * flip;
      this.sin[k] = Math.sin(s.a) * flip;
      this.iL2[k] = 1 / (s.L * s.L);
      this.iW2[k] = 1 / (s.W * s.W);
      this.kind[k] = s.kind;
      this.angle[k] = s.a;
      this.oblique[k] = s.oblique;
      this.group[k] = s.group;
      const swept = s.kind === ALONG;
      const phi = swept ? bendOf(frameKey(s.fx, s.fy)) : 0;
      const phase = swept ? meanderOf(frameKey(s.fx, s.fy)) : 0;
      const uS = (s.x - s.fx) * this.cos[k]! + (s.y - s.fy) * this.sin[k]!;
      this.phi[k] = phi;
      this.phase[k] = phase;
      this.swept[k] = swept ? 1 : 0;
      this.uSite[k] = uS;
      this.offSite[k] = swept ? bendOffset(phi, uS, phase) : 0;
      const sh = hash3(k, seed, 0x5e11);
      const share = s.kind === CROSS_CUT ? 0 : 0.4 + 0.6 * unit(hash3(sh, 1, 1));
      this.swellA1[k] = SWELL_A1 * share;
      this.swellA2[k] = SWELL_A2 * share;
      this.swellP1[k] = 2 * Math.PI * unit(hash3(sh, 2, 1));
      this.swellP2[k] = 2 * Math.PI * unit(hash3(sh, 3, 1));
      const mMin = 1 - this.swellA1[k]! - this.swellA2[k]!;
      this.swellSlope[k] = (this.swellA1[k]! / SWELL_L1 + this.swellA2[k]! / SWELL_L2) / mMin;
      const reach = s.L * Math.sqrt(COVER) + 2 * SITE_UM;
      let stray = 0;
      if (swept) for (let t = -1; t <= 1; t += 0.01) stray = Math.max(stray, Math.abs(bendOffset(phi, uS + t * reach, phase) - this.offSite[k]!));
      // (The footprint's swell reaches past its mean width by up to W · (A1 + A2) √COVER.)
      this.stray[k] = stray + s.W * (this.swellA1[k]! + this.swellA2[k]!) * Math.sqrt(COVER);
      const slopeMax = swept ? Math.abs(phi) + BEND_MEANDER_SLOPE : 0;
      this.gradBound[k] = 2 * (1 / s.L + Math.sqrt(1 + slopeMax * slopeMax) / (s.W * mMin));
      // One level per group, at random (a stream's sites lie at one level). (Crossing bundles
      // set over the streams met each other more often, parallel, and the share of borders at
      // about right angles fell; bundles wrapping a necrosis set over all met each other all
      // round it.)
      this.prio[k] = unit(hash3(s.group, seed, 0x9e1));
      this.fx[k] = s.fx;
      this.fy[k] = s.fy;
    });
    this.cols = Math.ceil(widthUm / SITE_UM) + 4;
    this.rows = Math.ceil(heightUm / SITE_UM) + 4;
    this.perRow = ni - n0 + 1;
    this.n0 = n0;
    this.ni = ni;
    this.nj = nj;
    this.regular = (ni - n0 + 1) * (nj - n0 + 1);
    this.lists = new Array<Int32Array | undefined>(this.cols * this.rows);
  }

  /**
   * Candidate sites of grid square g, listed on first use (a pure cache: a tile touches a few
   * squares, and a worker need not list the whole section before its first tile). Warped
   * lookups can leave the section by up to ~150 µm: squares cover that margin. Sites more than
   * SEARCH squares away cannot be nearest (their metric distance exceeds any nearest site's).
   */
  private listFor(g: number): Int32Array {
    const cached = this.lists[g];
    if (cached) return cached;
    const ci = (g % this.cols) - 2;
    const cj = Math.floor(g / this.cols) - 2;
    const near: number[] = [];
    for (let j = Math.max(this.n0, cj - SEARCH); j <= Math.min(this.nj, cj + SEARCH); j++)
      for (let i = Math.max(this.n0, ci - SEARCH); i <= Math.min(this.ni, ci + SEARCH); i++) near.push((j - this.n0) * this.perRow + (i - this.n0));
    for (let k = this.regular; k < this.sx.length; k++)
      if (Math.abs(this.sx[k]! - (ci + 0.5) * SITE_UM) < SEARCH * SITE_UM && Math.abs(this.sy[k]! - (cj + 0.5) * SITE_UM) < SEARCH * SITE_UM) near.push(k);
    const corners = [
      [ci * SITE_UM, cj * SITE_UM],
      [(ci + 1) * SITE_UM, cj * SITE_UM],
      [(ci + 1) * SITE_UM, (cj + 1) * SITE_UM],
      [ci * SITE_UM, (cj + 1) * SITE_UM],
    ] as const;
    // The nearest sites, and every site whose footprint reaches into the square.
    const chosen = new Set(this.candidates(corners, near));
    for (const k of near) if (this.minD2(k, corners, this.stray[k]!) < COVER) chosen.add(k);
    const list = Int32Array.from([...chosen].sort((a, b) => a - b));
    this.lists[g] = list;
    return list;
  }

  /** Metric distance² from site k to (x, y). */
  private d2(k: number, x: number, y: number): number {
    const dx = x - this.sx[k]!;
    const dy = y - this.sy[k]!;
    const c = this.cos[k]!;
    const s = this.sin[k]!;
    const u = dx * c + dy * s;
    const v = this.acrossMidline(k, u, -dx * s + dy * c);
    const m = this.swell(k, u);
    return u * u * this.iL2[k]! + (v * v * this.iW2[k]!) / (m * m);
  }

  /** Site k's width factor m at u µm along its axis from the site (1 for bundles cut across). */
  private swell(k: number, u: number): number {
    const a1 = this.swellA1[k]!;
    return a1 === 0 ? 1 : 1 + a1 * tableSin(u / SWELL_L1 + this.swellP1[k]!) + this.swellA2[k]! * tableSin(u / SWELL_L2 + this.swellP2[k]!);
  }

  /** dm/du of the width factor. */
  private swellDerivative(k: number, u: number): number {
    const a1 = this.swellA1[k]!;
    return a1 === 0 ? 0 : (a1 / SWELL_L1) * tableCos(u / SWELL_L1 + this.swellP1[k]!) + (this.swellA2[k]! / SWELL_L2) * tableCos(u / SWELL_L2 + this.swellP2[k]!);
  }

  /** Site k's v (across its axis, at u along it) measured from its swept midline instead: the
   * footprint bends with its fibres, so its edges run along them. */
  private acrossMidline(k: number, u: number, v: number): number {
    return this.swept[k] ? v - (bendOffset(this.phi[k]!, this.uSite[k]! + u, this.phase[k]!) - this.offSite[k]!) : v;
  }

  /**
   * Sites that can be nearest somewhere in the square with these corners: those whose least
   * distance to the square is under the least (over sites) of their greatest distance to it.
   */
  private candidates(corners: ReadonlyArray<readonly [number, number]>, near: readonly number[]): number[] {
    let bound = Infinity;
    const lo: number[] = [];
    for (const k of near) {
      let hi = 0;
      for (const [cx, cy] of corners) hi = Math.max(hi, this.d2(k, cx, cy));
      bound = Math.min(bound, hi);
      lo.push(this.minD2(k, corners));
    }
    return near.filter((_, n) => lo[n]! <= bound);
  }

  /** Least metric distance² from site k to a convex quadrilateral (0 if the site is inside). */
  private minD2(k: number, corners: ReadonlyArray<readonly [number, number]>, widen = 0): number {
    // In the site's metric frame the quadrilateral is a parallelogram and distance Euclidean.
    // (`widen`: as if the site were that many µm wider each side, to bound its swept footprint.)
    const iL = Math.sqrt(this.iL2[k]!);
    const iW = 1 / (1 / Math.sqrt(this.iW2[k]!) + widen / Math.sqrt(COVER));
    const c = this.cos[k]!;
    const s = this.sin[k]!;
    const fx = (e: number): number => ((corners[e]![0] - this.sx[k]!) * c + (corners[e]![1] - this.sy[k]!) * s) * iL;
    const fy = (e: number): number => (-(corners[e]![0] - this.sx[k]!) * s + (corners[e]![1] - this.sy[k]!) * c) * iW;
    let inside = true;
    let best = Infinity;
    for (let e = 0; e < 4; e++) {
      const ax = fx(e);
      const ay = fy(e);
      const bx = fx((e + 1) & 3);
      const by = fy((e + 1) & 3);
      if (ax * by - ay * bx < 0) inside = false;
      const ex = bx - ax;
      const ey = by - ay;
      const t = Math.max(0, Math.min(1, -(ax * ex + ay * ey) / (ex * ex + ey * ey)));
      const px = ax + ex * t;
      const py = ay + ey * t;
      best = Math.min(best, px * px + py * py);
    }
    return inside ? 0 : best;
  }

  /** Fills `out` for point (x0, y0); the distance to the border only `withEdge`. */
  at(x0: number, y0: number, out: Fascicle, withEdge: boolean): void {
    const shape = this.shape;
    // Borders meander: the sites are looked up in a domain warped at three scales, down to
    // ~15 µm, little enough that a bundle's edge keeps to its fibres.
    const x = x0 + WARP_300 * shape.noise(x0 / 300 + 13, y0 / 300) + WARP_75 * shape.noise(x0 / 75 + 5, y0 / 75) + 15 * shape.noise(x0 / 24 + 3, y0 / 24);
    const y = y0 + WARP_300 * shape.noise(x0 / 300, y0 / 300 + 29) + WARP_75 * shape.noise(x0 / 75, y0 / 75 + 7) + 15 * shape.noise(x0 / 24, y0 / 24 + 3);
    let gi = Math.floor(x / SITE_UM) + 2;
    let gj = Math.floor(y / SITE_UM) + 2;
    gi = gi < 0 ? 0 : gi >= this.cols ? this.cols - 1 : gi;
    gj = gj < 0 ? 0 : gj >= this.rows ? this.rows - 1 : gj;
    const g = gj * this.cols + gi;
    const list = this.listFor(g);
    // (A square lists a few dozen candidates at most; grown if ever more.)
    if (list.length > this.ds.length) this.ds = new Float64Array(list.length);
    const ds = this.ds;
    // The bundle on top: of the sites whose footprint covers the point, the highest; where
    // none does (rare), the nearest.
    let k1 = -1;
    let p1 = -Infinity;
    let b1 = Infinity;
    let kn = 0;
    let bn = Infinity;
    for (let c = 0; c < list.length; c++) {
      const k = list[c]!;
      const d = this.d2(k, x, y);
      ds[c] = d;
      if (d < bn) {
        bn = d;
        kn = k;
      }
      const pk = this.prio[k]!;
      if (d < COVER && (pk > p1 || (pk === p1 && d < b1))) {
        p1 = pk;
        k1 = k;
        b1 = d;
      }
    }
    const covered = k1 >= 0;
    if (!covered) {
      k1 = kn;
      p1 = -Infinity;
    }
    const own = this.group[k1]!;
    // The nearest border, and the bundle across it. A bundle's edge is its footprint's, so the
    // one on top runs along every border it makes and the one beneath ends against it, as
    // where real fascicles cross: never two sets of fibres meeting in a chevron, as where two
    // sites' territories simply met. Candidates: the way out of the own group's footprint
    // (into the highest other bundle there), and the way into any higher bundle's.
    let edge = 1e9;
    let k2 = -1;
    let exit = -Infinity;
    let under = -1;
    let pu = -Infinity;
    let bu = Infinity;
    for (let c = 0; c < list.length; c++) {
      const k = list[c]!;
      const d = ds[c]!;
      const same = this.group[k] === own;
      if (d < COVER) {
        if (same) {
          if (covered) {
            const gr = this.grad(k, x, y);
            const e = (COVER - d) / (Math.sqrt(gr.x * gr.x + gr.y * gr.y) + 1e-9);
            if (e > exit) exit = e;
          }
        } else {
          const pk = this.prio[k]!;
          if (pk > pu || (pk === pu && d < bu)) {
            pu = pk;
            bu = d;
            under = k;
          }
        }
      } else if (!same && this.prio[k]! > p1 && d - COVER < edge * (Math.sqrt(d) * this.gradBound[k]! + 2 * d * this.swellSlope[k]!)) {
        // (Only where the footprint may be nearer than the nearest border so far: |∇d| is at
        // most √d · gradBound + 2d · |m'|/m (the swell's term), so (d − COVER) / |∇d| cannot
        // be less than (d − COVER) over that bound, and most candidates lie far enough that the
        // gradient need not be taken.)
        const gr = this.grad(k, x, y);
        const e = (d - COVER) / (Math.sqrt(gr.x * gr.x + gr.y * gr.y) + 1e-9);
        if (e < edge) {
          edge = e;
          k2 = k;
        }
      }
    }
    if (covered && exit < edge) {
      edge = exit;
      if (under < 0) {
        // Nothing else covers the point: across the border lies the nearest other site.
        let bo = Infinity;
        for (let c = 0; c < list.length; c++)
          if (ds[c]! < bo && this.group[list[c]!] !== own) {
            bo = ds[c]!;
            under = list[c]!;
          }
      }
      k2 = under;
    }
    if (k2 >= 0) {
      // Interlocking: near the border, fingers of each fascicle's cells reach into the other
      // along their own direction (for each, a noise long along it and narrow across it). The
      // rule is symmetric — a point belongs to its own fascicle while its own noise, less the
      // neighbour's, plus a slope in the distance to the border, is positive — so fingers from
      // both sides meet without a line along the border.
      // Near the border the distance is the finger rule's (the straight border between the
      // sites no longer shows anywhere, so nothing may be measured from it).
      if (edge < FINGER_ZONE_UM) {
        const f = this.fingerNoise(k1, x0, y0) - this.fingerNoise(k2, x0, y0) + FINGER_SLOPE * edge;
        if (f < 0) {
          const kt = k1;
          k1 = k2;
          k2 = kt;
        }
        edge = Math.abs(f) / FINGER_RISE;
      }
    }
    out.angle = this.angle[k1]!;
    out.textureAngle = out.angle;
    out.transverse = this.kind[k1] === CROSS_CUT;
    out.oblique = this.oblique[k1]!;
    out.ox = this.fx[k1]!;
    out.oy = this.fy[k1]!;
    out.edge = withEdge ? edge : 1e9;
    const kb = k2 >= 0 ? k2 : k1;
    out.site = this.group[k1]!;
    out.site2 = this.group[kb]!;
    out.angle2 = this.angle[kb]!;
    out.transverse2 = this.kind[kb] === CROSS_CUT;
    out.ox2 = this.fx[kb]!;
    out.oblique2 = this.oblique[kb]!;
    out.oy2 = this.fy[kb]!;
  }

  /** Site k's finger noise at (x0, y0): long along its cells (26 µm), narrow across (4.5 µm);
   * one pattern for all the sites of a stream, laid out from its texture origin. */
  private fingerNoise(k: number, x0: number, y0: number): number {
    const dx = x0 - this.fx[k]!;
    const dy = y0 - this.fy[k]!;
    const u = dx * this.cos[k]! + dy * this.sin[k]!;
    const v = -dx * this.sin[k]! + dy * this.cos[k]!;
    return this.shape.noise(u / 26 + 0.37 * (this.group[k]! & 1023), v / 4.5);
  }

  /** Gradient of site k's metric distance² at (x, y). */
  private grad(k: number, x: number, y: number): { x: number; y: number } {
    const dx = x - this.sx[k]!;
    const dy = y - this.sy[k]!;
    const c = this.cos[k]!;
    const s = this.sin[k]!;
    const u0 = dx * c + dy * s;
    const slope = this.swept[k] ? bendSlope(this.phi[k]!, this.uSite[k]! + u0, this.phase[k]!) : 0;
    const v0 = this.acrossMidline(k, u0, -dx * s + dy * c);
    const m = this.swell(k, u0);
    const iW2m = this.iW2[k]! / (m * m);
    // (Along the axis: u's own term less the swell's, −v² iW2 m'/m³.)
    const u = u0 * this.iL2[k]! - (v0 * v0 * iW2m * this.swellDerivative(k, u0)) / m;
    const v = v0 * iW2m;
    const g = this.gr;
    // (v's gradient: (−s, c) less the midline's slope along (c, s).)
    g.x = 2 * (u * c + v * (-s - slope * c));
    g.y = 2 * (u * s + v * (c - slope * s));
    return g;
  }
  /** Candidates' distances in `at`, reused. */
  private ds = new Float64Array(64);
  /** The gradient record, reused: read it before the next call. */
  private readonly gr = { x: 0, y: 0 };
}
