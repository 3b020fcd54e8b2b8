import type { ParseResult } from '../model/annotation-schema';
import type { ImportSummary } from '../model/formats/import-plan';
import { serializeQuPath } from '../model/formats/qupath';
import { countMeasurements } from './count-measurements';
import { serializeW3C } from '../model/formats/w3c';
import type { ImportRequest, ImportResponse } from './import-protocol';
import type { Annotation } from '../model/annotation';
import { decodePart } from '../storage/snapshot';
import { withPackedParts } from '../storage/packed';
import type { SlideSession } from './slide-session';

/**
 * Annotations in and out of a slide: QuPath GeoJSON or W3C JSON files. An import is read and
 * checked in a worker, then added as one change set (origin "import": one transaction, undone
 * in one step); a file that fails anywhere adds nothing.
 */

/** Refused before reading: 100,000 polygons are ~30 MB; a file ten times that is not annotations. */
export const MAX_IMPORT_BYTES = 300 * 1024 * 1024;

export interface SlideTarget {
  readonly id: string;
  readonly mpp: number;
  /** Full-resolution size in image pixels (1 × 1 where not known). */
  readonly width: number;
  readonly height: number;
}

export type ImportPhase = 'reading' | 'checking' | 'saving';

export type Parser = (req: ImportRequest) => Promise<ImportResponse>;

/** Reads and checks in a worker of its own (terminated when done). */
export const parseInWorker: Parser = (req) =>
  new Promise((resolve) => {
    const w = new Worker(new URL('./import-worker.ts', import.meta.url), { type: 'module', name: 'import' });
    w.onmessage = (e: MessageEvent<ImportResponse>) => {
      w.terminate();
      resolve(e.data);
    };
    w.onerror = (e) => {
      w.terminate();
      resolve({ error: `The file could not be read: ${e.message || 'the import worker failed'}.` });
    };
    w.postMessage(req);
  });

export async function importAnnotations(
  file: Blob & { readonly name?: string },
  session: SlideSession,
  slide: SlideTarget,
  onPhase: (p: ImportPhase) => void = () => undefined,
  parse: Parser = parseInWorker,
): Promise<ParseResult<ImportSummary>> {
  const name = file.name ?? 'The file';
  if (file.size > MAX_IMPORT_BYTES)
    return { error: `${name} is ${(file.size / 1e6).toFixed(0)} MB: Lamina imports annotation files up to ${MAX_IMPORT_BYTES / 1024 / 1024} MB. Nothing was imported.` };
  onPhase('reading');
  const text = await file.text();
  onPhase('checking');
  performance.mark('lamina:import-read');
  const plan = await parse({
    text,
    target: { slideId: slide.id, width: slide.width, height: slide.height, classes: session.classes, existingIds: await session.repo.annotationIds(), now: Date.now(), idPrefix: crypto.randomUUID() },
  });
  if (plan.error !== undefined) return { error: `${name}: ${plan.error} Nothing was imported.` };
  onPhase('saving');
  performance.mark('lamina:import-checked');
  const v = plan.value;
  let created: Annotation[];
  if ('parts' in v) {
    // Unpacked as a snapshot is (shapes built when first drawn), and stored as the same parts.
    created = [];
    for (const p of v.parts) if (decodePart(slide.id, p, created) > 0) return { error: `${name}: the checked shapes did not survive packing. Nothing was imported.` };
    withPackedParts(created, v.parts);
  } else created = v.annotations;
  for (const c of v.newClasses) await session.saveClass(c);
  if (created.length > 0) session.store.apply({ created, updated: [], deleted: [] }, 'import');
  performance.mark('lamina:import-applied');
  await session.persistence.flushed();
  performance.mark('lamina:import-stored');
  return { value: v.summary };
}

export type ExportFormat = 'qupath' | 'w3c';

export interface ExportedFile {
  readonly name: string;
  readonly type: string;
  readonly text: string;
  /** What the format could not carry. */
  readonly warnings: readonly string[];
}

export function exportAnnotations(session: SlideSession, slide: SlideTarget, format: ExportFormat): ExportedFile {
  const all = session.store.all();
  const classOf = (id: string) => session.classById(id);
  if (format === 'qupath') return { name: `${slide.id}.geojson`, type: 'application/geo+json', text: serializeQuPath(all, classOf, slide.mpp, countMeasurements(all)), warnings: [] };
  const out = serializeW3C(all, classOf, slide.id);
  return { name: `${slide.id}.w3c.json`, type: 'application/ld+json', text: out.text, warnings: out.warnings };
}
