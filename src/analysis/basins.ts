/**
 * The peaks of an image and the area each one holds, found by flooding it from the top (a
 * watershed by union–find): pixels at or above a floor are taken in falling order, and each
 * joins the region of the highest neighbour it touches. Where two regions meet, `sameObject`
 * is asked with both peaks and the meeting pixel (indices, so that it may judge them on other
 * images than the one flooded): yes, and the lower one is a bump on
 * the higher (a chromatin clump, the far end of a long nucleus) and the two become one region;
 * no, and it stays a region of its own for good (its peak's dynamic, as morphology's h-maxima
 * measure it, is too deep). A region's centroid is where its object lies, not its highest
 * pixel, which on a long or unevenly stained nucleus sits near one end.
 */

export interface Basin {
  /** Centroid of the region's pixels (pixel coordinates, pixel centres at whole numbers). */
  readonly x: number;
  readonly y: number;
  /** Index of the region's highest pixel, and its value. */
  readonly peak: number;
  readonly top: number;
  /** Pixels in the region. */
  readonly area: number;
  /** Index of the region's pixel highest in `density` (the flooded image unless another is given). */
  readonly densest: number;
}

/** Levels the flooding distinguishes between the floor and the image's maximum. */
const LEVELS = 4096;

export function basins(img: Float32Array, width: number, height: number, floor: number, sameObject: (lowerPeak: number, higherPeak: number, at: number) => boolean, density: Float32Array = img): Basin[] {
  const n = width * height;
  let max = floor;
  let count = 0;
  for (let i = 0; i < n; i++) {
    const v = img[i]!;
    if (v >= floor) {
      count++;
      if (v > max) max = v;
    }
  }
  // Pixels in falling order, by a counting sort on quantised levels: linear in the image, and
  // a level's width ((max − floor) / 4096) is far below any depth that matters.
  const scale = (LEVELS - 1) / Math.max(1e-9, max - floor);
  const bucket = (v: number): number => LEVELS - 1 - Math.floor((v - floor) * scale);
  const start = new Int32Array(LEVELS + 1);
  for (let i = 0; i < n; i++) if (img[i]! >= floor) start[bucket(img[i]!) + 1]!++;
  for (let b = 0; b < LEVELS; b++) start[b + 1]! += start[b]!;
  const order = new Int32Array(count);
  const fill = start.slice(0, LEVELS);
  for (let i = 0; i < n; i++) if (img[i]! >= floor) order[fill[bucket(img[i]!)]!++] = i;

  // Regions: a union–find forest over region ids; label[i] is a pixel's region (−1: not yet).
  const label = new Int32Array(n).fill(-1);
  const parent: number[] = [];
  const peak: number[] = [];
  const top: number[] = [];
  const sx: number[] = [];
  const sy: number[] = [];
  const area: number[] = [];
  const densest: number[] = [];
  // A region that has met a higher one and stood its ground: never merged from then on.
  const kept: boolean[] = [];
  const find = (r: number): number => {
    while (parent[r] !== r) r = parent[r] = parent[parent[r]!]!;
    return r;
  };
  const roots: number[] = [];
  for (const i of order) {
    const x = i % width;
    const y = (i / width) | 0;
    const v = img[i]!;
    roots.length = 0;
    for (let dy = -1; dy <= 1; dy++) {
      const yy = y + dy;
      if (yy < 0 || yy >= height) continue;
      for (let dx = -1; dx <= 1; dx++) {
        const xx = x + dx;
        if ((dx === 0 && dy === 0) || xx < 0 || xx >= width) continue;
        const l = label[yy * width + xx]!;
        if (l < 0) continue;
        const r = find(l);
        if (!roots.includes(r)) roots.push(r);
      }
    }
    let into: number;
    if (roots.length === 0) {
      into = parent.length;
      parent.push(into);
      peak.push(i);
      top.push(v);
      sx.push(0);
      sy.push(0);
      area.push(0);
      densest.push(i);
      kept.push(false);
    } else {
      into = roots[0]!;
      for (const r of roots) if (top[r]! > top[into]!) into = r;
      for (const r of roots) {
        if (r === into) continue;
        if (!kept[r] && sameObject(peak[r]!, peak[into]!, i)) {
          parent[r] = into;
          sx[into]! += sx[r]!;
          sy[into]! += sy[r]!;
          area[into]! += area[r]!;
          if (density[densest[r]!]! > density[densest[into]!]!) densest[into] = densest[r]!;
        } else kept[r] = true;
      }
    }
    label[i] = into;
    sx[into]! += x;
    sy[into]! += y;
    area[into]!++;
    if (density[i]! > density[densest[into]!]!) densest[into] = i;
  }
  const out: Basin[] = [];
  for (let r = 0; r < parent.length; r++) if (parent[r] === r) out.push({ x: sx[r]! / area[r]!, y: sy[r]! / area[r]!, peak: peak[r]!, top: top[r]!, area: area[r]!, densest: densest[r]! });
  return out;
}
