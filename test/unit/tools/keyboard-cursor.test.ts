import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createStore } from '../../../src/model/store';
import { AnnotationIndex } from '../../../src/overlay/spatial-index';
import { Editor } from '../../../src/tools/editor';
import type { CursorView } from '../../../src/tools/keyboard-cursor';
import { FINE_STEP_PX, KeyboardCursor, PAN_STEP_PX, ZOOM_STEP, pannedCentre } from '../../../src/tools/keyboard-cursor';

/**
 * A headless viewer (its centre in image pixels, 4 image px per screen px as at 10x, no rotation),
 * a real editor, and the cursor between them: keys in, annotations out.
 */
function setup() {
  const store = createStore();
  const index = new AnnotationIndex(store);
  let n = 0;
  const editor = new Editor(store, { slideId: 'he', author: () => 'Dr K', hitTest: (x, y, t) => index.hitTest(x, y, t), now: () => 1000, newId: () => `a${++n}` });
  const centre = { x: 25_000, y: 15_000 };
  let scale = 4;
  const view: CursorView = {
    centre: () => ({ ...centre }),
    scale: () => scale,
    pan: (dx, dy) => {
      centre.x += dx * scale;
      centre.y += dy * scale;
      cursor.viewMoved();
    },
    zoom: (f) => {
      scale /= f;
      cursor.viewMoved();
    },
  };
  const cursor = new KeyboardCursor(view, () => editor);
  const press = (...keys: string[]): boolean[] =>
    keys.map((k) => {
      const shift = k.startsWith('Shift+');
      return cursor.key({ key: shift ? k.slice(6) : k, shift });
    });
  return { store, editor, cursor, centre, press, scale: () => scale };
}

describe('keyboard cursor', () => {
  it('is off until focus or an arrow key; arrows pan by a step, Shift+arrows by a fine step, W/A/S/D too', () => {
    const s = setup();
    expect(s.cursor.state).toBe('off');
    s.press('ArrowRight');
    expect(s.cursor.state).toBe('aiming');
    expect(s.centre).toEqual({ x: 25_000 + PAN_STEP_PX * 4, y: 15_000 });
    s.press('Shift+ArrowDown', 'a', 'w');
    expect(s.centre).toEqual({ x: 25_000, y: 15_000 + FINE_STEP_PX * 4 - PAN_STEP_PX * 4 });
    s.press('+');
    expect(s.scale()).toBe(4 / ZOOM_STEP);
    s.press('-', '=', '_');
    expect(s.scale()).toBe(4);
  });

  it('Enter with the Point tool drops a point under the crosshair, after the view moved', () => {
    const s = setup();
    s.editor.setTool('point');
    s.cursor.activate();
    s.press('ArrowLeft', 'ArrowLeft', 'Enter');
    const [a] = s.store.all();
    expect(a?.geometry).toEqual({ type: 'point', point: [25_000 - 2 * PAN_STEP_PX * 4, 15_000] });
    expect(s.cursor.state).toBe('aiming');
  });

  it('Space clicks too; while off (a pointer in use) Enter is left to the editor', () => {
    const s = setup();
    s.editor.setTool('point');
    expect(s.press('Enter')).toEqual([false]);
    expect(s.store.size).toBe(0);
    s.cursor.activate();
    expect(s.press(' ')).toEqual([true]);
    expect(s.store.size).toBe(1);
  });

  it('a polygon: Enter adds vertices where the crosshair is, Shift+Enter closes it', () => {
    const s = setup();
    s.editor.setTool('polygon');
    s.cursor.activate();
    s.press('Enter');
    expect(s.cursor.message).toMatch(/^Vertex 1/);
    s.press('ArrowRight', 'ArrowRight', 'Enter');
    s.press('ArrowDown', 'ArrowDown', 'Enter');
    expect(s.cursor.message).toMatch(/^Vertex 3/);
    // The rubber band follows the crosshair as the view moves.
    s.press('ArrowLeft');
    expect(s.editor.draft).toEqual({ type: 'path', points: [[25_000, 15_000], [25_480, 15_000], [25_480, 15_480], [25_240, 15_480]] });
    expect(s.store.size).toBe(0);
    s.press('Shift+Enter');
    expect(s.cursor.message).toBe('Polygon closed.');
    const [a] = s.store.all();
    expect(a?.geometry).toEqual({ type: 'polygon', points: [[25_000, 15_000], [25_480, 15_000], [25_480, 15_480]] });
  });

  it('a polygon also closes on Enter back at its first vertex', () => {
    const s = setup();
    s.editor.setTool('polygon');
    s.cursor.activate();
    s.press('Enter', 'd', 'Enter', 's', 'Enter', 'w', 'a', 'Enter');
    expect(s.cursor.message).toBe('Polygon closed.');
    expect(s.store.all()[0]?.geometry.type).toBe('polygon');
  });

  it.each(['rectangle', 'ellipse', 'ruler'] as const)('%s: the first Enter presses, arrows drag, the second Enter releases', (tool) => {
    const s = setup();
    s.editor.setTool(tool);
    s.cursor.activate();
    s.press('Enter');
    expect(s.cursor.state).toBe('holding');
    expect(s.editor.toolState).toBe('dragging');
    s.press('ArrowRight', 'ArrowDown');
    expect(s.editor.draft).toBeDefined();
    s.press('Enter');
    expect(s.cursor.state).toBe('aiming');
    const g = s.store.all()[0]!.geometry;
    if (g.type === 'rectangle') expect(g).toEqual({ type: 'rectangle', min: [25_000, 15_000], max: [25_240, 15_240] });
    else if (g.type === 'ellipse') expect(g).toEqual({ type: 'ellipse', center: [25_120, 15_120], rx: 120, ry: 120 });
    else expect(g).toEqual({ type: 'line', points: [[25_000, 15_000], [25_240, 15_240]] });
  });

  it('freehand traces the path the crosshair travels', () => {
    const s = setup();
    s.editor.setTool('freehand');
    s.cursor.activate();
    s.press('Enter', 'ArrowRight', 'ArrowDown', 'ArrowLeft', 'Enter');
    const g = s.store.all()[0]!.geometry;
    expect(g).toEqual({ type: 'freehand', points: [[25_000, 15_000], [25_240, 15_000], [25_240, 15_240], [25_000, 15_240]] });
  });

  it('Escape cancels a held press; so does a pointer taking over or a change of tool', () => {
    const s = setup();
    s.editor.setTool('rectangle');
    s.cursor.activate();
    s.press('Enter', 'ArrowRight');
    expect(s.press('Escape')).toEqual([true]);
    expect(s.editor.toolState).toBe('idle');
    expect(s.cursor.state).toBe('aiming');
    s.press('Enter', 'ArrowRight');
    s.cursor.deactivate();
    expect(s.editor.toolState).toBe('idle');
    expect(s.cursor.state).toBe('off');
    s.cursor.activate();
    s.press('Enter');
    s.editor.setTool('point');
    expect(s.cursor.state).toBe('aiming');
    s.press('Enter');
    expect(s.store.all().map((a) => a.geometry.type)).toEqual(['point']);
  });

  it('with Select, Enter selects what lies under the crosshair', () => {
    const s = setup();
    s.editor.setTool('point');
    s.cursor.activate();
    s.press('Enter', 'ArrowRight', 'ArrowRight');
    s.editor.setTool('select');
    s.press('Enter');
    expect(s.editor.selected).toBeUndefined();
    s.press('ArrowLeft', 'ArrowLeft', 'Enter');
    expect(s.editor.selected).toBe(s.store.all()[0]!.id);
  });

  it('without an editor (compare mode) it only pans and zooms', () => {
    const centre = { x: 0, y: 0 };
    const cursor = new KeyboardCursor({ centre: () => centre, scale: () => 1, pan: (dx) => (centre.x += dx), zoom: () => undefined }, () => undefined);
    expect(cursor.key({ key: 'ArrowRight', shift: false })).toBe(true);
    expect(cursor.key({ key: 'Enter', shift: false })).toBe(false);
    expect(centre.x).toBe(PAN_STEP_PX);
  });
});

describe('pannedCentre', () => {
  it('moves the centre by the screen step in image pixels, turned back by the rotation', () => {
    expect(pannedCentre({ x: 100, y: 100, r: 0 }, 10, 0, 4)).toEqual({ x: 140, y: 100 });
    // Turned 90° clockwise, screen right is image up (−y), screen down is image +x.
    const p = pannedCentre({ x: 100, y: 100, r: 90 }, 10, 5, 4);
    expect(p.x).toBeCloseTo(120, 9);
    expect(p.y).toBeCloseTo(60, 9);
  });

  it('keeps the step length at any rotation', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 360, noNaN: true }), fc.integer({ min: -100, max: 100 }), fc.integer({ min: -100, max: 100 }), (r, dx, dy) => {
        const p = pannedCentre({ x: 0, y: 0, r }, dx, dy, 2);
        expect(Math.hypot(p.x, p.y)).toBeCloseTo(2 * Math.hypot(dx, dy), 6);
      }),
    );
  });
});
