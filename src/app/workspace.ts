import { AnnotationRepository } from '../storage/annotation-repo';
import type { WriteSink } from '../storage/write-sink';
import { LocalSink, WRITER_UPGRADED } from '../storage/write-sink';
import type { LaminaDb } from '../storage/database';
import { EditJournal } from '../storage/journal';
import type { JournalBackend } from '../storage/journal';
import type { Channel, SyncMessage } from '../storage/persistence';
import { JournalRecovery, tabLockName } from '../storage/recovery';
import type { Locks, RecoveredEdits, RecoveryReport } from '../storage/recovery';
import { SlideSession } from './slide-session';
import { exportEverything, restoreBackup } from './backup';
import type { RestoreReport } from './backup';
import type { ParseResult } from '../model/annotation-schema';
import type { TeachingSet } from '../model/teaching/types';
import type { Annotation } from '../model/annotation';
import type { AnnotationClass } from '../model/classes';
import { SetsRepository } from '../storage/sets-repo';
import { Teaching } from './teaching';
import { OwnSlidesRepository } from '../storage/own-slides-repo';
import type { StorageGuard } from './storage-guard';

/**
 * The app layer's annotation service: the only code that holds the database. Screens ask it for
 * a slide's session and never see the database, the journal or the locks.
 *
 * On first use it opens the database, takes this tab's lock (its sign of life for journal
 * recovery), and writes what dead tabs left in the journal before any slide is read, so a slide
 * opened after a crash shows every edit made before it.
 */

const UPGRADED = 'Lamina was updated in another tab: reload this tab to keep saving. Your unsaved edits are kept and will be saved after the reload.';

export interface WorkspaceOptions {
  readonly tab: string;
  readonly openDb: (handlers: { onVersionChange: () => void; onTerminated: () => void; onBlocked: () => void }) => Promise<LaminaDb>;
  readonly journal: JournalBackend | undefined;
  readonly locks: Locks | undefined;
  readonly channel: () => Channel | undefined;
  /** Something the user must know about storage (another tab upgraded, the disk is full…). */
  readonly notice: (text: string) => void;
  readonly storage: StorageGuard;
  /** The schema a teaching set is checked by, on its way to the disk and back. */
  readonly parseSet: (input: unknown) => ParseResult<TeachingSet>;
  /** Where writes go (the storage writer worker, in browsers); absent: a queue in the page. */
  readonly writer?: (onClosed: (why: string) => void) => WriteSink;
}

export interface SlideRef {
  readonly id: string;
  readonly mpp: number;
}

export class Workspace {
  private opening: Promise<{ db: LaminaDb; repo: AnnotationRepository; sink: WriteSink }> | undefined;
  private opened = false;
  private readonly sessions = new Set<SlideSession>();
  /** Recoveries that finished, in order (a session loading meanwhile applies those it missed). */
  private readonly recovered: RecoveredEdits[] = [];
  private readonly journal: EditJournal;
  private readonly channel: Channel | undefined;
  private lastReport: RecoveryReport | undefined;

  constructor(private readonly opts: WorkspaceOptions) {
    this.journal = new EditJournal(opts.journal, opts.tab);
    this.channel = opts.channel();
  }

  get tab(): string {
    return this.opts.tab;
  }

  /** Whether the database is open already (so a session costs no database creation now). */
  get isOpen(): boolean {
    return this.opened;
  }

  /** What the last journal recovery did (for the panel's notice), once it ran. */
  get recovery(): RecoveryReport | undefined {
    return this.lastReport;
  }

  get storage(): StorageGuard {
    return this.opts.storage;
  }

  /** One slide's annotations in this tab. Rejects where IndexedDB is unavailable. */
  async openSession(slide: SlideRef): Promise<SlideSession> {
    const { repo, sink } = await this.ready();
    const seen = this.recovered.length;
    const session = await SlideSession.open(repo, slide.id, slide.mpp, this.opts.tab, { journal: this.journal, channel: this.opts.channel(), sink });
    // Edits a recovery wrote while this slide was being read.
    for (const r of this.recovered.slice(seen)) if (r.slideId === slide.id) void session.persistence.refresh(r.ids);
    this.sessions.add(session);
    session.onDestroy(() => this.sessions.delete(session));
    this.opts.storage.watch(session.store);
    return session;
  }

  /** Every slide's annotations, the classes and the author as one JSON backup (see model/formats/backup.ts). */
  async exportEverything(): Promise<ParseResult<string>> {
    const { repo } = await this.ready();
    // What this tab has not written yet belongs in the backup too.
    await Promise.all([...this.sessions].map((s) => s.persistence.flushed()));
    return exportEverything(repo);
  }

  /** Restores a backup's text: adds what is missing, updates older revisions, in one transaction. */
  async restore(text: string): Promise<ParseResult<RestoreReport>> {
    const { repo } = await this.ready();
    const r = await restoreBackup(repo, text, (edits) => this.onRecovered(edits));
    if (r.value && r.value.classesAdded > 0) for (const s of this.sessions) await s.reloadClasses();
    return r;
  }

  private teachingService: Teaching | undefined;

  /** Teaching sets (opens the database on first use). */
  async teaching(): Promise<Teaching> {
    const { db } = await this.ready();
    return (this.teachingService ??= new Teaching(new SetsRepository(db, this.opts.parseSet)));
  }

  private ownSlidesRepo: OwnSlidesRepository | undefined;

  /** The user's own slide files' records (opens the database on first use). */
  async ownSlides(): Promise<OwnSlidesRepository> {
    const { db } = await this.ready();
    return (this.ownSlidesRepo ??= new OwnSlidesRepository(db));
  }

  /** Every annotation of a slide and the classes, for a set file (the slide's session is opened and closed). */
  async slideAnnotations(slide: SlideRef): Promise<{ annotations: Annotation[]; classes: AnnotationClass[] }> {
    const open = [...this.sessions].find((s) => s.slideId === slide.id);
    if (open) {
      await open.persistence.flushed();
      return { annotations: open.store.all(), classes: open.classes };
    }
    const s = await this.openSession(slide);
    try {
      return { annotations: s.store.all(), classes: s.classes };
    } finally {
      s.destroy();
    }
  }

  /** True while some edit is neither on disk nor in the journal (closing the page would lose it). */
  get atRisk(): boolean {
    for (const s of this.sessions) if (s.persistence.current.atRisk) return true;
    return false;
  }

  private ready(): Promise<{ db: LaminaDb; repo: AnnotationRepository; sink: WriteSink }> {
    return (this.opening ??= this.open());
  }

  private async open(): Promise<{ db: LaminaDb; repo: AnnotationRepository; sink: WriteSink }> {
    const db = await this.opts.openDb({
      onVersionChange: () => this.closeAll(UPGRADED),
      onTerminated: () =>
        this.closeAll('The browser closed the annotation database (storage was cleared or the disk failed): reload this tab. Edits not yet saved are kept in this tab’s journal.'),
      onBlocked: () => this.opts.notice('Close the other Lamina tabs (or reload them) to finish upgrading the annotation database.'),
    });
    this.opened = true;
    const repo = new AnnotationRepository(db);
    const sink = this.opts.writer?.((why) => this.closeAll(why === WRITER_UPGRADED ? UPGRADED : `Edits cannot be saved (${why}): reload this tab. Unsaved edits are kept in its journal.`)) ?? new LocalSink(repo);
    await this.holdTabLock();
    const recovery = new JournalRecovery(this.journal, repo, this.opts.locks, (edits) => this.onRecovered(edits));
    try {
      this.lastReport = await recovery.run();
      if (this.lastReport.error) this.opts.notice(`Edits saved by a closed tab could not be written yet: ${this.lastReport.error}`);
    } catch (e) {
      // A failed recovery leaves the journal in place for the next tab; the slide still opens.
      this.opts.notice(`Edits saved by a closed tab could not be recovered yet: ${e instanceof Error ? e.message : String(e)}`);
    }
    return { db, repo, sink };
  }

  /** This tab's sign of life: held until the tab goes, then other tabs may replay its journal. */
  private holdTabLock(): Promise<void> {
    const locks = this.opts.locks;
    if (!locks) return Promise.resolve();
    return new Promise((granted) => {
      void locks.request(tabLockName(this.opts.tab), {}, () => {
        granted();
        return new Promise<never>(() => undefined);
      });
    });
  }

  private onRecovered(edits: readonly RecoveredEdits[]): void {
    this.recovered.push(...edits);
    for (const e of edits) {
      const m: SyncMessage = { type: 'changed', slideId: e.slideId, ids: e.ids, tab: `recovery:${this.opts.tab}` };
      // Other tabs hear it on the channel; this tab's own sessions are told directly.
      this.channel?.postMessage(m);
      for (const s of this.sessions) if (s.slideId === e.slideId) void s.persistence.refresh(e.ids);
    }
  }

  private closeAll(message: string): void {
    for (const s of this.sessions) s.persistence.closed(message);
    this.opts.notice(message);
  }
}
