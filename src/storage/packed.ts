import type { Annotation } from '../model/annotation';
import type { SnapshotPart } from './snapshot';

/**
 * A large import's annotations travel with the packed parts they were decoded from (the import
 * worker packs them; see app/transfer.ts), so the writer stores the parts as they are instead of
 * a record per annotation. The parts hang off the list under a symbol: the list is the one the
 * store's change set carries, and nothing else copies it.
 */
const PACKED = Symbol('packed parts');

type Holder = { [PACKED]?: readonly SnapshotPart[] };

export function withPackedParts(annotations: Annotation[], parts: readonly SnapshotPart[]): Annotation[] {
  Object.defineProperty(annotations, PACKED, { value: parts });
  return annotations;
}

export function packedParts(annotations: readonly Annotation[]): readonly SnapshotPart[] | undefined {
  return (annotations as Holder)[PACKED];
}
