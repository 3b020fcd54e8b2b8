import type { ParseResult } from '../model/annotation-schema';
import type { ImportPlan, ImportTarget } from '../model/formats/import-plan';

/** The import worker's request and answer (see import-worker.ts). */
export interface ImportRequest {
  readonly text: string;
  readonly target: Omit<ImportTarget, 'existingIds' | 'newId'> & {
    readonly existingIds: readonly string[];
    /** New ids are this prefix and a counter (unique: the prefix is a fresh UUID). */
    readonly idPrefix: string;
  };
}

export type ImportResponse = ParseResult<ImportPlan>;
