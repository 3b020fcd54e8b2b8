import { describe, expect, it } from 'vitest';
import type { Annotation, Geometry } from '../../../src/model/annotation';
import { countMeasurements } from '../../../src/app/count-measurements';
import { serializeQuPath } from '../../../src/model/formats/qupath';
import { DEFAULT_CLASSES } from '../../../src/model/classes';

const a = (id: string, classId: string, geometry: Geometry): Annotation => ({ id, slideId: 'he', classId, geometry, label: '', note: '', author: '', created: 0, updated: 0, rev: 1 });
const square = (x: number, y: number, s: number): Array<[number, number]> => [[x, y], [x + s, y], [x + s, y + s], [x, y + s]];

describe('counts as QuPath measurements', () => {
  it('a field carries its mitoses, a Ki67 region its nuclei and index, a tumour region its necrotic share', () => {
    const all = [
      a('f', 'hpf', { type: 'ellipse', center: [100, 100], rx: 50, ry: 50 }),
      a('m1', 'typical-mitosis', { type: 'point', point: [100, 100] }),
      a('m2', 'atypical-mitosis', { type: 'point', point: [120, 90] }),
      a('m3', 'typical-mitosis', { type: 'point', point: [300, 300] }), // outside the field
      a('k', 'ki67-region', { type: 'polygon', points: square(1000, 0, 100) }),
      a('p', 'ki67-positive', { type: 'point', point: [1010, 10] }),
      a('p2', 'ki67-positive', { type: 'point', point: [1020, 10] }),
      a('n', 'ki67-negative', { type: 'point', point: [1030, 10] }),
      a('t', 'tumour-region', { type: 'polygon', points: square(0, 1000, 100) }),
      a('x', 'necrosis', { type: 'polygon', points: square(0, 1000, 50) }),
    ];
    const m = countMeasurements(all);
    expect(m(all[0]!)).toEqual({ Mitoses: 2, 'Atypical mitoses': 1 });
    expect(m(all[4]!)).toEqual({ 'Num Positive': 2, 'Num Negative': 1, 'Positive %': (200 / 3) });
    expect(m(all[8]!)!['Necrosis %']).toBeCloseTo(25);
    expect(m(all[1]!)).toBeUndefined();
    const gj = JSON.parse(serializeQuPath(all, (id) => DEFAULT_CLASSES.find((c) => c.id === id), 0.25, m)) as { features: Array<{ id: string; properties: { measurements?: Record<string, number> } }> };
    expect(gj.features.find((f) => f.id === 'f')!.properties.measurements).toMatchObject({ Mitoses: 2, 'Atypical mitoses': 1, 'Area µm^2': expect.any(Number) });
  });
});
