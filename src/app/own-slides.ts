import type { SlideInfo } from '../model/manifest';
import type { FileSlides } from '../viewer/sources/file-slides';
import { fileTileSource } from '../viewer/sources/file-tile-source';
import type { AssociatedKind, SlideFileInfo } from '../viewer/sources/slide-file-types';
import type { OwnSlideRecord } from '../storage/own-slide-record';
import type { OwnSlidesRepository } from '../storage/own-slides-repo';
import type OpenSeadragon from 'openseadragon';

/**
 * The user's own slide files: opened from the disk (read in the slide file worker, never
 * uploaded), remembered by content hash with a way back to the file, listed on the home page.
 * Screens ask this for slides and never see the database or the worker.
 */

/** Where a remembered slide stands in this page. */
export type SlideAvailability =
  | { readonly state: 'open'; readonly slide: SlideInfo; readonly record: OwnSlideRecord | undefined; readonly info: SlideFileInfo }
  /** A handle is stored but the browser wants the user's yes (after a restart): ask in a click. */
  | { readonly state: 'permission'; readonly record: OwnSlideRecord }
  /** Nothing reachable: the user must pick the file again (its hash is checked). */
  | { readonly state: 'missing'; readonly record: OwnSlideRecord; readonly why: string }
  | { readonly state: 'unknown' };

/** How long after opening a slide its thumbnail is made (the first view is drawn by then). */
const THUMBNAIL_DELAY_MS = 1500;

/** The scale assumed until the user gives one (40x): marked as assumed wherever it shows. */
export const ASSUMED_MPP = 0.25;

type Handle = FileSystemFileHandle & {
  queryPermission?: (o: { mode: 'read' }) => Promise<PermissionState>;
  requestPermission?: (o: { mode: 'read' }) => Promise<PermissionState>;
};

export class OwnSlides {
  /** Slides opened in this page: their files (for a copy) and what the worker read. */
  private readonly opened = new Map<string, { files: readonly File[]; info: SlideFileInfo }>();
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly files: FileSlides,
    private readonly repo: () => Promise<OwnSlidesRepository>,
    private readonly opfs: () => Promise<FileSystemDirectoryHandle> = () => navigator.storage.getDirectory(),
  ) {}

  /** Starts the slide reader ahead of the first file (the home page calls it when idle). */
  warm(): void {
    this.files.warm();
  }

  /** Called whenever the list changes (a slide opened, removed, recalibrated). */
  onChange(l: () => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }

  /**
   * Opens picked (or dropped) files as a slide and remembers it. On failure nothing is stored
   * and nothing stored is touched; the error says why in words.
   */
  async open(files: readonly File[], handles?: readonly FileSystemFileHandle[]): Promise<{ id: string } | { error: string }> {
    // The viewer's box: the window less the annotation panel beside it and the bars above it.
    const viewport = typeof window === 'undefined' ? undefined : { w: Math.max(320, window.innerWidth - 320), h: Math.max(240, window.innerHeight - 230) };
    const r = await this.files.open(files, viewport);
    performance.mark('lamina:file-opened');
    if ('error' in r) return { error: r.error };
    const info = r.value;
    this.opened.set(info.id, { files, info });
    // Remembered while the viewer opens: the first view does not wait for the database.
    void this.remember(info, handles).then(
      () => this.changed(),
      () => undefined, // storage unavailable (private mode, full disk): the slide still opens for this page
    );
    return { id: info.id };
  }

  private async remember(info: SlideFileInfo, handles: readonly FileSystemFileHandle[] | undefined): Promise<void> {
    const repo = await this.repo();
    const old = await repo.get(info.id);
    const now = Date.now();
    const record: OwnSlideRecord = {
      id: info.id,
      name: info.files.map((f) => f.name).join(', '),
      format: info.format,
      files: info.files,
      width: info.width,
      height: info.height,
      // A scale the user set wins over the file's on a later open.
      mpp: old?.mppFrom === 'user' ? old.mpp : info.mpp,
      mppFrom: old?.mppFrom === 'user' ? 'user' : info.mpp !== undefined ? `file (${info.mppFrom ?? 'its metadata'})` : undefined,
      added: old?.added ?? now,
      opened: now,
      ...(handles?.length ? { handles } : old?.handles ? { handles: old.handles } : {}),
      ...(old?.copied ? { copied: true } : {}),
      ...(old?.thumbnail ? { thumbnail: old.thumbnail } : {}),
    };
    await repo.put(record);
    // Later: the thumbnail's decodes would queue in the worker ahead of the first view's tiles.
    if (!record.thumbnail) setTimeout(() => void this.makeThumbnail(info.id), THUMBNAIL_DELAY_MS);
  }

  private async makeThumbnail(id: string): Promise<void> {
    try {
      const bitmap = await this.files.overview(id, 240);
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      canvas.getContext('2d')!.drawImage(bitmap, 0, 0);
      bitmap.close();
      const thumbnail = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.85 });
      await (await this.repo()).update(id, (r) => ({ ...r, thumbnail }));
      this.changed();
    } catch {
      // No thumbnail: the list shows the name alone.
    }
  }

  async list(): Promise<OwnSlideRecord[]> {
    return (await this.repo()).list();
  }

  /** The slide as the viewer needs it, when its file is open in this page. */
  private slideInfo_(info: SlideFileInfo, record: OwnSlideRecord | undefined): SlideInfo {
    const name = record?.name ?? info.files.map((f) => f.name).join(', ');
    return { id: info.id, name, stain: info.format, width: info.width, height: info.height, mpp: record?.mpp ?? info.mpp ?? ASSUMED_MPP, source: { kind: 'file', id: info.id } };
  }

  /**
   * A remembered slide as annotations need it (id, size, scale), whether or not its file is open
   * now: a teaching set refers to an own slide by its id (the content hash).
   */
  async slideInfo(id: string): Promise<SlideInfo | undefined> {
    const open = this.opened.get(id);
    let record: OwnSlideRecord | undefined;
    try {
      record = await (await this.repo()).get(id);
    } catch {
      record = undefined;
    }
    if (open) return this.slideInfo_(open.info, record);
    if (!record) return undefined;
    return { id, name: record.name, stain: record.format, width: record.width, height: record.height, mpp: record.mpp ?? ASSUMED_MPP, source: { kind: 'file', id } };
  }

  /** Where a slide stands: open (with its SlideInfo), or what it takes to open it again. */
  async availability(id: string): Promise<SlideAvailability> {
    let record: OwnSlideRecord | undefined;
    try {
      record = await (await this.repo()).get(id);
    } catch {
      record = undefined;
    }
    const open = this.opened.get(id);
    if (open) return { state: 'open', slide: this.slideInfo_(open.info, record), record, info: open.info };
    if (!record) return { state: 'unknown' };
    if (record.copied) {
      const r = await this.reopenFromCopy(record);
      if (r === undefined) return this.availability(id);
      if (!record.handles?.length) return { state: 'missing', record, why: r };
    }
    if (record.handles?.length) {
      const handles = record.handles as readonly Handle[];
      const states = await Promise.all(handles.map((h) => h.queryPermission?.({ mode: 'read' }) ?? Promise.resolve<PermissionState>('granted')));
      if (states.some((s) => s !== 'granted')) return { state: 'permission', record };
      const r = await this.reopenFromHandles(record);
      return r === undefined ? this.availability(id) : { state: 'missing', record, why: r };
    }
    return { state: 'missing', record, why: 'Lamina keeps no way to reach this file in this browser (it was picked without a lasting handle).' };
  }

  /** In a click: asks the browser to let Lamina read the stored handles again, then opens. */
  async allow(id: string): Promise<string | undefined> {
    const record = await (await this.repo()).get(id);
    if (!record?.handles?.length) return 'There is no stored handle for this slide.';
    for (const h of record.handles as readonly Handle[]) {
      const s = (await h.requestPermission?.({ mode: 'read' })) ?? 'granted';
      if (s !== 'granted') return 'The browser did not allow reading the file.';
    }
    const why = await this.reopenFromHandles(record);
    this.changed();
    return why;
  }

  /** The user picked the file again: opened only when it is the same content (same hash). */
  async reconnect(id: string, files: readonly File[], handles?: readonly FileSystemFileHandle[]): Promise<string | undefined> {
    const r = await this.files.open(files);
    if ('error' in r) return r.error;
    if (r.value.id !== id) {
      this.files.close(r.value.id);
      return `“${files.map((f) => f.name).join(', ')}” is not the same file as this slide’s (its content differs), so it was not connected. Its annotations are unchanged.`;
    }
    this.opened.set(id, { files, info: r.value });
    if (handles?.length) await (await this.repo()).update(id, (x) => ({ ...x, handles }));
    this.changed();
    return undefined;
  }

  private async reopenFromHandles(record: OwnSlideRecord): Promise<string | undefined> {
    try {
      const files = await Promise.all((record.handles ?? []).map((h) => h.getFile()));
      return await this.reopen(record, files);
    } catch (e) {
      return `The file could not be read where it was (${e instanceof Error ? e.message : String(e)}): it was moved, renamed or deleted.`;
    }
  }

  private async reopenFromCopy(record: OwnSlideRecord): Promise<string | undefined> {
    try {
      const dir = await this.copyDir(record.id, false);
      const files = await Promise.all(record.files.map(async (f) => (await dir.getFileHandle(f.name)).getFile()));
      return await this.reopen(record, files);
    } catch {
      return 'The copy kept in this browser is gone (the browser’s storage was cleared).';
    }
  }

  private async reopen(record: OwnSlideRecord, files: readonly File[]): Promise<string | undefined> {
    const r = await this.files.open(files);
    if ('error' in r) return r.error;
    if (r.value.id !== record.id) {
      this.files.close(r.value.id);
      return 'The file found there has changed since (its content differs), so it was not connected.';
    }
    this.opened.set(record.id, { files, info: r.value });
    return undefined;
  }

  private async copyDir(id: string, create: boolean): Promise<FileSystemDirectoryHandle> {
    const root = await this.opfs();
    return (await root.getDirectoryHandle('slides', { create })).getDirectoryHandle(id, { create });
  }

  /**
   * The files of a slide, when this page can read them: open here, or reopened from its copy or a
   * stored handle the browser still lets Lamina read (nothing is asked of the user).
   */
  async filesOf(id: string): Promise<readonly File[] | undefined> {
    if (!this.opened.has(id)) await this.availability(id);
    return this.opened.get(id)?.files;
  }

  /**
   * Opens files for this page without remembering them (a teaching set's embedded slide, checked
   * before anything of the set is written); `adopt` remembers it afterwards.
   */
  async openUnremembered(files: readonly File[]): Promise<{ id: string } | { error: string }> {
    const r = await this.files.open(files);
    if ('error' in r) return { error: r.error };
    this.opened.set(r.value.id, { files, info: r.value });
    return { id: r.value.id };
  }

  /** Remembers a slide opened by openUnremembered, with a copy kept in this browser (it has no file on disk). */
  async adopt(id: string): Promise<string | undefined> {
    const open = this.opened.get(id);
    if (!open) return 'Open the slide first.';
    await this.remember(open.info, undefined);
    const why = await this.keepCopy(id);
    this.changed();
    return why;
  }

  /** Copies an open slide's files into this browser's private storage, so it opens without the original. */
  async keepCopy(id: string): Promise<string | undefined> {
    const open = this.opened.get(id);
    if (!open) return 'Open the slide first.';
    try {
      const dir = await this.copyDir(id, true);
      for (const f of open.files) {
        const w = await (await dir.getFileHandle(f.name, { create: true })).createWritable();
        await f.stream().pipeTo(w);
      }
      await (await this.repo()).update(id, (r) => ({ ...r, copied: true }));
      this.changed();
      return undefined;
    } catch (e) {
      return `The copy could not be made (${e instanceof Error ? e.message : String(e)}).`;
    }
  }

  /** Sets the scale (µm per pixel); annotations are in pixels and do not move. */
  async setMpp(id: string, mpp: number): Promise<void> {
    await (await this.repo()).update(id, (r) => ({ ...r, mpp, mppFrom: 'user' }));
    this.changed();
  }

  /** Forgets a slide (and its copy); its annotations stay, and come back if it is opened again. */
  async remove(id: string): Promise<void> {
    await (await this.repo()).delete(id);
    try {
      await (await this.opfs()).getDirectoryHandle('slides').then((d) => d.removeEntry(id, { recursive: true }));
    } catch {
      // no copy
    }
    this.opened.delete(id);
    this.files.close(id);
    this.changed();
  }

  tileSource(id: string, onTileError: (message: string) => void): OpenSeadragon.TileSource {
    const open = this.opened.get(id);
    if (!open) throw new Error('The slide file is not open in this page.');
    return fileTileSource(open.info, this.files, onTileError);
  }

  /** A label, macro (overview) or thumbnail image stored with the slide, decoded whole. */
  associatedImage(id: string, kind: AssociatedKind): Promise<ImageBitmap> {
    return this.files.associated(id, kind);
  }

  /** For the benchmark: tile decode times in the worker. */
  get timings(): readonly number[] {
    return this.files.timings;
  }
}
