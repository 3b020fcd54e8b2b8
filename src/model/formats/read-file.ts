import type { ParseResult } from '../annotation-schema';
import type { ReadFile } from './imported';
import { readQuPath } from './qupath';
import { parseJsonTolerant } from './tolerant-json';
import { looksLikeW3C, readW3C } from './w3c';

/**
 * An annotation file of any format Lamina reads, told apart by its content (not its name):
 * W3C Web Annotations, else QuPath GeoJSON. A Lamina backup is pointed to its own restore.
 */
export function readAnnotationFile(text: string): ParseResult<ReadFile> {
  const json = parseJsonTolerant(text);
  if (json.error !== undefined) return { error: `The file is ${json.error}: neither QuPath GeoJSON nor W3C annotations can be read from it.` };
  const v = json.value as { format?: unknown } | null;
  if (v && typeof v === 'object' && v.format === 'lamina-backup') return { error: 'This is a Lamina backup: open it with “Restore a backup” under Settings.' };
  return looksLikeW3C(json.value) ? readW3C(json.value) : readQuPath(json.value);
}
