import { hash3 } from './hash';
import type { StainId } from '../model/manifest';

/**
 * A scanner's sensor: every pixel carries a little noise, shot noise growing with the light and
 * a read-noise floor, mostly common to the three channels (luminance) with some colour noise
 * from demosaicing. Deterministic per pixel of the level (a function of its global address), so
 * tiles still meet without seams and a tile renders to the same bytes every time.
 */

/** Side of the noise table (a prime, so its repeat never lines up with the 256 px tiles). */
const PERIOD = 509;

/** Noise amplitude (grey levels, peak of a triangular distribution) at a pixel size. */
export function sensorAmplitude(upp: number, section: StainId = 'he'): number {
  // A coarser level is an average of the scan's pixels: less noise, but never none (each
  // level is compressed and resampled on its own).
  // (12 at 10x, more than at 20x, which is not physical: it holds the level's pixel noise at
  // half the reference scan's, the report's bar. Nuclear outlines there are antialiased over
  // most of a pixel, which took it to 0.45 of the reference's with 7; then fascicles laid as
  // bundles, with fewer borders, to 0.49 with 11.)
  const a = upp <= 0.6 ? 10 : upp <= 1.2 ? 12 : 5;
  // Each slide is a scan of its own: the Ki67 reference (a different scanner run) is about a
  // third as noisy as the H&E one, and its tonal range comes from the stain, not the sensor.
  return section === 'ki67' ? a * 0.3 : a;
}

/**
 * The per-pixel noise, tabulated once per renderer: four signed bytes a table cell (luminance,
 * then red, green and blue colour noise), and the shot-noise gain per summed RGB value.
 */
export class SensorNoise {
  private readonly table = new Int8Array(PERIOD * PERIOD * 4);
  private readonly gain = new Float32Array(766);

  constructor() {
    const t = this.table;
    for (let k = 0; k < PERIOD * PERIOD; k++) {
      const hv = hash3(k, 0x5e75, 0x51);
      // Triangular noise (sum of two uniforms) for luminance, a smaller uniform per channel.
      t[k * 4] = Math.round(((hv & 1023) + ((hv >>> 10) & 1023)) / 1023 * 127 - 127);
      t[k * 4 + 1] = Math.round((((hv >>> 20) & 15) / 15 - 0.5) * 63);
      t[k * 4 + 2] = Math.round((((hv >>> 24) & 15) / 15 - 0.5) * 63);
      t[k * 4 + 3] = Math.round((((hv >>> 28) & 15) / 15 - 0.5) * 63);
    }
    // Shot noise: relative to the light's square root, with a read-noise floor.
    for (let s = 0; s < 766; s++) this.gain[s] = 0.45 + 0.55 * Math.sqrt(s / 720);
  }

  /** Adds noise to an RGBA tile whose top-left pixel is (gx0, gy0) of `level`. */
  add(out: Uint8ClampedArray, w: number, h: number, gx0: number, gy0: number, level: number, amplitude: number): void {
    const t = this.table;
    const gain = this.gain;
    const k = amplitude / 127;
    // Each level reads the table at an offset of its own, so levels do not share a pattern.
    const ox = (((gx0 + level * 131) % PERIOD) + PERIOD) % PERIOD;
    const oy = (((gy0 + level * 71) % PERIOD) + PERIOD) % PERIOD;
    for (let y = 0; y < h; y++) {
      const rowBase = ((oy + y) % PERIOD) * PERIOD;
      let tx = ox;
      let o = y * w * 4;
      for (let x = 0; x < w; x++, o += 4) {
        const n = (rowBase + tx) * 4;
        if (++tx === PERIOD) tx = 0;
        const r = out[o]!;
        const g = out[o + 1]!;
        const b = out[o + 2]!;
        const s = gain[r + g + b]! * k;
        const lum = t[n]!;
        out[o] = r + (lum + t[n + 1]!) * s;
        out[o + 1] = g + (lum + t[n + 2]!) * s;
        out[o + 2] = b + (lum + t[n + 3]!) * s;
      }
    }
  }
}
