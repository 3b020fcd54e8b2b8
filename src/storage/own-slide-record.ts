/**
 * A slide file the user opened, as stored (schema v7, store `ownSlides`): what it is, where to
 * find it again (a file handle where the browser has them, or a copy in the origin-private file
 * system), its scale, and a thumbnail for the home page. The file itself is never stored unless
 * the user asks for a copy.
 */
export interface OwnSlideRecord {
  /** The content hash id (model/slide-id.ts). */
  readonly id: string;
  readonly name: string;
  /** In words: "Aperio SVS, JPEG tiles". */
  readonly format: string;
  readonly files: ReadonlyArray<{ readonly name: string; readonly size: number }>;
  readonly width: number;
  readonly height: number;
  /** µm per pixel in use: the file's, or the user's. Undefined: not known yet. */
  readonly mpp: number | undefined;
  /** "file" (and where in it) or "user". */
  readonly mppFrom: string | undefined;
  readonly added: number;
  readonly opened: number;
  /** File System Access handles, one per file, where the browser gives them. */
  readonly handles?: readonly FileSystemFileHandle[];
  /** Whether a copy is kept in the origin-private file system (under slides/<id>/). */
  readonly copied?: boolean;
  readonly thumbnail?: Blob;
}

/** A stored record read back, checked; undefined for one that is not a slide record. */
export function readOwnSlideRecord(raw: unknown): OwnSlideRecord | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const r = raw as Record<string, unknown>;
  const ok =
    typeof r['id'] === 'string' &&
    typeof r['name'] === 'string' &&
    typeof r['format'] === 'string' &&
    Array.isArray(r['files']) &&
    typeof r['width'] === 'number' &&
    typeof r['height'] === 'number' &&
    (r['mpp'] === undefined || (typeof r['mpp'] === 'number' && r['mpp'] > 0)) &&
    typeof r['added'] === 'number' &&
    typeof r['opened'] === 'number';
  return ok ? (raw as OwnSlideRecord) : undefined;
}
