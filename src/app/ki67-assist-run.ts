import type { AssistReply, AssistRequest } from '../analysis/assist-protocol';
import { DEFAULT_POSITIVE_OD } from '../analysis/ki67-assist';
import type { Annotation } from '../model/annotation';
import { containsPoint, geometryBounds } from '../model/annotation';
import { KI67_CLASSES } from '../model/measures/counting-classes';
import type { RegionPixels } from '../viewer/region-reader';
import type { SlideSession } from './slide-session';

/**
 * The Ki67 assist on a slide: each Ki67 region's pixels are read at 0.5 µm per pixel (the
 * resolution QuPath's positive cell detection asks for by default), analysed in a worker, and the
 * nuclei found inside the region proposed as ordinary point annotations, positive or negative,
 * by "Ki67 assist" — one undoable edit, to accept, delete, reclassify or add to.
 */

export const ASSIST_AUTHOR = 'Ki67 assist';
/** µm per pixel the assist analyses at. */
export const ASSIST_UM = 0.5;

export interface Proposal {
  readonly id: string;
  /** Smoothed DAB optical density at the nucleus, so a moved threshold can reclassify it. */
  readonly dab: number;
  /** The class the assist last gave it (another one now means the user changed it). */
  readonly classId: string;
}

export type RegionRead = (box: { x: number; y: number; width: number; height: number }, scale: number) => Promise<RegionPixels>;

function analyse(req: AssistRequest): Promise<AssistReply> {
  return new Promise((resolve) => {
    const w = new Worker(new URL('../analysis/assist-worker.ts', import.meta.url), { type: 'module', name: 'ki67-assist' });
    w.onmessage = (e: MessageEvent<AssistReply>) => {
      w.terminate();
      resolve(e.data);
    };
    w.onerror = (e) => {
      w.terminate();
      resolve({ error: e.message || 'the assist worker failed' });
    };
    w.postMessage(req, [req.rgba.buffer]);
  });
}

export async function runKi67Assist(session: SlideSession, regions: readonly Annotation[], read: RegionRead, positiveOd = DEFAULT_POSITIVE_OD): Promise<{ proposals: Proposal[]; estimated: boolean }> {
  const scale = Math.max(1, ASSIST_UM / session.mpp);
  const created: Annotation[] = [];
  const proposals: Proposal[] = [];
  let estimated = true;
  const now = Date.now();
  for (const r of regions) {
    const b = geometryBounds(r.geometry);
    const px = await read({ x: b.minX, y: b.minY, width: b.maxX - b.minX, height: b.maxY - b.minY }, scale);
    const x0 = px.x;
    const y0 = px.y;
    const reply = await analyse({ rgba: px.rgba, width: px.width, height: px.height, pixelUm: session.mpp * px.scale, positiveOd, estimate: true });
    if (reply.error !== undefined) throw new Error(reply.error);
    estimated &&= reply.estimated;
    for (let i = 0; i < reply.nuclei.length; i += 3) {
      const x = Math.fround(x0 + (reply.nuclei[i]! + 0.5) * px.scale);
      const y = Math.fround(y0 + (reply.nuclei[i + 1]! + 0.5) * px.scale);
      if (!containsPoint(r.geometry, x, y)) continue;
      const dab = reply.nuclei[i + 2]!;
      const id = crypto.randomUUID();
      created.push({ id, slideId: session.slideId, classId: dab >= positiveOd ? KI67_CLASSES.positive : KI67_CLASSES.negative, geometry: { type: 'point', point: [x, y] }, label: '', note: '', author: ASSIST_AUTHOR, created: now, updated: now, rev: 1 });
      proposals.push({ id, dab, classId: created[created.length - 1]!.classId });
    }
  }
  if (created.length) session.store.apply({ created, updated: [], deleted: [] }, 'user');
  return { proposals, estimated };
}

/**
 * Reclassifies the assist's proposals at a new threshold, as one edit: only those still where the
 * assist left them (a point the user reclassified, moved or deleted keeps the user's word).
 */
export function rethreshold(session: SlideSession, proposals: readonly Proposal[], positiveOd: number): Proposal[] {
  const updated = [];
  const next: Proposal[] = [];
  for (const p of proposals) {
    const a = session.store.get(p.id);
    if (!a || a.classId !== p.classId) continue; // the user's now
    const want = p.dab >= positiveOd ? KI67_CLASSES.positive : KI67_CLASSES.negative;
    if (a.classId !== want) updated.push({ before: a, after: { ...a, classId: want, rev: a.rev + 1, updated: Date.now() } });
    next.push({ ...p, classId: want });
  }
  if (updated.length) session.store.apply({ created: [], updated, deleted: [] }, 'user');
  return next;
}
