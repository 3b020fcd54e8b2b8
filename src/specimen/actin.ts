import { clamp01 } from './coverage';

/**
 * SMA's perinuclear clearing, shared by the nucleus painter (which draws it) and the tissue
 * painter (which takes its share off evenly where it is not drawn): its own module, so neither
 * painter imports the other.
 */

/** Width (µm, across the nucleus; more at its poles) of the paler zone round a nucleus. */
export const ACTIN_CLEAR_UM = 1.5;
/** Share of the actin gone at the nucleus's pole: ACTIN_LOSS_MIN + ACTIN_LOSS_SPAN × a hash per
 * cell, times the zone's ragged edge (about 0.7 on average) and fading outwards; on its sides
 * ACTIN_LOSS_SIDE of that. Clearing is a paler zone, not a hole. */
export const ACTIN_LOSS_MIN = 0.45;
export const ACTIN_LOSS_SPAN = 0.45;
export const ACTIN_LOSS_SIDE = 0.5;

/**
 * How much of the paler zone is drawn at a pixel size: all at 40x, a third at 20x, none at
 * 10x, where a zone a pixel or two wide would print as a white outline round every nucleus
 * (which no scan shows). Where it is not drawn, paintTissue takes ACTIN_CLEARED, the share of
 * the tumour's actin the zones remove, off evenly, so every level keeps the same mean colour.
 */
export function actinClearing(upp: number): number {
  return clamp01((0.6 - upp) / 0.3);
}
/** Measured (40x against 10x mean colour): remeasure when the ACTIN_LOSS constants change. */
export const ACTIN_CLEARED = 0.2;
