import type { SceneSpec } from '../specimen/scene';
import type { RegionColourTable } from '../specimen/render';
import type { StainId } from '../model/manifest';
import type { RenderRequest, WorkerRequest, WorkerResponse } from './tile-protocol';
import { tileAddress } from './first-views';

export interface TileKey {
  readonly scene: string;
  readonly section: StainId;
  readonly level: number;
  readonly col: number;
  readonly row: number;
}

interface Job {
  readonly req: RenderRequest;
  readonly resolve: (b: ImageBitmap) => void;
  readonly reject: (e: Error) => void;
  cancelled: boolean;
}

/**
 * A pool of render workers. Each worker takes one tile at a time so that a tile the viewer no
 * longer wants (it panned away) can be dropped before any work is spent on it.
 */
export class TilePool {
  private readonly workers: Worker[] = [];
  private readonly busy: Array<Job | undefined> = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  /** Render times (ms) of recent tiles, for the benchmark. */
  readonly timings: number[] = [];

  /** Tiles read from prerendered files (see first-views.ts), for tests and the benchmark. */
  fromFiles = 0;

  constructor(
    private readonly scenes: ReadonlyArray<{ spec: SceneSpec; lod?: RegionColourTable }>,
    private readonly size = TilePool.defaultSize(),
    /** Addresses (first-views.ts tileAddress) of tiles prerendered next to the app. */
    private readonly prerendered: ReadonlySet<string> = new Set(),
  ) {}

  /**
   * Starts the workers (if not yet started). They start on the first tile that needs one, so
   * a cold page showing a prerendered view does not spend a core booting them meanwhile; the
   * app also starts them when the page is idle, so the next view finds them warm.
   */
  start(): void {
    for (let k = this.workers.length; k < this.size; k++) {
      const w = new Worker(new URL('./tile-worker.ts', import.meta.url), { type: 'module', name: `tiles-${k}` });
      w.onmessage = (e: MessageEvent<WorkerResponse>) => this.done(k, e.data);
      w.onerror = (e) => this.failWorker(k, e.message || 'tile worker failed');
      for (const { spec, lod } of this.scenes) w.postMessage({ type: 'scene', spec, ...(lod ? { lod } : {}) } satisfies WorkerRequest);
      this.workers.push(w);
      this.busy.push(undefined);
    }
  }

  /**
   * One core for the page, the rest (up to four) for tiles. On a 2-core machine that is one
   * worker: measured there, one worker rendered 30 tiles in 0.69 s and two in 0.91 s (each
   * tile 3–4× slower while both ran), so a second worker only slowed the first.
   */
  static defaultSize(): number {
    const cores = typeof navigator !== 'undefined' ? navigator.hardwareConcurrency || 2 : 2;
    return Number(new URLSearchParams(location.search).get("workers")) || Math.max(1, Math.min(4, cores - 1));
  }

  /** Tiles started before anyone asked (see first-tiles.ts), by address; each is taken once. */
  private readonly prefetched = new Map<string, Promise<ImageBitmap>>();

  /**
   * Starts rendering tiles the page is about to ask for. A tile asked for later is taken from
   * here; one never asked for is released after a while.
   */
  prefetch(keys: readonly TileKey[], keepMs = 15_000): void {
    for (const key of keys) {
      const k = tileAddress(key);
      if (this.prefetched.has(k)) continue;
      const { promise } = this.render(key);
      promise.catch(() => undefined);
      this.prefetched.set(k, promise);
      setTimeout(() => {
        if (this.prefetched.get(k) !== promise) return;
        this.prefetched.delete(k);
        void promise.then((b) => b.close(), () => undefined);
      }, keepMs);
    }
  }

  render(key: TileKey): { promise: Promise<ImageBitmap>; cancel: () => void } {
    const address = tileAddress(key);
    const early = this.prefetched.get(address);
    if (early) {
      this.prefetched.delete(address);
      return { promise: early, cancel: () => undefined };
    }
    return this.prerendered.has(address) ? this.readFile(key, address) : this.renderInWorker(key);
  }

  /** A prerendered tile: fetched and decoded off the main thread; rendered after all if that fails. */
  private readFile(key: TileKey, address: string): { promise: Promise<ImageBitmap>; cancel: () => void } {
    const abort = new AbortController();
    let fallback: { cancel: () => void } | undefined;
    const promise = fetch(new URL(address, document.baseURI), { signal: abort.signal })
      .then((r) => (r.ok ? r.blob() : Promise.reject(new Error(`HTTP ${r.status}`))))
      .then((b) => createImageBitmap(b, { premultiplyAlpha: 'none', colorSpaceConversion: 'none' }))
      .then(
        (bitmap) => {
          // Decoded after the viewer gave up on it: nobody will draw or close it.
          if (abort.signal.aborted) {
            bitmap.close();
            throw new Error('cancelled');
          }
          this.fromFiles++;
          return bitmap;
        },
        (e: unknown) => {
          if (abort.signal.aborted) throw e instanceof Error ? e : new Error(String(e));
          const r = this.renderInWorker(key);
          fallback = r;
          return r.promise;
        },
      );
    return {
      promise,
      cancel: () => {
        abort.abort();
        fallback?.cancel();
      },
    };
  }

  /** Renders in a worker whether or not a prerendered file exists (tests compare the two). */
  renderInWorker(key: TileKey): { promise: Promise<ImageBitmap>; cancel: () => void } {
    let job!: Job;
    const promise = new Promise<ImageBitmap>((resolve, reject) => {
      job = { req: { type: 'render', id: this.nextId++, ...key }, resolve, reject, cancelled: false };
    });
    this.queue.push(job);
    this.pump();
    return {
      promise,
      cancel: () => {
        job.cancelled = true;
        const i = this.queue.indexOf(job);
        if (i >= 0) {
          this.queue.splice(i, 1);
          job.reject(new Error('cancelled'));
        }
      },
    };
  }

  private pump(): void {
    this.start();
    for (let k = 0; k < this.workers.length && this.queue.length > 0; k++) {
      if (this.busy[k]) continue;
      const job = this.queue.shift()!;
      this.busy[k] = job;
      this.workers[k]!.postMessage(job.req satisfies WorkerRequest);
    }
  }

  private done(k: number, res: WorkerResponse): void {
    const job = this.busy[k];
    this.busy[k] = undefined;
    if (job && job.req.id === res.id) {
      if ('error' in res) job.reject(new Error(res.error));
      else {
        this.timings.push(res.ms);
        if (this.timings.length > 2000) this.timings.splice(0, 1000);
        if (job.cancelled) res.bitmap.close();
        else job.resolve(res.bitmap);
      }
    }
    this.pump();
  }

  private failWorker(k: number, message: string): void {
    const job = this.busy[k];
    this.busy[k] = undefined;
    job?.reject(new Error(message));
    this.pump();
  }

  destroy(): void {
    for (const w of this.workers) w.terminate();
    for (const j of this.queue) j.reject(new Error('pool destroyed'));
    this.queue.length = 0;
  }
}
