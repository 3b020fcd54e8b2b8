import type { Scene } from './scene';
import { FAT_LOBULE_LEVEL, GLASS, MARROW, NECROSIS, SOFT, TRABECULA, TUMOUR, newFascicle } from './scene';
import { bandCoverage } from './coverage';
import { CYTOPLASM_E, tumourCytoplasm } from './paint-muscle';
import { ACTIN_CLEARED, actinClearing } from './actin';
import { MARROW_FAT_SALT, SOFT_FAT_SALT, fatCell, isFatVacuole } from './marrow';
import { PLASMA_E, redCells } from './blood';
import { TileFields } from './lattice-field';
import type { SmoothField } from './lattice-field';

/**
 * Per-pixel tissue background: the stain amounts of everything that is not a nucleus —
 * fibrillary tumour cytoplasm, necrotic debris, collagen, lamellar bone, marrow fat.
 * Writes haematoxylin (H), eosin-like (E) and smooth-muscle-actin (S) amounts.
 */

/** Eosin amount of necrotic coagulum: deeper than viable cytoplasm, as on a real H&E. */
const NECROSIS_E = 0.46;
/** Over this depth (µm) below its border the necrosis's colour comes in from the viable tumour's. */
const NECROSIS_FADE_UM = 14;
/** Haemoglobin between the red cells of a haemorrhage (overlapping cells out of focus). */
const HAEMORRHAGE_SHEET = 0.4;

/** Eosin amount of bone matrix (decalcified, as a vertebra must be to cut). */
const BONE_E = 0.8;

export interface Buffers {
  readonly size: number;
  readonly H: Float32Array;
  readonly E: Float32Array;
  readonly S: Float32Array;
  readonly D: Float32Array;
  /** Haemoglobin of red cells (their own chromophore: bright red, not eosin's maroon). */
  readonly R: Float32Array;
  readonly region: Uint8Array;
  /** Fascicle direction per pixel as the doubled angle (cos 2θ, sin 2θ), and cut-across flag. */
  readonly c2: Float32Array;
  readonly s2: Float32Array;
  readonly across: Uint8Array;
  /** Fascicle site (texture origin) and distance to the fascicle's border, µm. */
  readonly ox: Float32Array;
  readonly oy: Float32Array;
  readonly edge: Float32Array;
  /** The neighbouring fascicle across that border: direction (doubled angle), cut-across flag
   * and site, for blending both textures near the border. */
  readonly c2b: Float32Array;
  readonly s2b: Float32Array;
  readonly acrossb: Uint8Array;
  readonly oxb: Float32Array;
  readonly oyb: Float32Array;
  /** How obliquely the pixel's fascicle's cells are cut (Fascicle.oblique), and its neighbour's. */
  readonly obl: Float32Array;
  readonly oblb: Float32Array;
  /** Slow staining variation (batch effect) and coarse texture, interpolated from the lattice. */
  readonly batch: Float32Array;
  readonly coarse: Float32Array;
  /** Scratch for the 4-pixel classification lattice. Where fascicles are, each lattice point
   * holds the border nearest it as its pair of sites (lo < hi), both sites' frames (lat*: lo's,
   * lat*2: hi's) and latEdge, the signed distance to that border (positive on lo's side). */
  readonly latRegion: Uint8Array;
  readonly latLo: Int32Array;
  readonly latHi: Int32Array;
  readonly latC: Float32Array;
  readonly latS: Float32Array;
  readonly latT: Float32Array;
  readonly latBatch: Float32Array;
  readonly latCoarse: Float32Array;
  readonly latZone: Float32Array;
  readonly latOx: Float32Array;
  readonly latOy: Float32Array;
  readonly latEdge: Float32Array;
  readonly latC2: Float32Array;
  readonly latS2: Float32Array;
  readonly latT2: Uint8Array;
  readonly latOx2: Float32Array;
  readonly latObl: Float32Array;
  readonly latObl2: Float32Array;
  readonly latOy2: Float32Array;
  /** Broad eosin-rich and eosin-poor zones of the tumour. */
  readonly zone: Float32Array;
  /** Share of broken-up nuclei in necrosis (Scene.debrisShare), interpolated from the lattice. */
  readonly drift: Float32Array;
  readonly latDrift: Float32Array;
  /** Depth (µm) below the border of the necrosis (Scene.necrosisDepth), in necrosis only. */
  readonly depth: Float32Array;
  readonly latDepth: Float32Array;
  /** Sideways wander (µm) of the smooth-muscle ribbons. */
  readonly wave: Float32Array;
  readonly latWave: Float32Array;
  /** The tile's smooth fields, sampled on the lattice (lattice-field.ts). */
  readonly fields: TileFields;
}

export function makeBuffers(size: number): Buffers {
  const n = size * size;
  const lat = (Math.ceil(size / 4) + 1) ** 2;
  return {
    size,
    H: new Float32Array(n),
    E: new Float32Array(n),
    S: new Float32Array(n),
    D: new Float32Array(n),
    R: new Float32Array(n),
    region: new Uint8Array(n),
    c2: new Float32Array(n),
    s2: new Float32Array(n),
    across: new Uint8Array(n),
    ox: new Float32Array(n),
    oy: new Float32Array(n),
    edge: new Float32Array(n),
    c2b: new Float32Array(n),
    s2b: new Float32Array(n),
    acrossb: new Uint8Array(n),
    oxb: new Float32Array(n),
    oyb: new Float32Array(n),
    obl: new Float32Array(n),
    oblb: new Float32Array(n),
    zone: new Float32Array(n),
    drift: new Float32Array(n),
    latDrift: new Float32Array(lat),
    depth: new Float32Array(n),
    latDepth: new Float32Array(lat),
    wave: new Float32Array(n),
    latWave: new Float32Array(lat),
    fields: new TileFields(size),
    batch: new Float32Array(n),
    coarse: new Float32Array(n),
    latRegion: new Uint8Array(lat),
    latLo: new Int32Array(lat),
    latHi: new Int32Array(lat),
    latC: new Float32Array(lat),
    latS: new Float32Array(lat),
    latT: new Float32Array(lat),
    latBatch: new Float32Array(lat),
    latCoarse: new Float32Array(lat),
    latZone: new Float32Array(lat),
    latOx: new Float32Array(lat),
    latOy: new Float32Array(lat),
    latEdge: new Float32Array(lat),
    latC2: new Float32Array(lat),
    latS2: new Float32Array(lat),
    latT2: new Uint8Array(lat),
    latOx2: new Float32Array(lat),
    latObl: new Float32Array(lat),
    latObl2: new Float32Array(lat),
    latOy2: new Float32Array(lat),
  };
}

/** Lattice slots of the smooth fields (TileFields). */
const GLASS_TINT = 0;
const ACTIN_PATCH = 1;
const MOTTLE = 2;
const FIBRIN = 3;
const HAEMORRHAGE = 4;
const FAT_LOBULE = 5;
const COLLAGEN_ANGLE = 6;
const TRABECULAR = 7;
const CEMENT = 8;
const SINUS = 9;

/** The painters' smooth noises, each with its scale (µm): for a tile, made once. */
interface Smooth {
  readonly tile: TileFields;
  readonly fields: readonly SmoothField[];
}

function smoothFields(scene: Scene, tile: TileFields): Smooth {
  const shape = scene.shape;
  const fields: SmoothField[] = [];
  fields[GLASS_TINT] = { scaleUm: 300, at: (x, y) => shape.noise(x / 300, y / 300) };
  fields[ACTIN_PATCH] = { scaleUm: 90, at: (x, y) => shape.noise(x / 90 + 300, y / 90) };
  fields[MOTTLE] = { scaleUm: 38, at: (x, y) => shape.noise(x / 38 + 5, y / 38) };
  fields[FIBRIN] = { scaleUm: 70, at: (x, y) => shape.noise(x / 70 + 90, y / 70) };
  fields[HAEMORRHAGE] = { scaleUm: 40, at: (x, y) => shape.noise(x / 130 + 210, y / 130) + 0.35 * shape.noise(x / 40 + 210, y / 40) };
  fields[FAT_LOBULE] = { scaleUm: 380, at: (x, y) => scene.fatLobuleField(x, y) };
  fields[COLLAGEN_ANGLE] = { scaleUm: 260, at: (x, y) => shape.noise(x / 260, y / 260) };
  // Three octaves of 430 µm, each 2.03 times finer: the finest is about 100 µm across.
  fields[TRABECULAR] = { scaleUm: 100, at: (x, y) => scene.trabecularField(x, y) };
  fields[CEMENT] = { scaleUm: 70, at: (x, y) => shape.noise(x / 70 + 17, y / 70) };
  fields[SINUS] = { scaleUm: 22, at: (x, y) => shape.noise(x / 22 + 40, y / 22) };
  return { tile, fields };
}

function smooth(s: Smooth, slot: number, px: number, py: number, X: number, Y: number): number {
  return s.tile.get(slot, s.fields[slot]!, px, py, X, Y);
}

/**
 * `actin`: whether the section shows smooth-muscle actin (SMA). Elsewhere the composer weighs
 * S by 0, so the tumour's actin (a noise lookup a pixel) is not painted: S stays 0.
 */
export function paintTissue(scene: Scene, b: Buffers, x0: number, y0: number, upp: number, w: number, h: number, actin = true): void {
  const { H, E, S, R, region, size } = b;
  // Fine texture fades out as pixels grow past the texture's own scale (no aliasing shimmer).
  const fine = Math.max(0, Math.min(1, 1.6 - upp));
  // Noises tens to hundreds of µm across are sampled on the 4-pixel lattice where it is fine
  // enough (a tenth of the per-pixel noise lookups of bone, necrosis, fat and glass).
  b.fields.begin(x0, y0, upp, w, h);
  const sm = smoothFields(scene, b.fields);
  const tex = scene.tex;
  // Where the perinuclear clearing is not drawn, the tumour's actin is that much less, evenly.
  const actinKeep = 1 - ACTIN_CLEARED * (1 - actinClearing(upp));
  // Each region paints in a function of its own: one loop inlining them all grew too big for
  // V8 to inline the tumour's path, the one that matters most.
  for (let py = 0; py < h; py++) {
    const Y = y0 + (py + 0.5) * upp;
    for (let px = 0; px < w; px++) {
      const X = x0 + (px + 0.5) * upp;
      const i = py * size + px;
      S[i] = 0;
      H[i] = 0;
      R[i] = 0;
      switch (region[i]!) {
        case GLASS:
          E[i] = 0.006 + 0.004 * smooth(sm, GLASS_TINT, px, py, X, Y);
          break;
        case TUMOUR: {
          const t = tumourCytoplasm(scene, b, i, X, Y, upp, fine);
          // Paler and deeper territories (zoneTint).
          const z = b.zone[i]!;
          E[i] = t * zoneTint(z);
          // Actin staining is diffuse within a cell but uneven between them, as in a real
          // leiomyosarcoma: strong cells beside weak ones, and clouds of stronger and weaker
          // staining ~90 µm across (fixed a little differently) that ignore fascicle borders: a
          // strength of each fascicle's own stepped at every border, a quilt of brown blocks.
          if (actin) {
            // (Actin follows the cytoplasm's fibrils and gaps closely, 0.8 of it: at 0.55 the
            // SMA field's tonal range fell under its bar once the crossing fascicles were cut
            // obliquely, 0.88 of the reference scan's.)
            const tr = t / CYTOPLASM_E;
            const patchy = 1 + 0.25 * z + 0.6 * smooth(sm, ACTIN_PATCH, px, py, X, Y);
            S[i] = actinKeep * 1.2 * (0.2 + 0.8 * tr) * (patchy < 0.12 ? 0.12 : patchy > 1.8 ? 1.8 : patchy);
          }
          // A faint grey-blue haze, clouded as fixed cytoplasm is (not a flat tint).
          H[i] = (t / CYTOPLASM_E) * (fine > 0 ? 0.012 + 0.035 * fine * Math.max(0, tex.noise(X / 2.6 + 91, Y / 2.6) - 0.05) : 0.0155);
          break;
        }
        case NECROSIS:
          paintNecrosis(scene, b, i, X, Y, upp, fine, sm, px, py);
          break;
        case SOFT:
          paintSoftTissue(scene, b, i, X, Y, upp, fine, sm, px, py);
          break;
        case TRABECULA:
          paintBone(scene, b, i, X, Y, upp, fine, sm, px, py);
          break;
        case MARROW:
          paintMarrow(scene, b, i, X, Y, upp, fine, sm, px, py);
          break;
      }
      const batch = b.batch[i]!;
      H[i] = H[i]! * batch;
      E[i] = E[i]! * batch;
    }
  }
}

/** The tumour's paler and deeper territories (Buffers.zone): some cells pale, oedematous or cut thin. */
function zoneTint(z: number): number {
  return 1 + (z < 0 ? 0.5 : 0.3) * z;
}

/**
 * Coagulative necrosis: hypereosinophilic coagulum, granular and mottled, keeping a ghost of
 * the fascicles' texture; glassy deeper-pink fibrin in streaks here and there, patches of
 * extravasated red cells, and a grey-blue haze of nuclear dust where debris gathers.
 */
function paintNecrosis(scene: Scene, b: Buffers, i: number, X: number, Y: number, upp: number, fine: number, sm: Smooth, px: number, py: number): void {
  const tex = scene.tex;
  const shape = scene.shape;
  const ghost = tumourCytoplasm(scene, b, i, X, Y, upp, fine) / CYTOPLASM_E;
  // Mottled: paler and deeper zones of tens of µm, where cells died at different times.
  let e = NECROSIS_E * (1 + 0.3 * (ghost - 1) + 0.06 * b.coarse[i]! + 0.22 * smooth(sm, MOTTLE, px, py, X, Y) + 0.1 * shape.noise(X / 14 + 9, Y / 14));
  // Cells at the border died last: over its first micrometres the coagulum still has the
  // viable cytoplasm's tint, so the necrosis does not start at a drawn line of colour.
  const depth = b.depth[i]!;
  if (depth < NECROSIS_FADE_UM) {
    const t = depth / NECROSIS_FADE_UM;
    const viable = ghost * CYTOPLASM_E * zoneTint(b.zone[i]!);
    e = viable + (e - viable) * t * t * (3 - 2 * t);
  }
  const dust = b.drift[i]!;
  let h = 0.006 + 0.025 * dust;
  if (fine > 0) {
    // Granules of coagulated protein and nuclear dust, 0.5-2 µm.
    e *= 1 + fine * (0.4 * tex.noise(X / 1.4 + 17, Y / 1.4) + 0.12 * tex.noise(X / 0.6 + 3, Y / 0.6));
    h += fine * dust * 0.02 * tex.noise(X / 0.7 + 7, Y / 0.7);
  }
  // Fibrin: streaks of glassy, deeper pink where the coagulum is richest.
  const fibrin = smooth(sm, FIBRIN, px, py, X, Y) - 0.3;
  if (fibrin > 0) {
    const streak = 0.6 + 0.4 * tex.noise(X / 9 + 31, Y / 2.2);
    e += 0.22 * Math.min(1, fibrin * 5) * streak;
  }
  // Haemorrhage: red cells spilled into the necrosis in patches, lying on the coagulum, packed
  // and overlapping through the section's depth: a red sheet in which single cells show only
  // faintly, not a cluster of separate discs (a rosette, to a blind reader).
  // (Its edge ragged over a few cells, and strays beyond it: blood seeps, it has no outline.)
  // (In patches tens of µm across, a few to a necrosis, not a sprinkle of small red blots; and
  // not in the band along the border, where the vessels were last to break down.)
  let blood = smooth(sm, HAEMORRHAGE, px, py, X, Y) - 0.5;
  if (blood > -0.15) blood += 0.15 * tex.noise(X / 7 + 77, Y / 7);
  if (depth < NECROSIS_FADE_UM) blood -= 0.2 * (1 - depth / NECROSIS_FADE_UM);
  if (blood > 0) b.R[i] = (HAEMORRHAGE_SHEET + (1 - HAEMORRHAGE_SHEET) * redCells(scene, X, Y, upp)) * Math.min(1, blood * 6);
  b.E[i] = e;
  b.H[i] = h;
  b.S[i] = 0.05;
}

/** Paravertebral soft tissue: wavy collagen bundles, and lobules of fat. */
function paintSoftTissue(scene: Scene, b: Buffers, i: number, X: number, Y: number, upp: number, fine: number, sm: Smooth, px: number, py: number): void {
  const tex = scene.tex;
  if (smooth(sm, FAT_LOBULE, px, py, X, Y) > FAT_LOBULE_LEVEL) {
    const d = fatCell(scene, X, Y, scene.scratch.softFat, SOFT_FAT_SALT).border;
    b.E[i] = 0.012 + 0.34 * bandCoverage(d, 0.35, upp / 2);
    return;
  }
  const a = 1.2 + 0.7 * smooth(sm, COLLAGEN_ANGLE, px, py, X, Y);
  const cs = Math.cos(a);
  const sn = Math.sin(a);
  const u = X * cs + Y * sn;
  const v = -X * sn + Y * cs;
  const f = tex.noise(u / 30, v / 2.4 + 0.35 * tex.noise(u / 12, v / 12));
  // Bundles of collagen, each a little denser or looser than the next: the texture that still
  // shows at 2.5x, where single fibres are far under a pixel.
  const bundle = scene.shape.noise(u / 160 + 9, v / 11);
  let e = 0.32 * (1 + 0.45 * bundle) + fine * 0.1 * f;
  if (f < -0.35) e *= 0.25 + 0.75 * (1 - fine);
  b.E[i] = e;
}

/**
 * Lamellar bone: a smooth pink matrix with fine pale lines between lamellae that follow the
 * trabecula's contour, and a few wandering blue cement lines.
 */
function paintBone(scene: Scene, b: Buffers, i: number, X: number, Y: number, upp: number, fine: number, sm: Smooth, px: number, py: number): void {
  let line = 0;
  if (fine > 0) {
    const t = smooth(sm, TRABECULAR, px, py, X, Y);
    const lam = Math.abs(Math.sin(t * 300 + 0.8 * scene.tex.noise(X / 25, Y / 25)));
    line = lam < 0.2 ? 1 - lam * 5 : 0;
  }
  b.E[i] = BONE_E * (1 + 0.05 * b.coarse[i]! - fine * 0.12 * line);
  const cement = Math.abs(smooth(sm, CEMENT, px, py, X, Y)) * 45;
  b.H[i] = 0.006 + 0.07 * bandCoverage(cement, 0.35, upp / 2);
}

/** Marrow: fat vacuoles, sinusoids full of red cells, and haematopoietic spaces. */
function paintMarrow(scene: Scene, b: Buffers, i: number, X: number, Y: number, upp: number, fine: number, sm: Smooth, px: number, py: number): void {
  const fat = fatCell(scene, X, Y, scene.scratch.marrowFat, MARROW_FAT_SALT);
  if (isFatVacuole(scene, fat)) {
    // An empty vacuole (the fat dissolved in processing) inside a thin membrane.
    b.E[i] = 0.008 + 0.34 * bandCoverage(fat.border, 0.3, upp / 2);
  } else if (smooth(sm, SINUS, px, py, X, Y) > 0.4) {
    b.E[i] = PLASMA_E;
    b.R[i] = redCells(scene, X, Y, upp);
  } else {
    // Granular cytoplasm of myeloid cells between the nuclei.
    b.E[i] = fine > 0 ? 0.19 + fine * 0.07 * scene.tex.noise(X / 1.4 + 5, Y / 1.4) : 0.19;
    b.H[i] = 0.035;
  }
}

/**
 * Region and fascicle direction per pixel. Both are evaluated on a 4-pixel lattice aligned to
 * the level's global pixel grid (tile origins are multiples of 4), and a block is refined pixel
 * by pixel only where its corners disagree, so neighbouring tiles agree along their edges.
 */
export function classifyPixels(scene: Scene, b: Buffers, x0: number, y0: number, upp: number, w: number, h: number, withTexture = true): void {
  const { region, c2, s2, across, size, batch, coarse, latBatch, latCoarse, latZone, latOx, latOy, latEdge, latLo, latHi } = b;
  const step = 4;
  const gw = Math.ceil(w / step) + 1;
  const gh = Math.ceil(h / step) + 1;
  const fas = newFascicle();
  const cr = b.latRegion;
  const cc = b.latC;
  const cs = b.latS;
  const ct = b.latT;
  for (let gj = 0; gj < gh; gj++) {
    for (let gi = 0; gi < gw; gi++) {
      const X = x0 + (gi * step + 0.5) * upp;
      const Y = y0 + (gj * step + 0.5) * upp;
      const k = gj * gw + gi;
      const r = scene.regionAt(X, Y);
      cr[k] = r;
      if (!withTexture) continue;
      // Uneven staining across the section, as on any real slide.
      latBatch[k] = 1 + 0.1 * scene.shape.noise(X / 900 + 20, Y / 900);
      latCoarse[k] = scene.tex.noise(X / 28, Y / 28);
      latZone[k] = scene.shape.noise(X / 140 + 70, Y / 140);
      b.latWave[k] = 2.6 * scene.tex.noise(X / 36 + 90, Y / 36);
      // Only in necrosis: the share of broken-up nuclei (a haze of nuclear dust), and the depth
      // below the border (capped: only its first micrometres matter, far from it it is huge).
      if (r === NECROSIS) {
        const depth = scene.necrosisDepth(X, Y);
        b.latDrift[k] = scene.debrisShare(X, Y, depth);
        b.latDepth[k] = Math.min(NECROSIS_FADE_UM, depth);
      } else {
        b.latDrift[k] = 0;
        b.latDepth[k] = 0;
      }
      if (r === TUMOUR || r === NECROSIS) {
        scene.fascicle(X, Y, fas, true);
        // Stored by the border's pair of sites in a fixed order, so that lattice points either
        // side of a border hold the same pair and their signed distances interpolate across it.
        const ownLo = fas.site <= fas.site2;
        latLo[k] = ownLo ? fas.site : fas.site2;
        latHi[k] = ownLo ? fas.site2 : fas.site;
        const d = Math.min(fas.edge, 1e4);
        latEdge[k] = ownLo ? d : -d;
        const aLo = ownLo ? fas.angle : fas.angle2;
        const aHi = ownLo ? fas.angle2 : fas.angle;
        cc[k] = Math.cos(2 * aLo);
        cs[k] = Math.sin(2 * aLo);
        ct[k] = (ownLo ? fas.transverse : fas.transverse2) ? 1 : 0;
        latOx[k] = ownLo ? fas.ox : fas.ox2;
        latOy[k] = ownLo ? fas.oy : fas.oy2;
        b.latC2[k] = Math.cos(2 * aHi);
        b.latS2[k] = Math.sin(2 * aHi);
        b.latT2[k] = (ownLo ? fas.transverse2 : fas.transverse) ? 1 : 0;
        b.latOx2[k] = ownLo ? fas.ox2 : fas.ox;
        b.latObl[k] = ownLo ? fas.oblique : fas.oblique2;
        b.latObl2[k] = ownLo ? fas.oblique2 : fas.oblique;
        b.latOy2[k] = ownLo ? fas.oy2 : fas.oy;
      } else {
        latLo[k] = -1;
        latHi[k] = -1;
        cc[k] = 1;
        cs[k] = 0;
        ct[k] = 0;
        latOx[k] = 0;
        latOy[k] = 0;
        latEdge[k] = 1e4;
        b.latC2[k] = 1;
        b.latS2[k] = 0;
        b.latT2[k] = 0;
        b.latOx2[k] = 0;
        b.latOy2[k] = 0;
        b.latObl[k] = 0;
        b.latObl2[k] = 0;
      }
    }
  }
  for (let gj = 0; gj < gh - 1; gj++) {
    for (let gi = 0; gi < gw - 1; gi++) {
      const k00 = gj * gw + gi;
      const k10 = k00 + 1;
      const k01 = k00 + gw;
      const k11 = k01 + 1;
      const r = cr[k00]!;
      const uniform = cr[k10] === r && cr[k01] === r && cr[k11] === r;
      for (let dy = 0; dy < step; dy++) {
        const py = gj * step + dy;
        if (py >= h) break;
        const fy = dy / step;
        for (let dx = 0; dx < step; dx++) {
          const px = gi * step + dx;
          if (px >= w) break;
          const fx = dx / step;
          const i = py * size + px;
          const ri = uniform ? r : scene.regionAt(x0 + (px + 0.5) * upp, y0 + (py + 0.5) * upp);
          region[i] = ri;
          if (!withTexture) continue;
          const w00 = (1 - fx) * (1 - fy);
          const w10 = fx * (1 - fy);
          const w01 = (1 - fx) * fy;
          const w11 = fx * fy;
          batch[i] = latBatch[k00]! * w00 + latBatch[k10]! * w10 + latBatch[k01]! * w01 + latBatch[k11]! * w11;
          coarse[i] = latCoarse[k00]! * w00 + latCoarse[k10]! * w10 + latCoarse[k01]! * w01 + latCoarse[k11]! * w11;
          // Only tumour texture (viable, or its ghost in necrosis) follows the fascicles.
          if (ri !== TUMOUR && ri !== NECROSIS) continue;
          if (ri === NECROSIS) {
            const ld = b.latDrift;
            // Where the block's corners differ in region the lattice has no drift for some: ask.
            const d00 = ld[k00]!;
            const d10 = ld[k10]!;
            const d01 = ld[k01]!;
            const d11 = ld[k11]!;
            const lp = b.latDepth;
            if (uniform) {
              b.drift[i] = d00 * w00 + d10 * w10 + d01 * w01 + d11 * w11;
              b.depth[i] = lp[k00]! * w00 + lp[k10]! * w10 + lp[k01]! * w01 + lp[k11]! * w11;
            } else {
              const X = x0 + (px + 0.5) * upp;
              const Y = y0 + (py + 0.5) * upp;
              const depth = scene.necrosisDepth(X, Y);
              b.drift[i] = scene.debrisShare(X, Y, depth);
              b.depth[i] = depth;
            }
          }
          b.zone[i] = latZone[k00]! * w00 + latZone[k10]! * w10 + latZone[k01]! * w01 + latZone[k11]! * w11;
          const lw = b.latWave;
          b.wave[i] = lw[k00]! * w00 + lw[k10]! * w10 + lw[k01]! * w01 + lw[k11]! * w11;
          // The pixel's side of its border: where the block's corners name the same border,
          // its signed distance interpolated (so a finger's edge is drawn between lattice
          // points, and both textures blend evenly over it); elsewhere (where a third site or
          // the region's edge comes in) the nearest corner's, preferring one in the fascicles.
          const lo = latLo[k00]!;
          let src: number;
          let d: number;
          if (lo >= 0 && latLo[k10] === lo && latLo[k01] === lo && latLo[k11] === lo && latHi[k10] === latHi[k00] && latHi[k01] === latHi[k00] && latHi[k11] === latHi[k00]) {
            src = k00;
            d = latEdge[k00]! * w00 + latEdge[k10]! * w10 + latEdge[k01]! * w01 + latEdge[k11]! * w11;
          } else {
            src = fy < 0.5 ? (fx < 0.5 ? k00 : k10) : fx < 0.5 ? k01 : k11;
            if (latLo[src]! < 0) src = latLo[k00]! >= 0 ? k00 : latLo[k10]! >= 0 ? k10 : latLo[k01]! >= 0 ? k01 : k11;
            d = latEdge[src]!;
          }
          b.edge[i] = Math.abs(d);
          if (d >= 0) {
            c2[i] = cc[src]!;
            s2[i] = cs[src]!;
            across[i] = ct[src]! > 0.5 ? 1 : 0;
            b.ox[i] = latOx[src]!;
            b.oy[i] = latOy[src]!;
            b.c2b[i] = b.latC2[src]!;
            b.s2b[i] = b.latS2[src]!;
            b.acrossb[i] = b.latT2[src]!;
            b.oxb[i] = b.latOx2[src]!;
            b.oyb[i] = b.latOy2[src]!;
            b.obl[i] = b.latObl[src]!;
            b.oblb[i] = b.latObl2[src]!;
          } else {
            c2[i] = b.latC2[src]!;
            s2[i] = b.latS2[src]!;
            across[i] = b.latT2[src]!;
            b.ox[i] = b.latOx2[src]!;
            b.oy[i] = b.latOy2[src]!;
            b.c2b[i] = cc[src]!;
            b.s2b[i] = cs[src]!;
            b.acrossb[i] = ct[src]! > 0.5 ? 1 : 0;
            b.oxb[i] = latOx[src]!;
            b.oyb[i] = latOy[src]!;
            b.obl[i] = b.latObl2[src]!;
            b.oblb[i] = b.latObl[src]!;
          }
        }
      }
    }
  }
}

