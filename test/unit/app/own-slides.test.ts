import { describe, expect, it, vi } from 'vitest';
import { OwnSlides } from '../../../src/app/own-slides';
import type { FileSlides } from '../../../src/viewer/sources/file-slides';
import type { SlideFileInfo } from '../../../src/viewer/sources/slide-file-types';
import type { OwnSlideRecord } from '../../../src/storage/own-slide-record';
import type { OwnSlidesRepository } from '../../../src/storage/own-slides-repo';

// The viewer's tile source needs OpenSeadragon, hence a DOM; none is made here.
vi.mock('../../../src/viewer/sources/file-tile-source', () => ({ fileTileSource: () => undefined }));

/**
 * Where a remembered slide stands after a restart, with the browser's parts faked: the slide file
 * worker (a file's id is its text here), the records' store, File System Access handles and the
 * origin-private file system. Annotations are not OwnSlides' business: what must hold is that a
 * slide whose file cannot be reached keeps its record, and says why in words.
 */

const idOf = (text: string): string => `file-${Buffer.from(text.padEnd(20, '.')).toString('hex').slice(0, 40)}`;
const SLIDE = 'the scanned slide';

function fakeFiles(): FileSlides {
  const info = async (files: readonly File[]): Promise<SlideFileInfo> => ({
    id: idOf(await files[0]!.text()),
    format: 'Aperio SVS, JPEG tiles',
    width: 4000,
    height: 3000,
    levels: [],
    mpp: 0.5,
    mppFrom: 'the SVS MPP field',
    associated: [],
    files: files.map((f) => ({ name: f.name, size: f.size })),
  });
  return {
    open: async (files: readonly File[]) => ((await files[0]!.text()).startsWith('not a slide') ? { error: 'it is not a slide' } : { value: await info(files) }),
    overview: () => Promise.reject(new Error('no thumbnails here')),
    close: () => undefined,
    warm: () => undefined,
  } as unknown as FileSlides;
}

function fakeRepo(): OwnSlidesRepository & { records: Map<string, OwnSlideRecord> } {
  const records = new Map<string, OwnSlideRecord>();
  return {
    records,
    list: async () => [...records.values()],
    get: async (id: string) => records.get(id),
    put: async (r: OwnSlideRecord) => void records.set(r.id, r),
    update: async (id: string, change: (r: OwnSlideRecord) => OwnSlideRecord) => {
      const old = records.get(id);
      if (old) records.set(id, change(old));
      return old && records.get(id);
    },
    delete: async (id: string) => void records.delete(id),
  } as unknown as OwnSlidesRepository & { records: Map<string, OwnSlideRecord> };
}

/** A file handle as the browser keeps one: its permission, and a file that may have gone. */
function handle(state: { permission: PermissionState; content: string | undefined; asked?: number }): FileSystemFileHandle {
  return {
    kind: 'file',
    name: 'slide.svs',
    queryPermission: async () => state.permission,
    requestPermission: async () => {
      state.asked = (state.asked ?? 0) + 1;
      return state.permission;
    },
    getFile: async () => {
      if (state.content === undefined) throw new DOMException('A requested file or directory could not be found.', 'NotFoundError');
      return new File([state.content], 'slide.svs');
    },
  } as unknown as FileSystemFileHandle;
}

const noOpfs = () => Promise.reject(new DOMException('no origin-private file system', 'SecurityError'));

/** A session before the restart: the slide opened (with handles or not); then a fresh OwnSlides over the same store. */
async function afterRestart(handles: FileSystemFileHandle[] | undefined, opfs: () => Promise<FileSystemDirectoryHandle> = noOpfs) {
  const repo = fakeRepo();
  const before = new OwnSlides(fakeFiles(), async () => repo, opfs);
  const r = await before.open([new File([SLIDE], 'slide.svs')], handles);
  if ('error' in r) throw new Error(r.error);
  await expect.poll(() => repo.records.has(r.id)).toBe(true);
  return { id: r.id, repo, now: new OwnSlides(fakeFiles(), async () => repo, opfs) };
}

describe('own slides after a restart: the file reached again, or why not, the record kept', () => {
  it('a stored handle the browser lets Lamina read: the slide opens again with nothing asked', async () => {
    const state = { permission: 'granted' as PermissionState, content: SLIDE };
    const { id, now, repo } = await afterRestart([handle(state)]);
    expect(repo.records.get(id)!.handles).toHaveLength(1);
    const a = await now.availability(id);
    expect(a.state).toBe('open');
    expect(a.state === 'open' && a.slide).toMatchObject({ id, width: 4000, mpp: 0.5 });
  });

  it('a handle the browser wants a yes for: asked in a click (Allow), then open; a no is said', async () => {
    const state = { permission: 'prompt' as PermissionState, content: SLIDE, asked: 0 };
    const { id, now } = await afterRestart([handle(state)]);
    expect((await now.availability(id)).state).toBe('permission');
    expect(await now.allow(id)).toBe('The browser did not allow reading the file.');
    state.permission = 'granted';
    expect(await now.allow(id)).toBeUndefined();
    expect(state.asked).toBe(2);
    expect((await now.availability(id)).state).toBe('open');
  });

  it('a file moved or deleted since: not reachable, why in words, the record (and so its annotations) kept', async () => {
    const state = { permission: 'granted' as PermissionState, content: undefined };
    const { id, now, repo } = await afterRestart([handle({ ...state, content: SLIDE })]);
    repo.records.set(id, { ...repo.records.get(id)!, handles: [handle(state)] });
    const a = await now.availability(id);
    expect(a.state).toBe('missing');
    expect(a.state === 'missing' && a.why).toMatch(/moved, renamed or deleted/);
    expect(repo.records.has(id)).toBe(true);
  });

  it('a file changed since (another content where it was): not connected, said so', async () => {
    const { id, now, repo } = await afterRestart([handle({ permission: 'granted', content: SLIDE })]);
    repo.records.set(id, { ...repo.records.get(id)!, handles: [handle({ permission: 'granted', content: 'another scan entirely' })] });
    const a = await now.availability(id);
    expect(a.state === 'missing' && a.why).toMatch(/content differs/);
  });

  it('picked without a lasting handle: the user must pick it again; another file is refused, the same one reconnects', async () => {
    const { id, now } = await afterRestart(undefined);
    const a = await now.availability(id);
    expect(a.state === 'missing' && a.why).toMatch(/picked without a lasting handle/);
    expect(await now.reconnect(id, [new File(['another scan entirely'], 'slide.svs')])).toMatch(/not the same file.*annotations are unchanged/s);
    expect((await now.availability(id)).state).toBe('missing');
    expect(await now.reconnect(id, [new File([SLIDE], 'renamed.svs')])).toBeUndefined();
    expect((await now.availability(id)).state).toBe('open');
  });

  it('a copy kept in the browser whose storage was cleared: not reachable, said so', async () => {
    const { id, now, repo } = await afterRestart(undefined);
    repo.records.set(id, { ...repo.records.get(id)!, copied: true });
    const a = await now.availability(id);
    expect(a.state === 'missing' && a.why).toMatch(/copy kept in this browser is gone/);
    expect(repo.records.has(id)).toBe(true);
  });

  it('a file that is no slide opens nothing and stores nothing', async () => {
    const repo = fakeRepo();
    const own = new OwnSlides(fakeFiles(), async () => repo, noOpfs);
    expect(await own.open([new File(['not a slide at all'], 'notes.svs')])).toEqual({ error: 'it is not a slide' });
    expect(repo.records.size).toBe(0);
  });
});
