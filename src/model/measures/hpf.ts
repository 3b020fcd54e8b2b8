import type { Pt } from '../geometry';

/**
 * High-power fields. A field's diameter on the slide is the eyepiece's field number (mm) over
 * the objective's magnification: field number 22 at 40x is 0.55 mm across, 0.2376 mm². FNCLCC
 * (Trojani et al. 1984) counted 10 fields of 0.1734 mm² (a Leitz Ortholux, 0.47 mm across);
 * WHO 5th edition asks for mitoses per mm², so counts convert between field sizes by area.
 */

export interface FieldSize {
  /** Eyepiece field number, mm. */
  readonly fieldNumber: number;
  /** Objective magnification. */
  readonly objective: number;
}

/** The field FNCLCC's mitotic thresholds were set on. */
export const FNCLCC_FIELD_MM2 = 0.1734;
/** A common modern microscope: field number 22 at 40x. */
export const DEFAULT_FIELD: FieldSize = { fieldNumber: 22, objective: 40 };

export function fieldDiameterMm(f: FieldSize): number {
  return f.fieldNumber / f.objective;
}

export function fieldAreaMm2(f: FieldSize): number {
  const r = fieldDiameterMm(f) / 2;
  return Math.PI * r * r;
}

/** The field size whose area is `mm2` at this objective (e.g. FNCLCC's field): its field number. */
export function fieldForArea(mm2: number, objective = 40): FieldSize {
  return { fieldNumber: 2 * Math.sqrt(mm2 / Math.PI) * objective, objective };
}

/** Mitoses per mm² from a count over `fields` fields of `fieldMm2` each. */
export function perMm2(count: number, fields: number, fieldMm2: number): number {
  return fields > 0 && fieldMm2 > 0 ? count / (fields * fieldMm2) : NaN;
}

/** A count per 10 fields of one size as it would be per 10 fields of another (same density). */
export function convertPer10Hpf(countPer10: number, fromMm2: number, toMm2: number): number {
  return (countPer10 * toMm2) / fromMm2;
}

/**
 * Ten touching fields of radius `r` (image px), from `start` (the first field's centre, where the
 * user clicked, usually the hot spot): two rows of five, as a pathologist steps the stage
 * across the densest area without counting any cell twice.
 */
export function tenFields(start: Pt, r: number): Pt[] {
  const out: Pt[] = [];
  for (let row = 0; row < 2; row++) for (let col = 0; col < 5; col++) out.push([start[0] + col * 2 * r, start[1] + row * 2 * r]);
  return out;
}

/** The radius of a field in image pixels, on a slide of `mpp` µm per pixel. */
export function fieldRadiusPx(f: FieldSize, mpp: number): number {
  return (fieldDiameterMm(f) * 1000) / 2 / mpp;
}
