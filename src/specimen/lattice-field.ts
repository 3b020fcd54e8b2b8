/**
 * A smooth field (a noise tens to hundreds of µm across) sampled on a tile's 4-pixel lattice
 * and interpolated bilinearly, instead of evaluated at every pixel. The lattice is the one
 * classifyPixels uses: aligned to the level's global pixel grid (tile origins and the optics
 * apron are multiples of 4), so two tiles sample the same points and still meet exactly.
 *
 * Only used where the lattice step is at most SMOOTH_SHARE of the field's scale: there the
 * interpolation differs from the field by well under a hundredth of its range.
 */
const STEP = 4;
const SMOOTH_SHARE = 1 / 16;

export class LatticeField {
  private readonly lat: Float64Array;
  private gw = 0;
  /** Whether the lattice holds the current tile's samples. */
  ready = false;

  constructor(size: number) {
    this.lat = new Float64Array((Math.ceil(size / STEP) + 1) ** 2);
  }

  /** Whether a field of this scale (µm) may be interpolated at this pixel size. */
  static fits(scaleUm: number, upp: number): boolean {
    return STEP * upp <= scaleUm * SMOOTH_SHARE;
  }

  /** Samples `field` (at scene points, µm) over the lattice of the area (x0, y0, w × h px). */
  fill(field: (x: number, y: number) => number, x0: number, y0: number, upp: number, w: number, h: number): void {
    const gw = Math.ceil(w / STEP) + 1;
    const gh = Math.ceil(h / STEP) + 1;
    const lat = this.lat;
    for (let gj = 0; gj < gh; gj++) {
      const Y = y0 + (gj * STEP + 0.5) * upp;
      for (let gi = 0; gi < gw; gi++) lat[gj * gw + gi] = field(x0 + (gi * STEP + 0.5) * upp, Y);
    }
    this.gw = gw;
    this.ready = true;
  }

  /** The field at pixel (px, py) of the area last filled. */
  at(px: number, py: number): number {
    const gw = this.gw;
    const k = (py >> 2) * gw + (px >> 2);
    const fx = (px & 3) * 0.25;
    const fy = (py & 3) * 0.25;
    const l = this.lat;
    const top = l[k]! + (l[k + 1]! - l[k]!) * fx;
    const bottom = l[k + gw]! + (l[k + gw + 1]! - l[k + gw]!) * fx;
    return top + (bottom - top) * fy;
  }
}

/** A smooth field of the tissue painters: its scale (µm, its finest detail) and its value at a point. */
export interface SmoothField {
  readonly scaleUm: number;
  readonly at: (x: number, y: number) => number;
}

/**
 * The smooth fields of one tile, each sampled on the lattice the first time a pixel asks for
 * it (most tiles hold two or three regions, so most fields are never sampled). One per
 * renderer's buffers: nothing is shared between renderers.
 */
export class TileFields {
  private readonly fields: LatticeField[] = [];
  private x0 = 0;
  private y0 = 0;
  private upp = 1;
  private w = 0;
  private h = 0;

  constructor(private readonly size: number) {}

  /** Starts a tile: the area (x0, y0, w × h px at upp µm a pixel) whose lattice fields sample. */
  begin(x0: number, y0: number, upp: number, w: number, h: number): void {
    this.x0 = x0;
    this.y0 = y0;
    this.upp = upp;
    this.w = w;
    this.h = h;
    for (const f of this.fields) if (f) f.ready = false;
  }

  /** `field` (slot `slot`) at pixel (px, py), scene point (X, Y): from the lattice where it fits. */
  get(slot: number, field: SmoothField, px: number, py: number, X: number, Y: number): number {
    if (!LatticeField.fits(field.scaleUm, this.upp)) return field.at(X, Y);
    const f = (this.fields[slot] ??= new LatticeField(this.size));
    if (!f.ready) f.fill(field.at, this.x0, this.y0, this.upp, this.w, this.h);
    return f.at(px, py);
  }
}
