import { Blob } from './blob';
import { GradientNoise } from './noise';
import { hash3, makeRng, unit } from './hash';
import { Scratch } from './scratch';
import { FascicleField } from './fascicles';
import type { Fascicle } from './fascicles';
import { beyondLumen } from './vessel-shape';
import type { VesselShape } from './vessel-shape';
import { sweepAt } from './fibre-bend';

/**
 * A tissue block described in micrometres. The H&E, SMA and Ki67 slides are serial sections of
 * the same scene: its regions, fascicles and vessels line up on all three, and each section cuts
 * its own cells (grid.ts cellHash), a third of them shared with the next section.
 */

/** Soft tissue is fat where Scene.fatLobuleField is over this. */
export const FAT_LOBULE_LEVEL = 0.38;
export const GLASS = 0;
export const TUMOUR = 1;
export const NECROSIS = 2;
export const SOFT = 3;
export const TRABECULA = 4;
export const MARROW = 5;
export const REGION_COUNT = 6;
export const REGION_NAMES = ['glass', 'tumour', 'necrosis', 'soft tissue', 'bone', 'marrow'] as const;

/** Amplitude of a necrosis outline's wobble (Blob's `wobble`, spread over its 24 harmonics). */
export const NECROSIS_WOBBLE = 0.2;
/** The section outline's polygon and its fray (normalised amplitude at the lowest harmonic). */
const SECTION_VERTICES = 8192;
const SECTION_FRAY = Object.freeze({ amplitude: 1.7e-4, from: 90, to: 900 });

export interface SceneSpec {
  readonly id: string;
  readonly seed: number;
  readonly widthUm: number;
  readonly heightUm: number;
  readonly mpp: number;
  readonly section: { readonly cx: number; readonly cy: number; readonly rx: number; readonly ry: number };
  readonly bone: { readonly edgeUm: number; readonly amplitudeUm: number; readonly wavelengthUm: number; readonly softTissueUm: number };
  readonly tumourNodules: ReadonlyArray<{ readonly cx: number; readonly cy: number; readonly r: number }>;
  readonly necrosis: ReadonlyArray<{ readonly cx: number; readonly cy: number; readonly rx: number; readonly ry: number }>;
  readonly mitoses: {
    readonly basePerMm2: number;
    readonly hotSpot: { readonly cx: number; readonly cy: number; readonly sigmaUm: number; readonly peakPerMm2: number };
    readonly atypicalFraction: number;
  };
  readonly ki67PositiveFraction: number;
  readonly sectionJitterUm: number;
}

export type { Fascicle } from './fascicles';
export { newFascicle } from './fascicles';

/** Vessels: at most one per cell of this grid. */
export const VESSEL_GRID_UM = 260;

/** A vessel: its oval lumen and the wall round it (vessel-shape.ts). */
export type Vessel = VesselShape;

function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** Checks the numbers a renderer depends on; returns a message or undefined. */
export function validateSceneSpec(spec: unknown): string | undefined {
  if (typeof spec !== 'object' || spec === null) return 'scene must be an object';
  const s = spec as Partial<SceneSpec>;
  if (typeof s.id !== 'string') return 'scene.id must be a string';
  for (const k of ['seed', 'widthUm', 'heightUm', 'mpp', 'ki67PositiveFraction', 'sectionJitterUm'] as const) {
    if (!isFiniteNumber(s[k])) return `scene.${k} must be a finite number`;
  }
  if (!s.section || !s.bone || !s.mitoses || !Array.isArray(s.tumourNodules) || !Array.isArray(s.necrosis))
    return 'scene must have section, bone, mitoses, tumourNodules and necrosis';
  if (s.ki67PositiveFraction! < 0 || s.ki67PositiveFraction! > 1) return 'scene.ki67PositiveFraction must be in [0, 1]';
  return undefined;
}

/**
 * A cuff of viable tumour round a vessel inside a necrosis: tumour cells die farthest from their
 * blood supply, so the cells nearest a surviving vessel live. Its outline (a small Blob) is the
 * one ground truth exports as a hole in the necrosis.
 */
export interface Cuff {
  readonly x: number;
  readonly y: number;
  readonly outline: Blob;
  /** Index of the necrosis it lies in. */
  readonly necrosis: number;
}

export class Scene {
  readonly section: Blob;
  readonly nodules: readonly Blob[];
  readonly necrosis: readonly Blob[];
  readonly cuffs: readonly Cuff[];
  /** Region-scale noise: bone edge, trabeculae, fat lobules. */
  readonly shape: GradientNoise;
  /** Texture noise: fibres, chromatin, lamellae. */
  readonly tex: GradientNoise;
  private readonly hsSigma2: number;
  private readonly fascicles: FascicleField;
  /** Vessels, precomputed once (about a thousand grid squares): rendering and cells look them up. */
  private readonly vessels: Array<Vessel | null>;
  readonly vesselCols: number;
  readonly vesselRows: number;
  /** The painters' and cell placer's scratch records and caches (this scene's alone). */
  readonly scratch: Scratch;

  /** `sectionSalt`: the section whose cells the scene's painters draw (1, H&E, by default);
   * regions, fascicles and vessels are the block's, the same on every section. */
  constructor(
    readonly spec: SceneSpec,
    readonly sectionSalt = 1,
  ) {
    this.scratch = new Scratch(sectionSalt);
    const seed = spec.seed;
    const s = spec.section;
    // The section's outline: broad lobes with bays down to ~100 µm, frayed by harmonics of
    // ~30-300 µm wavelength (a few µm deep: at 10x a cut edge is ragged, not ruled), as a
    // polygon of ~3 µm chords. The fray is in the outline itself, so the polygon ground truth
    // exports is the edge the pixels show (a warped lookup strayed up to 27 µm from it).
    this.section = new Blob(s.cx, s.cy, s.rx, s.ry, seed + 1, 0.05, 48, 1.25, SECTION_VERTICES, SECTION_FRAY);
    this.nodules = spec.tumourNodules.map((n, i) => new Blob(n.cx, n.cy, n.r, n.r * 0.85, seed + 100 + i, 0.2));
    // Coagulative necrosis has a geographic outline: broad lobes, bays and promontories fading
    // smoothly to ~60 µm (24 harmonics, as k^-1.2: no serration), as a polygon of 720 vertices
    // (chords of 3-5 µm, none visibly straight).
    this.necrosis = spec.necrosis.map((n, i) => new Blob(n.cx, n.cy, n.rx, n.ry, seed + 200 + i, NECROSIS_WOBBLE, 24, 1.2, 720));
    this.cuffs = this.necrosis.flatMap((n, i) => makeCuffs(n, i, seed + 300 + i));
    this.shape = new GradientNoise(seed + 7);
    this.tex = new GradientNoise(seed + 11);
    this.hsSigma2 = spec.mitoses.hotSpot.sigmaUm ** 2;
    this.fascicles = new FascicleField(spec.widthUm, spec.heightUm, seed, this.shape, this.necrosis);
    this.vesselCols = Math.ceil(spec.widthUm / VESSEL_GRID_UM);
    this.vesselRows = Math.ceil(spec.heightUm / VESSEL_GRID_UM);
    this.vessels = [];
    for (let j = 0; j < this.vesselRows; j++)
      for (let i = 0; i < this.vesselCols; i++) this.vessels.push(this.makeVessel(i, j) ?? null);
    // Each cuff's own vessel, in place of whatever its grid square held.
    this.cuffs.forEach((c, k) => {
      const r = 7 + 5 * unit(hash3(seed, k, 0xc0ff));
      const i = Math.floor(c.x / VESSEL_GRID_UM);
      const j = Math.floor(c.y / VESSEL_GRID_UM);
      const phi = unit(hash3(seed, k, 0xc0fe)) * Math.PI;
      this.vessels[j * this.vesselCols + i] = { x: c.x, y: c.y, r, wall: r * 1.5 + 3, cs: Math.cos(phi), sn: Math.sin(phi), asp: 0.8 };
    });
  }

  vesselAt(i: number, j: number): Vessel | null {
    if (i < 0 || j < 0 || i >= this.vesselCols || j >= this.vesselRows) return null;
    return this.vessels[j * this.vesselCols + i] ?? null;
  }

  /** True where (x, y) lies within a vessel's wall plus a margin: no tissue cells are placed there. */
  inVessel(x: number, y: number, margin: number): boolean {
    const gi = Math.floor(x / VESSEL_GRID_UM);
    const gj = Math.floor(y / VESSEL_GRID_UM);
    for (let j = gj - 1; j <= gj + 1; j++) {
      for (let i = gi - 1; i <= gi + 1; i++) {
        const v = this.vesselAt(i, j);
        if (!v) continue;
        const dx = x - v.x;
        const dy = y - v.y;
        const r = v.wall + margin;
        if (dx * dx + dy * dy < r * r && beyondLumen(v, dx, dy, this.scratch.oval) < v.wall - v.r + margin) return true;
      }
    }
    return false;
  }

  /** The cuff of viable tumour containing (x, y), if any (exactly its exported polygon). */
  cuffAt(x: number, y: number): Cuff | undefined {
    for (const c of this.cuffs) if (c.outline.contains(x, y)) return c;
    return undefined;
  }

  /** x position of the bone / soft tissue boundary at height y. */
  boneEdge(y: number): number {
    const b = this.spec.bone;
    return b.edgeUm + b.amplitudeUm * Math.sin((2 * Math.PI * y) / b.wavelengthUm + 0.7) + 160 * this.shape.noise(3.1, y / 700);
  }

  /**
   * Trabecular field: near zero inside a trabecula. Its contours are the lamellae. The last
   * answer is kept: a marrow cell's placement asks again for the point its region came from.
   */
  trabecularField(x: number, y: number): number {
    if (x !== this.tfX || y !== this.tfY) {
      this.tfX = x;
      this.tfY = y;
      this.tfV = this.shape.fbm(x / 430, y / 430, 3);
    }
    return this.tfV;
  }
  /**
   * Bone is where |trabecularField| is under this: it varies over a few hundred µm, so some
   * trabeculae are thick plates and others thin struts (a real vertebra's, not one width).
   */
  trabecularHalfWidth(x: number, y: number): number {
    const w = 0.085 * (1 + 1.3 * this.shape.noise(x / 700 + 17, y / 700 + 9));
    return w < 0.03 ? 0.03 : w > 0.17 ? 0.17 : w;
  }
  private tfX = NaN;
  private tfY = NaN;
  private tfV = 0;

  regionAt(x: number, y: number): number {
    if (!this.section.contains(x, y)) return GLASS;
    const edge = this.boneEdge(y);
    const softEnd = edge + this.spec.bone.softTissueUm;
    if (x < softEnd) {
      for (const n of this.nodules) {
        if (!n.contains(x, y)) continue;
        // Tumour fills the marrow spaces between the trabeculae near its front; deeper in, it
        // has eroded them, leaving only scattered thin fragments (never the whole lattice,
        // which would make the nodule look transparent).
        if (x < edge - 110) {
          const t = Math.abs(this.trabecularField(x, y));
          const depth = -n.level(x, y);
          const keep = depth < 0.12 ? 1 : depth < 0.3 ? 1 - (depth - 0.12) / 0.18 : 0;
          const w = this.trabecularHalfWidth(x, y);
          if (t < w * keep) return TRABECULA;
          if (t < Math.min(w * 0.35, 0.03) && this.shape.noise(x / 90 + 33, y / 90) > 0.35) return TRABECULA;
        }
        return TUMOUR;
      }
      if (x < edge) {
        if (x > edge - 110) return TRABECULA; // the cortical plate facing the soft tissue
        return Math.abs(this.trabecularField(x, y)) < this.trabecularHalfWidth(x, y) ? TRABECULA : MARROW;
      }
      return SOFT;
    }
    for (const n of this.necrosis) if (n.contains(x, y)) return this.cuffAt(x, y) ? TUMOUR : NECROSIS;
    return TUMOUR;
  }

  /**
   * The fascicle at a point: its cells' direction, whether they are cut across or obliquely,
   * its texture origin and (only `withEdge`) the distance to its border.
   */
  fascicle(x0: number, y0: number, out: Fascicle, withEdge = false): void {
    // (Cells in a perivascular cuff keep their fascicle's direction: the cuff is the fascicle's
    // surviving remnant round its vessel. Laid round the vessel, they drew onion rings.)
    this.fascicles.at(x0, y0, out, withEdge);
  }

  /** Lobules of fat in the paravertebral soft tissue (empty vacuoles, no fibroblasts). */
  inFatLobule(x: number, y: number): boolean {
    return this.fatLobuleField(x, y) > FAT_LOBULE_LEVEL;
  }

  /** The smooth field whose high ground (over FAT_LOBULE_LEVEL) is fat. */
  fatLobuleField(x: number, y: number): number {
    return this.shape.noise(x / 380 + 50, y / 380);
  }

  /**
   * Depth (µm) of a point inside a necrosis below its border (or a cuff's): how long ago its
   * cells died, roughly. Large where no necrosis or cuff is near.
   */
  necrosisDepth(x: number, y: number): number {
    let depth = 1e4;
    for (const n of this.necrosis) {
      if (x < n.minX || x > n.maxX || y < n.minY || y > n.maxY) continue;
      depth = Math.min(depth, Math.max(0, -n.distance(x, y)) * 0.5 * (n.rx + n.ry));
    }
    for (const c of this.cuffs) {
      const o = c.outline;
      if (x < o.minX - 150 || x > o.maxX + 150 || y < o.minY - 150 || y > o.maxY + 150) continue;
      depth = Math.min(depth, Math.max(0, o.distance(x, y)) * 0.5 * (o.rx + o.ry));
    }
    return depth;
  }

  /**
   * Share of dead cells whose nuclei have shrunk and broken up (pyknosis, karyorrhexis) at a
   * point of necrosis, 0.02-0.9: nuclear dust gathers in a band along the border, where cells
   * died last, and in drifts elsewhere; deep inside, most nuclei are faded ghosts. (The drifts
   * at 1.5× their noise reached deep enough that a blind reader saw the coagulum as evenly
   * peppered; at 1.1×.)
   */
  debrisShare(x: number, y: number, depth = this.necrosisDepth(x, y)): number {
    const edge = Math.exp(-depth / 45);
    const drift = this.shape.noise(x / 80 + 300, y / 80) + 0.25 * this.shape.noise(x / 22 + 80, y / 22) - 0.42;
    const s = 0.02 + 0.85 * edge + (drift > 0 ? 1.1 * drift : 0);
    return s > 0.9 ? 0.9 : s;
  }

  /**
   * Nuclear atypia, 0 (mild) to 1 (marked): territories of a few hundred µm, greatest round the
   * mitotic hot spot (figure 5: marked atypia with many mitoses).
   */
  atypiaAt(x: number, y: number): number {
    const hs = this.spec.mitoses.hotSpot;
    const dx = x - hs.cx;
    const dy = y - hs.cy;
    const a = 0.45 + 0.55 * this.shape.noise(x / 520 + 140, y / 520) + 0.7 * Math.exp(-(dx * dx + dy * dy) / (2 * 550 * 550));
    return a < 0 ? 0 : a > 1 ? 1 : a;
  }

  /** The most mitoses per mm² anywhere (the hot spot's peak): a bound for quick rejections. */
  get maxMitosisDensity(): number {
    return this.spec.mitoses.basePerMm2 + this.spec.mitoses.hotSpot.peakPerMm2;
  }

  /** Mitoses per mm² of viable tumour at a point: a base rate plus the hot spot. */
  mitosisDensity(x: number, y: number): number {
    const m = this.spec.mitoses;
    const dx = x - m.hotSpot.cx;
    const dy = y - m.hotSpot.cy;
    return m.basePerMm2 + m.hotSpot.peakPerMm2 * Math.exp(-(dx * dx + dy * dy) / (2 * this.hsSigma2));
  }

  private makeVessel(i: number, j: number): Vessel | undefined {
    const h = hash3(i, j, 0x7e55e1);
    const x = (i + 0.2 + 0.6 * unit(hash3(h, 1, 1))) * VESSEL_GRID_UM;
    const y = (j + 0.2 + 0.6 * unit(hash3(h, 2, 1))) * VESSEL_GRID_UM;
    const region = this.regionAt(x, y);
    const p = region === TUMOUR ? 0.45 : region === SOFT ? 0.7 : region === MARROW ? 0.35 : 0;
    if (unit(hash3(h, 3, 1)) >= p) return undefined;
    const big = unit(hash3(h, 4, 1));
    const r = region === MARROW ? 6 + 14 * big : 5 + 22 * big * big;
    const wall = r * (region === MARROW ? 1.25 : 1.45 + 0.25 * unit(hash3(h, 5, 1))) + 3;
    // In the tumour a vessel runs with its fascicle: cut along, a long slit; cut across, round.
    // (Round holes in fascicles cut along, each in a collar free of cells, read as drawn.)
    const shape = unit(hash3(h, 6, 1));
    let phi = unit(hash3(h, 7, 1)) * Math.PI;
    let asp = 0.55 + 0.4 * shape;
    if (region === TUMOUR) {
      const f = this.scratch.probe;
      this.fascicles.at(x, y, f, false);
      if (f.transverse) asp = 0.7 + 0.25 * shape;
      else {
        phi = f.angle + sweepAt(f, x, y);
        asp = 0.28 + 0.37 * shape;
      }
    }
    return { x, y, r, wall, cs: Math.cos(phi), sn: Math.sin(phi), asp };
  }
}

/** Cuffs for one necrosis: two or three, well inside it and apart from each other. */
function makeCuffs(n: Blob, index: number, seed: number): Cuff[] {
  const rng = makeRng(seed);
  const out: Cuff[] = [];
  const want = n.rx > 300 ? 3 : 2;
  for (let tries = 0; tries < 400 && out.length < want; tries++) {
    const t = rng() * Math.PI * 2;
    const d = 0.15 + 0.45 * rng();
    const r = 45 + 25 * rng();
    const x = n.cx + Math.cos(t) * d * n.rx;
    const y = n.cy + Math.sin(t) * d * n.ry;
    const outlineSeed = Math.floor(rng() * 1e9);
    // Keep a band of necrosis all round the cuff (its outline reaches ~1.4 r at most).
    if (n.level(x, y) > -(1.4 * r + 30) / Math.min(n.rx, n.ry)) continue;
    if (out.some((c) => Math.hypot(c.x - x, c.y - y) < 1.4 * (c.outline.rx + r) + 40)) continue;
    out.push({ x, y, outline: new Blob(x, y, r, r * (0.6 + 0.4 * rng()), outlineSeed, 0.14, 6, 0.8), necrosis: index });
  }
  return out;
}
