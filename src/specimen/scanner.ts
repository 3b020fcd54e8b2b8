import { hash3 } from './hash';

/**
 * A scanner's sensor: every pixel carries a little noise, shot noise growing with the light and
 * a read-noise floor, mostly common to the three channels (luminance) with some colour noise
 * from demosaicing. Deterministic per pixel of the level (a hash of its global address), so
 * tiles still meet without seams and a tile renders to the same bytes every time.
 */

/** Noise amplitude (grey levels, peak of a triangular distribution) per µm per pixel band. */
export function sensorAmplitude(upp: number): number {
  // A coarser level is an average of the scan's pixels: less noise, but never none (each
  // level is compressed and resampled on its own).
  return upp <= 0.3 ? 4.5 : upp <= 0.6 ? 3.8 : upp <= 1.2 ? 3.2 : 2.6;
}

export function addSensorNoise(out: Uint8ClampedArray, w: number, h: number, gx0: number, gy0: number, level: number, amplitude: number): void {
  const salt = 0x5e75 + level * 7919;
  for (let y = 0; y < h; y++) {
    let o = y * w * 4;
    for (let x = 0; x < w; x++, o += 4) {
      const hv = hash3(gx0 + x, gy0 + y, salt);
      // Triangular noise (sum of two uniforms) for luminance, a smaller uniform per channel.
      const lum = (((hv & 1023) + ((hv >>> 10) & 1023)) / 1023 - 1) * amplitude;
      const cr = (((hv >>> 20) & 15) / 15 - 0.5) * amplitude * 0.5;
      const cb = (((hv >>> 24) & 15) / 15 - 0.5) * amplitude * 0.5;
      const cg = (((hv >>> 28) & 15) / 15 - 0.5) * amplitude * 0.5;
      const r = out[o]!;
      const g = out[o + 1]!;
      const b = out[o + 2]!;
      // Shot noise: relative to the light's square root, with a read-noise floor.
      const s = 0.45 + 0.55 * Math.sqrt((r + g + b) * (1 / 720));
      out[o] = r + (lum + cr) * s;
      out[o + 1] = g + (lum + cg) * s;
      out[o + 2] = b + (lum + cb) * s;
    }
  }
}
