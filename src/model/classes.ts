import * as v from 'valibot';
import { describeIssue } from './annotation-schema';
/**
 * Annotation classes: what a mark means (necrosis, atypical mitosis…), with a colour and a key.
 * Annotations refer to classes by id, so renaming or recolouring never orphans them.
 */

export interface AnnotationClass {
  readonly id: string;
  readonly name: string;
  /** #rrggbb */
  readonly colour: string;
  /** Shortcut digit 1–9, or 0 for none. */
  readonly key: number;
  /** The geometry a teacher usually draws for this class (the tool picked with the key). */
  readonly tool: 'point' | 'polygon';
}

export const DEFAULT_CLASSES: readonly AnnotationClass[] = [
  { id: 'necrosis', name: 'Necrosis zone', colour: '#8c5a2b', key: 1, tool: 'polygon' },
  { id: 'atypical-mitosis', name: 'Atypical mitosis', colour: '#e6007e', key: 2, tool: 'point' },
  { id: 'typical-mitosis', name: 'Typical mitosis', colour: '#00a651', key: 3, tool: 'point' },
  { id: 'atypia', name: 'Nuclear atypia', colour: '#7b2cbf', key: 4, tool: 'point' },
  { id: 'fascicle', name: 'Tumour fascicle', colour: '#d62828', key: 5, tool: 'polygon' },
  { id: 'bone', name: 'Bone', colour: '#e9c46a', key: 6, tool: 'polygon' },
  { id: 'sma-positive', name: 'SMA positive', colour: '#a0522d', key: 7, tool: 'polygon' },
  { id: 'ki67-positive', name: 'Ki67 positive nucleus', colour: '#6b3e12', key: 8, tool: 'point' },
  { id: 'ki67-negative', name: 'Ki67 negative nucleus', colour: '#1d4ed8', key: 9, tool: 'point' },
  { id: 'other', name: 'Other', colour: '#6b7280', key: 0, tool: 'polygon' },
];

export const MAX_CLASS_NAME = 80;

/** A class record as stored and as written in backups and teaching sets. */
export const ClassSchema = v.object(
  {
    id: v.pipe(v.string('must be text'), v.minLength(1, 'must not be empty'), v.maxLength(100, 'must be at most 100 characters')),
    name: v.pipe(v.string('must be text'), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(MAX_CLASS_NAME, `must be 1–${MAX_CLASS_NAME} characters`)),
    colour: v.pipe(v.string('must be text'), v.regex(/^#[0-9a-f]{6}$/i, 'must be #rrggbb')),
    key: v.pipe(v.number('must be a number'), v.integer('must be 0–9'), v.minValue(0, 'must be 0–9'), v.maxValue(9, 'must be 0–9')),
    tool: v.picklist(['point', 'polygon'], 'must be point or polygon'),
  },
  'must be an object',
);

/** A class record from storage or a file, or a message (the same schema both ways). */
export function checkClass(input: unknown): string | undefined {
  const r = v.safeParse(ClassSchema, input);
  return r.success ? undefined : describeIssue('class', r.issues);
}

/**
 * Gives class `id` the shortcut `key` (0: none). A key belongs to one class at a time: the class
 * that had it takes `id`'s old key, so two classes swap and no shortcut goes dead. Returns the
 * classes that changed (none if nothing did).
 */
export function reassignKey(classes: readonly AnnotationClass[], id: string, key: number): AnnotationClass[] {
  const c = classes.find((x) => x.id === id);
  if (!c || !Number.isInteger(key) || key < 0 || key > 9 || c.key === key) return [];
  const holder = key > 0 ? classes.find((x) => x.key === key && x.id !== id) : undefined;
  return holder ? [{ ...c, key }, { ...holder, key: c.key }] : [{ ...c, key }];
}
