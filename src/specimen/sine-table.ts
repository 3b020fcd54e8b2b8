/**
 * Sine from a table with linear interpolation (error under 3e-7): the fascicle lookup asks for
 * a bundle's swell and meander at every candidate site of every lattice point, where Math.sin
 * made the coarse levels a quarter dearer. The table is filled once and never written again.
 */
const N = 4096;
const TABLE = (() => {
  const t = new Float64Array(N + 1);
  for (let i = 0; i <= N; i++) t[i] = Math.sin((i / N) * 2 * Math.PI);
  return t;
})();
const SCALE = N / (2 * Math.PI);

export function tableSin(x: number): number {
  let f = x * SCALE;
  f -= Math.floor(f / N) * N;
  const i = f | 0;
  const a = TABLE[i]!;
  return a + (TABLE[i + 1]! - a) * (f - i);
}

export function tableCos(x: number): number {
  return tableSin(x + Math.PI / 2);
}
