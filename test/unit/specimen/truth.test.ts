import { describe, expect, it } from 'vitest';
import sceneJson from '../../../images/lms-block.scene.json';
import type { SceneSpec } from '../../../src/specimen/scene';
import { GLASS, NECROSIS, TUMOUR } from '../../../src/specimen/scene';
import { GroundTruth } from '../../../src/specimen/truth';
import type { CircleUm } from '../../../src/specimen/truth';
import { truthToGeoJson } from '../../../src/specimen/geojson';
import { TileRenderer } from '../../../src/specimen/render';
import { pointInPolygon } from '../../../src/model/geometry';

const pointInRing = (x: number, y: number, ring: ReadonlyArray<readonly [number, number]>): boolean => pointInPolygon(x, y, ring);

const spec = sceneJson as SceneSpec;
const truth = new GroundTruth(spec, 'he');
const hot = spec.mitoses.hotSpot;

/** Ten HPF circles (0.55 mm diameter, 2.37 mm² in all) packed in two rows of five. */
function tenHpf(cx: number, cy: number): CircleUm[] {
  const r = 275;
  const out: CircleUm[] = [];
  for (let row = 0; row < 2; row++) for (let k = 0; k < 5; k++) out.push({ x: cx + (k - 2) * 2 * r, y: cy + (row - 0.5) * 2 * r, r });
  return out;
}

describe('ground truth', () => {
  it('every mitosis lies in viable tumour, never in necrosis, bone or glass', () => {
    const ms = truth.mitoses({ x: hot.cx - 1500, y: hot.cy - 1500, width: 3000, height: 3000 });
    expect(ms.length).toBeGreaterThan(50);
    for (const m of ms) expect(truth.regionAt(m.x, m.y)).toBe(TUMOUR);
    const forms = new Set(ms.map((m) => m.form));
    for (const f of ['metaphase', 'anaphase', 'tripolar', 'multipolar', 'ring']) expect(forms).toContain(f);
    const atypical = ms.filter((m) => m.atypical).length / ms.length;
    expect(atypical).toBeGreaterThan(0.2);
    expect(atypical).toBeLessThan(0.4);
  });

  it('the hot spot has more than 20 mitoses per 10 HPF, as the paper reports', () => {
    const { total } = truth.mitoticCount(tenHpf(hot.cx, hot.cy));
    expect(total).toBeGreaterThan(20);
    // Far from the hot spot the count is lower: the hot spot is a real hot spot.
    const cold = truth.mitoticCount(tenHpf(5600, 1800)).total;
    expect(cold).toBeLessThan(total);
  });

  it('the mitotic count in circles counts each mitosis once and only inside', () => {
    const c: CircleUm = { x: hot.cx, y: hot.cy, r: 400 };
    const inOne = truth.mitoticCount([c]).total;
    expect(truth.mitoticCount([c, c]).total).toBe(inOne);
    const manual = truth
      .mitoses({ x: c.x - c.r, y: c.y - c.r, width: 2 * c.r, height: 2 * c.r })
      .filter((m) => (m.x - c.x) ** 2 + (m.y - c.y) ** 2 <= c.r ** 2).length;
    expect(inOne).toBe(manual);
    expect(truth.mitoticCount([]).total).toBe(0);
  });

  it('the Ki67 positive fraction over the tumour is within 1 point of the scene setting', () => {
    const k = truth.ki67({ x: 5200, y: 3400, width: 2000, height: 2000 });
    expect(k.positive + k.negative).toBeGreaterThan(20_000);
    expect(Math.abs(k.index - spec.ki67PositiveFraction)).toBeLessThan(0.01);
  });

  it('necrosis polygons contain no viable tumour nuclei, and their inside is necrosis', () => {
    const polygons = truth.necrosisPolygons();
    // Every necrosis keeps a cuff or two of viable tumour round a vessel: holes in its polygon.
    expect(polygons.every((p) => p.length >= 2)).toBe(true);
    for (const [poly, ...holes] of polygons) {
      const xs = poly!.map((p) => p[0]);
      const ys = poly!.map((p) => p[1]);
      const rect = { x: Math.min(...xs), y: Math.min(...ys), width: Math.max(...xs) - Math.min(...xs), height: Math.max(...ys) - Math.min(...ys) };
      const nuclei = truth.viableNuclei(rect);
      expect(nuclei.length).toBeGreaterThan(0); // tumour around the necrosis is in the box
      let cuffed = 0;
      for (const n of nuclei) {
        const inHole = holes.some((h) => pointInRing(n.x, n.y, h));
        if (inHole) cuffed++;
        expect(pointInRing(n.x, n.y, poly!) && !inHole, `viable nucleus at ${n.x},${n.y}`).toBe(false);
      }
      expect(cuffed, 'viable nuclei in the cuffs').toBeGreaterThan(10);
      const cx = xs.reduce((a, b) => a + b, 0) / xs.length;
      const cy = ys.reduce((a, b) => a + b, 0) / ys.length;
      expect(truth.regionAt(cx, cy)).toBe(NECROSIS);
    }
  });

  it('tumour and bone polygons enclose tumour and bone', () => {
    const [main, ...nodules] = truth.tumourPolygons();
    expect(pointInRing(6000, 4500, main![0]!)).toBe(true);
    expect(pointInRing(1500, 3700, main![0]!)).toBe(false);
    for (const n of nodules) {
      const ring = n[0]!;
      const cx = ring.reduce((a, p) => a + p[0], 0) / ring.length;
      const cy = ring.reduce((a, p) => a + p[1], 0) / ring.length;
      expect(truth.regionAt(cx, cy)).toBe(TUMOUR);
    }
    const [bone] = truth.bonePolygons();
    expect(pointInRing(1500, 3700, bone![0]!)).toBe(true);
    expect(pointInRing(8000, 3700, bone![0]!)).toBe(false);
    expect(truth.regionAt(200, 200)).toBe(GLASS);
  });

  it('a mitosis in the truth is a dark figure on screen', () => {
    const r = new TileRenderer(spec, 'he');
    const ms = truth.mitoses({ x: hot.cx - 300, y: hot.cy - 300, width: 600, height: 600 }).slice(0, 12);
    expect(ms.length).toBeGreaterThan(5);
    for (const m of ms) {
      // A 64 µm tile at 40x centred on the figure; ring forms are hollow, so look at the darkest pixel.
      const col = Math.floor(m.x / 0.25 / 256);
      const row = Math.floor(m.y / 0.25 / 256);
      const t = r.render(16, col, row);
      const px = Math.floor(m.x / 0.25) - col * 256;
      const py = Math.floor(m.y / 0.25) - row * 256;
      let darkest = 255;
      for (let dy = -24; dy <= 24; dy++)
        for (let dx = -24; dx <= 24; dx++) {
          const x = px + dx;
          const y = py + dy;
          if (x < 0 || y < 0 || x >= t.width || y >= t.height) continue;
          const o = (y * t.width + x) * 4;
          darkest = Math.min(darkest, 0.299 * t.data[o]! + 0.587 * t.data[o + 1]! + 0.114 * t.data[o + 2]!);
        }
      expect(darkest, `${m.form} at ${m.x.toFixed(0)},${m.y.toFixed(0)}`).toBeLessThan(75);
    }
  });

  it('exports QuPath-compatible GeoJSON in image pixels', () => {
    const gj = truthToGeoJson(truth, spec.mpp, { x: hot.cx - 500, y: hot.cy - 500, width: 1000, height: 1000 });
    expect(gj.type).toBe('FeatureCollection');
    const classes = new Set(gj.features.map((f) => f.properties.classification.name));
    for (const c of ['Tumor', 'Necrosis', 'Bone', 'Mitosis (typical)', 'Mitosis (atypical)']) expect(classes).toContain(c);
    for (const f of gj.features) {
      expect(f.properties.objectType).toBe('annotation');
      if (f.geometry.type === 'Polygon') {
        for (const ring of f.geometry.coordinates) {
          expect(ring[0]).toEqual(ring[ring.length - 1]);
          for (const [x, y] of ring) {
            expect(x).toBeGreaterThanOrEqual(0);
            expect(x).toBeLessThanOrEqual(40000);
            expect(y).toBeLessThanOrEqual(30000);
          }
        }
      } else {
        const [x, y] = f.geometry.coordinates;
        expect(Math.abs(x * spec.mpp - hot.cx)).toBeLessThanOrEqual(500);
        expect(Math.abs(y * spec.mpp - hot.cy)).toBeLessThanOrEqual(500);
      }
    }
    expect(JSON.parse(JSON.stringify(gj))).toEqual(gj);
  });
});
