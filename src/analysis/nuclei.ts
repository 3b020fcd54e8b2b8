import { gaussian, maxFilter, otsu } from './filters';

/**
 * Nuclei found in haematoxylin and DAB optical-density images: both stains mark nuclei in a
 * Ki67 slide (blue negatives, brown positives), so their sum, smoothed at about a nucleus's
 * width, has one peak per nucleus. Peaks above a threshold (Otsu's, or higher) and farther apart
 * than a nucleus's radius are nuclei; each is positive when the smoothed DAB there passes the
 * positivity threshold the user sets.
 */

export interface NucleusOptions {
  /** µm per pixel of the images. */
  readonly pixelUm: number;
  /** Smoothing, µm (about half a nucleus's width). */
  readonly sigmaUm?: number;
  /** Two nuclei are never closer than this, µm. */
  readonly minDistanceUm?: number;
  /** DAB optical density at and above which a nucleus is positive. */
  readonly positiveOd: number;
  /** Least summed optical density for a peak to be a nucleus (the image's Otsu split if higher). */
  readonly minOd?: number;
}

/** Summed haematoxylin + DAB optical density a nucleus's centre reaches at least (background is below). */
const DEFAULT_MIN_OD = 0.12;

export interface Nucleus {
  /** Pixel position in the image. */
  readonly x: number;
  readonly y: number;
  /** Smoothed DAB optical density at the nucleus. */
  readonly dab: number;
  readonly positive: boolean;
}

export function findNuclei(h: Float32Array, dab: Float32Array, width: number, height: number, o: NucleusOptions): { nuclei: Nucleus[]; threshold: number } {
  const sigma = (o.sigmaUm ?? 1.25) / o.pixelUm;
  const minDist = (o.minDistanceUm ?? 3.5) / o.pixelUm;
  const n = width * height;
  const sum = new Float32Array(n);
  for (let i = 0; i < n; i++) sum[i] = h[i]! + dab[i]!;
  const smooth = gaussian(sum, width, height, sigma);
  const dabSmooth = gaussian(dab, width, height, sigma * 0.75);
  let max = 0;
  for (let i = 0; i < n; i++) if (smooth[i]! > max) max = smooth[i]!;
  // A fixed floor, not Otsu's split: in a Ki67 field the strongly brown nuclei pull Otsu's
  // threshold above the pale blue negatives, which then go uncounted (the index drifts to 100%).
  const threshold = o.minOd ?? (max > 0 ? Math.min(DEFAULT_MIN_OD, otsu(smooth, max)) : DEFAULT_MIN_OD);
  const peaks = maxFilter(smooth, width, height, Math.max(1, Math.floor(minDist / 2)));
  const cand: number[] = [];
  for (let i = 0; i < n; i++) if (smooth[i]! >= threshold && smooth[i] === peaks[i]) cand.push(i);
  // Strongest first; a candidate within minDist of one kept is the same nucleus (a plateau, a lobe).
  cand.sort((a, b) => smooth[b]! - smooth[a]!);
  const cell = Math.max(1, minDist);
  const grid = new Map<number, Array<[number, number]>>();
  const key = (gx: number, gy: number): number => gy * 65536 + gx;
  const nuclei: Nucleus[] = [];
  for (const i of cand) {
    const x = i % width;
    const y = (i / width) | 0;
    const gx = Math.floor(x / cell);
    const gy = Math.floor(y / cell);
    let near = false;
    for (let dy = -1; dy <= 1 && !near; dy++)
      for (let dx = -1; dx <= 1 && !near; dx++)
        for (const [px, py] of grid.get(key(gx + dx, gy + dy)) ?? []) if ((px - x) ** 2 + (py - y) ** 2 < minDist * minDist) near = true;
    if (near) continue;
    const list = grid.get(key(gx, gy)) ?? [];
    list.push([x, y]);
    grid.set(key(gx, gy), list);
    const d = dabSmooth[i]!;
    nuclei.push({ x, y, dab: d, positive: d >= o.positiveOd });
  }
  return { nuclei, threshold };
}
