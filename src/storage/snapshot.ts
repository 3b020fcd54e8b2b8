import type { Annotation, Geometry } from '../model/annotation';
import { checkFields } from '../model/annotation';
import { checkFlatGeometry, flattenGeometry, withFlatGeometry } from '../model/flat-geometry';

/**
 * A slide's annotations packed for fast opening (schema v3).
 *
 * Why: IndexedDB in Chromium costs ~25 µs per record and more per nested array it clones, so
 * 100k one-record-per-annotation rows took 2.5–4 s to read. A snapshot holds them in a few
 * hundred parts of ~128 KB, each a JSON string of the text fields plus one Float64Array of every
 * coordinate: strings and typed arrays clone as flat copies, and values that size are stored
 * out of line, which Chromium reads several times faster than the same bytes inline. Edits still
 * go to small per-annotation records (fast to write); a snapshot is a cache of them up to a
 * sequence number, rebuilt from time to time (see annotation-repo.ts).
 */

export interface SnapshotPart {
  readonly slideId: string;
  readonly part: number;
  /** How many parts this snapshot has; a reader that finds another number sees a torn one. */
  readonly parts: number;
  /** Every edit with a sequence number up to this one is in the snapshot. */
  readonly watermark: number;
  /** Records left out because they failed validation (still on disk, still reported). */
  readonly rejected: number;
  /** JSON: one [id, classId, label, note, author, created, updated, rev, type, numbers] each. */
  readonly meta: string;
  readonly coords: Float64Array;
}

/** Bytes of text + coordinates per part: big enough to be stored out of line. */
const PART_BYTES = 128 * 1024;

type Row = [string, string, string, string, string, number, number, number, Geometry['type'], number];

/** Packs annotations (already valid) into snapshot parts. */
export function encodeSnapshot(slideId: string, watermark: number, annotations: readonly Annotation[], rejected = 0): SnapshotPart[] {
  const parts: Array<{ rows: Row[]; coords: number[] }> = [];
  let cur = { rows: [] as Row[], coords: [] as number[] };
  let bytes = 0;
  for (const a of annotations) {
    const before = cur.coords.length;
    flattenGeometry(a.geometry, cur.coords);
    const row: Row = [a.id, a.classId, a.label, a.note, a.author, a.created, a.updated, a.rev, a.geometry.type, cur.coords.length - before];
    cur.rows.push(row);
    bytes += 64 + a.id.length + a.classId.length + a.label.length + a.note.length + a.author.length + 8 * (cur.coords.length - before);
    if (bytes >= PART_BYTES) {
      parts.push(cur);
      cur = { rows: [], coords: [] };
      bytes = 0;
    }
  }
  if (cur.rows.length > 0 || parts.length === 0) parts.push(cur);
  return parts.map((p, i) => ({ slideId, part: i, parts: parts.length, watermark, rejected, meta: JSON.stringify(p.rows), coords: Float64Array.from(p.coords) }));
}

export interface Decoded {
  readonly annotations: Annotation[];
  /** Entries that failed validation (a damaged part counts once per entry it claimed, or once). */
  readonly rejected: number;
}

/**
 * Unpacks parts read from disk, validating every annotation as if it came from a file: a
 * damaged part is rejected on its own, the rest still load.
 */
export function decodeSnapshot(slideId: string, parts: readonly SnapshotPart[]): Decoded {
  const annotations: Annotation[] = [];
  let rejected = 0;
  for (const p of parts) {
    let rows: unknown;
    try {
      rows = typeof p.meta === 'string' ? JSON.parse(p.meta) : undefined;
    } catch {
      rows = undefined;
    }
    if (!Array.isArray(rows) || !(p.coords instanceof Float64Array)) {
      rejected++;
      continue;
    }
    let at = 0;
    for (const r of rows as unknown[]) {
      const row = r as Row;
      const n = Array.isArray(row) ? row[9] : NaN;
      if (!Number.isInteger(n) || n < 0 || at + n > p.coords.length) {
        rejected++;
        continue;
      }
      const type = String(row[8]);
      const flatOk = checkFlatGeometry(type, p.coords, at, n);
      const start = at;
      at += n;
      const fields = { id: row[0], slideId, classId: row[1], label: row[2], note: row[3], author: row[4], created: row[5], updated: row[6], rev: row[7] };
      // Validated as strictly as parseAnnotation; the geometry is built when first used.
      // A point is as cheap to build now as later; shapes wait until first drawn or edited.
      if (flatOk && checkFields(fields) === undefined)
        annotations.push(type === 'point' ? { ...fields, geometry: { type, point: [p.coords[start]!, p.coords[start + 1]!] } } : withFlatGeometry(fields, type, p.coords, start, n));
      else rejected++;
    }
  }
  return { annotations, rejected };
}

/** The watermark of a complete snapshot, or undefined if the parts are missing or torn. */
export function snapshotWatermark(parts: readonly SnapshotPart[]): number | undefined {
  if (parts.length === 0) return undefined;
  const w = parts[0]!.watermark;
  const n = parts[0]!.parts;
  if (parts.length !== n || !parts.every((p, i) => p.part === i && p.parts === n && p.watermark === w) || !Number.isFinite(w)) return undefined;
  if (!Number.isInteger(parts[0]!.rejected) || parts[0]!.rejected < 0) return undefined;
  return w;
}
