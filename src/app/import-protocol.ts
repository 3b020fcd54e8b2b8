import type { ParseResult } from '../model/annotation-schema';
import type { Annotation } from '../model/annotation';
import type { ImportPlan, ImportTarget } from '../model/formats/import-plan';
import type { SnapshotPart } from '../storage/snapshot';

/** The import worker's request and answer (see import-worker.ts). */
export interface ImportRequest {
  readonly text: string;
  readonly target: Omit<ImportTarget, 'existingIds' | 'newId'> & {
    readonly existingIds: readonly string[];
    /** New ids are this prefix and a counter (unique: the prefix is a fresh UUID). */
    readonly idPrefix: string;
  };
}

/** From this many annotations an import travels, and is stored, packed (see schema `bulk`). */
export const PACK_FROM = 1000;

/**
 * The plan, with its annotations either as they are (a small import) or packed in snapshot
 * parts whose buffers are transferred, not copied (a large one: cloning 100k annotations back
 * cost more than reading them).
 */
export type ImportResponse = ParseResult<Omit<ImportPlan, 'annotations'> & ({ readonly annotations: Annotation[] } | { readonly parts: SnapshotPart[] })>;
