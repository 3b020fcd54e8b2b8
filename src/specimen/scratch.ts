import { hash3 } from './hash';
import { CELL_GRID_UM, cellHash } from './grid';
import { MARROW_FAT_UM, SOFT_FAT_UM } from './marrow';
import { Tessellation } from './tessellation';
import { newFascicle } from './fascicles';
import { newOvalPoint } from './vessel-shape';
import { bendOf, meanderOf } from './fibre-bend';

/**
 * hash3 of the last inputs it was asked for. Neighbouring pixels nearly always fall in the same
 * ribbon and cell, so their hashes are kept from one pixel to the next. A pure cache (keyed by
 * every input): results never depend on the order pixels are drawn in.
 */
export class LastHash {
  private a = NaN;
  private b = NaN;
  private c = NaN;
  private h = 0;

  of(a: number, b: number, c: number): number {
    if (a !== this.a || b !== this.b || c !== this.c) {
      this.a = a;
      this.b = b;
      this.c = c;
      this.h = hash3(a, b, c);
    }
    return this.h;
  }
}

/**
 * Scratch records and pure caches of the painters and the cell placer, one set per Scene (so
 * per renderer or ground truth): nothing mutable lives at module level, and two renderers in
 * one worker never share a cache. Every cache is keyed by all its inputs, so answers never
 * depend on the order of questions.
 */
export class Scratch {
  /** Marrow fat as the cell placer sees it, and as the tissue painter does (kept apart: each
   * asks about its own run of points, and one cache between them would thrash). */
  readonly cellMarrowFat = new Tessellation(MARROW_FAT_UM);
  readonly marrowFat = new Tessellation(MARROW_FAT_UM);
  readonly softFat = new Tessellation(SOFT_FAT_UM);
  /** Cross-sections of tumour cells: the tessellation of the tumour's own cell grid, as this
   * scene's section cuts it (salted by the scene's seed). */
  readonly profiles: Tessellation;
  /** Red cells packed in a vessel's lumen or a marrow sinusoid. */
  readonly redCells = new Tessellation(6.6);
  readonly rowHash = new LastHash();
  readonly tintHash = new LastHash();
  readonly borderHash = new LastHash();
  readonly stretchHash = new LastHash();
  /** Points for GradientNoise.noiseAt and its answers (a painter fills, calls, reads at once). */
  readonly noiseXY = new Float64Array(16);
  readonly noiseOut = new Float64Array(8);
  /** A pixel in its fascicle's frame (paint-muscle's toFascicleFrame writes it, its caller reads it). */
  readonly frame = { u: 0, v: 0, key: 0, phi: bendOf(0), phase: meanderOf(0) };
  /** The fascicle at a nucleus's ends (cells.ts stopAtBorder), or at a vessel being placed. */
  readonly probe = newFascicle();
  /** A point against a vessel's oval (Scene.inVessel). */
  readonly oval = newOvalPoint();
  /** The last marrow cell asked whether it is fat (marrow.ts isFatVacuole). */
  readonly fat = { site: -1, sx: NaN, fat: false };
  /** The big cell (mitosis, giant) a tumour cell lies near (cells.ts bodyNear): centre and body radius. */
  readonly body = { x: 0, y: 0, r: 0 };
  /** A bone-lining cell's place (marrow.ts liningPlace): read before the next call. */
  readonly lining = { x: 0, y: 0, angle: 0 };

  /** `sectionSalt`: the section (cells.ts sectionSalt) whose cells this scratch space serves. */
  constructor(sectionSalt: number) {
    this.profiles = new Tessellation(CELL_GRID_UM, (i, j, seed) => cellHash(seed, i, j, sectionSalt));
  }
}
