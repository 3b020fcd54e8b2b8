import type { Annotation } from '../model/annotation';
import { fieldsValid } from '../model/annotation-schema';
import { checkFlatGeometry, flattenGeometry, withFlatGeometry } from '../model/flat-geometry';

/**
 * A slide's annotations packed for fast opening (schema v3).
 *
 * Why: IndexedDB in Chromium costs ~25 µs per record and more per nested array it clones, so
 * 100k one-record-per-annotation rows took 2.5–4 s to read. A snapshot holds them in a few
 * dozen parts of ~512 KB, each a JSON string of the text columns plus Float64Arrays of the
 * numbers and coordinates: strings and typed arrays clone as flat copies, and values that size
 * are stored out of line, which Chromium reads several times faster than the same bytes inline. Edits still
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
  /** JSON {@link Columns}: the text, column by column; class, author and shape by dictionary. */
  readonly meta: string;
  /** NUMS numbers per annotation: class, author, shape (dictionary indices), created, updated, rev, coordinate count. */
  readonly nums: Float64Array;
  /** Single precision when every coordinate of the part is exactly a float32 (the editor's are). */
  readonly coords: Float64Array | Float32Array;
}

interface Columns {
  readonly ids: string[];
  readonly labels: string[];
  readonly notes: string[];
  /** Class ids, authors and shape types, each stored once per part. */
  readonly dict: string[];
}

const NUMS = 7;

/** Bytes per part: large values are stored out of line, and fewer, larger ones read faster. */
const PART_BYTES = 512 * 1024;

/** Packs annotations (already valid) into snapshot parts. */
export function encodeSnapshot(slideId: string, watermark: number, annotations: readonly Annotation[], rejected = 0): SnapshotPart[] {
  const out: SnapshotPart[] = [];
  let cols: Columns = { ids: [], labels: [], notes: [], dict: [] };
  let dict = new Map<string, number>();
  let nums: number[] = [];
  let coords: number[] = [];
  let bytes = 0;
  const word = (s: string): number => {
    let i = dict.get(s);
    if (i === undefined) {
      i = cols.dict.push(s) - 1;
      dict.set(s, i);
    }
    return i;
  };
  const flush = (): void => {
    out.push({ slideId, part: out.length, parts: 0, watermark, rejected, meta: JSON.stringify(cols), nums: Float64Array.from(nums), coords: packCoords(coords) });
    cols = { ids: [], labels: [], notes: [], dict: [] };
    dict = new Map();
    nums = [];
    coords = [];
    bytes = 0;
  };
  for (const a of annotations) {
    const before = coords.length;
    flattenGeometry(a.geometry, coords);
    const n = coords.length - before;
    cols.ids.push(a.id);
    cols.labels.push(a.label);
    cols.notes.push(a.note);
    nums.push(word(a.classId), word(a.author), word(a.geometry.type), a.created, a.updated, a.rev, n);
    bytes += 8 * NUMS + 8 * n + 8 + a.id.length + a.label.length + a.note.length;
    if (bytes >= PART_BYTES) flush();
  }
  if (cols.ids.length > 0 || out.length === 0) flush();
  return out.map((p) => ({ ...p, parts: out.length }));
}

/** Half the bytes to read when nothing is lost (reading costs ~10 ms per MB in Chromium). */
function packCoords(coords: readonly number[]): Float64Array | Float32Array {
  const single = Float32Array.from(coords);
  for (let i = 0; i < coords.length; i++) if (single[i] !== coords[i]) return Float64Array.from(coords);
  return single;
}

const isCoords = (c: unknown): c is Float64Array | Float32Array => c instanceof Float64Array || c instanceof Float32Array;

export interface Decoded {
  readonly annotations: Annotation[];
  /** Entries that failed validation (a damaged part counts once per entry it claimed, or once). */
  readonly rejected: number;
}

function columnsOf(meta: unknown): Columns | undefined {
  let c: unknown;
  try {
    c = typeof meta === 'string' ? JSON.parse(meta) : undefined;
  } catch {
    return undefined;
  }
  if (typeof c !== 'object' || c === null) return undefined;
  const o = c as Record<string, unknown>;
  const n = Array.isArray(o['ids']) ? o['ids'].length : -1;
  if (n < 0 || !Array.isArray(o['labels']) || o['labels'].length !== n || !Array.isArray(o['notes']) || o['notes'].length !== n || !Array.isArray(o['dict'])) return undefined;
  return c as Columns;
}

/**
 * Unpacks parts read from disk, validating every annotation as if it came from a file: a
 * damaged entry is rejected on its own, a damaged part as a whole, the rest still load.
 */
export function decodeSnapshot(slideId: string, parts: readonly SnapshotPart[]): Decoded {
  const annotations: Annotation[] = [];
  let rejected = 0;
  for (const p of parts) rejected += decodePart(slideId, p, annotations);
  return { annotations, rejected };
}

/** Unpacks one part into `out` (so parts can be decoded as they arrive); returns how many were rejected. */
export function decodePart(slideId: string, p: SnapshotPart, out: Annotation[]): number {
  const cols = columnsOf(p.meta);
  if (!cols || !(p.nums instanceof Float64Array) || !isCoords(p.coords) || p.nums.length !== NUMS * cols.ids.length) return 1;
  let rejected = 0;
  const { ids, labels, notes, dict } = cols;
  const nums = p.nums;
  let at = 0;
  for (let i = 0; i < ids.length; i++) {
    const k = i * NUMS;
    const n = nums[k + 6]!;
    const classId = dict[nums[k]!];
    const author = dict[nums[k + 1]!];
    const type = dict[nums[k + 2]!];
    if (!Number.isInteger(n) || n < 0 || at + n > p.coords.length) {
      rejected++;
      continue;
    }
    const start = at;
    at += n;
    const fields = { id: ids[i]!, slideId, classId: classId!, label: labels[i]!, note: notes[i]!, author: author!, created: nums[k + 3]!, updated: nums[k + 4]!, rev: nums[k + 5]! };
    // Validated as strictly as parseAnnotation (undefined from a bad index fails fieldsValid);
    // a point is as cheap to build now as later, other shapes wait until first drawn or edited.
    if (typeof type !== 'string' || !checkFlatGeometry(type, p.coords, start, n) || !fieldsValid(fields)) rejected++;
    else out.push(type === 'point' ? { ...fields, geometry: { type, point: [p.coords[start]!, p.coords[start + 1]!] } } : withFlatGeometry(fields, type, p.coords, start, n));
  }
  return rejected;
}

/** The watermark of a complete snapshot, or undefined if the parts are missing or torn. */
export function snapshotWatermark(parts: readonly SnapshotPart[]): number | undefined {
  if (parts.length === 0) return undefined;
  const w = parts[0]!.watermark;
  const n = parts[0]!.parts;
  if (parts.length !== n || !parts.every((p, i) => p.part === i && p.parts === n && p.watermark === w) || !Number.isFinite(w)) return undefined;
  if (!Number.isInteger(parts[0]!.rejected) || parts[0]!.rejected < 0) return undefined;
  // A part in another layout (an older build's) makes the snapshot unusable, not its annotations.
  if (!parts.every((p) => p.nums instanceof Float64Array && isCoords(p.coords) && typeof p.meta === 'string')) return undefined;
  return w;
}
