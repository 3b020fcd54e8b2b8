import { CELL_GRID_UM, MITOSIS, MITOSIS_FORMS, SPINDLE, cellAt, isAtypicalForm, newCell, sectionSalt } from './cells';
import type { MitosisForm } from './cells';
import { Scene, newFascicle } from './scene';
import type { SceneSpec } from './scene';

/**
 * Ground truth of a virtual slide: what is drawn, as data. It calls the same cell function the
 * renderer draws from, so a mitosis here is a mitosis on screen and vice versa. Everything is
 * in scene micrometres; divide by the slide's µm per pixel for image pixels.
 */

export interface RectUm {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface CircleUm {
  readonly x: number;
  readonly y: number;
  readonly r: number;
}

export interface MitosisTruth {
  /** Centre as drawn on this section, µm. */
  readonly x: number;
  readonly y: number;
  readonly form: MitosisForm;
  readonly atypical: boolean;
  /** Stable identity across sections: the cell's grid square. */
  readonly id: string;
}

export interface Ki67Counts {
  readonly positive: number;
  readonly negative: number;
  /** positive / (positive + negative), or NaN with no tumour nuclei. */
  readonly index: number;
}

export type Ring = ReadonlyArray<readonly [number, number]>;

/** A polygon with holes: the first ring is the outline, the others are holes. */
export type PolygonUm = readonly Ring[];

export class GroundTruth {
  readonly scene: Scene;
  private readonly cell = newCell();
  private readonly fas = newFascicle();

  constructor(spec: SceneSpec, readonly section: string = 'he') {
    this.scene = new Scene(spec, sectionSalt(section));
  }

  /** Visits every viable tumour nucleus (and mitosis) whose centre is in the rectangle. */
  private eachTumourCell(rect: RectUm, visit: (kind: number, i: number, j: number) => void): void {
    const i0 = Math.floor(rect.x / CELL_GRID_UM) - 1;
    const i1 = Math.floor((rect.x + rect.width) / CELL_GRID_UM) + 1;
    const j0 = Math.floor(rect.y / CELL_GRID_UM) - 1;
    const j1 = Math.floor((rect.y + rect.height) / CELL_GRID_UM) + 1;
    const c = this.cell;
    for (let j = j0; j <= j1; j++) {
      for (let i = i0; i <= i1; i++) {
        const kind = cellAt(this.scene, i, j, c, this.fas, false);
        if (kind !== SPINDLE && kind !== MITOSIS) continue;
        if (c.x < rect.x || c.y < rect.y || c.x >= rect.x + rect.width || c.y >= rect.y + rect.height) continue;
        visit(kind, i, j);
      }
    }
  }

  /** Every mitotic figure whose centre lies in the rectangle. */
  mitoses(rect: RectUm): MitosisTruth[] {
    const out: MitosisTruth[] = [];
    const c = this.cell;
    this.eachTumourCell(rect, (kind, i, j) => {
      if (kind !== MITOSIS) return;
      out.push({ x: c.x, y: c.y, form: MITOSIS_FORMS[c.form]!, atypical: isAtypicalForm(c.form), id: `cell-${i}-${j}` });
    });
    return out;
  }

  /** Mitoses inside any of the circles (each counted once), e.g. a set of 10 HPF. */
  mitoticCount(circles: readonly CircleUm[]): { total: number; atypical: number } {
    if (circles.length === 0) return { total: 0, atypical: 0 };
    const minX = Math.min(...circles.map((c) => c.x - c.r));
    const minY = Math.min(...circles.map((c) => c.y - c.r));
    const maxX = Math.max(...circles.map((c) => c.x + c.r));
    const maxY = Math.max(...circles.map((c) => c.y + c.r));
    let total = 0;
    let atypical = 0;
    for (const m of this.mitoses({ x: minX, y: minY, width: maxX - minX, height: maxY - minY })) {
      if (circles.some((c) => (m.x - c.x) ** 2 + (m.y - c.y) ** 2 <= c.r * c.r)) {
        total++;
        if (m.atypical) atypical++;
      }
    }
    return { total, atypical };
  }

  /** Centres of viable tumour nuclei (mitoses included) in the rectangle. */
  viableNuclei(rect: RectUm): Array<{ x: number; y: number; ki67: boolean; mitosis: boolean }> {
    const out: Array<{ x: number; y: number; ki67: boolean; mitosis: boolean }> = [];
    const c = this.cell;
    this.eachTumourCell(rect, (kind) => out.push({ x: c.x, y: c.y, ki67: c.ki67, mitosis: kind === MITOSIS }));
    return out;
  }

  /** Ki67 status of viable tumour nuclei in the rectangle (mitoses are positive). */
  ki67(rect: RectUm): Ki67Counts {
    let positive = 0;
    let negative = 0;
    const c = this.cell;
    this.eachTumourCell(rect, () => {
      if (c.ki67) positive++;
      else negative++;
    });
    return { positive, negative, index: positive / (positive + negative) };
  }

  /** Each necrosis, with the cuffs of viable tumour round its surviving vessels as holes. */
  necrosisPolygons(): PolygonUm[] {
    return this.scene.necrosis.map((b, i) => [b.polygon(), ...this.cuffRings(i)]);
  }

  private cuffRings(necrosis: number): Array<Array<[number, number]>> {
    return this.scene.cuffs.filter((c) => c.necrosis === necrosis).map((c) => c.outline.polygon());
  }

  /**
   * Tumour nodules in bone and soft tissue, the main mass with its necroses as holes, and the
   * cuffs of viable tumour inside the necroses.
   */
  tumourPolygons(): PolygonUm[] {
    const main: Array<[number, number]> = [];
    const s = this.scene;
    const { heightUm } = s.spec;
    const softEnd = (y: number): number => s.boneEdge(y) + s.spec.bone.softTissueUm;
    // The main mass: inside the section and right of the soft tissue. Trace the inner border
    // top to bottom, then the section outline back up.
    const step = 10;
    const rows: Array<[number, number]> = [];
    for (let y = 0; y <= heightUm; y += step) {
      const x = softEnd(y);
      if (s.section.contains(x, y)) rows.push([x, y]);
    }
    main.push(...rows);
    const outline = s.section.polygon();
    const first = rows[0];
    const last = rows[rows.length - 1];
    if (first && last) {
      const right = outline.filter(([x, y]) => x > softEnd(y));
      // Outline points right of the border, ordered from the bottom back to the top.
      right.sort((a, b) => Math.atan2(a[1] - s.section.cy, a[0] - s.section.cx) - Math.atan2(b[1] - s.section.cy, b[0] - s.section.cx));
      const bottomFirst = right.filter((p) => p[1] >= s.section.cy).reverse();
      const topLast = right.filter((p) => p[1] < s.section.cy).reverse();
      main.push(...bottomFirst, ...topLast);
    }
    const holes = this.scene.necrosis.map((b) => b.polygon());
    const nodules = this.scene.nodules.map((b) => [b.polygon()] as PolygonUm);
    const cuffs = this.scene.necrosis.flatMap((_, i) => this.cuffRings(i).map((ring) => [ring] as PolygonUm));
    return [[main, ...holes], ...nodules, ...cuffs];
  }

  /** Vertebral bone (trabeculae with marrow between them), tumour nodules cut out. */
  bonePolygons(): PolygonUm[] {
    const s = this.scene;
    const rows: Array<[number, number]> = [];
    for (let y = 0; y <= s.spec.heightUm; y += 10) {
      const x = s.boneEdge(y);
      if (s.section.contains(x, y)) rows.push([x, y]);
    }
    const left = s.section.polygon().filter(([x, y]) => x < s.boneEdge(y));
    left.sort((a, b) => angleFromRight(a, s) - angleFromRight(b, s));
    const holes = s.nodules.filter((n) => n.cx < s.boneEdge(n.cy)).map((b) => b.polygon());
    return [[[...rows, ...left.reverse()], ...holes]];
  }

  regionAt(x: number, y: number): number {
    return this.scene.regionAt(x, y);
  }
}

/** Angle of a point around the section centre, measured so the left half sorts top to bottom. */
function angleFromRight(p: readonly [number, number], s: Scene): number {
  const a = Math.atan2(p[1] - s.section.cy, p[0] - s.section.cx);
  return a < 0 ? a + 2 * Math.PI : a;
}
