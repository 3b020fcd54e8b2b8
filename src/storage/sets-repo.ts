import type { ParseResult } from '../model/annotation-schema';
import type { QuizAttempt, QuizItem, QuizQuestion, TeachingSet } from '../model/teaching/types';
import type { LaminaDb } from './database';

/**
 * Teaching sets and quiz attempts on disk. Every set is checked by the same schema when it is
 * written and when it is read (`parse`, the model's set schema); a stored set that fails it is
 * left where it is and counted, not dropped.
 */
export class SetsRepository {
  constructor(
    private readonly db: LaminaDb,
    private readonly parse: (input: unknown) => ParseResult<TeachingSet>,
  ) {}

  /** Every readable set, in the order the teacher gave them; and how many could not be read. */
  async list(): Promise<{ sets: TeachingSet[]; unreadable: number }> {
    const rows = await this.db.getAll('sets');
    const sets: TeachingSet[] = [];
    let unreadable = 0;
    for (const r of rows) {
      const p = this.parse(r);
      if (p.value) sets.push(p.value);
      else unreadable++;
    }
    sets.sort((a, b) => a.order - b.order || a.created - b.created);
    return { sets, unreadable };
  }

  async get(id: string): Promise<TeachingSet | undefined> {
    const r = await this.db.get('sets', id);
    return r === undefined ? undefined : this.parse(r).value;
  }

  /** Writes a set (strict durability); refuses, writing nothing, one the schema refuses. */
  async put(set: TeachingSet): Promise<void> {
    const p = this.parse(set);
    if (p.error !== undefined) throw new Error(`The teaching set cannot be saved: ${p.error}`);
    const tx = this.db.transaction('sets', 'readwrite', { durability: 'strict' });
    await tx.store.put(p.value);
    await tx.done;
  }

  /** Several sets at once, all or none (a reorder). */
  async putAll(sets: readonly TeachingSet[]): Promise<void> {
    const checked = sets.map((s) => {
      const p = this.parse(s);
      if (p.error !== undefined) throw new Error(`The teaching set cannot be saved: ${p.error}`);
      return p.value;
    });
    const tx = this.db.transaction('sets', 'readwrite', { durability: 'strict' });
    await Promise.all([...checked.map((s) => tx.store.put(s)), tx.done]);
  }

  /** Deletes a set and its attempts, together. */
  async delete(id: string): Promise<void> {
    const tx = this.db.transaction(['sets', 'attempts'], 'readwrite', { durability: 'strict' });
    await tx.objectStore('sets').delete(id);
    for (const key of await tx.objectStore('attempts').index('bySet').getAllKeys(id)) await tx.objectStore('attempts').delete(key);
    await tx.done;
  }

  /**
   * The set as a trainee's page may hold it: every quiz item without its key. The keys stay on
   * disk until an answer is submitted (see key()).
   */
  async questions(id: string): Promise<(Omit<TeachingSet, 'items'> & { items: Array<Omit<TeachingSet['items'][number], 'quizzes'> & { quizzes: QuizQuestion[] }> }) | undefined> {
    const set = await this.get(id);
    if (!set) return undefined;
    return { ...set, items: set.items.map((it) => ({ ...it, quizzes: it.quizzes.map(withoutKey) })) };
  }

  /** One quiz item whole, key included: asked for when the trainee submits. */
  async quiz(setId: string, itemId: string, quizId: string): Promise<QuizItem | undefined> {
    return (await this.get(setId))?.items.find((i) => i.id === itemId)?.quizzes.find((q) => q.id === quizId);
  }

  async addAttempt(a: QuizAttempt): Promise<void> {
    const tx = this.db.transaction('attempts', 'readwrite', { durability: 'strict' });
    await tx.store.put(a);
    await tx.done;
  }

  async attempts(setId: string): Promise<QuizAttempt[]> {
    const list = await this.db.getAllFromIndex('attempts', 'bySet', setId);
    return list.sort((a, b) => a.at - b.at);
  }
}

function withoutKey(q: QuizItem): QuizQuestion {
  const { key: _key, ...question } = q;
  return question as QuizQuestion;
}
