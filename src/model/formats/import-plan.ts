import type { Annotation } from '../annotation';
import { geometryBounds } from '../annotation';
import { annotationValid, LIMITS, parseAnnotation } from '../annotation-schema';
import type { ParseResult } from '../annotation-schema';
import type { AnnotationClass } from '../classes';
import type { ReadFile, Skipped } from './imported';

/**
 * Turns what a file reader found into annotations of one slide: classes matched by name (new
 * ones made for names the slide's classes lack), ids kept where free and renewed where taken,
 * shapes outside the slide counted (never clipped), every record checked by the schema. Pure:
 * the import writes the plan in one change set, or writes nothing.
 */

export interface ImportTarget {
  readonly slideId: string;
  /** Full-resolution size in image pixels; 1 × 1 where not known (then nothing counts as outside). */
  readonly width: number;
  readonly height: number;
  readonly classes: readonly AnnotationClass[];
  /** Ids already on the slide. */
  readonly existingIds: ReadonlySet<string>;
  readonly now: number;
  readonly newId: () => string;
}

export interface ImportSummary {
  readonly format: string;
  readonly added: number;
  /** Added, per class name, most first. */
  readonly perClass: ReadonlyArray<{ readonly name: string; readonly count: number }>;
  readonly newClasses: readonly string[];
  readonly skipped: readonly Skipped[];
  /** Shapes lying partly or wholly outside the slide (kept as drawn). */
  readonly outside: number;
  /** Ids the slide already had: those shapes got new ones. */
  readonly renamed: number;
  readonly notes: readonly string[];
}

export interface ImportPlan {
  readonly annotations: Annotation[];
  readonly newClasses: AnnotationClass[];
  readonly summary: ImportSummary;
}

const PALETTE = ['#0077b6', '#e76f51', '#2a9d8f', '#9b5de5', '#f4a261', '#43aa8b', '#d00000', '#577590'];

export function planImport(file: ReadFile, t: ImportTarget): ParseResult<ImportPlan> {
  const byName = new Map(t.classes.map((c) => [c.name.trim().toLowerCase(), c]));
  const fallback = t.classes.find((c) => c.id === 'other') ?? t.classes[t.classes.length - 1];
  const usedKeys = new Set(t.classes.map((c) => c.key).filter((k) => k > 0));
  const newClasses: AnnotationClass[] = [];
  const classFor = (name: string | undefined, colour: string | undefined, point: boolean): AnnotationClass | undefined => {
    const key = name?.trim().toLowerCase();
    if (!key) return fallback;
    const known = byName.get(key);
    if (known) return known;
    const free = [1, 2, 3, 4, 5, 6, 7, 8, 9].find((k) => !usedKeys.has(k)) ?? 0;
    if (free) usedKeys.add(free);
    const c: AnnotationClass = { id: `class-${t.newId()}`, name: name!.trim().slice(0, 80), colour: colour ?? PALETTE[newClasses.length % PALETTE.length]!, key: free, tool: point ? 'point' : 'polygon' };
    newClasses.push(c);
    byName.set(key, c);
    return c;
  };
  const taken = new Set(t.existingIds);
  const notes = [...file.notes];
  const counts = new Map<string, number>();
  const annotations: Annotation[] = [];
  let outside = 0;
  let renamed = 0;
  let longNames = 0;
  for (let i = 0; i < file.shapes.length; i++) {
    const s = file.shapes[i]!;
    const cls = classFor(s.className, s.classColour, s.geometry.type === 'point');
    if (!cls) return { error: 'The slide has no classes to put the shapes in.' };
    let id = s.sourceId;
    if (id === undefined || id.length === 0 || id.length > LIMITS.id || taken.has(id)) {
      if (id !== undefined && taken.has(id)) renamed++;
      id = t.newId();
    }
    taken.add(id);
    // A name too long for a label is kept whole, as the note's first paragraph.
    let { label, note } = s;
    if (label.length > LIMITS.label) {
      note = note ? `${label}\n\n${note}` : label;
      label = '';
      longNames++;
    }
    const a: Annotation = {
      id,
      slideId: t.slideId,
      classId: cls.id,
      geometry: s.geometry,
      label,
      note,
      // A shape whose file names no author has none: whoever imports it did not draw it.
      author: s.author ?? '',
      created: s.created ?? t.now,
      updated: s.updated ?? s.created ?? t.now,
      rev: 1,
    };
    // The fast check first; the schema, for its message, only when it fails.
    const bad = annotationValid(a) ? undefined : (parseAnnotation(a).error ?? 'not a valid annotation');
    if (bad !== undefined) return { error: `shape ${i + 1}${s.sourceId ? ` (id ${s.sourceId})` : ''}: ${bad.replace(/^annotation\.?/, '')}` };
    annotations.push(a);
    counts.set(cls.name, (counts.get(cls.name) ?? 0) + 1);
    if (t.width > 1 && t.height > 1) {
      const b = geometryBounds(a.geometry);
      if (b.minX < 0 || b.minY < 0 || b.maxX > t.width || b.maxY > t.height) outside++;
    }
  }
  if (longNames > 0) notes.push(`${longNames} name(s) longer than ${LIMITS.label} characters were kept whole as notes.`);
  return {
    value: {
      annotations,
      newClasses,
      summary: {
        format: file.format,
        added: annotations.length,
        perClass: [...counts].map(([name, count]) => ({ name, count })).sort((a, b) => b.count - a.count),
        newClasses: newClasses.map((c) => c.name),
        skipped: file.skipped,
        outside,
        renamed,
        notes,
      },
    },
  };
}
