import type { LaminaDb } from './database';
import type { OwnSlideRecord } from './own-slide-record';
import { readOwnSlideRecord } from './own-slide-record';

/** The user's own slide files (store `ownSlides`, since v7). Never touches annotations. */
export class OwnSlidesRepository {
  constructor(private readonly db: LaminaDb) {}

  /** Every readable record, most recently opened first. */
  async list(): Promise<OwnSlideRecord[]> {
    const all = await this.db.getAll('ownSlides');
    return all
      .map(readOwnSlideRecord)
      .filter((r): r is OwnSlideRecord => r !== undefined)
      .sort((a, b) => b.opened - a.opened);
  }

  async get(id: string): Promise<OwnSlideRecord | undefined> {
    return readOwnSlideRecord(await this.db.get('ownSlides', id));
  }

  async put(r: OwnSlideRecord): Promise<void> {
    await this.db.put('ownSlides', r);
  }

  /** Applies `change` to the stored record in one transaction (no lost update between tabs). */
  async update(id: string, change: (r: OwnSlideRecord) => OwnSlideRecord): Promise<OwnSlideRecord | undefined> {
    const tx = this.db.transaction('ownSlides', 'readwrite');
    const old = readOwnSlideRecord(await tx.store.get(id));
    const next = old ? change(old) : undefined;
    if (next) await tx.store.put(next);
    await tx.done;
    return next;
  }

  async delete(id: string): Promise<void> {
    await this.db.delete('ownSlides', id);
  }
}
