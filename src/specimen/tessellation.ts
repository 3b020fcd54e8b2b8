import { hash3, unit } from './hash';

/**
 * Packed cells as a Voronoi tessellation of jittered grid points: one site per `cell`-µm square,
 * kept off the square's margin. Fat cells, cross-cut smooth-muscle cells and red cells in a
 * vessel all pack this way. The tumour's cell grid uses the same sites, so a nucleus lies at the
 * centre of its cell's cross-section.
 */

/** Coordinate of the site of grid square i along one axis (k = 1 for x, 2 for y). */
export function siteCoord(i: number, h: number, k: number, cell: number): number {
  return (i + 0.15 + 0.7 * unit(hash3(h, k, 0))) * cell;
}

export class Tessellation {
  /** Nearest site: its hash and position. */
  site = 0;
  sx = 0;
  sy = 0;
  /** Distance to the nearest site, and to the border with the next nearest (half the difference). */
  near = 0;
  border = 0;
  /**
   * The nine sites (x, y, hash) around the last square asked about. Pixels along a row stay in
   * one square for many pixels, so they are kept: a pure cache, keyed by every input.
   */
  private readonly sites = new Float64Array(27);
  private ki = NaN;
  private kj = NaN;
  private kSalt = NaN;

  /** `siteHash`: the hash of grid square (i, j)'s site in the tessellation salted `salt`. */
  constructor(
    readonly cell: number,
    private readonly siteHash: (i: number, j: number, salt: number) => number = hash3,
  ) {}

  /** Fills this object's fields for point (x, y) in the tessellation salted by `salt`. */
  nearest(x: number, y: number, salt: number): this {
    const cell = this.cell;
    const gi = Math.floor(x / cell);
    const gj = Math.floor(y / cell);
    const s = this.sites;
    if (gi !== this.ki || gj !== this.kj || salt !== this.kSalt) {
      let k = 0;
      for (let j = gj - 1; j <= gj + 1; j++) {
        for (let i = gi - 1; i <= gi + 1; i++, k += 3) {
          const h = this.siteHash(i, j, salt);
          s[k] = siteCoord(i, h, 1, cell);
          s[k + 1] = siteCoord(j, h, 2, cell);
          s[k + 2] = h;
        }
      }
      this.ki = gi;
      this.kj = gj;
      this.kSalt = salt;
    }
    // Squared distances while searching; one square root each for the nearest two at the end.
    let d1 = Infinity;
    let d2 = Infinity;
    let best = 0;
    for (let k = 0; k < 27; k += 3) {
      const dx = x - s[k]!;
      const dy = y - s[k + 1]!;
      const d = dx * dx + dy * dy;
      if (d < d1) {
        d2 = d1;
        d1 = d;
        best = k;
      } else if (d < d2) d2 = d;
    }
    this.sx = s[best]!;
    this.sy = s[best + 1]!;
    this.site = s[best + 2]!;
    this.near = Math.sqrt(d1);
    this.border = (Math.sqrt(d2) - this.near) * 0.5;
    return this;
  }
}
