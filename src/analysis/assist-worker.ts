/// <reference lib="webworker" />
import { ki67Assist } from './ki67-assist';
import type { AssistReply, AssistRequest } from './assist-protocol';

/** The Ki67 assist off the main thread: a region's pixels in (transferred), nuclei out. */
const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.onmessage = (e: MessageEvent<AssistRequest>): void => {
  const { rgba, width, height, pixelUm, positiveOd, estimate } = e.data;
  try {
    const r = ki67Assist(rgba, width, height, { pixelUm, ...(positiveOd !== undefined ? { positiveOd } : {}), estimate });
    const xyd = new Float32Array(r.nuclei.length * 3);
    r.nuclei.forEach((n, i) => {
      xyd[i * 3] = n.x;
      xyd[i * 3 + 1] = n.y;
      xyd[i * 3 + 2] = n.dab;
    });
    scope.postMessage({ nuclei: xyd, positiveOd: r.positiveOd, vectors: r.vectors, estimated: r.estimated } satisfies AssistReply, [xyd.buffer]);
  } catch (err) {
    scope.postMessage({ error: err instanceof Error ? err.message : String(err) } satisfies AssistReply);
  }
};
