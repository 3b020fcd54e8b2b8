import { makeRng } from './hash';

/** Fine harmonics that fray an outline (Blob's last argument). */
export interface Fray {
  readonly amplitude: number;
  readonly from: number;
  readonly to: number;
}

/**
 * A star-shaped region: an ellipse whose radius wobbles by Fourier terms (a few, or hundreds
 * where the outline is frayed).
 * Exact membership test and an exact polygon (for ground truth) come from the same formula.
 */
export class Blob {
  readonly minX: number;
  readonly maxX: number;
  readonly minY: number;
  readonly maxY: number;
  /** Harmonics of the radius: frequency (turns per revolution), amplitude, phase. */
  private readonly freqs: Float64Array;
  private readonly amps: Float64Array;
  private readonly phases: Float64Array;
  private readonly inner: number;
  private readonly outer: number;
  /** The outline as the polygon that ground truth exports; membership near the edge uses it. */
  private readonly px: Float64Array;
  private readonly py: Float64Array;
  /** The outline's normalised radius at evenly spaced angles (textures steer by it): at least
   * RADII, and twice the highest harmonic, so a frayed outline's table is not aliased. */
  private readonly radii: Float64Array;
  private readonly tableN: number;
  /** Squared normalised radius under which every point is inside the polygon. */
  private readonly innerChord2: number;
  /** Vertices of the exported polygon unless a blob asks for more (geographic outlines do). */
  static readonly VERTICES = 128;
  private static readonly RADII = 1024;

  constructor(
    readonly cx: number,
    readonly cy: number,
    readonly rx: number,
    readonly ry: number,
    seed: number,
    wobble = 0.16,
    terms = 6,
    /** How fast higher harmonics fade: 1 keeps the outline smooth, lower makes it geographic. */
    decay = 1,
    /** Vertices of the polygon: enough that no chord is visibly straight at the outline's finest wobble. */
    vertices = Blob.VERTICES,
    /** A ragged edge: harmonics `from`..`to` with amplitude (normalised) `amplitude`·from/f. */
    fray?: Fray,
  ) {
    const rng = makeRng(seed);
    const extra = fray ? fray.to - fray.from + 1 : 0;
    this.freqs = new Float64Array(terms + extra);
    this.amps = new Float64Array(terms + extra);
    this.phases = new Float64Array(terms + extra);
    let sum = 0;
    for (let k = 0; k < terms; k++) {
      // Higher harmonics get less amplitude so the outline stays smooth but irregular.
      const a = (wobble * (0.4 + rng())) / (decay === 1 ? k + 1 : Math.pow(k + 1, decay));
      this.freqs[k] = k + 2;
      this.amps[k] = a;
      this.phases[k] = rng() * Math.PI * 2;
      sum += a;
    }
    // (Drawn after the smooth terms, so a blob without fray keeps its outline.)
    if (fray) {
      const frng = makeRng(seed ^ 0x7a11);
      for (let f = fray.from; f <= fray.to; f++) {
        const k = terms + f - fray.from;
        const a = (fray.amplitude * (fray.from / f)) * (0.4 + frng());
        this.freqs[k] = f;
        this.amps[k] = a;
        this.phases[k] = frng() * Math.PI * 2;
        sum += a;
      }
    }
    this.inner = 1 - sum;
    this.outer = 1 + sum;
    // A star-shaped outline needs a positive radius everywhere.
    if (this.inner <= 0) throw new Error('Blob: the wobble reaches the centre');
    // Chords sag inside the curve by at most the factor cos(π/n).
    this.innerChord2 = (this.inner * Math.cos(Math.PI / vertices)) ** 2;
    this.minX = cx - rx * this.outer;
    this.maxX = cx + rx * this.outer;
    this.minY = cy - ry * this.outer;
    this.maxY = cy + ry * this.outer;
    const n = vertices;
    this.px = new Float64Array(n);
    this.py = new Float64Array(n);
    const r = this.sampleRadius(n);
    for (let i = 0; i < n; i++) {
      const t = (i / n) * Math.PI * 2;
      this.px[i] = cx + Math.cos(t) * r[i]! * rx;
      this.py[i] = cy + Math.sin(t) * r[i]! * ry;
    }
    let top = 0;
    for (let k = 0; k < this.freqs.length; k++) top = Math.max(top, this.freqs[k]!);
    const m = (this.tableN = Math.max(Blob.RADII, 2 ** Math.ceil(Math.log2(2 * top))));
    const table = this.sampleRadius(m);
    this.radii = new Float64Array(m + 1);
    this.radii.set(table);
    this.radii[m] = table[0]!;
  }

  /**
   * The radius at n even angles, each harmonic stepped round by a rotation (no trigonometry per
   * sample: a frayed outline has hundreds of harmonics and thousands of vertices).
   */
  private sampleRadius(n: number): Float64Array {
    const r = new Float64Array(n).fill(1);
    for (let k = 0; k < this.freqs.length; k++) {
      const a = this.amps[k]!;
      const step = (this.freqs[k]! * Math.PI * 2) / n;
      const cd = Math.cos(step);
      const sd = Math.sin(step);
      let c = Math.cos(this.phases[k]!);
      let s = Math.sin(this.phases[k]!);
      for (let i = 0; i < n; i++) {
        r[i] = r[i]! + a * c;
        const c1 = c * cd - s * sd;
        s = s * cd + c * sd;
        c = c1;
      }
    }
    return r;
  }

  /** The outline's normalised radius in the direction of (u, v), from the table. */
  private tableRadius(u: number, v: number): number {
    let t = Math.atan2(v, u);
    if (t < 0) t += Math.PI * 2;
    const f = (t / (Math.PI * 2)) * this.tableN;
    const i = Math.min(this.tableN - 1, Math.floor(f));
    const a = this.radii[i]!;
    return a + (this.radii[i + 1]! - a) * (f - i);
  }

  /** Normalised radius at angle t (1 = the plain ellipse). */
  radiusAt(t: number): number {
    let r = 1;
    for (let k = 0; k < this.amps.length; k++) r += this.amps[k]! * Math.cos(this.freqs[k]! * t + this.phases[k]!);
    return r;
  }

  /** Signed normalised distance: < 0 inside, > 0 outside (in units of the ellipse radius). */
  level(x: number, y: number): number {
    const u = (x - this.cx) / this.rx;
    const v = (y - this.cy) / this.ry;
    const d = Math.sqrt(u * u + v * v);
    if (d < this.inner) return d - this.inner;
    if (d > this.outer) return d - this.outer;
    // The tabled radius: this steers textures, not membership, so interpolation error is fine.
    return d - this.tableRadius(u, v);
  }

  /**
   * The same signed distance without level's shortcuts, continuous everywhere: level jumps by
   * up to the wobble's amplitude where it stops asking the outline (its band's edges), and a
   * depth read from it drew a ring at that radius, parallel to the outline (the pale rings
   * round the viable cuffs in the necrosis that blind readers saw as drawn).
   */
  distance(x: number, y: number): number {
    const u = (x - this.cx) / this.rx;
    const v = (y - this.cy) / this.ry;
    return Math.sqrt(u * u + v * v) - this.tableRadius(u, v);
  }

  /**
   * Exact membership in the exported polygon, so that ground truth and pixels agree: points
   * well inside or outside the wobble band are decided by radius alone.
   */
  contains(x: number, y: number): boolean {
    if (x < this.minX || x > this.maxX || y < this.minY || y > this.maxY) return false;
    const u = (x - this.cx) / this.rx;
    const v = (y - this.cy) / this.ry;
    const d2 = u * u + v * v;
    if (d2 < this.innerChord2) return true;
    if (d2 > this.outer * this.outer * 1.01) return false;
    // In the wobble band: the polygon itself decides.
    return this.insideChord(u, v);
  }

  /**
   * The polygon test, in O(1): vertex i lies at polar angle 2πi/n in normalised coordinates, so
   * the polygon is star-shaped about the centre and a point is inside exactly when it lies on the
   * centre's side of the one chord its angle falls between (scaling by rx, ry keeps sides).
   */
  private insideChord(u: number, v: number): boolean {
    const n = this.px.length;
    let t = Math.atan2(v, u);
    if (t < 0) t += Math.PI * 2;
    const i = Math.min(n - 1, Math.floor((t / (Math.PI * 2)) * n));
    const j = i + 1 === n ? 0 : i + 1;
    const ax = (this.px[i]! - this.cx) / this.rx;
    const ay = (this.py[i]! - this.cy) / this.ry;
    const bx = (this.px[j]! - this.cx) / this.rx;
    const by = (this.py[j]! - this.cy) / this.ry;
    // Vertices run anticlockwise (angle increasing), so inside is to the chord's left.
    return (bx - ax) * (v - ay) - (by - ay) * (u - ax) > 0;
  }

  /** The outline as a closed polygon (first point not repeated), in the scene's units. */
  polygon(): Array<[number, number]> {
    return Array.from(this.px, (x, i) => [x, this.py[i]!] as [number, number]);
  }
}
