import * as v from 'valibot';
import { strToU8, zipSync } from 'fflate';
import type { Zippable } from 'fflate';
import type { Annotation } from '../annotation';
import { annotationValid, describeIssue, LIMITS, parseAnnotation } from '../annotation-schema';
import type { ParseResult } from '../annotation-schema';
import type { AnnotationClass } from '../classes';
import { ClassSchema } from '../classes';
import type { ReadFile } from '../formats/imported';
import { parseQuPath, serializeQuPath } from '../formats/qupath';
import { safeUnzip } from './safe-unzip';
import type { UnzipLimits } from './safe-unzip';
import { objectMessage, TeachingSetSchema } from './set-schema';
import type { TeachingSet } from './types';

/**
 * The one-file teaching set a teacher hands out: a zip holding `manifest.json` (the set, and
 * per slide its classes and where its annotations are) and one QuPath GeoJSON file per slide,
 * so a QuPath user can open a slide's annotations directly. The manifest is versioned; the
 * same schema checks a set before it is written and when it is read.
 *
 *   manifest.json          {"format": "lamina-set", "version": 1, "set": {…}, "slides": […], "exported": ISO}
 *   slides/<slideId>.geojson
 *   slides/<slideId>/<file name>   a slide file of the teacher's own, when embedded (stored, not
 *                                  deflated: slide files are compressed already)
 *
 * A slide of the teacher's own is referred to by its content hash; its file travels in the set
 * only when the teacher embeds it (up to MAX_EMBEDDED_BYTES in all). Older readers of version 1
 * ignore the optional `files` of a slide.
 */

export const SET_FORMAT = 'lamina-set';
export const SET_VERSION = 1;
export const SET_MANIFEST = 'manifest.json';

/** What a set file may unpack to: far beyond a real set (100k polygons are ~30 MB of GeoJSON). */
export const SET_FILE_LIMITS: UnzipLimits = { maxTotalBytes: 300 * 1024 * 1024, maxEntries: 200 };

/** Slide files embedded in one set file, in all: what the teacher is told before exporting. */
export const MAX_EMBEDDED_BYTES = 250 * 1024 * 1024;

/** A slide file carried inside a set file (a DICOM slide has several). */
export interface EmbeddedFile {
  readonly name: string;
  readonly bytes: Uint8Array;
}

export interface SetFileSlide {
  readonly slideId: string;
  /** µm per image pixel: QuPath's measurements in the GeoJSON are written in µm. */
  readonly mpp: number;
  readonly annotations: readonly Annotation[];
  readonly classes: readonly AnnotationClass[];
  /** The slide's own file(s), when the teacher embeds them. */
  readonly embedded?: readonly EmbeddedFile[];
}

export interface ReadSetSlide {
  readonly slideId: string;
  readonly classes: AnnotationClass[];
  /** The slide's annotations as read from its GeoJSON; planImport makes them a slide's. */
  readonly file: ReadFile;
  /** The slide's own file(s), when the set carries them. */
  readonly embedded?: readonly EmbeddedFile[];
}

export interface ReadSet {
  readonly set: TeachingSet;
  readonly slides: ReadSetSlide[];
}

const ManifestSchema = v.object({
  format: v.literal(SET_FORMAT, `is not "${SET_FORMAT}": this is not a Lamina teaching set`),
  version: v.literal(SET_VERSION, `must be ${SET_VERSION} (a set file from another version of Lamina)`),
  set: TeachingSetSchema,
  slides: v.pipe(
    v.array(
      v.object(
        {
          slideId: v.pipe(v.string('must be text'), v.minLength(1, 'must not be empty'), v.maxLength(LIMITS.id, `must be at most ${LIMITS.id} characters`)),
          annotations: v.pipe(v.string('must be text'), v.minLength(1, 'must not be empty'), v.maxLength(1000, 'must be at most 1000 characters')),
          classes: v.pipe(v.array(ClassSchema, 'must be a list'), v.maxLength(1000, 'has more than 1000 classes')),
          files: v.optional(
            v.pipe(
              v.array(
                v.object(
                  {
                    path: v.pipe(v.string('must be text'), v.minLength(1, 'must not be empty'), v.maxLength(1000, 'must be at most 1000 characters')),
                    name: v.pipe(v.string('must be text'), v.minLength(1, 'must not be empty'), v.maxLength(255, 'must be at most 255 characters')),
                    size: v.pipe(v.number('must be a number'), v.integer('must be a whole number'), v.minValue(1, 'must be at least 1'), v.maxValue(MAX_EMBEDDED_BYTES, `must be at most ${MAX_EMBEDDED_BYTES}`)),
                  },
                  objectMessage,
                ),
                'must be a list',
              ),
              v.minLength(1, 'must not be empty'),
              v.maxLength(50, 'has more than 50 files'),
            ),
          ),
        },
        objectMessage,
      ),
      'must be a list',
    ),
    v.maxLength(SET_FILE_LIMITS.maxEntries, `has more than ${SET_FILE_LIMITS.maxEntries} slides`),
    v.check((s) => new Set(s.map((x) => x.slideId)).size === s.length, 'names a slide twice'),
  ),
  exported: v.pipe(v.string('must be text'), v.maxLength(40, 'must be an ISO 8601 time')),
}, objectMessage);

/** A file name for the slide's GeoJSON: its id where that is a plain name, else a made-up one. */
function fileNames(slideIds: readonly string[]): string[] {
  const used = new Set<string>();
  return slideIds.map((id, i) => {
    let name = /^[A-Za-z0-9_-]{1,64}$/.test(id) ? id : `slide-${i + 1}`;
    for (let n = 2; used.has(name.toLowerCase()); n++) name = `slide-${i + 1}-${n}`;
    used.add(name.toLowerCase());
    return `slides/${name}.geojson`;
  });
}

/** Where a slide's embedded file goes: beside its GeoJSON, under a plain version of its name. */
function embeddedPath(geojson: string, k: number, name: string): string {
  const plain = name.replace(/[^\w.-]+/g, '_').replace(/^\.+/, '').slice(0, 100) || 'slide';
  return `${geojson.replace(/\.geojson$/, '')}/${k + 1}-${plain}`;
}

/** Zip times run from 1980 to 2107 (DOS dates). */
const zipTime = (now: Date): Date => new Date(Math.min(Math.max(now.getTime(), Date.UTC(1980, 0, 2)), Date.UTC(2107, 11, 30)));

/**
 * The set file's bytes. Throws, with where the problem is ("set.items[2].quizzes[1].radiusUm:
 * …"), when the set or a slide would not read back: the editor checks with checkTeachingSet
 * (set-schema.ts) first, so this is a programming error, not a user's.
 */
export function writeSetFile(set: TeachingSet, slides: readonly SetFileSlide[], now: Date): Uint8Array {
  if (!Number.isFinite(now.getTime())) throw new Error('Cannot write the set file: the export time is not a valid date.');
  const names = fileNames(slides.map((s) => s.slideId));
  const manifest = {
    format: SET_FORMAT,
    version: SET_VERSION,
    set,
    slides: slides.map((s, i) => ({
      slideId: s.slideId,
      annotations: names[i]!,
      classes: s.classes,
      ...(s.embedded?.length ? { files: s.embedded.map((f, k) => ({ path: embeddedPath(names[i]!, k, f.name), name: f.name, size: f.bytes.length })) } : {}),
    })),
    exported: now.toISOString(),
  };
  const embeddedBytes = slides.reduce((n, s) => n + (s.embedded ?? []).reduce((m, f) => m + f.bytes.length, 0), 0);
  if (embeddedBytes > MAX_EMBEDDED_BYTES) throw new Error(`Cannot write the set file: its slide files are ${(embeddedBytes / 1e6).toFixed(0)} MB, more than the ${MAX_EMBEDDED_BYTES / 1024 / 1024} MB a set file carries.`);
  const checked = v.safeParse(ManifestSchema, manifest);
  if (!checked.success) throw new Error(`Cannot write the set file: ${describeIssue('', checked.issues)}`);
  const files: Zippable = { [SET_MANIFEST]: strToU8(JSON.stringify(checked.output, null, 1)) };
  slides.forEach((s, i) => {
    const bad = s.annotations.findIndex((a) => !annotationValid(a));
    if (bad >= 0) throw new Error(`Cannot write the set file: slide ${s.slideId}, ${parseAnnotation(s.annotations[bad]).error ?? 'an annotation is not valid'}`);
    const classOf = (id: string): AnnotationClass | undefined => s.classes.find((c) => c.id === id);
    files[names[i]!] = strToU8(serializeQuPath(s.annotations, classOf, s.mpp));
    s.embedded?.forEach((f, k) => (files[embeddedPath(names[i]!, k, f.name)] = [f.bytes, { level: 0 }]));
  });
  return zipSync(files, { level: 6, mtime: zipTime(now) });
}

function utf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * A set file's set and slides, or one clear error; never throws, never half-reads. `limits`
 * bound what the archive may unpack to (see safe-unzip.ts).
 */
export function readSetFile(bytes: Uint8Array, limits: Partial<UnzipLimits> = {}): ParseResult<ReadSet> {
  const unzipped = safeUnzip(bytes, { ...SET_FILE_LIMITS, ...limits });
  if (unzipped.error !== undefined) return { error: `Not a readable set file. ${unzipped.error}` };
  const files = unzipped.value;
  const raw = files.get(SET_MANIFEST);
  if (!raw) return { error: `Not a Lamina teaching set: the archive has no ${SET_MANIFEST}.` };
  const text = utf8(raw);
  if (text === undefined) return { error: `Not a usable teaching set: ${SET_MANIFEST} is not UTF-8 text.` };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { error: `Not a usable teaching set: ${SET_MANIFEST} is not valid JSON (${e instanceof Error ? e.message : String(e)}).` };
  }
  const head = typeof json === 'object' && json !== null ? (json as { format?: unknown; version?: unknown }) : {};
  if (head.format !== SET_FORMAT) return { error: `Not a Lamina teaching set: its manifest's "format" is not "${SET_FORMAT}".` };
  if (head.version !== SET_VERSION) {
    const found = typeof head.version === 'number' ? `version ${head.version}` : 'of no known version';
    const newer = typeof head.version === 'number' && head.version > SET_VERSION ? ': a newer Lamina wrote it' : '';
    return { error: `This set file is ${found}; this Lamina reads version ${SET_VERSION}${newer}.` };
  }
  const m = v.safeParse(ManifestSchema, json);
  if (!m.success) return { error: `Not a usable teaching set: ${describeIssue('', m.issues)}` };
  const slides: ReadSetSlide[] = [];
  for (const [i, s] of m.output.slides.entries()) {
    const data = files.get(s.annotations);
    if (!data) return { error: `Not a usable teaching set: slides[${i + 1}].annotations: the archive has no "${s.annotations}".` };
    const geojson = utf8(data);
    if (geojson === undefined) return { error: `Not a usable teaching set: ${s.annotations} is not UTF-8 text.` };
    const file = parseQuPath(geojson);
    if (file.error !== undefined) return { error: `Not a usable teaching set: ${s.annotations}: ${file.error}` };
    const embedded: EmbeddedFile[] = [];
    for (const f of s.files ?? []) {
      const bytes = files.get(f.path);
      if (!bytes) return { error: `Not a usable teaching set: slides[${i + 1}].files: the archive has no "${f.path}".` };
      if (bytes.length !== f.size) return { error: `Not a usable teaching set: "${f.path}" is ${bytes.length} bytes, not the ${f.size} its manifest says.` };
      embedded.push({ name: f.name, bytes });
    }
    slides.push({ slideId: s.slideId, classes: s.classes, file: file.value, ...(embedded.length ? { embedded } : {}) });
  }
  return { value: { set: m.output.set, slides } };
}
