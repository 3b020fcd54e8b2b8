import { CELL_GRID_UM, CELL_REACH_UM, NONE, cellAt, newCell, sectionSalt } from './cells';
import { paintCell } from './paint-cells';
import { paintVessels } from './paint-vessel';
import type { Frame } from './paint-cells';
import { classifyPixels, makeBuffers, paintTissue } from './paint-tissue';
import type { Buffers } from './paint-tissue';
import { REGION_COUNT, Scene, newFascicle } from './scene';
import { SectionArtefacts, tearReach } from './section-artefacts';
import { PlaneResampler } from './tear-resample';
import type { SceneSpec } from './scene';
import { OPTICS_APRON, blurInto, blurKernel, blurScratchLength, focusLattice, focusLatticeLength } from './optics';
import { SensorNoise, sensorAmplitude } from './scanner';
import { BlockCompression } from './compression';
import { TransmissionTable, stainsFor } from './stain';
import type { StainModel } from './stain';
import type { StainId } from '../model/manifest';
import { REGION_ROW } from './lod-table';
import type { RegionColourTable } from './lod-table';

/**
 * The virtual-slide tile renderer: a pure function of (scene, section, level, column, row).
 * No DOM: it runs in Web Workers in the app and directly in Node for tests and benchmarks.
 *
 * Pyramid levels follow Deep Zoom numbering: level L has 2^(L − maxLevel) of full resolution.
 * Levels where a pixel spans at most STATISTICAL_UPP µm draw every cell; coarser levels draw
 * each region's mean colour, measured from a cell-level rendering of the same slide.
 */

export const TILE_SIZE = 256;
/** DAB optical density that nuclear staining approaches but never passes. */
const DAB_SATURATION = 3;
/** Coarsest µm per pixel at which individual cells are still drawn. */
export const STATISTICAL_UPP = 4;
/** Most pixels painted beyond each tile edge where the knife's tear runs (tearApron). */
const TEAR_APRON = 32;

/**
 * Pixels painted beyond each tile edge where the knife's tear runs: the optics' apron, the
 * furthest the tear moves tissue at this pixel size and a pixel for the resampling, rounded up
 * to a multiple of 4 (the classification lattice). At 40x 4 + 24 + 1, so 32; at 10x 8; none
 * beyond the optics' from 5x down, where the drag is under a pixel and not drawn.
 */
function tearApron(upp: number): number {
  const reach = tearReach(upp);
  if (reach <= 0) return OPTICS_APRON;
  return Math.min(TEAR_APRON, Math.ceil((OPTICS_APRON + Math.ceil(reach / upp) + 1) / 4) * 4);
}

export interface SlideGeometry {
  readonly width: number;
  readonly height: number;
  readonly mpp: number;
  readonly maxLevel: number;
  readonly tileSize: number;
}

export function slideGeometry(spec: SceneSpec, tileSize = TILE_SIZE): SlideGeometry {
  const width = Math.round(spec.widthUm / spec.mpp);
  const height = Math.round(spec.heightUm / spec.mpp);
  return { width, height, mpp: spec.mpp, maxLevel: Math.ceil(Math.log2(Math.max(width, height))), tileSize };
}

/** Pixel size of a tile (edge tiles are cropped to the level's size). */
export function tileExtent(g: SlideGeometry, level: number, col: number, row: number): { w: number; h: number; upp: number } {
  const scale = 2 ** (g.maxLevel - level);
  const lw = Math.ceil(g.width / scale);
  const lh = Math.ceil(g.height / scale);
  return {
    w: Math.max(0, Math.min(g.tileSize, lw - col * g.tileSize)),
    h: Math.max(0, Math.min(g.tileSize, lh - row * g.tileSize)),
    upp: g.mpp * scale,
  };
}

export type { RegionColourTable } from './lod-table';
export { REGION_ROW } from './lod-table';

export interface RenderedTile {
  readonly width: number;
  readonly height: number;
  /** RGBA, width × height × 4 bytes. */
  readonly data: Uint8ClampedArray;
}

export class TileRenderer {
  readonly scene: Scene;
  readonly geometry: SlideGeometry;
  private readonly buffers: Buffers;
  /** Unblurred colour of a tile and its apron, and the blur's horizontal pass. */
  private readonly sharp: Uint8ClampedArray;
  private readonly blurTmp: Uint16Array;
  /** The focus field over a tile (optics.ts focusLattice). */
  private readonly focus: Float32Array;
  /** The focus weight of each pixel along one row of the tile. */
  private readonly focusRow: Float64Array;
  private readonly sensor = new SensorNoise();
  private readonly jpeg = new BlockCompression();
  private readonly cell = newCell();
  private readonly fas = newFascicle();
  /** The microtome's chatter and knife line (each section its own), and their thickness. */
  private readonly artefacts: SectionArtefacts;
  private readonly thickness: Float32Array;
  /** Where the tear moved the tissue each pixel shows (µm), and the resampling that moves it. */
  private readonly tearX: Float32Array;
  private readonly tearY: Float32Array;
  private readonly resampler = new PlaneResampler();
  private regionColours: Float32Array | undefined;
  private odMap: Float32Array | undefined;
  /** Measured colours passed in (from images/*.lod.json) skip the measurement at start-up. */
  static fromTable(spec: SceneSpec, section: StainId, table: RegionColourTable | undefined): TileRenderer {
    const r = new TileRenderer(spec, section);
    const rows = table?.[section];
    if (rows && rows.length === REGION_COUNT && rows.every((row) => row.length === REGION_ROW)) r.regionColours = Float32Array.from(rows.flat());
    return r;
  }
  private readonly transmission: TransmissionTable;

  constructor(
    spec: SceneSpec,
    readonly section: StainId,
    readonly stains: StainModel = stainsFor(section),
    tileSize = TILE_SIZE,
  ) {
    this.scene = new Scene(spec, sectionSalt(section));
    this.geometry = slideGeometry(spec, tileSize);
    this.buffers = makeBuffers(tileSize + 2 * TEAR_APRON);
    this.sharp = new Uint8ClampedArray((tileSize + 2 * OPTICS_APRON) ** 2 * 4);
    this.blurTmp = new Uint16Array(blurScratchLength(tileSize));
    this.focus = new Float32Array(focusLatticeLength(tileSize));
    this.focusRow = new Float64Array(tileSize);
    this.artefacts = new SectionArtefacts(spec.widthUm, spec.heightUm, this.scene.sectionSalt, this.scene.shape);
    this.thickness = new Float32Array((tileSize + 2 * TEAR_APRON) ** 2);
    this.tearX = new Float32Array((tileSize + 2 * TEAR_APRON) ** 2);
    this.tearY = new Float32Array((tileSize + 2 * TEAR_APRON) ** 2);
    this.transmission = new TransmissionTable(stains.white);
  }

  /** Renders one tile into `out` (or a new array) and returns it. */
  render(level: number, col: number, row: number, out?: Uint8ClampedArray): RenderedTile {
    const { w, h, upp } = tileExtent(this.geometry, level, col, row);
    const data = out && out.length >= w * h * 4 ? out : new Uint8ClampedArray(w * h * 4);
    const x0 = col * this.geometry.tileSize * upp;
    const y0 = row * this.geometry.tileSize * upp;
    if (upp <= STATISTICAL_UPP + 1e-9) this.renderCells(x0, y0, upp, w, h, data);
    else this.renderStatistical(x0, y0, upp, w, h, data);
    // The sensor's noise, on every level (each is a scan's own, resampled and stored).
    const ts = this.geometry.tileSize;
    this.sensor.add(data, w, h, col * ts, row * ts, level, sensorAmplitude(upp, this.section));
    // And its JPEG, on every level (each is stored compressed).
    this.jpeg.apply(data, w, h);
    return { width: w, height: h, data };
  }

  private renderCells(tx0: number, ty0: number, upp: number, tw: number, th: number, out: Uint8ClampedArray): void {
    // Paint an apron around the tile so the blur sees real neighbours (and, where the knife tore
    // the section, so the tear finds the tissue it moved).
    const kernel = blurKernel(upp, this.section);
    const apron = tearApron(upp);
    const tear = apron > OPTICS_APRON && this.artefacts.nearTear(tx0, ty0, tx0 + tw * upp, ty0 + th * upp, tearReach(upp) + OPTICS_APRON * upp);
    const A = tear ? apron : OPTICS_APRON;
    const x0 = tx0 - A * upp;
    const y0 = ty0 - A * upp;
    const w = tw + 2 * A;
    const h = th + 2 * A;
    const b = this.buffers;
    const scene = this.scene;
    classifyPixels(scene, b, x0, y0, upp, w, h);
    paintTissue(scene, b, x0, y0, upp, w, h, this.section === 'sma');
    b.D.fill(0);
    const f: Frame = { x0, y0, upp, w, h, ki67: this.section === 'ki67', actin: this.section === 'sma' };
    paintVessels(scene, b, f);
    const x1 = x0 + w * upp;
    const y1 = y0 + h * upp;
    const i0 = Math.floor((x0 - CELL_REACH_UM) / CELL_GRID_UM);
    const i1 = Math.floor((x1 + CELL_REACH_UM) / CELL_GRID_UM);
    const j0 = Math.floor((y0 - CELL_REACH_UM) / CELL_GRID_UM);
    const j1 = Math.floor((y1 + CELL_REACH_UM) / CELL_GRID_UM);
    const c = this.cell;
    for (let j = j0; j <= j1; j++) {
      for (let i = i0; i <= i1; i++) {
        if (cellAt(scene, i, j, c, this.fas, true, upp) === NONE) continue;
        paintCell(scene, b, f, c);
      }
    }
    // The optics' part of the painted area: the tile and OPTICS_APRON round it, `lo` pixels in.
    const lo = A - OPTICS_APRON;
    const ox0 = tx0 - OPTICS_APRON * upp;
    const oy0 = ty0 - OPTICS_APRON * upp;
    const ow = tw + 2 * OPTICS_APRON;
    const oh = th + 2 * OPTICS_APRON;
    if (tear && this.artefacts.tearOffsets(x0, y0, upp, w, h, this.tearX, this.tearY, b.size)) {
      this.resampler.apply([b.H, b.E, b.S, b.D, b.R], this.tearX, this.tearY, b.size, lo, ow, oh, upp, lo - 1);
    }
    this.compose(ox0, oy0, upp, ow, oh, this.sharp, undefined, lo);
    // Focus varies across the section where the objective resolves cells (40x, 20x).
    const focusCols = upp <= 0.6 ? focusLattice((x, y) => scene.shape.noise(x, y), ox0, oy0, upp, ow, oh, this.focus) : 0;
    blurInto(this.sharp, ow, tw, th, kernel, this.blurTmp, out, focusCols ? this.focus : undefined, focusCols, this.focusRow);
  }

  /**
   * Stain amounts → optical density → colour, per the section's staining protocol. `odMap`
   * (statistical levels) maps each region's optical density before it becomes colour. The
   * w × h pixels composed start `lo` pixels into the painted buffers, along both axes.
   */
  private compose(x0: number, y0: number, upp: number, w: number, h: number, out: Uint8ClampedArray, odMap?: Float32Array, lo = 0): void {
    const { H, E, S, D, R, size, region } = this.buffers;
    // Where the section is cut thicker or thinner, all it holds is denser or fainter.
    const thick = this.thickness;
    this.artefacts.fill(x0, y0, upp, w, h, thick, size);
    const { hematoxylin: vh, eosin: ve, dab: vd, redCell: vr } = this.stains;
    const t = this.transmission;
    // IHC sections have no eosin: cytoplasm shows only a faint counterstain haze; nuclei carry
    // a lighter haematoxylin than in H&E (short counterstain). (SMA's, greyer, needs a little
    // more to hold the haematoxylin its reference shows where it dominates.) Ki67's cytoplasm
    // takes more of the counterstain, as its scan's does (a median 0.079 OD between nuclei at
    // 20x; 0.12 of the eosin-equivalent gave 0.049, a white canvas for the nuclei to sit on).
    const sec = this.section;
    const kE = sec === 'he' ? 1 : 0;
    const kHaze = sec === 'he' ? 0 : sec === 'ki67' ? 0.2 : 0.12;
    const kH = sec === 'he' ? 1 : sec === 'sma' ? 0.7 : 0.6;
    const kS = sec === 'sma' ? 0.72 : 0;
    const kD = sec === 'ki67' ? 1 : 0;
    // Red cells: crimson on H&E; on IHC sections only haemoglobin's own faint tan.
    const kR = sec === 'he' ? 1 : 0.3;
    const brown = kS !== 0 || kD !== 0;
    for (let py = 0; py < h; py++) {
      for (let px = 0; px < w; px++) {
        const i = (py + lo) * size + px + lo;
        const e = E[i]!;
        const hh = kHaze !== 0 ? H[i]! * kH + e * kHaze : H[i]! * kH;
        const ee = e * kE;
        // DAB precipitate saturates: the darkest nuclei (mitoses) are deep brown, not black.
        // (H&E has neither DAB nor actin: its terms are exactly 0, so left out.)
        let dd = 0;
        if (brown) {
          const d = D[i]! * kD;
          dd = S[i]! * kS * Math.min(1, e * 3) + d / (1 + d * (1 / DAB_SATURATION));
        }
        const rr = R[i]! * kR;
        let odR = hh * vh[0] + ee * ve[0] + dd * vd[0] + rr * vr[0];
        let odG = hh * vh[1] + ee * ve[1] + dd * vd[1] + rr * vr[1];
        let odB = hh * vh[2] + ee * ve[2] + dd * vd[2] + rr * vr[2];
        if (odMap) {
          const m = region[i]! * 6;
          odR = odR * odMap[m]! + odMap[m + 1]!;
          odG = odG * odMap[m + 2]! + odMap[m + 3]!;
          odB = odB * odMap[m + 4]! + odMap[m + 5]!;
        }
        const k = thick[py * size + px]!;
        t.write(out, (py * w + px) * 4, odR * k, odG * k, odB * k);
      }
    }
  }

  /**
   * Mean colour of each region as the cell levels draw it, measured once per renderer: small
   * patches at the finest statistical boundary, centred on points of each region found on a
   * coarse survey of the section. Cheap enough (tens of ms) to run in every worker.
   */
  measureRegionColours(): Float32Array {
    const g = this.geometry;
    const spec = this.scene.spec;
    const patch = new TileRenderer(spec, this.section, this.stains, 64);
    const level = g.maxLevel - Math.round(Math.log2(STATISTICAL_UPP / g.mpp));
    const upp = STATISTICAL_UPP;
    const patchUm = 64 * upp;
    const perRegion = 5;
    const found = new Array<number>(REGION_COUNT).fill(0);
    const sums = new Float64Array(REGION_COUNT * 4);
    const tissueSums = new Float64Array(REGION_COUNT * 3);
    const tmp = new Uint8ClampedArray(64 * 64 * 4);
    const tissue = new Uint8ClampedArray(64 * 64 * 4);
    // A low-discrepancy survey, so samples spread over the whole section.
    for (let k = 0; k < 4000 && found.some((n) => n < perRegion); k++) {
      const x = ((k * 0.618034 + 0.5) % 1) * spec.widthUm;
      const y = ((k * 0.7548777 + 0.5) % 1) * spec.heightUm;
      const r = this.scene.regionAt(x, y);
      if (found[r]! >= perRegion) continue;
      found[r] = found[r]! + 1;
      const col = Math.floor(x / patchUm);
      const row = Math.floor(y / patchUm);
      const t = patch.render(level, col, row, tmp);
      const x0 = col * patchUm;
      const y0 = row * patchUm;
      patch.renderTissue(x0, y0, upp, t.width, t.height, tissue);
      for (let py = 0; py < t.height; py += 2) {
        for (let px = 0; px < t.width; px += 2) {
          const pr = this.scene.regionAt(x0 + (px + 0.5) * upp, y0 + (py + 0.5) * upp);
          const o = (py * t.width + px) * 4;
          sums[pr * 4] = sums[pr * 4]! + t.data[o]!;
          sums[pr * 4 + 1] = sums[pr * 4 + 1]! + t.data[o + 1]!;
          sums[pr * 4 + 2] = sums[pr * 4 + 2]! + t.data[o + 2]!;
          sums[pr * 4 + 3] = sums[pr * 4 + 3]! + 1;
          for (let k = 0; k < 3; k++) tissueSums[pr * 3 + k] = tissueSums[pr * 3 + k]! + tissue[o + k]!;
        }
      }
    }
    const colours = new Float32Array(REGION_COUNT * REGION_ROW);
    for (let r = 0; r < REGION_COUNT; r++) {
      const n = sums[r * 4 + 3]!;
      for (let k = 0; k < 3; k++) {
        colours[r * REGION_ROW + k] = n > 0 ? sums[r * 4 + k]! / n : this.stains.white[k]!;
        colours[r * REGION_ROW + 3 + k] = n > 0 ? tissueSums[r * 3 + k]! / n : this.stains.white[k]!;
      }
    }
    return colours;
  }

  /** The tissue alone (background, texture and vessels; no cells) of a region, composed to RGB. */
  private renderTissue(x0: number, y0: number, upp: number, w: number, h: number, out: Uint8ClampedArray, odMap?: Float32Array): void {
    const b = this.buffers;
    classifyPixels(this.scene, b, x0, y0, upp, w, h);
    paintTissue(this.scene, b, x0, y0, upp, w, h, this.section === 'sma');
    b.D.fill(0);
    paintVessels(this.scene, b, { x0, y0, upp, w, h, ki67: this.section === 'ki67' });
    this.compose(x0, y0, upp, w, h, out, odMap);
  }

  /**
   * Levels too coarse for cells: the tissue alone (its texture, fat cells, vessels, fascicle
   * tints — all cheap per pixel), with each region's optical density mapped linearly so its mean
   * is the measured mean with cells. The overview keeps its texture, and matches the levels above
   * it (pyramid consistency).
   */
  private renderStatistical(x0: number, y0: number, upp: number, w: number, h: number, out: Uint8ClampedArray): void {
    const colours = (this.regionColours ??= this.measureRegionColours());
    this.renderTissue(x0, y0, upp, w, h, out, (this.odMap ??= this.regionOdMap(colours)));
  }

  /**
   * Per region and channel, gain and offset taking the tissue's OD to the region's mean with
   * cells. Where cells add little (H&E stroma) the gain alone does it, so pale and dark parts
   * keep their contrast; where they dominate (brown Ki67 nuclei over a pale counterstain) the
   * gain is capped and an even offset carries the rest. Either way the mean OD is exact.
   */
  private regionOdMap(colours: Float32Array): Float32Array {
    const map = new Float32Array(REGION_COUNT * 6);
    for (let r = 0; r < REGION_COUNT; r++) {
      for (let k = 0; k < 3; k++) {
        const white = this.stains.white[k]!;
        const withCells = -Math.log10(Math.min(white, Math.max(1, colours[r * REGION_ROW + k]!)) / white);
        const alone = -Math.log10(Math.min(white, Math.max(1, colours[r * REGION_ROW + 3 + k]!)) / white);
        const gain = alone > 0.01 ? Math.min(2, Math.max(1, withCells / alone)) : 1;
        map[r * 6 + k * 2] = gain;
        map[r * 6 + k * 2 + 1] = withCells - gain * alone;
      }
    }
    return map;
  }
}
