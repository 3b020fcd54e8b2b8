import type { AnnotationRepository } from './annotation-repo';
import { WriteQueue } from './write-queue';
import type { FromWriter, QueuedWrite, ToWriter, WriteOutcome } from './write-protocol';

/**
 * Where a tab's edits go to be written: the storage writer worker in browsers (WorkerSink), a
 * queue in the page elsewhere (LocalSink: unit tests, a browser without module workers). Every
 * slide session of the tab shares one, so writes keep the order they were made in.
 */
/** What the writer says when another tab's upgrade closed its connection. */
export const WRITER_UPGRADED = 'the database was upgraded by another tab';

export interface WriteSink {
  /** A number for a new write, unique in this tab. */
  next(): number;
  push(w: QueuedWrite): void;
  /** Resumes after a failure (the writes wait in order). */
  retry(): void;
  /** Every outcome, whoever pushed the write. */
  listen(l: (o: WriteOutcome) => void): () => void;
}

abstract class FanOut {
  private n = 0;
  private readonly listeners = new Set<(o: WriteOutcome) => void>();
  next(): number {
    return ++this.n;
  }
  listen(l: (o: WriteOutcome) => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
  protected tell(o: WriteOutcome): void {
    for (const l of [...this.listeners]) l(o);
  }
}

export class LocalSink extends FanOut implements WriteSink {
  private readonly queue: WriteQueue;
  constructor(repo: AnnotationRepository) {
    super();
    this.queue = new WriteQueue(repo, (o) => this.tell(o));
  }
  push(w: QueuedWrite): void {
    this.queue.push(w);
  }
  retry(): void {
    this.queue.retry();
  }
}

export class WorkerSink extends FanOut implements WriteSink {
  constructor(
    private readonly worker: Worker,
    dbName: string,
    /** The writer's connection was closed (another tab upgraded the database). */
    onClosed: (why: string) => void,
  ) {
    super();
    worker.onmessage = (e: MessageEvent<FromWriter>) => {
      if ('closed' in e.data) onClosed(e.data.closed);
      else this.tell(e.data.outcome);
    };
    this.send({ open: dbName });
  }
  push(w: QueuedWrite): void {
    this.send({ push: w });
  }
  retry(): void {
    this.send({ retry: true });
  }
  private send(m: ToWriter): void {
    this.worker.postMessage(m);
  }
}
