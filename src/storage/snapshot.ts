import type { Annotation, Geometry } from '../model/annotation';
import { checkFields, checkFlatGeometry } from '../model/annotation';
import type { Pt } from '../model/geometry';

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

function flatten(g: Geometry, out: number[]): void {
  switch (g.type) {
    case 'point':
      out.push(g.point[0], g.point[1]);
      return;
    case 'polygon':
    case 'freehand':
    case 'line':
      for (const p of g.points) out.push(p[0], p[1]);
      return;
    case 'rectangle':
      out.push(g.min[0], g.min[1], g.max[0], g.max[1]);
      return;
    case 'ellipse':
      out.push(g.center[0], g.center[1], g.rx, g.ry);
  }
}

function unflatten(type: string, c: Float64Array, at: number, n: number): Geometry | undefined {
  const pts = (): Pt[] => {
    const list: Pt[] = new Array<Pt>(n >> 1);
    for (let i = 0; i < n; i += 2) list[i >> 1] = [c[at + i]!, c[at + i + 1]!];
    return list;
  };
  switch (type) {
    case 'point':
      return n === 2 ? { type, point: [c[at]!, c[at + 1]!] } : undefined;
    case 'polygon':
    case 'freehand':
      return n % 2 === 0 ? { type, points: pts() } : undefined;
    case 'line': {
      const p = pts();
      return n === 4 ? { type, points: [p[0]!, p[1]!] } : undefined;
    }
    case 'rectangle':
      return n === 4 ? { type, min: [c[at]!, c[at + 1]!], max: [c[at + 2]!, c[at + 3]!] } : undefined;
    case 'ellipse':
      return n === 4 ? { type, center: [c[at]!, c[at + 1]!], rx: c[at + 2]!, ry: c[at + 3]! } : undefined;
    default:
      return undefined;
  }
}

/** Packs annotations (already valid) into snapshot parts. */
export function encodeSnapshot(slideId: string, watermark: number, annotations: readonly Annotation[], rejected = 0): SnapshotPart[] {
  const parts: Array<{ rows: Row[]; coords: number[] }> = [];
  let cur = { rows: [] as Row[], coords: [] as number[] };
  let bytes = 0;
  for (const a of annotations) {
    const before = cur.coords.length;
    flatten(a.geometry, cur.coords);
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
      const geometry = checkFlatGeometry(type, p.coords, at, n) ? unflatten(type, p.coords, at, n) : undefined;
      at += n;
      const candidate = {
        id: row[0], slideId, classId: row[1], label: row[2], note: row[3], author: row[4], created: row[5], updated: row[6], rev: row[7], geometry,
      };
      // Validated as strictly as parseAnnotation (a unit test holds the two to the same answers).
      if (geometry && checkFields(candidate) === undefined) annotations.push(candidate as Annotation);
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
