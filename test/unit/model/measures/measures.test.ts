import { describe, expect, it } from 'vitest';
import type { Annotation, Geometry } from '../../../../src/model/annotation';
import { areaUm2 } from '../../../../src/model/annotation';
import { DEFAULT_CLASSES } from '../../../../src/model/classes';
import { convertPer10Hpf, DEFAULT_FIELD, fieldAreaMm2, fieldForArea, fieldRadiusPx, FNCLCC_FIELD_MM2, perMm2, tenFields } from '../../../../src/model/measures/hpf';
import { fnclccGrade, mitoticScore, necrosisScore } from '../../../../src/model/measures/fnclcc';
import { countInFields, ki67InRegions, necrosisShare } from '../../../../src/model/measures/counts';
import { measurementRows, measurementsCsv } from '../../../../src/model/measures/measurement-table';

const a = (id: string, geometry: Geometry, classId = 'necrosis', label = ''): Annotation => ({ id, slideId: 'he', classId, geometry, label, note: '', author: '', created: 0, updated: 0, rev: 1 });
const square = (x: number, y: number, s: number): Array<[number, number]> => [[x, y], [x + s, y], [x + s, y + s], [x, y + s]];

describe('high-power fields', () => {
  it('field number 22 at 40x is 0.55 mm across, 0.2376 mm²; FNCLCC’s field is 0.1734 mm²', () => {
    expect(fieldAreaMm2(DEFAULT_FIELD)).toBeCloseTo(0.23758, 4);
    expect(fieldAreaMm2(fieldForArea(FNCLCC_FIELD_MM2))).toBeCloseTo(0.1734, 6);
    expect(fieldForArea(FNCLCC_FIELD_MM2).fieldNumber).toBeCloseTo(18.79, 2);
    // 0.55 mm across at 0.25 µm per pixel: 1100 px across.
    expect(fieldRadiusPx(DEFAULT_FIELD, 0.25)).toBeCloseTo(1100);
  });

  it('converts counts per mm² and between field sizes by area', () => {
    expect(perMm2(24, 10, 0.2376)).toBeCloseTo(10.101, 3);
    // 24 per 10 fields of 0.2376 mm² is 17.5 per 10 FNCLCC fields: the same density.
    expect(convertPer10Hpf(24, 0.2376, FNCLCC_FIELD_MM2)).toBeCloseTo(17.515, 3);
    expect(perMm2(1, 0, 0.2)).toBeNaN();
  });

  it('lays ten touching fields, two rows of five, from the clicked one', () => {
    const f = tenFields([100, 200], 50);
    expect(f).toHaveLength(10);
    expect(f[0]).toEqual([100, 200]);
    expect(f[4]).toEqual([500, 200]);
    expect(f[5]).toEqual([100, 300]);
    for (let i = 0; i < 10; i++) for (let j = i + 1; j < 10; j++) expect(Math.hypot(f[i]![0] - f[j]![0], f[i]![1] - f[j]![1])).toBeGreaterThanOrEqual(100);
  });

  it('counts each mark once, in the first field that holds it, typical and atypical apart', () => {
    const fields = [{ center: [0, 0] as [number, number], r: 10 }, { center: [15, 0] as [number, number], r: 10 }];
    const c = countInFields(fields, [
      { at: [0, 0], atypical: false },
      { at: [8, 0], atypical: true }, // in both: counted in the first
      { at: [20, 0], atypical: false },
      { at: [100, 100], atypical: false }, // in none
    ]);
    expect(c).toEqual([{ typical: 1, atypical: 1 }, { typical: 1, atypical: 0 }]);
  });
});

describe('FNCLCC', () => {
  it('scores and grades by the table, saying why', () => {
    expect([0, 9, 10, 19, 20, 45].map(mitoticScore)).toEqual([1, 1, 2, 2, 3, 3]);
    expect([0, 0.01, 0.49, 0.5, 1].map(necrosisScore)).toEqual([0, 1, 1, 2, 2]);
    const g = fnclccGrade({ differentiation: 3, mitosesPer10Hpf: 24, necrosisShare: 0.3 });
    expect(g).toMatchObject({ mitoticScore: 3, necrosisScore: 1, total: 7, grade: 3 });
    expect(g.reasoning[1]).toBe('Mitotic count 24.0 per 10 HPF of 0.1734 mm² → score 3 (0–9: 1, 10–19: 2, ≥ 20: 3).');
    expect(fnclccGrade({ differentiation: 1, mitosesPer10Hpf: 3, necrosisShare: 0 }).grade).toBe(1);
    expect(fnclccGrade({ differentiation: 2, mitosesPer10Hpf: 12, necrosisShare: 0 }).grade).toBe(2);
  });
});

describe('Ki67 and necrosis', () => {
  it('counts nuclei inside any region once, outside none, and warns below 500', () => {
    const regions = [a('r1', { type: 'polygon', points: square(0, 0, 10) }), a('r2', { type: 'region', polygons: [[square(0, 0, 30), square(12, 12, 5)]] })];
    const k = ki67InRegions(regions, [
      { at: [5, 5], positive: true }, // in both regions: once
      { at: [20, 20], positive: false },
      { at: [14, 14], positive: true }, // in r2's hole
      { at: [50, 50], positive: true }, // outside
    ]);
    expect(k).toEqual({ positive: 1, negative: 1, index: 0.5, tooFew: true });
  });

  it('the necrotic share of a tumour: holes are tumour, overlapping necroses count once, necrosis outside the tumour not at all', () => {
    const tumour = [[square(0, 0, 100)]];
    // Two overlapping necroses (one with a 10×10 viable cuff), one half outside the tumour.
    const necroses = [[square(10, 10, 40), square(20, 20, 10)], [square(30, 30, 40)], [square(90, 0, 20)]];
    const r = necrosisShare(necroses, tumour);
    if ('problem' in r) throw new Error(r.problem);
    // 1600 − 100 + 1600 − 400 (their overlap) + 10×20 inside the tumour = 2900 of 10,000.
    expect(r.share).toBeCloseTo(0.29, 3);
    expect(necrosisShare(necroses, [])).toEqual({ problem: 'there is no tumour outline to measure against' });
  });
});

describe('measurements table', () => {
  it('gives lengths, areas and perimeters in µm, and a CSV a spreadsheet cannot be tricked by', () => {
    const classOf = (id: string) => DEFAULT_CLASSES.find((c) => c.id === id);
    const rows = measurementRows(
      [a('l', { type: 'line', points: [[0, 0], [300, 400]] }, 'other', 'ruler, "1"'), a('s', { type: 'rectangle', min: [0, 0], max: [400, 400] }, 'necrosis', '=HYPERLINK("x")'), a('p', { type: 'point', point: [1, 1] }, 'typical-mitosis')],
      classOf,
      0.25,
    );
    expect(rows[0]).toMatchObject({ lengthUm: 125 });
    expect(rows[1]!.areaUm2).toBeCloseTo(areaUm2({ type: 'rectangle', min: [0, 0], max: [400, 400] }, 0.25));
    expect(rows[1]!.perimeterUm).toBeCloseTo(400);
    expect(rows[2]).not.toHaveProperty('areaUm2');
    const csv = measurementsCsv(rows);
    expect(csv.split('\r\n')[0]).toBe('id,class,shape,label,length_um,area_um2,perimeter_um');
    expect(csv).toContain('l,Other,line,"ruler, ""1""",125,,');
    expect(csv).toContain(`s,Necrosis zone,rectangle,"'=HYPERLINK(""x"")",,10000,400`);
  });
});
