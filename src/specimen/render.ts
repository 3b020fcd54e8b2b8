import { CELL_GRID_UM, CELL_REACH_UM, NONE, cellAt, newCell, sectionSalt } from './cells';
import { paintCell, paintVessels } from './paint-cells';
import type { Frame } from './paint-cells';
import { classifyPixels, makeBuffers, paintTissue } from './paint-tissue';
import type { Buffers } from './paint-tissue';
import { REGION_COUNT, Scene } from './scene';
import type { SceneSpec } from './scene';
import { DEFAULT_STAINS, writeBeerLambert } from './stain';
import type { StainModel } from './stain';
import type { StainId } from '../model/manifest';

/**
 * The virtual-slide tile renderer: a pure function of (scene, section, level, column, row).
 * No DOM: it runs in Web Workers in the app and directly in Node for tests and benchmarks.
 *
 * Pyramid levels follow Deep Zoom numbering: level L has 2^(L − maxLevel) of full resolution.
 * Levels where a pixel spans at most STATISTICAL_UPP µm draw every cell; coarser levels draw
 * each region's mean colour, measured from a cell-level rendering of the same slide.
 */

export const TILE_SIZE = 256;
/** Coarsest µm per pixel at which individual cells are still drawn. */
export const STATISTICAL_UPP = 4;

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
  private readonly cell = newCell();
  private readonly fas = { angle: 0, transverse: false };
  private readonly salt: number;
  private regionColours: Float32Array | undefined;

  constructor(
    spec: SceneSpec,
    readonly section: StainId,
    readonly stains: StainModel = DEFAULT_STAINS,
    tileSize = TILE_SIZE,
  ) {
    this.scene = new Scene(spec);
    this.geometry = slideGeometry(spec, tileSize);
    this.buffers = makeBuffers(tileSize);
    this.salt = sectionSalt(section);
  }

  /** Renders one tile into `out` (or a new array) and returns it. */
  render(level: number, col: number, row: number, out?: Uint8ClampedArray): RenderedTile {
    const { w, h, upp } = tileExtent(this.geometry, level, col, row);
    const data = out && out.length >= w * h * 4 ? out : new Uint8ClampedArray(w * h * 4);
    const x0 = col * this.geometry.tileSize * upp;
    const y0 = row * this.geometry.tileSize * upp;
    if (upp <= STATISTICAL_UPP + 1e-9) this.renderCells(x0, y0, upp, w, h, data);
    else this.renderStatistical(x0, y0, upp, w, h, data);
    return { width: w, height: h, data };
  }

  private renderCells(x0: number, y0: number, upp: number, w: number, h: number, out: Uint8ClampedArray): void {
    const b = this.buffers;
    const scene = this.scene;
    classifyPixels(scene, b, x0, y0, upp, w, h);
    paintTissue(scene, b, x0, y0, upp, w, h);
    b.D.fill(0);
    const f: Frame = { x0, y0, upp, w, h, ki67: this.section === 'ki67' };
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
        if (cellAt(scene, i, j, this.salt, c, this.fas) === NONE) continue;
        paintCell(scene, b, f, c);
      }
    }
    this.compose(w, h, out);
  }

  /** Stain amounts → optical density → colour, per the section's staining protocol. */
  private compose(w: number, h: number, out: Uint8ClampedArray): void {
    const { H, E, S, D, size } = this.buffers;
    const { hematoxylin: vh, eosin: ve, dab: vd, white } = this.stains;
    // IHC sections have no eosin: cytoplasm shows only a faint counterstain haze; nuclei carry
    // a lighter haematoxylin than in H&E (short counterstain).
    const sec = this.section;
    const kE = sec === 'he' ? 1 : 0;
    const kHaze = sec === 'he' ? 0 : 0.05;
    const kH = sec === 'he' ? 1 : 0.72;
    const kS = sec === 'sma' ? 0.62 : 0;
    const kD = sec === 'ki67' ? 1 : 0;
    for (let py = 0; py < h; py++) {
      for (let px = 0; px < w; px++) {
        const i = py * size + px;
        const hh = H[i]! * kH + E[i]! * kHaze;
        const ee = E[i]! * kE;
        const dd = S[i]! * kS * Math.min(1, E[i]! * 3) + D[i]! * kD;
        writeBeerLambert(
          out,
          (py * w + px) * 4,
          white,
          hh * vh[0] + ee * ve[0] + dd * vd[0],
          hh * vh[1] + ee * ve[1] + dd * vd[1],
          hh * vh[2] + ee * ve[2] + dd * vd[2],
        );
      }
    }
  }

  /**
   * Mean colour of each region as the cell levels draw it, measured once per renderer on a
   * fixed set of sample tiles at the finest statistical boundary.
   */
  private measureRegionColours(): Float32Array {
    const sums = new Float64Array(REGION_COUNT * 4);
    const g = this.geometry;
    const level = g.maxLevel - Math.round(Math.log2(STATISTICAL_UPP / g.mpp));
    const { upp } = tileExtent(g, level, 0, 0);
    const cols = Math.ceil(g.width / (2 ** (g.maxLevel - level) * g.tileSize));
    const rows = Math.ceil(g.height / (2 ** (g.maxLevel - level) * g.tileSize));
    const tmp = new Uint8ClampedArray(g.tileSize * g.tileSize * 4);
    for (let row = 0; row < rows; row += 2) {
      for (let col = (row / 2) % 2; col < cols; col += 2) {
        const t = this.render(level, col, row, tmp);
        const x0 = col * g.tileSize * upp;
        const y0 = row * g.tileSize * upp;
        for (let py = 1; py < t.height; py += 2) {
          for (let px = 1; px < t.width; px += 2) {
            const r = this.scene.regionAt(x0 + (px + 0.5) * upp, y0 + (py + 0.5) * upp);
            const o = (py * t.width + px) * 4;
            sums[r * 4] = sums[r * 4]! + t.data[o]!;
            sums[r * 4 + 1] = sums[r * 4 + 1]! + t.data[o + 1]!;
            sums[r * 4 + 2] = sums[r * 4 + 2]! + t.data[o + 2]!;
            sums[r * 4 + 3] = sums[r * 4 + 3]! + 1;
          }
        }
      }
    }
    const colours = new Float32Array(REGION_COUNT * 3);
    for (let r = 0; r < REGION_COUNT; r++) {
      const n = sums[r * 4 + 3]! || 1;
      for (let k = 0; k < 3; k++) colours[r * 3 + k] = n > 0 ? sums[r * 4 + k]! / n : this.stains.white[k]!;
    }
    return colours;
  }

  private renderStatistical(x0: number, y0: number, upp: number, w: number, h: number, out: Uint8ClampedArray): void {
    const colours = (this.regionColours ??= this.measureRegionColours());
    const scene = this.scene;
    // Supersample region borders 2×2 so coastlines are smooth at overview zoom.
    const q = upp / 4;
    for (let py = 0; py < h; py++) {
      const Y = y0 + (py + 0.5) * upp;
      for (let px = 0; px < w; px++) {
        const X = x0 + (px + 0.5) * upp;
        let r = 0;
        let g = 0;
        let bl = 0;
        const r0 = scene.regionAt(X, Y);
        const r1 = scene.regionAt(X + q, Y + q);
        if (r0 === r1) {
          r = colours[r0 * 3]!;
          g = colours[r0 * 3 + 1]!;
          bl = colours[r0 * 3 + 2]!;
        } else {
          const rr = [r0, r1, scene.regionAt(X - q, Y + q), scene.regionAt(X + q, Y - q)];
          for (const k of rr) {
            r += colours[k * 3]! / 4;
            g += colours[k * 3 + 1]! / 4;
            bl += colours[k * 3 + 2]! / 4;
          }
        }
        const n = 1 + 0.03 * scene.shape.noise(X / 900 + 20, Y / 900);
        const o = (py * w + px) * 4;
        out[o] = r / n;
        out[o + 1] = g / n;
        out[o + 2] = bl / n;
        out[o + 3] = 255;
      }
    }
  }
}
