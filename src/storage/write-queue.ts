import type { AnnotationRepository } from './annotation-repo';
import { ConflictError, InvalidRecordError } from './annotation-repo';
import type { QueuedWrite, WriteFailure, WriteOutcome } from './write-protocol';

/** Change sets per transaction at most, so one write stays short even after a long stall. */
const MAX_BATCH = 2000;

/**
 * Writes change sets in the order they come, batching whatever arrives while a transaction is in
 * flight into the next one. When a batch is refused as a whole (a conflict with another tab, a
 * record the schema refuses), its writes go one by one to find which, and only that one is
 * refused. A failure (full disk) stops the queue until retry(): nothing is skipped.
 * Runs in the storage writer worker (write-worker.ts), or in the page where there is none.
 */
export class WriteQueue {
  private readonly queue: QueuedWrite[] = [];
  private running = false;
  private stopped = false;
  /** After a batch was refused as a whole, this many writes go one by one. */
  private isolate = 0;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly repo: AnnotationRepository,
    private readonly report: (o: WriteOutcome) => void,
  ) {}

  push(w: QueuedWrite): void {
    this.queue.push(w);
    void this.pump();
  }

  retry(): void {
    this.stopped = false;
    void this.pump();
  }

  /** Resolves when nothing is being written (the queue is empty or stopped). */
  idle(): Promise<void> {
    return this.running ? new Promise((r) => this.idleWaiters.push(r)) : Promise.resolve();
  }

  private async pump(): Promise<void> {
    if (this.running || this.stopped) return;
    this.running = true;
    try {
      while (this.queue.length > 0 && !this.stopped) {
        // A packed import goes alone; edits go together up to the next import.
        const head = this.queue[0]!;
        const upTo = this.queue.findIndex((w) => w.bulk !== undefined);
        const batch = head.bulk ? [head] : this.queue.slice(0, Math.min(this.isolate > 0 ? 1 : MAX_BATCH, upTo < 0 ? Infinity : upTo));
        // Entries are in journal order: the last mark covers the batch.
        const mark = batch.reduce<QueuedWrite['mark']>((m, w) => w.mark ?? m, undefined);
        try {
          if (head.bulk) await this.repo.saveBulk(head.bulk.slideId, head.bulk.parts, mark);
          else
            await this.repo.saveBatch(
              batch.map((w) => w.cs!),
              mark,
            );
          this.settle(batch.length);
          this.report({ kind: 'written', ns: batch.map((w) => w.n) });
        } catch (e) {
          const refusal = e instanceof ConflictError || e instanceof InvalidRecordError;
          if (refusal && batch.length > 1) {
            this.isolate = batch.length;
            continue;
          }
          if (refusal) {
            this.settle(1);
            this.report({ kind: 'refused', n: batch[0]!.n, failure: toFailure(e) });
            continue;
          }
          this.stopped = true;
          this.report({ kind: 'failed', ns: this.queue.map((w) => w.n), failure: toFailure(e) });
        }
      }
    } finally {
      this.running = false;
      const waiting = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiting) w();
    }
  }

  private settle(n: number): void {
    this.queue.splice(0, n);
    this.isolate = Math.max(0, this.isolate - n);
  }
}

export function toFailure(e: unknown): WriteFailure {
  if (e instanceof ConflictError) return { kind: 'conflict', ids: e.ids };
  if (e instanceof InvalidRecordError) return { kind: 'invalid', id: e.id, reason: e.reason };
  const name = e instanceof DOMException || e instanceof Error ? e.name : 'Error';
  return { kind: 'dom', name, message: e instanceof Error ? e.message : String(e) };
}

/** The error a failure stands for, with its class back (for describeStorageError). */
export function fromFailure(f: WriteFailure): Error {
  if (f.kind === 'conflict') return new ConflictError(f.ids);
  if (f.kind === 'invalid') return new InvalidRecordError(f.id, f.reason);
  const e = new Error(f.message);
  e.name = f.name;
  return e;
}
