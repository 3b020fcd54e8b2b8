import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkTeachingSet, parseTeachingSet } from '../../../../src/model/teaching/set-schema';
import type { QuizItem, TeachingSet } from '../../../../src/model/teaching/types';
import { teachingSet } from './set-arbitrary';

const view = { slideId: 'he', x: 100, y: 200, z: 10, r: 0 };
const quizzes: QuizItem[] = [
  { kind: 'points', id: 'q1', prompt: 'Mark every atypical mitosis', view, field: { x: 0, y: 0, width: 500, height: 500 }, radiusUm: 5, classId: 'atypical-mitosis', key: [[10, 10]] },
  { kind: 'region', id: 'q2', prompt: 'Outline the necrosis', view, classId: 'necrosis', key: [[[[0, 0], [10, 0], [10, 10]], [[2, 1], [3, 1], [3, 2]]]], passDice: 0.7 },
  { kind: 'number', id: 'q3', prompt: 'Ki67 index?', view, unit: '%', key: 20, tolerance: 5 },
  { kind: 'choice', id: 'q4', prompt: 'FNCLCC grade?', view, choices: ['1', '2', '3'], key: [2] },
];
const valid: TeachingSet = {
  id: 'set',
  name: 'Sarcoma',
  description: '',
  author: 'T',
  created: 1,
  updated: 2,
  order: 0,
  items: [
    { id: 'a', slideId: 'he', title: 'H&E', tour: [], quizzes: [] },
    { id: 'b', slideId: 'he', figure: 3, title: 'H&E', tour: [{ id: 's', title: 'Look', text: '**x**', view, highlight: ['n1'] }], quizzes },
  ],
};

/** The set with one quiz of item 2 changed (or removed keys set to undefined). */
const withQuiz = (n: number, patch: Record<string, unknown>): unknown => ({
  ...valid,
  items: [valid.items[0], { ...valid.items[1], quizzes: valid.items[1]!.quizzes.map((q, i) => (i === n ? { ...q, ...patch } : q)) }],
});

const withQuizzes = (qs: unknown[]): unknown => ({ ...valid, items: [valid.items[0], { ...valid.items[1], quizzes: qs }] });

describe('teaching set schema', () => {
  it('accepts a set with every kind of quiz, and gives back only the fields it knows', () => {
    expect(checkTeachingSet(valid)).toBeUndefined();
    const r = parseTeachingSet({ ...valid, extra: 1, items: [{ ...valid.items[0], secret: 'x' }] });
    expect(r.value).toEqual({ ...valid, items: [valid.items[0]] });
    expect(r.value!.items[0]).not.toHaveProperty('secret');
  });

  it.each([
    ['a points quiz with radius 0', withQuiz(0, { radiusUm: 0 }), 'set.items[2].quizzes[1].radiusUm: must be above 0'],
    ['a quiz missing its key', withQuiz(0, { key: undefined }), 'set.items[2].quizzes[1].key: must be a list'],
    ['a region key that is not an outline', withQuiz(1, { key: [[[[0, 0], [1, 1]]]] }), /^set\.items\[2\]\.quizzes\[2\]\.key.*needs at least 3 points/],
    ['a pass mark above 1', withQuiz(1, { passDice: 1.5 }), 'set.items[2].quizzes[2].passDice: must be at most 1'],
    ['a negative tolerance', withQuiz(2, { tolerance: -1 }), 'set.items[2].quizzes[3].tolerance: must not be negative'],
    ['a right answer that is not a choice', withQuiz(3, { key: [3] }), 'set.items[2].quizzes[4].key: names a choice that does not exist'],
    ['no right answer', withQuiz(3, { key: [] }), 'set.items[2].quizzes[4].key: needs at least one right answer'],
    ['an unknown kind of quiz', withQuiz(3, { kind: 'essay' }), 'set.items[2].quizzes[4].kind: unknown quiz kind "essay"'],
    ['a quiz that is not an object', withQuizzes([7]), 'set.items[2].quizzes[1]: must be an object'],
    ['an empty prompt', withQuiz(2, { prompt: '' }), 'set.items[2].quizzes[3].prompt: must not be empty'],
    ['NaN in a view', withQuiz(2, { view: { ...view, x: NaN } }), 'set.items[2].quizzes[3].view.x: must be a finite number'],
    ['a view with zoom 0', withQuiz(2, { view: { ...view, z: 0 } }), 'set.items[2].quizzes[3].view.z: must be above 0'],
    ['two quizzes with one id', withQuiz(1, { id: 'q1' }), 'set.items[2].quizzes: has two quiz items with the id "q1"'],
    ['two items with one id', { ...valid, items: [valid.items[0], valid.items[0]] }, 'set.items: has two items with the id "a"'],
    ['a figure that does not exist', { ...valid, items: [{ ...valid.items[0], figure: 1.5 }] }, 'set.items[1].figure: must be a whole number'],
    ['a set with an empty name', { ...valid, name: '' }, 'set.name: must not be empty'],
    ['a set without a name', { ...valid, name: undefined }, 'set.name: must be text'],
    ['a set missing its items', (({ items: _items, ...rest }) => rest)(valid), 'set.items: is missing'],
    ['not an object', 'set', 'set: must be an object'],
  ])('refuses %s, saying where', (_what, input, message) => {
    const error = checkTeachingSet(input);
    if (typeof message === 'string') expect(error).toBe(message);
    else expect(error).toMatch(message);
  });

  it('accepts any set the types allow within the limits, unchanged (property)', () => {
    fc.assert(
      fc.property(teachingSet, (set) => {
        const r = parseTeachingSet(set);
        expect(r.error).toBeUndefined();
        expect(r.value).toEqual(set);
      }),
      { numRuns: 300 },
    );
  });
});
