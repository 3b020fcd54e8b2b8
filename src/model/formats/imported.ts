import type { Geometry } from '../annotation';

/**
 * What a file format reader hands to the import: shapes with their meaning, not yet
 * annotations of any slide (model/formats/import-plan.ts makes them that).
 */
export interface ImportedShape {
  /** The id the file gave it (kept when free on the slide). */
  readonly sourceId?: string;
  readonly geometry: Geometry;
  /** Class name as the file names it (QuPath classification, W3C tagging body). */
  readonly className?: string;
  /** #rrggbb, when the file gives one. */
  readonly classColour?: string;
  readonly label: string;
  readonly note: string;
  readonly author?: string;
  /** ms since the epoch */
  readonly created?: number;
  readonly updated?: number;
}

/** Why some of a file was left out, and how much. */
export interface Skipped {
  readonly reason: string;
  readonly count: number;
}

export interface ReadFile {
  /** Which format it was read as, for the summary. */
  readonly format: string;
  readonly shapes: ImportedShape[];
  readonly skipped: Skipped[];
  /** What changed on the way in without being lost (a MultiPoint split into points…). */
  readonly notes: string[];
}

/** Counts reasons as they come, in first-seen order. */
export class SkipTally {
  private readonly counts = new Map<string, number>();
  add(reason: string, n = 1): void {
    this.counts.set(reason, (this.counts.get(reason) ?? 0) + n);
  }
  list(): Skipped[] {
    return [...this.counts].map(([reason, count]) => ({ reason, count }));
  }
}
