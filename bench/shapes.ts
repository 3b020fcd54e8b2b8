/**
 * Deterministic benchmark annotations over a region of the slide (image pixels), in single
 * precision as the editor stores what it draws (model/annotation singlePrecision).
 */
export interface BenchShape {
  readonly id: string;
  readonly type: 'point' | 'polygon';
  readonly points: Array<[number, number]>;
}

export function benchShapes(n: number, type: 'point' | 'polygon', region = { x: 8000, y: 6000, w: 24000, h: 18000 }): BenchShape[] {
  let s = 12345;
  const rnd = (): number => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 4294967296;
  };
  const out: BenchShape[] = [];
  for (let i = 0; i < n; i++) {
    const cx = Math.fround(region.x + rnd() * region.w);
    const cy = Math.fround(region.y + rnd() * region.h);
    if (type === 'point') out.push({ id: `b${i}`, type, points: [[cx, cy]] });
    else {
      const r = 20 + rnd() * 180;
      const k = 6 + Math.floor(rnd() * 6);
      const pts: Array<[number, number]> = [];
      for (let j = 0; j < k; j++) {
        const t = (j / k) * Math.PI * 2;
        const rr = r * (0.7 + 0.3 * rnd());
        pts.push([Math.fround(cx + rr * Math.cos(t)), Math.fround(cy + rr * Math.sin(t))]);
      }
      out.push({ id: `b${i}`, type, points: pts });
    }
  }
  return out;
}
