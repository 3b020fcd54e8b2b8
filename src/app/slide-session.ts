import type { Annotation } from '../model/annotation';
import type { AnnotationClass } from '../model/classes';
import { DEFAULT_CLASSES, reassignKey } from '../model/classes';
import { LIMITS } from '../model/annotation-schema';
import type { AnnotationStore } from '../model/store';
import { createStore } from '../model/store';
import { AnnotationIndex } from '../overlay/spatial-index';
import { DensityGrid } from '../overlay/density-grid';
import type { AnnotationRepository } from '../storage/annotation-repo';
import type { EditJournal } from '../storage/journal';
import type { WriteSink } from '../storage/write-sink';
import { SlidePersistence } from '../storage/persistence';
import type { Channel } from '../storage/persistence';
import { Editor } from '../tools/editor';

/** Where a session's edits go besides its store: the tab's journal, writer and channel to other tabs. */
export interface SessionIo {
  readonly journal?: EditJournal;
  readonly sink?: WriteSink;
  readonly channel?: Channel;
}

const activeClassKey = (slideId: string): string => `active-class:${slideId}`;

/**
 * Everything about one slide's annotations in this tab: the store (loaded from IndexedDB), its
 * R-tree, the editor, persistence with cross-tab sync, the classes and which are hidden.
 */
export class SlideSession {
  readonly store: AnnotationStore;
  readonly index: AnnotationIndex;
  /** Created for the slide's size on first use by a viewer. */
  private densityGrid: DensityGrid | undefined;
  readonly editor: Editor;
  readonly persistence: SlidePersistence;
  classes: AnnotationClass[];
  readonly hidden = new Set<string>();
  private readonly listeners = new Set<() => void>();
  /** Annotations per class, kept up to date from change sets (no O(n) pass per edit). */
  readonly counts = new Map<string, number>();
  /** Ids in order of last change, newest last; may hold stale entries, skipped on read. */
  private log: string[];
  private readonly destroyed = new Set<() => void>();

  private constructor(
    readonly slideId: string,
    readonly mpp: number,
    readonly repo: AnnotationRepository,
    loaded: Awaited<ReturnType<AnnotationRepository['loadSlide']>>,
    classes: AnnotationClass[],
    private author: string,
    tab: string,
    private readonly channel: Channel | undefined,
    io: SessionIo,
  ) {
    this.store = createStore(loaded.annotations);
    for (const a of loaded.annotations) this.counts.set(a.classId, (this.counts.get(a.classId) ?? 0) + 1);
    this.log = loaded.annotations.map((a) => a.id);
    this.store.subscribe((cs) => {
      const bump = (cls: string, d: number): void => void this.counts.set(cls, (this.counts.get(cls) ?? 0) + d);
      for (const a of cs.deleted) bump(a.classId, -1);
      for (const u of cs.updated) {
        bump(u.before.classId, -1);
        bump(u.after.classId, 1);
        this.log.push(u.after.id);
      }
      for (const a of cs.created) {
        bump(a.classId, 1);
        this.log.push(a.id);
      }
      if (this.log.length > 4 * this.store.size + 1000) this.log = this.store.all().map((a) => a.id);
    });
    this.index = new AnnotationIndex(this.store);
    this.classes = classes;
    this.editor = new Editor(this.store, { slideId, author: () => this.author, hitTest: (x, y, t) => this.index.hitTest(x, y, t) });
    this.persistence = new SlidePersistence(repo, this.store, slideId, channel, tab, io.journal, io.sink);
    this.rejected = loaded.rejected;
    performance.mark('lamina:annotations-indexed');
  }

  /** Records of this slide on disk that could not be read: kept aside, counted, in the backup. */
  readonly rejected: number;

  /**
   * Reads the slide's annotations (the app layer's Workspace calls this; screens ask the
   * Workspace). `channel` carries edits between tabs; the session closes it when destroyed.
   */
  static async open(repo: AnnotationRepository, slideId: string, mpp: number, tab: string, io: SessionIo = {}): Promise<SlideSession> {
    const [loaded, classes, author, active] = await Promise.all([
      repo.loadSlide(slideId),
      repo.classes(),
      repo.getSetting<string>('author'),
      repo.getSetting<string>(activeClassKey(slideId)),
    ]);
    performance.mark('lamina:annotations-read');
    const session = new SlideSession(slideId, mpp, repo, loaded, classes, typeof author === 'string' ? author : '', tab, io.channel, io);
    session.rememberActiveClass(typeof active === 'string' ? active : undefined);
    return session;
  }

  /**
   * The class picked last on this slide comes back after a reload (a trainee counting mitoses
   * should not find the Point tool recording necrosis), and is saved whenever it changes.
   */
  private rememberActiveClass(stored: string | undefined): void {
    const ed = this.editor;
    if (stored && this.classes.some((c) => c.id === stored)) ed.setClass(stored);
    let saved = ed.currentClass;
    const off = ed.onChange(() => {
      if (ed.currentClass === saved) return;
      saved = ed.currentClass;
      void this.repo.setSetting(activeClassKey(this.slideId), saved).catch(() => undefined);
    });
    this.onDestroy(off);
  }

  /** The most recently changed annotations, newest first, without scanning the whole slide. */
  recent(limit: number): Annotation[] {
    const out: Annotation[] = [];
    const seen = new Set<string>();
    for (let i = this.log.length - 1; i >= 0 && out.length < limit; i--) {
      const id = this.log[i]!;
      if (seen.has(id)) continue;
      seen.add(id);
      const a = this.store.get(id);
      if (a) out.push(a);
    }
    return out;
  }

  density(widthPx: number, heightPx: number): DensityGrid {
    return (this.densityGrid ??= new DensityGrid(this.store, widthPx, heightPx));
  }

  get authorName(): string {
    return this.author;
  }

  /** Sets the name recorded on new annotations; false (nothing changed) past the schema's limit. */
  async setAuthor(name: string): Promise<boolean> {
    if (name.length > LIMITS.author) return false;
    this.author = name;
    await this.repo.setSetting('author', this.author);
    this.emit();
    return true;
  }

  classById(id: string): AnnotationClass | undefined {
    return this.classes.find((c) => c.id === id) ?? DEFAULT_CLASSES.find((c) => c.id === id);
  }

  classMap(): Map<string, AnnotationClass> {
    return new Map(this.classes.map((c) => [c.id, c]));
  }

  /** Renames or recolours a class: annotations keep pointing at its id, so none is orphaned. */
  async saveClass(c: AnnotationClass): Promise<void> {
    await this.repo.putClass(c);
    const i = this.classes.findIndex((x) => x.id === c.id);
    if (i >= 0) this.classes[i] = c;
    else this.classes.push(c);
    this.emit();
  }

  /**
   * Classes shown in this session only, never saved (a quiz's feedback: hit, missed, false mark).
   * Replaces any shown before.
   */
  showExtraClasses(extra: readonly AnnotationClass[]): void {
    const ids = new Set(extra.map((c) => c.id));
    this.classes = [...this.classes.filter((c) => !ids.has(c.id) && !c.id.startsWith('quiz-')), ...extra];
    this.emit();
  }

  /** Saves any of these classes the profile lacks (counting classes, made at first use). */
  async ensureClasses(list: readonly AnnotationClass[]): Promise<void> {
    for (const c of list) if (!this.classes.some((x) => x.id === c.id)) await this.saveClass(c);
  }

  /** A value kept with this slide (the FNCLCC differentiation a user chose, field settings). */
  async slideSetting<T>(name: string): Promise<T | undefined> {
    return this.repo.getSetting<T>(`${name}:${this.slideId}`);
  }

  async setSlideSetting(name: string, value: unknown): Promise<void> {
    await this.repo.setSetting(`${name}:${this.slideId}`, value);
  }

  /** Reads the classes again (a restore added some). */
  async reloadClasses(): Promise<void> {
    this.classes = await this.repo.classes();
    this.emit();
  }

  /** Moves a shortcut key to a class; the class that had it takes the old one (see reassignKey). */
  async assignKey(classId: string, key: number): Promise<void> {
    for (const c of reassignKey(this.classes, classId, key)) await this.saveClass(c);
  }

  toggleHidden(classId: string): void {
    if (this.hidden.has(classId)) this.hidden.delete(classId);
    else this.hidden.add(classId);
    this.emit();
  }

  onChange(l: () => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  private emit(): void {
    for (const l of this.listeners) l();
  }

  onDestroy(f: () => void): void {
    this.destroyed.add(f);
  }

  destroy(): void {
    for (const f of this.destroyed) f();
    this.destroyed.clear();
    this.persistence.destroy();
    this.index.destroy();
    this.densityGrid?.destroy();
    this.editor.destroy();
    this.channel?.close();
    this.listeners.clear();
  }
}
