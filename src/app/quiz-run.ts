import type { Annotation, RegionPolygons } from '../model/annotation';
import type { AnnotationClass } from '../model/classes';
import { ellipsePolygon } from '../model/geometry';
import type { Pt } from '../model/geometry';
import type { SlideInfo } from '../model/manifest';
import { scoreQuiz } from '../model/teaching/scoring';
import type { QuizAnswer, QuizQuestion, QuizScore } from '../model/teaching/types';
import type { AppContext } from './context';
import type { SlideSession } from './slide-session';

/** How feedback is drawn on the slide after a submit (shown in this session only, never saved). */
export const FEEDBACK_CLASSES: readonly AnnotationClass[] = [
  { id: 'quiz-hit', name: 'Found', colour: '#16a34a', key: 0, tool: 'point' },
  { id: 'quiz-miss', name: 'Missed', colour: '#dc2626', key: 0, tool: 'point' },
  { id: 'quiz-false', name: 'False mark', colour: '#f59e0b', key: 0, tool: 'point' },
  { id: 'quiz-key', name: 'Key', colour: '#2563eb', key: 0, tool: 'polygon' },
  { id: 'quiz-field', name: 'Field', colour: '#111827', key: 0, tool: 'polygon' },
];

/**
 * One trainee at one quiz item. The answer is drawn on the slide with the ordinary tools, into
 * annotations of a slide of its own (`quiz:<set>:<quiz>`), so it is kept like any annotation and
 * survives a reload. The key is not in the page until submit() asks the set for it.
 */
export class QuizRun {
  private constructor(
    private readonly ctx: AppContext,
    readonly setId: string,
    readonly itemId: string,
    readonly quiz: QuizQuestion,
    readonly slide: SlideInfo,
    /** The trainee's marks (points and region quizzes). */
    readonly session: SlideSession,
  ) {}

  static async start(ctx: AppContext, setId: string, itemId: string, quiz: QuizQuestion, slide: SlideInfo): Promise<QuizRun> {
    const session = await ctx.annotations.openSession({ id: `quiz:${setId}:${quiz.id}`, mpp: slide.mpp });
    const run = new QuizRun(ctx, setId, itemId, quiz, slide, session);
    run.showField();
    if (quiz.kind === 'points' || quiz.kind === 'region') {
      session.editor.setClass(quiz.classId);
      session.editor.setTool(quiz.kind === 'points' ? 'point' : 'polygon');
    }
    return run;
  }

  /** The field a points quiz is about, outlined on the slide (shown here only, never saved). */
  private showField(): void {
    if (this.quiz.kind !== 'points') return;
    const f = this.quiz.field;
    this.session.showExtraClasses(FEEDBACK_CLASSES);
    if (!this.session.store.get('feedback-field'))
      this.session.store.apply({ created: [this.feedback('feedback-field', 'quiz-field', { type: 'rectangle', min: [f.x, f.y], max: [f.x + f.width, f.y + f.height] })], updated: [], deleted: [] }, 'remote');
  }

  /** The trainee's points, or the areas they drew (each shape a part). */
  private marks(): { points: Pt[]; polygons: Pt[][][]; ids: string[] } {
    const points: Pt[] = [];
    const polygons: Pt[][][] = [];
    const ids: string[] = [];
    for (const a of this.session.store.all()) {
      if (a.classId.startsWith('quiz-') && a.id.startsWith('feedback-')) continue;
      const g = a.geometry;
      if (g.type === 'point') {
        points.push([g.point[0], g.point[1]]);
        ids.push(a.id);
      } else if (g.type === 'polygon' || g.type === 'freehand') polygons.push([g.points.slice()]);
      else if (g.type === 'rectangle') polygons.push([[g.min, [g.max[0], g.min[1]], g.max, [g.min[0], g.max[1]]]]);
      else if (g.type === 'ellipse') polygons.push([ellipsePolygon(g.center[0], g.center[1], g.rx, g.ry)]);
      else if (g.type === 'region') polygons.push(...g.polygons.map((p) => p.map((r) => r.slice())));
    }
    return { points, polygons, ids };
  }

  answer(given: { value?: number; chosen?: readonly number[] } = {}): QuizAnswer {
    switch (this.quiz.kind) {
      case 'points':
        return { kind: 'points', points: this.marks().points };
      case 'region':
        return { kind: 'region', polygons: this.marks().polygons as RegionPolygons };
      case 'number':
        return { kind: 'number', value: given.value ?? NaN };
      case 'choice':
        return { kind: 'choice', chosen: given.chosen ?? [] };
    }
  }

  /** Scores the answer against the key (read now, not before), keeps the attempt, draws feedback. */
  async submit(given: { value?: number; chosen?: readonly number[] } = {}): Promise<QuizScore> {
    const teaching = await this.ctx.annotations.teaching();
    const item = await teaching.quizWithKey(this.setId, this.itemId, this.quiz.id);
    if (!item) throw new Error('this quiz item is no longer in the set');
    await this.session.persistence.flushed();
    const answer = this.answer(given);
    const score = scoreQuiz(item, answer, this.slide.mpp);
    await teaching.recordAttempt({ setId: this.setId, itemId: this.itemId, quizId: this.quiz.id, answer, score });
    this.clearFeedback();
    this.session.showExtraClasses(FEEDBACK_CLASSES);
    if (item.kind === 'points' && score.kind === 'points') {
      const { ids } = this.marks();
      const hit = new Set(score.matches.map(([a]) => a));
      const found = new Set(score.matches.map(([, k]) => k));
      const updated = ids.map((id, i) => {
        const before = this.session.store.get(id)!;
        return { before, after: { ...before, classId: hit.has(i) ? 'quiz-hit' : 'quiz-false' } };
      });
      const created = item.key.flatMap((p, k) => (found.has(k) ? [] : [this.feedback(`feedback-miss-${k}`, 'quiz-miss', { type: 'point', point: [p[0], p[1]] })]));
      this.session.store.apply({ created, updated, deleted: [] }, 'remote');
    } else if (item.kind === 'region') {
      this.session.store.apply({ created: [this.feedback('feedback-key', 'quiz-key', { type: 'region', polygons: item.key })], updated: [], deleted: [] }, 'remote');
    }
    return score;
  }

  private feedback(id: string, classId: string, geometry: Annotation['geometry']): Annotation {
    return { id, slideId: this.session.slideId, classId, geometry, label: '', note: '', author: '', created: 0, updated: 0, rev: 1 };
  }

  /** Takes the feedback off the slide; the trainee's marks go back to their class. */
  private clearFeedback(): void {
    const all = this.session.store.all();
    const deleted = all.filter((a) => a.id.startsWith('feedback-') && a.id !== 'feedback-field');
    const updated = all.filter((a) => !a.id.startsWith('feedback-') && (a.classId === 'quiz-hit' || a.classId === 'quiz-false')).map((before) => ({ before, after: { ...before, classId: (this.quiz as { classId?: string }).classId ?? before.classId } }));
    if (deleted.length + updated.length > 0) this.session.store.apply({ created: [], updated, deleted }, 'remote');
  }

  /** A fresh try: the marks are deleted (as an edit, so they stay deleted) and the feedback goes. */
  tryAgain(): void {
    this.clearFeedback();
    const marks = this.session.store.all().filter((a) => !a.id.startsWith('feedback-'));
    if (marks.length > 0) this.session.store.apply({ created: [], updated: [], deleted: marks }, 'user');
  }

  destroy(): void {
    this.session.destroy();
  }
}
