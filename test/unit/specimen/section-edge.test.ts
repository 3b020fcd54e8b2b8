import { describe, expect, it } from 'vitest';
import { GLASS, Scene } from '../../../src/specimen/scene';
import { spec } from './pixels';

/**
 * The section's edge as a slide shows it: a curving, lobed outline with no straight stretch (a
 * polygon's long chords showed as straight glass wedges at 10x). Its outline is found along 4096
 * rays from the section's centre (where tissue gives way to glass), and every run of it about
 * 60 µm long (60 px at 10x) is checked for bending away from its chord.
 */
describe('the section edge', () => {
  it('has no straight stretch: every 60 µm of outline bends away from its chord', () => {
    const scene = new Scene(spec);
    const { cx, cy, rx, ry } = spec.section;
    const n = 4096;
    const pts: Array<[number, number]> = [];
    for (let k = 0; k < n; k++) {
      const t = (k / n) * Math.PI * 2;
      const c = Math.cos(t);
      const s = Math.sin(t);
      // Tissue at 80% of the radius, glass beyond 130%: bisect to the crossing (0.002 µm).
      let lo = 0.8 * Math.min(rx, ry);
      let hi = 1.3 * Math.max(rx, ry);
      expect(scene.regionAt(cx + c * lo, cy + s * lo)).not.toBe(GLASS);
      while (hi - lo > 0.002) {
        const mid = (lo + hi) / 2;
        if (scene.regionAt(cx + c * mid, cy + s * mid) === GLASS) hi = mid;
        else lo = mid;
      }
      pts.push([cx + c * lo, cy + s * lo]);
    }
    let straight = 0;
    let windows = 0;
    for (let k = 0; k < n; k += 4) {
      // The run from point k on, about 60 µm of outline.
      let len = 0;
      let e = k;
      while (len < 60 && e < k + n / 8) {
        const a = pts[e % n]!;
        const b = pts[(e + 1) % n]!;
        len += Math.hypot(b[0] - a[0], b[1] - a[1]);
        e++;
      }
      const [ax, ay] = pts[k]!;
      const [bx, by] = pts[e % n]!;
      const L = Math.hypot(bx - ax, by - ay);
      let stray = 0;
      for (let m = k + 1; m < e; m++) {
        const [px, py] = pts[m % n]!;
        stray = Math.max(stray, Math.abs((bx - ax) * (ay - py) - (ax - px) * (by - ay)) / L);
      }
      windows++;
      // A straight chord strays by the bisection's precision only; the curve by 0.05 µm or more.
      if (stray < 0.03) straight++;
    }
    // Where the outline turns from a lobe into a bay, a run can lie almost on its chord: a few
    // do (8% here); on a 128-vertex outline 72% did, every run inside one of its 200 µm chords.
    expect(straight / windows, `${straight} of ${windows} runs of 60 µm are straight`).toBeLessThan(0.2);
  });
});
