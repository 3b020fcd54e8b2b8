import { describe, expect, it } from 'vitest';
import { createStore } from '../../../src/model/store';
import { AnnotationIndex } from '../../../src/overlay/spatial-index';
import { Editor } from '../../../src/tools/editor';
import type { PointerInput } from '../../../src/tools/types';
import type { Geometry } from '../../../src/model/annotation';

/** A headless editor: a store, its R-tree, and synthetic pointer input in image pixels. */
function setup() {
  const store = createStore();
  const index = new AnnotationIndex(store);
  let n = 0;
  const editor = new Editor(store, { slideId: 'he', author: () => 'Dr T', hitTest: (x, y, t) => index.hitTest(x, y, t), now: () => 1000 + n, newId: () => `a${++n}` });
  const states: string[] = [];
  const at = (type: PointerInput['type'], x: number, y: number, extra: Partial<PointerInput> = {}): void => {
    editor.pointer({ type, x, y, scale: 1, ...extra });
    states.push(editor.toolState);
  };
  const click = (x: number, y: number, clicks = 1): void => {
    at('down', x, y);
    at('up', x, y, { clicks });
  };
  const drag = (x0: number, y0: number, x1: number, y1: number, steps = 5, extra: Partial<PointerInput> = {}): void => {
    at('down', x0, y0, extra);
    for (let k = 1; k <= steps; k++) at('move', x0 + ((x1 - x0) * k) / steps, y0 + ((y1 - y0) * k) / steps, extra);
    at('up', x1, y1, extra);
  };
  return { store, index, editor, states, at, click, drag };
}

const geom = (s: ReturnType<typeof setup>): Geometry[] => s.store.all().map((a) => a.geometry);

describe('drawing tools', () => {
  it('point: a click drops a point of the current class with author and times', () => {
    const s = setup();
    s.editor.setTool('point');
    s.editor.setClass('atypical-mitosis');
    s.click(100, 200);
    expect(s.states).toEqual(['pointing', 'idle']);
    const [a] = s.store.all();
    expect(a).toMatchObject({ classId: 'atypical-mitosis', author: 'Dr T', slideId: 'he', geometry: { type: 'point', point: [100, 200] }, rev: 1 });
  });

  it('point: a drag is a pan, not a point', () => {
    const s = setup();
    s.editor.setTool('point');
    s.drag(0, 0, 50, 0);
    expect(s.store.size).toBe(0);
  });

  it('polygon: clicks add vertices, a double-click closes', () => {
    const s = setup();
    s.editor.setTool('polygon');
    s.click(0, 0);
    expect(s.editor.toolState).toBe('drawing');
    s.at('move', 50, 50);
    expect(s.editor.draft).toMatchObject({ type: 'path', points: [[0, 0], [50, 50]] });
    s.click(100, 0);
    s.click(100, 100);
    s.click(100, 100, 2);
    expect(s.editor.toolState).toBe('idle');
    expect(geom(s)).toEqual([{ type: 'polygon', points: [[0, 0], [100, 0], [100, 100]] }]);
    expect(s.editor.selected).toBe(s.store.all()[0]!.id);
  });

  it('polygon: Enter closes, Backspace removes the last vertex, Escape cancels', () => {
    const s = setup();
    s.editor.setTool('polygon');
    for (const [x, y] of [[0, 0], [10, 0], [10, 10], [99, 99]] as const) s.click(x, y);
    expect(s.editor.key('Backspace')).toBe(true);
    expect(s.editor.key('Enter')).toBe(true);
    expect(geom(s)).toEqual([{ type: 'polygon', points: [[0, 0], [10, 0], [10, 10]] }]);
    s.click(200, 200);
    s.click(300, 200);
    s.editor.key('Escape');
    expect(s.editor.toolState).toBe('idle');
    expect(s.editor.draft).toBeUndefined();
    expect(s.store.size).toBe(1);
  });

  it('polygon: a click on the first vertex closes it', () => {
    const s = setup();
    s.editor.setTool('polygon');
    s.click(0, 0);
    s.click(100, 0);
    s.click(100, 100);
    s.click(2, 1);
    expect(geom(s)).toEqual([{ type: 'polygon', points: [[0, 0], [100, 0], [100, 100]] }]);
  });

  it('freehand: a drag draws, simplified; Escape mid-stroke cancels', () => {
    const s = setup();
    s.editor.setTool('freehand');
    s.at('down', 0, 0);
    for (let i = 1; i <= 400; i++) {
      const t = (i / 400) * Math.PI * 2;
      s.at('move', 100 * Math.cos(t) - 100, 100 * Math.sin(t));
    }
    s.at('up', 0, 0);
    const g = geom(s)[0]!;
    expect(g.type).toBe('freehand');
    expect((g as { points: readonly unknown[] }).points.length).toBeLessThan(80);
    expect((g as { points: readonly unknown[] }).points.length).toBeGreaterThan(8);
    s.at('down', 500, 500);
    s.at('move', 600, 600);
    expect(s.editor.toolState).toBe('drawing');
    s.editor.key('Escape');
    s.at('up', 600, 600);
    expect(s.store.size).toBe(1);
  });

  it('rectangle, ellipse and ruler: press, drag, release; the state path is idle → dragging → idle', () => {
    const s = setup();
    s.editor.setTool('rectangle');
    s.drag(10, 20, 110, 70);
    s.editor.setTool('ellipse');
    s.drag(0, 0, 40, 20);
    s.editor.setTool('ruler');
    s.drag(0, 0, 30, 40);
    expect(geom(s)).toEqual([
      { type: 'rectangle', min: [10, 20], max: [110, 70] },
      { type: 'ellipse', center: [20, 10], rx: 20, ry: 10 },
      { type: 'line', points: [[0, 0], [30, 40]] },
    ]);
    expect(s.states.slice(0, 7)).toEqual(['dragging', 'dragging', 'dragging', 'dragging', 'dragging', 'dragging', 'idle']);
  });

  it('stores what it draws and moves in single precision, within 1/256 px at slide scale', () => {
    const s = setup();
    s.editor.setTool('polygon');
    s.click(30000.123456789, 20000.1);
    s.click(30100.987654321, 20000.3);
    s.click(30050.5555555, 20090.77777);
    s.click(30050.5555555, 20090.77777, 2);
    s.editor.setTool('select');
    s.drag(30050, 20030, 30081.0333333, 20040.0111111);
    const numbers = JSON.stringify(geom(s)).match(/-?[\d.e+-]+/g)!.map(Number);
    expect(numbers.length).toBeGreaterThan(0);
    for (const v of numbers) expect(Math.fround(v)).toBe(v);
    const [a] = s.store.all();
    expect(a!.rev).toBe(2);
    const first = (a!.geometry as { readonly points: ReadonlyArray<readonly [number, number]> }).points[0]!;
    expect(Math.abs(first[0] - (30000.123456789 + 31.0333333))).toBeLessThan(1 / 256);
  });

  it('ignores NaN and infinite input instead of storing it', () => {
    const s = setup();
    s.editor.setTool('point');
    s.at('down', Number.NaN, 5);
    s.at('up', Number.NaN, 5);
    s.editor.setTool('rectangle');
    s.drag(0, 0, Infinity, 5);
    expect(s.store.size).toBe(0);
  });
});

describe('counting ergonomics and limits', () => {
  it('a new point is selected at once, so its label can be typed', () => {
    const s = setup();
    s.editor.setTool('point');
    s.click(10, 10);
    expect(s.editor.selected).toBe(s.store.all()[0]!.id);
  });

  it('picking a class under Select with nothing selected goes back to drawing: Point for points, the area tool used last for areas', () => {
    const s = setup();
    s.editor.setTool('freehand');
    s.editor.setTool('ruler');
    s.editor.setTool('select');
    s.editor.pickClass('necrosis', 'polygon');
    expect(s.editor.tool).toBe('freehand');
    expect(s.editor.currentClass).toBe('necrosis');
    s.editor.setTool('select');
    s.editor.pickClass('typical-mitosis', 'point');
    expect(s.editor.tool).toBe('point');
    // The first time, the class's own tool.
    const t = setup();
    t.editor.pickClass('fascicle', 'polygon');
    expect(t.editor.tool).toBe('polygon');
  });

  it('an edit that would break the schema (a 20,000-character note) is refused with a reason and changes nothing', () => {
    const s = setup();
    s.editor.setTool('point');
    s.click(10, 10);
    const a = s.store.all()[0]!;
    expect(s.editor.update(a, { note: 'x'.repeat(20_000) })).toBe(false);
    expect(s.editor.refusal).toMatch(/note: must be text of at most 10000 characters/);
    expect(s.store.get(a.id)).toBe(a);
    expect(s.editor.update(a, { note: 'fine' })).toBe(true);
    expect(s.editor.refusal).toBe('');
  });
});

describe('select tool', () => {
  function withSquare() {
    const s = setup();
    s.editor.setTool('rectangle');
    s.drag(0, 0, 100, 100);
    s.editor.setTool('select');
    return s;
  }

  it('click selects, click on empty space deselects, Delete deletes, undo restores', () => {
    const s = withSquare();
    const id = s.store.all()[0]!.id;
    s.click(500, 500);
    expect(s.editor.selected).toBeUndefined();
    s.click(50, 50);
    expect(s.editor.selected).toBe(id);
    expect(s.editor.key('Delete')).toBe(true);
    expect(s.store.size).toBe(0);
    s.editor.key('z', { ctrl: true });
    expect(s.store.get(id)).toBeDefined();
    s.editor.key('z', { ctrl: true, shift: true });
    expect(s.store.size).toBe(0);
  });

  it('drag moves the shape; the path is pointing → moving → idle', () => {
    const s = withSquare();
    s.states.length = 0;
    s.drag(50, 50, 80, 60);
    expect(s.states[0]).toBe('pointing');
    expect(s.states).toContain('moving');
    expect(s.states[s.states.length - 1]).toBe('idle');
    expect(geom(s)).toEqual([{ type: 'rectangle', min: [30, 10], max: [130, 110] }]);
    expect(s.store.all()[0]!.rev).toBe(2);
  });

  it('reshapes a polygon: drag a vertex, double-click an edge to add one, Alt+click to remove one', () => {
    const s = setup();
    s.editor.setTool('polygon');
    s.click(0, 0);
    s.click(100, 0);
    s.click(100, 100);
    s.editor.key('Enter');
    s.editor.setTool('select');
    s.drag(100, 100, 120, 130); // the selected polygon's third vertex
    expect(geom(s)[0]).toEqual({ type: 'polygon', points: [[0, 0], [100, 0], [120, 130]] });
    s.click(50, 0, 2); // on the first edge
    expect((geom(s)[0] as { points: readonly unknown[] }).points).toEqual([[0, 0], [50, 0], [100, 0], [120, 130]]);
    s.at('down', 50, 0, { alt: true });
    s.at('up', 50, 0, { alt: true });
    expect((geom(s)[0] as { points: readonly unknown[] }).points).toEqual([[0, 0], [100, 0], [120, 130]]);
    // A triangle keeps its three vertices.
    s.at('down', 0, 0, { alt: true });
    s.at('up', 0, 0, { alt: true });
    expect((geom(s)[0] as { points: readonly unknown[] }).points).toHaveLength(3);
  });

  it('a class key recolours the selection, as one undoable step', () => {
    const s = withSquare();
    s.click(50, 50);
    s.editor.setClass('bone');
    expect(s.store.all()[0]!.classId).toBe('bone');
    s.editor.key('z', { ctrl: true });
    expect(s.store.all()[0]!.classId).toBe('necrosis');
  });

  it('a point inside a necrosis zone is picked before the zone', () => {
    const s = withSquare();
    s.editor.setTool('point');
    s.click(50, 50);
    s.editor.setTool('select');
    s.click(51, 50);
    expect(s.store.get(s.editor.selected!)!.geometry.type).toBe('point');
  });
});
