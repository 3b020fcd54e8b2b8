/// <reference lib="webworker" />
import { readAnnotationFile } from '../model/formats/read-file';
import { planImport } from '../model/formats/import-plan';
import { encodeSnapshot } from '../storage/snapshot';
import type { ImportRequest, ImportResponse } from './import-protocol';
import { PACK_FROM } from './import-protocol';

/** Reads and checks an annotation file off the main thread, so a 30 MB file never freezes the page. */
const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.onmessage = (e: MessageEvent<ImportRequest>): void => {
  const { text, target } = e.data;
  let n = 0;
  const read = readAnnotationFile(text);
  if (read.error !== undefined) return scope.postMessage({ error: read.error } satisfies ImportResponse);
  const plan = planImport(read.value, { ...target, existingIds: new Set(target.existingIds), newId: () => `${target.idPrefix}-${(++n).toString(36)}` });
  if (plan.error !== undefined) return scope.postMessage({ error: plan.error } satisfies ImportResponse);
  const { annotations, ...rest } = plan.value;
  if (annotations.length < PACK_FROM) return scope.postMessage({ value: { ...rest, annotations } } satisfies ImportResponse);
  const parts = encodeSnapshot(target.slideId, 0, annotations);
  scope.postMessage({ value: { ...rest, parts } } satisfies ImportResponse, parts.flatMap((p) => [p.nums.buffer, p.coords.buffer]) as ArrayBuffer[]);
};
