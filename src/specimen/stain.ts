/**
 * Beer–Lambert colour: a pixel's transmitted light is I0 · 10^(−Σ cᵢ·vᵢ), with cᵢ the amount of
 * stain i and vᵢ its optical-density vector. Concentrations are painted; colour is computed.
 */

export type Rgb = readonly [number, number, number];

export interface StainModel {
  /** Background (glass) intensity per channel, 0–255. */
  readonly white: Rgb;
  readonly hematoxylin: Rgb;
  readonly eosin: Rgb;
  readonly dab: Rgb;
  /** Haemoglobin of red cells (with eosin bound): crimson, measured on the skin scan's red cells. */
  readonly redCell: Rgb;
}

function unitVec(v: Rgb): Rgb {
  const n = Math.hypot(v[0], v[1], v[2]);
  return [v[0] / n, v[1] / n, v[2] / n];
}

/**
 * Optical-density vectors measured (Macenko) from the reference scans — `npm run
 * specimen:report` prints the measurement. Ruifrok & Johnston's published eosin vector
 * (0.07, 0.99, 0.11) renders magenta on screen; the scanned eosin absorbs more red and blue.
 * The IHC counterstain is a bluer, shorter haematoxylin than H&E's.
 */
export const HE_STAINS: StainModel = {
  white: [246, 245, 248],
  hematoxylin: unitVec([0.69, 0.64, 0.32]),
  eosin: unitVec([0.39, 0.79, 0.47]),
  dab: unitVec([0.31, 0.52, 0.8]),
  redCell: unitVec([0.12, 0.8, 0.6]),
};

export const IHC_STAINS: StainModel = {
  white: [246, 245, 248],
  hematoxylin: unitVec([0.8, 0.55, 0.25]),
  eosin: unitVec([0.39, 0.79, 0.47]),
  dab: unitVec([0.31, 0.52, 0.8]),
  // Without eosin, red cells keep only haemoglobin's own pale orange-tan.
  redCell: unitVec([0.2, 0.55, 0.81]),
};

/**
 * SMA, against its own reference (the DAB colon scan): a greyer, navy counterstain than the
 * Ki67 scan's, as measured there. (Its DAB too, measured there, paled the darkest browns past
 * the tonal range's bar at the same amount of stain: the Ki67 scan's is kept.) (With Ki67's sky-blue haematoxylin, nuclei read as
 * translucent blue paint laid over the brown.)
 */
export const SMA_STAINS: StainModel = {
  ...IHC_STAINS,
  hematoxylin: unitVec([0.61, 0.64, 0.48]),
};

export function stainsFor(section: string): StainModel {
  return section === 'he' ? HE_STAINS : section === 'sma' ? SMA_STAINS : IHC_STAINS;
}

/**
 * I0 · 10^(−od) per channel from a table: three Math.exp calls per pixel were a fifth of a
 * tile's render time. Steps of 1/2048 OD keep the error under 0.3 of a grey level.
 */
export class TransmissionTable {
  static readonly STEPS_PER_OD = 2048;
  static readonly MAX_OD = 6;
  private readonly r: Float32Array;
  private readonly g: Float32Array;
  private readonly b: Float32Array;

  constructor(white: Rgb) {
    const n = TransmissionTable.STEPS_PER_OD * TransmissionTable.MAX_OD + 1;
    this.r = new Float32Array(n);
    this.g = new Float32Array(n);
    this.b = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const t = Math.pow(10, -i / TransmissionTable.STEPS_PER_OD);
      this.r[i] = white[0] * t;
      this.g[i] = white[1] * t;
      this.b[i] = white[2] * t;
    }
  }

  private index(od: number): number {
    const i = (od * TransmissionTable.STEPS_PER_OD + 0.5) | 0;
    return i < 0 ? 0 : i > TransmissionTable.STEPS_PER_OD * TransmissionTable.MAX_OD ? TransmissionTable.STEPS_PER_OD * TransmissionTable.MAX_OD : i;
  }

  /** Writes one RGBA pixel from total optical densities per channel. */
  write(out: Uint8ClampedArray, o: number, odR: number, odG: number, odB: number): void {
    out[o] = this.r[this.index(odR)]!;
    out[o + 1] = this.g[this.index(odG)]!;
    out[o + 2] = this.b[this.index(odB)]!;
    out[o + 3] = 255;
  }
}
