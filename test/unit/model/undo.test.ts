import { describe, expect, it } from 'vitest';
import type { Annotation } from '../../../src/model/annotation';
import { createStore } from '../../../src/model/store';
import { createUndoStack } from '../../../src/model/undo';

const mk = (id: string, classId = 'necrosis', rev = 1): Annotation => ({
  id, slideId: 'he', classId, geometry: { type: 'point', point: [1, 2] }, label: '', note: '', author: '', created: 0, updated: 0, rev,
});

describe('undo / redo', () => {
  it('undoes and redoes creates, updates and deletes in order', () => {
    const store = createStore();
    const undo = createUndoStack(store);
    const a = mk('a');
    store.apply({ created: [a], updated: [], deleted: [] }, 'user');
    const a2 = { ...a, classId: 'bone', rev: 2 };
    store.apply({ created: [], updated: [{ before: a, after: a2 }], deleted: [] }, 'user');
    store.apply({ created: [], updated: [], deleted: [a2] }, 'user');
    expect(store.size).toBe(0);
    expect(undo.undo()).toBe(true);
    expect(store.get('a')!.classId).toBe('bone');
    expect(undo.undo()).toBe(true);
    expect(store.get('a')!.classId).toBe('necrosis');
    expect(store.get('a')!.rev).toBe(3); // revisions only move forward
    expect(undo.undo()).toBe(true);
    expect(store.size).toBe(0);
    expect(undo.undo()).toBe(false);
    expect(undo.redo() && undo.redo() && undo.redo()).toBe(true);
    expect(store.size).toBe(0);
    expect(undo.canRedo).toBe(false);
  });

  it('does not record other tabs’ or imported changes, and skips an undo whose target is gone', () => {
    const store = createStore();
    const undo = createUndoStack(store);
    store.apply({ created: [mk('remote')], updated: [], deleted: [] }, 'remote');
    expect(undo.canUndo).toBe(false);
    const mine = mk('mine');
    store.apply({ created: [mine], updated: [], deleted: [] }, 'user');
    store.apply({ created: [], updated: [], deleted: [mine] }, 'remote'); // another tab deleted it
    expect(undo.undo()).toBe(false); // nothing to un-create; nothing clobbered
    expect(store.size).toBe(1);
  });

  it('a new edit clears the redo stack', () => {
    const store = createStore();
    const undo = createUndoStack(store);
    store.apply({ created: [mk('a')], updated: [], deleted: [] }, 'user');
    undo.undo();
    store.apply({ created: [mk('b')], updated: [], deleted: [] }, 'user');
    expect(undo.canRedo).toBe(false);
  });
});
