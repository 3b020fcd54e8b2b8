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

/** A class record from storage or a file, or a message. */
export function checkClass(input: unknown): string | undefined {
  if (typeof input !== 'object' || input === null) return 'class must be an object';
  const o = input as Record<string, unknown>;
  if (typeof o['id'] !== 'string' || o['id'].length === 0 || o['id'].length > 100) return 'class id must be a short string';
  if (typeof o['name'] !== 'string' || o['name'].trim() === '' || o['name'].length > MAX_CLASS_NAME) return `class name must be 1–${MAX_CLASS_NAME} characters`;
  if (typeof o['colour'] !== 'string' || !/^#[0-9a-f]{6}$/i.test(o['colour'])) return 'class colour must be #rrggbb';
  if (typeof o['key'] !== 'number' || !Number.isInteger(o['key']) || o['key'] < 0 || o['key'] > 9) return 'class key must be 0–9';
  if (o['tool'] !== 'point' && o['tool'] !== 'polygon') return 'class tool must be point or polygon';
  return undefined;
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
