import type { QuizAttempt, QuizItem, SetItem, TeachingSet, TourStep } from '../model/teaching/types';
import type { SetsRepository } from '../storage/sets-repo';

/**
 * Teaching sets as a teacher edits them and a trainee studies them: every change is a whole new
 * version of the set, checked and written in one transaction (sets are small: tens of steps and
 * quiz items). Screens use this; they never see the repository.
 */
export class Teaching {
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly repo: SetsRepository,
    private readonly now: () => number = Date.now,
    private readonly newId: () => string = () => crypto.randomUUID(),
  ) {}

  /** Called after any change to any set (the home page's list, an open set). */
  onChange(l: () => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }

  list(): Promise<{ sets: TeachingSet[]; unreadable: number }> {
    return this.repo.list();
  }

  get(id: string): Promise<TeachingSet | undefined> {
    return this.repo.get(id);
  }

  async create(name: string, author = ''): Promise<TeachingSet> {
    const { sets } = await this.repo.list();
    const t = this.now();
    const set: TeachingSet = { id: this.newId(), name: name.trim() || 'New teaching set', description: '', author, created: t, updated: t, order: (sets.at(-1)?.order ?? 0) + 1, items: [] };
    await this.repo.put(set);
    this.changed();
    return set;
  }

  /** Applies `change` to the set as stored now, and stores the result. */
  async edit(id: string, change: (s: TeachingSet) => TeachingSet): Promise<TeachingSet> {
    const current = await this.repo.get(id);
    if (!current) throw new Error('That teaching set no longer exists.');
    const next = { ...change(current), id, updated: this.now() };
    await this.repo.put(next);
    this.changed();
    return next;
  }

  rename(id: string, name: string): Promise<TeachingSet> {
    return this.edit(id, (s) => ({ ...s, name: name.trim() || s.name }));
  }

  /** A copy with new ids throughout (its attempts are not copied). */
  async duplicate(id: string): Promise<TeachingSet> {
    const s = await this.repo.get(id);
    if (!s) throw new Error('That teaching set no longer exists.');
    const { sets } = await this.repo.list();
    const t = this.now();
    const copy: TeachingSet = {
      ...s,
      id: this.newId(),
      name: `${s.name} (copy)`.slice(0, 200),
      created: t,
      updated: t,
      order: (sets.at(-1)?.order ?? 0) + 1,
      items: s.items.map((it) => ({ ...it, id: this.newId(), tour: it.tour.map((st) => ({ ...st, id: this.newId() })), quizzes: it.quizzes.map((q) => ({ ...q, id: this.newId() })) })),
    };
    await this.repo.put(copy);
    this.changed();
    return copy;
  }

  async delete(id: string): Promise<void> {
    await this.repo.delete(id);
    this.changed();
  }

  /** Moves a set one place up (-1) or down (+1) in the list; every set gets its new place at once. */
  async move(id: string, by: -1 | 1): Promise<void> {
    const { sets } = await this.repo.list();
    const i = sets.findIndex((s) => s.id === id);
    const j = i + by;
    if (i < 0 || j < 0 || j >= sets.length) return;
    [sets[i], sets[j]] = [sets[j]!, sets[i]!];
    await this.repo.putAll(sets.map((s, k) => ({ ...s, order: k + 1 })));
    this.changed();
  }

  /** The item for a slide (and figure) in a set, made if the set has none yet. */
  async itemFor(setId: string, slideId: string, figure: number | undefined, title: string): Promise<{ set: TeachingSet; item: SetItem }> {
    let item: SetItem | undefined;
    const set = await this.edit(setId, (s) => {
      item = s.items.find((it) => it.slideId === slideId && it.figure === figure);
      if (item) return s;
      item = { id: this.newId(), slideId, ...(figure !== undefined ? { figure } : {}), title, tour: [], quizzes: [] };
      return { ...s, items: [...s.items, item] };
    });
    return { set, item: item! };
  }

  private editItem(setId: string, itemId: string, change: (it: SetItem) => SetItem): Promise<TeachingSet> {
    return this.edit(setId, (s) => ({ ...s, items: s.items.map((it) => (it.id === itemId ? change(it) : it)) }));
  }

  addStep(setId: string, itemId: string, step: Omit<TourStep, 'id'>): Promise<TeachingSet> {
    return this.editItem(setId, itemId, (it) => ({ ...it, tour: [...it.tour, { ...step, id: this.newId() }] }));
  }

  removeStep(setId: string, itemId: string, stepId: string): Promise<TeachingSet> {
    return this.editItem(setId, itemId, (it) => ({ ...it, tour: it.tour.filter((s) => s.id !== stepId) }));
  }

  addQuiz(setId: string, itemId: string, quiz: QuizItem): Promise<TeachingSet> {
    return this.editItem(setId, itemId, (it) => ({ ...it, quizzes: [...it.quizzes, { ...quiz, id: quiz.id || this.newId() }] }));
  }

  removeQuiz(setId: string, itemId: string, quizId: string): Promise<TeachingSet> {
    return this.editItem(setId, itemId, (it) => ({ ...it, quizzes: it.quizzes.filter((q) => q.id !== quizId) }));
  }

  removeItem(setId: string, itemId: string): Promise<TeachingSet> {
    return this.edit(setId, (s) => ({ ...s, items: s.items.filter((it) => it.id !== itemId) }));
  }

  /** The set without its quiz keys: what a trainee's page holds. */
  questions(setId: string): ReturnType<SetsRepository['questions']> {
    return this.repo.questions(setId);
  }

  /** A quiz item with its key: asked for only when an answer is submitted. */
  quizWithKey(setId: string, itemId: string, quizId: string): Promise<QuizItem | undefined> {
    return this.repo.quiz(setId, itemId, quizId);
  }

  async recordAttempt(a: Omit<QuizAttempt, 'id' | 'at'>): Promise<QuizAttempt> {
    const attempt: QuizAttempt = { ...a, id: this.newId(), at: this.now() };
    await this.repo.addAttempt(attempt);
    this.changed();
    return attempt;
  }

  attempts(setId: string): Promise<QuizAttempt[]> {
    return this.repo.attempts(setId);
  }

  /** Stores a set as it came from a file, with new ids where it would overwrite one of this profile's. */
  async adopt(set: TeachingSet): Promise<TeachingSet> {
    const { sets } = await this.repo.list();
    const taken = sets.some((s) => s.id === set.id);
    const stored: TeachingSet = { ...set, id: taken ? this.newId() : set.id, order: (sets.at(-1)?.order ?? 0) + 1 };
    await this.repo.put(stored);
    this.changed();
    return stored;
  }
}
