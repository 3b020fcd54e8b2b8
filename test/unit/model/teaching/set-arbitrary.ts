import fc from 'fast-check';
import type { Pt } from '../../../../src/model/geometry';
import type { QuizItem, SetItem, SetView, TeachingSet, TourStep } from '../../../../src/model/teaching/types';

/**
 * Valid teaching sets of every shape (fast-check), for properties over the schema and the set
 * file. Text may hold any UTF-16 (lone surrogates too); numbers are any finite value the schema
 * allows, never −0 (JSON writes it as 0).
 */

const plus0 = (x: number): number => x + 0;
const double = (min: number, max: number): fc.Arbitrary<number> => fc.double({ min, max, noNaN: true }).map(plus0);
const id = fc.string({ minLength: 1, maxLength: 12, unit: 'binary' });
const text = (maxLength: number): fc.Arbitrary<string> => fc.string({ maxLength, unit: 'binary' });
const nonEmpty = (maxLength: number): fc.Arbitrary<string> => fc.string({ minLength: 1, maxLength, unit: 'binary' });
const coord = double(-1e7, 1e7);
const pt: fc.Arbitrary<Pt> = fc.tuple(coord, coord);
const time = fc.integer({ min: 0, max: 4_000_000_000_000 });

const view: fc.Arbitrary<SetView> = fc.record({ slideId: id, x: coord, y: coord, z: double(0.01, 400), r: double(0, 359.9) });

const step: fc.Arbitrary<TourStep> = fc.record({ id, title: text(20), text: text(200), view, highlight: fc.array(id, { maxLength: 4 }) });

const base = { id, prompt: nonEmpty(40), view };
const quiz: fc.Arbitrary<QuizItem> = fc.oneof(
  fc.record({
    ...base,
    kind: fc.constant('points' as const),
    field: fc.record({ x: coord, y: coord, width: double(1, 1e5), height: double(1, 1e5) }),
    radiusUm: double(0.1, 100),
    classId: id,
    key: fc.array(pt, { maxLength: 8 }),
  }),
  fc.record({
    ...base,
    kind: fc.constant('region' as const),
    classId: id,
    key: fc.array(fc.array(fc.array(pt, { minLength: 3, maxLength: 6 }), { minLength: 1, maxLength: 2 }), { minLength: 1, maxLength: 2 }),
    passDice: double(0.01, 1),
  }),
  fc.record({ ...base, kind: fc.constant('number' as const), unit: text(10), key: double(-1e9, 1e9), tolerance: double(0, 100) }),
  fc.array(nonEmpty(20), { minLength: 2, maxLength: 6 }).chain((choices) =>
    fc.record({ ...base, kind: fc.constant('choice' as const), choices: fc.constant(choices), key: fc.uniqueArray(fc.nat(choices.length - 1), { minLength: 1 }) }),
  ),
);

const item: fc.Arbitrary<SetItem> = fc.record(
  {
    id,
    slideId: id,
    figure: fc.integer({ min: 0, max: 999 }),
    title: text(30),
    tour: fc.uniqueArray(step, { selector: (s) => s.id, maxLength: 3 }),
    quizzes: fc.uniqueArray(quiz, { selector: (q) => q.id, maxLength: 4 }),
  },
  { requiredKeys: ['id', 'slideId', 'title', 'tour', 'quizzes'] },
);

export const teachingSet: fc.Arbitrary<TeachingSet> = fc.record({
  id,
  name: nonEmpty(40),
  description: text(200),
  author: text(30),
  created: time,
  updated: time,
  order: double(-1e6, 1e6),
  items: fc.uniqueArray(item, { selector: (i) => i.id, maxLength: 3 }),
});
