/** Colours as files write them: [r, g, b], a packed (A)RGB integer (QuPath), or #rrggbb. */

export function colourToHex(c: readonly number[] | number): string | undefined {
  const [r, g, b] = typeof c === 'number' ? [(c >> 16) & 255, (c >> 8) & 255, c & 255] : c;
  const ok = (n: number | undefined): n is number => typeof n === 'number' && Number.isFinite(n) && n >= 0 && n <= 255;
  if (!ok(r) || !ok(g) || !ok(b)) return undefined;
  return `#${[r, g, b].map((n) => Math.round(n).toString(16).padStart(2, '0')).join('')}`;
}

export function hexToRgb(hex: string): [number, number, number] {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  return m ? [parseInt(m[1]!, 16), parseInt(m[2]!, 16), parseInt(m[3]!, 16)] : [128, 128, 128];
}
