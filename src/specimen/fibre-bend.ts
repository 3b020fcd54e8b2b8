import { hash3, unit } from './hash';
import { tableCos, tableSin } from './sine-table';

/**
 * Fascicles sweep: real bundles of smooth muscle run in gentle curves, not ruled lines, so each
 * fascicle's cells turn by up to about ±19° at BEND_UM either side of its origin (±26° far
 * out), turning most near the origin and straightening beyond (a slope of Φ·z/√(1 + z²) at
 * z = u/U along it). A stream of the main family (fascicles.ts) spans about a millimetre from
 * one origin, so the turn is spread over 400 µm (over 220 µm it bent the stream's middle and
 * left its ends straight). The fibre texture follows (a sideways offset whose slope that is) and so do the
 * nuclei, both from the fascicle's frame key (its origin), so tiles agree. u is measured along
 * the fascicle's direction taken in the right half-plane (cos ≥ 0), as the painter's frame is
 * (it rebuilds the direction from cos 2θ and sin 2θ). Shared by the cell placer and the
 * cytoplasm painter.
 */
export const BEND_UM = 400;
const BEND_MAX = 0.5;
/**
 * Over the sweep the fascicle meanders: a sideways wave of MEANDER_UM at a period of 2π ·
 * MEANDER_L (~280 µm), its phase the frame's own. Fibres, nuclei and the bundle's footprint
 * (fascicles.ts) all follow it, so a bundle's sides wave with its cells; with the sweep alone
 * they ran straight for hundreds of µm, and two bundles met in a rectangle's corner that blind
 * readers named first. Its slope (0.2, ~11°) keeps the wave gentle: undulating, not swirling.
 */
const MEANDER_UM = 9;
const MEANDER_L = 45;

/** The meander's phase (radians) from the frame key. */
export function meanderOf(key: number): number {
  return 2 * Math.PI * unit(hash3(key, 0x3ea, 2));
}

/** The fascicle's turn Φ (radians, signed) from its frame key. */
export function bendOf(key: number): number {
  return BEND_MAX * (2 * unit(hash3(key, 0xbe7, 1)) - 1);
}

/** Sideways offset (µm) of the fibres at u µm along the fascicle from its origin: a hyperbola,
 * Φ·U·(√(1 + z²) − 1) with z = u/U, whose slope is the turn's tangent (one square root a pixel;
 * log cosh cost an exp and a log), and the meander with this phase. */
export function bendOffset(phi: number, u: number, phase: number): number {
  const z = u / BEND_UM;
  return phi * BEND_UM * (Math.sqrt(1 + z * z) - 1) + MEANDER_UM * tableSin(u / MEANDER_L + phase);
}

/** The offset's slope at u µm along the fascicle (its tangent; under |Φ| + BEND_MEANDER_SLOPE). */
export function bendSlope(phi: number, u: number, phase: number): number {
  const z = u / BEND_UM;
  return (phi * z) / Math.sqrt(1 + z * z) + (MEANDER_UM / MEANDER_L) * tableCos(u / MEANDER_L + phase);
}

/** The meander's largest slope. */
export const BEND_MEANDER_SLOPE = MEANDER_UM / MEANDER_L;

/** The cells' direction (radians, from the fascicle's) at u µm along it: the offset's slope. */
export function bendAngle(phi: number, u: number, phase: number): number {
  return Math.atan(bendSlope(phi, u, phase));
}

/** A fascicle frame's key from its origin (µm), as the painters hash it. (Rounded to single
 * precision first: the painter reads the origin from Float32 buffers, the cell placer has it
 * in full, and their keys must agree.) */
export function frameKey(ox: number, oy: number): number {
  return (Math.fround(ox) * 7 + Math.fround(oy) * 13) | 0;
}

/** How far a fascicle's cells have turned at (x, y) as it sweeps (radians). */
export function sweepAt(fas: { readonly angle: number; readonly ox: number; readonly oy: number }, x: number, y: number): number {
  const c = Math.cos(fas.angle);
  // (With the raw angle, u changed sign in fascicles turned past ±90°, and their nuclei bent
  // against their fibres.)
  const u = ((x - fas.ox) * c + (y - fas.oy) * Math.sin(fas.angle)) * (c < 0 ? -1 : 1);
  const key = frameKey(fas.ox, fas.oy);
  return bendAngle(bendOf(key), u, meanderOf(key));
}
