import * as v from 'valibot';
import type { Annotation } from '../annotation';
import { AnnotationSchema, describeIssue } from '../annotation-schema';
import type { ParseResult } from '../annotation-schema';
import type { AnnotationClass } from '../classes';
import { ClassSchema } from '../classes';

/**
 * "Export everything": every slide's annotations, the classes and the author's name in one JSON
 * file, so a browser that evicts its storage (or a new computer) loses nothing. Restoring it
 * adds what is missing and brings older revisions up to date (see app/backup.ts).
 *
 * Records that could not be read are carried as they were found, in `unreadable`, so they can
 * be looked at or repaired by hand; they are never restored.
 */

export const BACKUP_FORMAT = 'lamina-backup';
/** Refused before reading: far beyond any real backup (100k polygons are ~30 MB). */
export const MAX_BACKUP_BYTES = 512 * 1024 * 1024;
export const BACKUP_VERSION = 1;

export interface UnreadableRecord {
  readonly key: string;
  readonly slideId: string;
  readonly reason: string;
  readonly raw: unknown;
}

export interface Backup {
  readonly format: typeof BACKUP_FORMAT;
  readonly version: typeof BACKUP_VERSION;
  /** ISO 8601 time of the export. */
  readonly exported: string;
  readonly author: string;
  readonly classes: readonly AnnotationClass[];
  readonly slides: ReadonlyArray<{ readonly slideId: string; readonly annotations: readonly Annotation[] }>;
  readonly unreadable: readonly UnreadableRecord[];
}

const BackupSchema = v.object({
  format: v.literal(BACKUP_FORMAT, `is not "${BACKUP_FORMAT}": this is not a Lamina backup`),
  version: v.literal(BACKUP_VERSION, `must be ${BACKUP_VERSION} (a backup from another version of Lamina)`),
  exported: v.pipe(v.string(), v.maxLength(40)),
  author: v.pipe(v.string(), v.maxLength(200)),
  classes: v.pipe(v.array(ClassSchema), v.maxLength(1000)),
  slides: v.array(
    v.object({
      slideId: v.pipe(v.string(), v.minLength(1), v.maxLength(200)),
      annotations: v.array(AnnotationSchema),
    }),
  ),
  unreadable: v.array(v.object({ key: v.string(), slideId: v.string(), reason: v.string(), raw: v.unknown() })),
});

const where = (issues: readonly v.BaseIssue<unknown>[]): string => describeIssue('', issues);

/** Typed arrays (annotations read flat) and other non-JSON values become what JSON keeps. */
function plain(value: unknown): unknown {
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>);
  return value;
}

/** The backup as text; every annotation is checked by the schema that reading applies. */
export function serializeBackup(b: Omit<Backup, 'format' | 'version'>): ParseResult<string> {
  const out: Backup = { format: BACKUP_FORMAT, version: BACKUP_VERSION, ...b };
  const r = v.safeParse(BackupSchema, out);
  if (!r.success) return { error: `Cannot export: ${where(r.issues)}` };
  return { value: JSON.stringify(out, (_k, val: unknown) => plain(val), 1) };
}

export function parseBackup(text: string): ParseResult<Backup> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { error: `Not a backup: the file is not valid JSON (${e instanceof Error ? e.message : String(e)}).` };
  }
  if (typeof json !== 'object' || json === null || (json as { format?: unknown }).format !== BACKUP_FORMAT)
    return { error: 'Not a Lamina backup: its "format" is not "lamina-backup" (a QuPath or W3C annotation file is imported, not restored).' };
  const r = v.safeParse(BackupSchema, json);
  if (!r.success) return { error: `Not a usable backup: ${where(r.issues)}` };
  return { value: r.output as Backup };
}
