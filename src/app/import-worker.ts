/// <reference lib="webworker" />
import { readAnnotationFile } from '../model/formats/read-file';
import { planImport } from '../model/formats/import-plan';
import type { ImportRequest, ImportResponse } from './import-protocol';

/** Reads and checks an annotation file off the main thread, so a 30 MB file never freezes the page. */
const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.onmessage = (e: MessageEvent<ImportRequest>): void => {
  const { text, target } = e.data;
  let n = 0;
  const read = readAnnotationFile(text);
  const reply: ImportResponse =
    read.error !== undefined
      ? { error: read.error }
      : planImport(read.value, { ...target, existingIds: new Set(target.existingIds), newId: () => `${target.idPrefix}-${(++n).toString(36)}` });
  scope.postMessage(reply);
};
