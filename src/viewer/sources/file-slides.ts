import type { FileWorkerRequest, FileWorkerResponse } from './slide-file-protocol';
import type { AssociatedKind, SlideFileInfo } from './slide-file-types';

type Pending = { resolve: (r: FileWorkerResponse) => void };

/**
 * The page's side of the slide file worker: opens files there and asks it for tiles. The
 * worker starts on first use. One instance, owned by the app's composition root.
 */
export class FileSlides {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** Decode times (ms, in the worker) of recent tiles, for the benchmark. */
  readonly timings: number[] = [];

  constructor(private readonly makeWorker: () => Worker = () => new Worker(new URL('./slide-file-worker.ts', import.meta.url), { type: 'module', name: 'slide-files' })) {}

  /** Starts the worker (and its code) before the first file, when the page has time to spare. */
  warm(): void {
    if (!this.worker) this.start();
  }

  private start(): void {
    const w = this.makeWorker();
    w.onmessage = (e: MessageEvent<FileWorkerResponse>) => {
      const p = this.pending.get(e.data.id);
      this.pending.delete(e.data.id);
      p?.resolve(e.data);
    };
    w.onerror = (e) => {
      // A worker that died answers nothing more: fail what waits, start afresh next time.
      for (const [id, p] of this.pending) p.resolve({ id, error: `the slide reader failed (${e.message || 'worker error'})` });
      this.pending.clear();
      this.worker = undefined;
    };
    this.worker = w;
  }

  private send(req: FileWorkerRequest): Promise<FileWorkerResponse> {
    if (!this.worker) this.start();
    return new Promise((resolve) => {
      if ('id' in req) this.pending.set(req.id, { resolve });
      this.worker!.postMessage(req);
    });
  }

  /** Opens files as one slide, or says why not. Nothing is stored here. */
  async open(files: readonly File[], viewport?: { w: number; h: number }): Promise<{ value: SlideFileInfo } | { error: string }> {
    const r = await this.send({ type: 'open', id: this.nextId++, files, ...(viewport ? { viewport } : {}) });
    if ('info' in r) return { value: r.info };
    return { error: 'error' in r ? r.error : 'unexpected answer' };
  }

  tile(slide: string, level: number, col: number, row: number): { promise: Promise<ImageBitmap>; cancel: () => void } {
    const id = this.nextId++;
    let cancelled = false;
    const promise = this.send({ type: 'tile', id, slide, level, col, row }).then((r) => {
      if ('bitmap' in r) {
        this.timings.push(r.ms);
        if (this.timings.length > 4000) this.timings.splice(0, 2000);
        if (cancelled) {
          r.bitmap.close();
          throw new Error('cancelled');
        }
        return r.bitmap;
      }
      throw new Error('error' in r ? r.error : 'no tile');
    });
    return {
      promise,
      cancel: () => {
        cancelled = true;
        this.worker?.postMessage({ type: 'cancel', id } satisfies FileWorkerRequest);
      },
    };
  }

  private async bitmap(req: FileWorkerRequest): Promise<ImageBitmap> {
    const r = await this.send(req);
    if ('bitmap' in r) return r.bitmap;
    throw new Error('error' in r ? r.error : 'no image');
  }

  overview(slide: string, size: number): Promise<ImageBitmap> {
    return this.bitmap({ type: 'overview', id: this.nextId++, slide, size });
  }

  associated(slide: string, kind: AssociatedKind): Promise<ImageBitmap> {
    return this.bitmap({ type: 'associated', id: this.nextId++, slide, kind });
  }

  close(slide: string): void {
    this.worker?.postMessage({ type: 'close', slide } satisfies FileWorkerRequest);
  }

  destroy(): void {
    this.worker?.terminate();
    this.worker = undefined;
  }
}
