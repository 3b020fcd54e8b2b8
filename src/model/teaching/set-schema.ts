import * as v from 'valibot';
import { describeIssue, GeometrySchema, LIMITS, MAX_COORD, MAX_VERTICES } from '../annotation-schema';
import type { ParseResult } from '../annotation-schema';
import type { TeachingSet } from './types';

/**
 * The one schema of a teaching set: checked before a set is written to a file (a set that
 * would not read back is refused) and when a file is read, so both sides agree on what a set
 * is. Objects keep only the keys named here: anything else in a file (`__proto__` included)
 * goes no further.
 */

/** Text limits in characters. Tour text and descriptions get the room of an annotation note. */
export const SET_LIMITS = {
  name: 200,
  title: 200,
  description: LIMITS.note,
  text: LIMITS.note,
  prompt: 2_000,
  unit: 40,
  choice: 500,
  items: 500,
  steps: 200,
  quizzes: 200,
  highlight: 1_000,
  choices: 26,
  /** µm: a centimetre, far beyond any sensible matching radius. */
  radiusUm: 10_000,
} as const;

// Reused from the annotation schema, so a key point or outline is exactly what an annotation may hold.
const point = GeometrySchema.options[0].entries.point;
const polygons = GeometrySchema.options[5].entries.polygons;

/** An object's message: valibot reports a missing key with it too, which "must be an object" would misname. */
export const objectMessage = (issue: v.ObjectIssue): string => (issue.expected === 'Object' ? 'must be an object' : 'is missing');

const id = v.pipe(v.string('must be text'), v.minLength(1, 'must not be empty'), v.maxLength(LIMITS.id, `must be at most ${LIMITS.id} characters`));
const text = (max: number, nonEmpty = false): v.GenericSchema<unknown, string> =>
  nonEmpty
    ? v.pipe(v.string('must be text'), v.minLength(1, 'must not be empty'), v.maxLength(max, `must be at most ${max} characters`))
    : v.pipe(v.string('must be text'), v.maxLength(max, `must be at most ${max} characters`));
const finite = v.pipe(v.number('must be a finite number'), v.finite('must be a finite number'));
const coord = v.pipe(finite, v.minValue(-MAX_COORD, `is too far out (beyond ${MAX_COORD} px)`), v.maxValue(MAX_COORD, `is too far out (beyond ${MAX_COORD} px)`));
const positive = (max: number, unit: string): v.GenericSchema<unknown, number> => v.pipe(finite, v.gtValue(0, 'must be above 0'), v.maxValue(max, `must be at most ${max}${unit}`));
const list = <T>(item: v.GenericSchema<unknown, T>, max: number, what: string): v.GenericSchema<unknown, T[]> =>
  v.pipe(v.array(item, 'must be a list'), v.maxLength(max, `has more than ${max} ${what}`));

/** Ids name things across a set (a step's highlight, an attempt's quiz): two alike would be ambiguous. */
function uniqueIds<T extends { id: string }>(what: string): v.GenericValidation<T[], T[], v.CheckIssue<T[]>> {
  const repeated = (xs: readonly T[]): string | undefined => xs.find((x, i) => xs.findIndex((y) => y.id === x.id) !== i)?.id;
  return v.check((xs) => repeated(xs) === undefined, (issue) => `has two ${what} with the id "${repeated(issue.input) ?? ''}"`);
}

/** Where the viewer goes: a slide and a view of it, as in a shared link (see route.ts). */
const SetViewSchema = v.object(
  {
    slideId: id,
    x: coord,
    y: coord,
    /** Equivalent objective magnification. */
    z: positive(10_000, 'x'),
    r: finite,
  },
  objectMessage,
);

const TourStepSchema = v.object(
  {
    id,
    title: text(SET_LIMITS.title),
    text: text(SET_LIMITS.text),
    view: SetViewSchema,
    highlight: list(id, SET_LIMITS.highlight, 'annotations'),
  },
  objectMessage,
);

const base = { id, prompt: text(SET_LIMITS.prompt, true), view: SetViewSchema };

const FieldSchema = v.object({ x: coord, y: coord, width: positive(MAX_COORD, ' px'), height: positive(MAX_COORD, ' px') }, objectMessage);

const PointsQuizSchema = v.object(
  {
    ...base,
    kind: v.literal('points'),
    field: FieldSchema,
    radiusUm: positive(SET_LIMITS.radiusUm, ' µm'),
    classId: id,
    // A field with nothing to find is a fair question: the key may be empty.
    key: list(point, MAX_VERTICES, 'points'),
  },
  objectMessage,
);

const RegionQuizSchema = v.object(
  {
    ...base,
    kind: v.literal('region'),
    classId: id,
    key: polygons,
    passDice: v.pipe(finite, v.gtValue(0, 'must be above 0'), v.maxValue(1, 'must be at most 1')),
  },
  objectMessage,
);

const NumberQuizSchema = v.object(
  {
    ...base,
    kind: v.literal('number'),
    unit: text(SET_LIMITS.unit),
    key: finite,
    tolerance: v.pipe(finite, v.minValue(0, 'must not be negative')),
  },
  objectMessage,
);

const ChoiceQuizSchema = v.pipe(
  v.object(
    {
      ...base,
      kind: v.literal('choice'),
      choices: v.pipe(list(text(SET_LIMITS.choice, true), SET_LIMITS.choices, 'choices'), v.minLength(2, 'needs at least 2 choices')),
      key: v.pipe(
        list(v.pipe(finite, v.integer('must be a whole number')), SET_LIMITS.choices, 'answers'),
        v.minLength(1, 'needs at least one right answer'),
        v.check((k) => new Set(k).size === k.length, 'names a right answer twice'),
      ),
    },
    objectMessage,
  ),
  v.forward(
    v.check((q) => q.key.every((k) => k >= 0 && k < q.choices.length), 'names a choice that does not exist'),
    ['key'],
  ),
);

const QuizItemSchema = v.variant(
  'kind',
  [PointsQuizSchema, RegionQuizSchema, NumberQuizSchema, ChoiceQuizSchema],
  (issue) =>
    typeof issue.input === 'object' && issue.input !== null
      ? `unknown quiz kind "${String((issue.input as { kind?: unknown }).kind)}"`
      : issue.kind === 'schema' && issue.expected === 'Object'
        ? 'must be an object'
        : `unknown quiz kind "${String(issue.input)}"`,
);

const SetItemSchema = v.object(
  {
    id,
    slideId: id,
    figure: v.optional(v.pipe(finite, v.integer('must be a whole number'), v.minValue(0, 'must be 0–999'), v.maxValue(999, 'must be 0–999'))),
    title: text(SET_LIMITS.title),
    tour: v.pipe(list(TourStepSchema, SET_LIMITS.steps, 'tour steps'), uniqueIds('tour steps')),
    quizzes: v.pipe(list(QuizItemSchema, SET_LIMITS.quizzes, 'quiz items'), uniqueIds('quiz items')),
  },
  objectMessage,
);

export const TeachingSetSchema = v.object(
  {
    id,
    name: text(SET_LIMITS.name, true),
    description: text(SET_LIMITS.description),
    author: text(LIMITS.author),
    created: finite,
    updated: finite,
    order: finite,
    items: v.pipe(list(SetItemSchema, SET_LIMITS.items, 'items'), uniqueIds('items')),
  },
  objectMessage,
);

// The schema's output is a TeachingSet: this stops compiling if the two drift apart.
const _isTeachingSet = (s: v.InferOutput<typeof TeachingSetSchema>): TeachingSet => s;

/** The set as checked (only its known fields), or where it breaks the schema: "set.items[2].title: …". */
export function parseTeachingSet(input: unknown): ParseResult<TeachingSet> {
  const r = v.safeParse(TeachingSetSchema, input);
  return r.success ? { value: r.output } : { error: describeIssue('set', r.issues) };
}

/** A message when the set would not be accepted (written or read), else undefined. */
export function checkTeachingSet(input: unknown): string | undefined {
  return parseTeachingSet(input).error;
}
