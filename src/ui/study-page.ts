import { formatRoute } from '../model/route';
import { isFileSlideId } from '../model/slide-id';
import { LitElement, css, html } from 'lit';
import type { TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { AppContext } from '../app/context';
import { QuizRun } from '../app/quiz-run';
import type { SlideSession } from '../app/slide-session';
import type { Teaching } from '../app/teaching';
import type { SlideInfo } from '../model/manifest';
import type { ViewState } from '../model/route';
import { parseMarkdown } from '../model/teaching/markdown';
import type { Inline } from '../model/teaching/markdown';
import type { QuizAttempt, QuizQuestion, QuizScore, SetItem, TeachingSet } from '../model/teaching/types';
import './slide-view';
import type { SlideViewElement } from './slide-view';

type QuestionSet = Omit<TeachingSet, 'items'> & { items: Array<Omit<SetItem, 'quizzes'> & { quizzes: QuizQuestion[] }> };

/**
 * A teaching set studied: each slide's guided tour (Next/Previous by button or by N and B; the
 * viewer flies to each step, its annotations stand out) and its quiz items. The page holds the
 * set without its quiz keys; a key is read only when an answer is submitted.
 */
@customElement('lamina-study-page')
export class StudyPageElement extends LitElement {
  @property({ attribute: false }) ctx!: AppContext;
  @property() setId = '';
  @property({ type: Number }) item = 0;
  @property({ type: Number }) step = 0;
  @state() private set: QuestionSet | undefined;
  @state() private error = '';
  @state() private session: SlideSession | undefined;
  @state() private run: QuizRun | undefined;
  @state() private score: QuizScore | undefined;
  @state() private attempts: QuizAttempt[] = [];
  @state() private revision = 0;
  /** Where a points quiz's field fills this screen (undefined: the quiz's own view). */
  @state() private quizView: ViewState | undefined;
  private teaching: Teaching | undefined;
  private sessionSlide = '';
  private offs: Array<() => void> = [];

  static override styles = css`
    :host { display: flex; flex-direction: column; height: 100%; font: 14px/1.45 system-ui, sans-serif; }
    header { display: flex; flex-wrap: wrap; gap: 4px 16px; align-items: baseline; padding: 6px 14px; background: #f7f7f9; border-bottom: 1px solid #ddd; }
    h1 { font-size: 1.1rem; margin: 0; }
    .body { flex: 1; display: flex; min-height: 0; }
    lamina-slide-view { flex: 1; min-width: 0; }
    aside { width: 340px; flex: none; overflow: auto; padding: 10px 12px; border-left: 1px solid #ddd; background: #fafafa; box-sizing: border-box; }
    @media (max-width: 700px) { .body { flex-direction: column; } aside { width: auto; max-height: 45vh; border-left: 0; border-top: 1px solid #ddd; } }
    h2 { font-size: 1rem; margin: 10px 0 4px; }
    .row { display: flex; gap: 6px; flex-wrap: wrap; align-items: center; }
    button { font: inherit; padding: 3px 10px; border: 1px solid #888; border-radius: 4px; background: #fff; cursor: pointer; }
    button[aria-pressed='true'] { background: #2f5fb3; color: #fff; }
    .text p { margin: 6px 0; }
    .muted { color: #666; font-size: 12px; }
    .error { color: #a00; }
    .score { background: #eef6ee; border: 1px solid #9c9; border-radius: 6px; padding: 6px 8px; }
    .score.fail { background: #fbf1e6; border-color: #dba; }
    ul.quizzes { list-style: none; padding: 0; margin: 0; }
    ul.quizzes li { margin: 4px 0; }
    .swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 4px; }
  `;

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('keydown', this.onKey);
    void this.load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('keydown', this.onKey);
    this.closeAll();
  }

  private closeAll(): void {
    for (const o of this.offs) o();
    this.offs = [];
    this.run?.destroy();
    this.run = undefined;
    this.session?.destroy();
    this.session = undefined;
    this.sessionSlide = '';
  }

  private async load(): Promise<void> {
    try {
      this.teaching = await this.ctx.annotations.teaching();
      const set = await this.teaching.questions(this.setId);
      if (!set) {
        this.error = 'There is no such teaching set in this browser. Import its file from the case home.';
        return;
      }
      this.set = set;
      this.attempts = await this.teaching.attempts(this.setId);
      await this.openSlide();
    } catch (e) {
      this.error = `The teaching set could not be opened: ${e instanceof Error ? e.message : String(e)}`;
    }
  }

  override updated(changed: Map<string, unknown>): void {
    if ((changed.has('item') && changed.get('item') !== undefined) || (changed.has('setId') && changed.get('setId') !== undefined)) {
      this.leaveQuiz();
      void this.openSlide();
    }
  }

  /** Own slide files (by content hash) this set uses, once their files are open in this page. */
  @state() private ownSlides: ReadonlyMap<string, SlideInfo> = new Map();

  private get current(): (QuestionSet['items'][number] & { slide: SlideInfo | undefined }) | undefined {
    const it = this.set?.items[this.item];
    return it ? { ...it, slide: this.ctx.manifest.slides.find((s) => s.id === it.slideId) ?? this.ownSlides.get(it.slideId) } : undefined;
  }

  /** An own slide's file, opened (or found open) for this item; a case slide needs nothing. */
  private async findOwnSlide(): Promise<void> {
    const id = this.set?.items[this.item]?.slideId;
    if (!id || !isFileSlideId(id) || this.ownSlides.has(id)) return;
    const a = await this.ctx.ownSlides.availability(id);
    if (a.state === 'open') this.ownSlides = new Map([...this.ownSlides, [id, a.slide]]);
  }

  /** The tour's view of the slide's annotations (the teacher's), read only. */
  private async openSlide(): Promise<void> {
    await this.findOwnSlide();
    const it = this.current;
    if (!it?.slide || this.sessionSlide === it.slide.id) return;
    for (const o of this.offs) o();
    this.offs = [];
    this.session?.destroy();
    this.sessionSlide = it.slide.id;
    const session = await this.ctx.annotations.openSession(it.slide);
    if (this.current?.slide?.id !== session.slideId) return session.destroy();
    this.session = session;
    this.offs.push(session.onChange(() => this.revision++));
  }

  override render() {
    if (this.error) return html`<header><a href="#/">← Case</a></header><p class="error" role="alert" style="padding:1em">${this.error}</p>`;
    const set = this.set;
    const it = this.current;
    if (!set || !it) return html`<header><a href="#/">← Case</a></header><p style="padding:1em" aria-busy="true">Opening the teaching set…</p>`;
    if (!it.slide && isFileSlideId(it.slideId))
      return html`<header><a href="#/">← Case</a></header><p class="error" role="alert" style="padding:1em">This set’s slide is a slide file that is not open here.
        <a href=${formatRoute({ name: 'file', id: it.slideId })}>Open it</a>, then come back to this set.</p>`;
    if (!it.slide) return html`<header><a href="#/">← Case</a></header><p class="error" role="alert" style="padding:1em">This set’s slide “${it.slideId}” is not in this case.</p>`;
    const step = it.tour[Math.min(this.step, Math.max(0, it.tour.length - 1))];
    const view: ViewState | undefined = this.run ? (this.quizView ?? this.run.quiz.view) : step?.view;
    return html`
      <header>
        <a href="#/">← Case</a>
        <h1>${set.name}</h1>
        <span>Slide ${this.item + 1} of ${set.items.length}: ${it.title}</span>
        <span class="row">
          <button type="button" ?disabled=${this.item === 0} @click=${() => this.goItem(this.item - 1)}>Previous slide</button>
          <button type="button" ?disabled=${this.item >= set.items.length - 1} @click=${() => this.goItem(this.item + 1)}>Next slide</button>
        </span>
      </header>
      <div class="body">
        <lamina-slide-view .ctx=${this.ctx} .slide=${it.slide} .view=${view} .session=${this.run?.session ?? this.session}
          annotationMode=${this.run && (this.run.quiz.kind === 'points' || this.run.quiz.kind === 'region') && !this.score ? 'edit' : 'view'}
          .highlight=${new Set(this.run ? [] : (step?.highlight ?? []))}></lamina-slide-view>
        <aside aria-label="Study">
          ${this.run ? this.quizPanel(this.run) : this.tourPanel(it, step)}
        </aside>
      </div>`;
  }

  private tourPanel(it: QuestionSet['items'][number], step: SetItem['tour'][number] | undefined) {
    const s = this.session;
    return html`
      <h2>Tour</h2>
      ${step
        ? html`<p class="muted" data-testid="step-count">Step ${Math.min(this.step, it.tour.length - 1) + 1} of ${it.tour.length}</p>
            <h3 data-testid="step-title">${step.title}</h3>
            <div class="text" data-testid="step-text">${renderMarkdown(step.text)}</div>
            <div class="row">
              <button type="button" ?disabled=${this.step <= 0} @click=${() => this.goStep(this.step - 1)}>◀ Previous</button>
              <button type="button" ?disabled=${this.step >= it.tour.length - 1} @click=${() => this.goStep(this.step + 1)}>Next ▶</button>
            </div>
            <p class="muted">Keys: N next step, B back.</p>`
        : html`<p class="muted">This slide has no tour steps.</p>`}
      ${s
        ? html`<h2>Show</h2>
            ${s.classes.filter((c) => (s.counts.get(c.id) ?? 0) > 0).map(
              (c) => html`<label style="display:block"><input type="checkbox" .checked=${!s.hidden.has(c.id)} @change=${() => s.toggleHidden(c.id)} /> <span class="swatch" style="background:${c.colour}"></span>${c.name} (${s.counts.get(c.id) ?? 0})</label>`,
            )}`
        : ''}
      <h2>Quiz</h2>
      ${it.quizzes.length
        ? html`<ul class="quizzes">${it.quizzes.map((q) => {
            const tries = this.attempts.filter((a) => a.quizId === q.id);
            const best = tries.reduce<number | undefined>((b, a) => Math.max(b ?? 0, scoreValue(a.score)), undefined);
            return html`<li>${q.prompt}
              <button type="button" @click=${() => void this.takeQuiz(q)}>Take</button>
              ${tries.length ? html`<span class="muted">${tries.length} attempt(s), best ${Math.round((best ?? 0) * 100)}%</span>` : ''}</li>`;
          })}</ul>`
        : html`<p class="muted">No quiz for this slide.</p>`}`;
  }

  private quizPanel(run: QuizRun) {
    const q = run.quiz;
    const sc = this.score;
    return html`
      <h2>Quiz</h2>
      <p data-testid="quiz-prompt"><b>${q.prompt}</b></p>
      ${q.kind === 'points' ? html`<p class="muted">Click (or tap) each one to mark it. Select a mark to move or delete it.</p>` : ''}
      ${q.kind === 'region' ? html`<p class="muted">Draw the outline with the polygon or freehand tool; several parts are allowed.</p>` : ''}
      ${q.kind === 'number' ? html`<label>Your answer (${q.unit}) <input type="number" step="any" data-testid="quiz-number" ?disabled=${!!sc} /></label>` : ''}
      ${q.kind === 'choice' ? html`<fieldset ?disabled=${!!sc}><legend>Choose</legend>${q.choices.map((c, i) => html`<label style="display:block"><input type="checkbox" name="choice" value=${i} /> ${c}</label>`)}</fieldset>` : ''}
      ${sc
        ? html`<div class="score ${sc.pass ? '' : 'fail'}" role="status" data-testid="quiz-score">${describeScore(sc)}</div>
            <div class="row"><button type="button" @click=${this.tryAgain}>Try again</button><button type="button" @click=${this.leaveQuiz}>Back to the tour</button></div>`
        : html`<div class="row"><button type="button" @click=${() => void this.submit()}>Submit</button><button type="button" @click=${this.leaveQuiz}>Cancel</button></div>`}`;
  }

  private async takeQuiz(q: QuizQuestion): Promise<void> {
    const it = this.current;
    if (!it?.slide) return;
    this.leaveQuiz();
    this.run = await QuizRun.start(this.ctx, this.setId, it.id, q, it.slide);
    this.score = undefined;
    // The whole field in view, whatever the trainee's screen (the teacher's may have been larger).
    this.quizView = q.kind === 'points' ? this.renderRoot.querySelector<SlideViewElement>('lamina-slide-view')?.viewForBox(q.field) : undefined;
  }

  private async submit(): Promise<void> {
    const run = this.run;
    if (!run) return;
    const q = run.quiz;
    const given =
      q.kind === 'number'
        ? { value: Number(this.renderRoot.querySelector<HTMLInputElement>('[data-testid=quiz-number]')?.value ?? NaN) }
        : q.kind === 'choice'
          ? { chosen: [...this.renderRoot.querySelectorAll<HTMLInputElement>('input[name=choice]:checked')].map((i) => Number(i.value)) }
          : {};
    try {
      this.score = await run.submit(given);
      this.attempts = await this.teaching!.attempts(this.setId);
    } catch (e) {
      this.error = `The answer could not be scored: ${e instanceof Error ? e.message : String(e)}`;
    }
  }

  private tryAgain = (): void => {
    this.run?.tryAgain();
    this.score = undefined;
  };

  private leaveQuiz = (): void => {
    this.run?.destroy();
    this.run = undefined;
    this.score = undefined;
  };

  private goStep(step: number): void {
    this.ctx.router.go({ name: 'study', set: this.setId, item: this.item, step });
  }

  private goItem(item: number): void {
    this.ctx.router.go({ name: 'study', set: this.setId, item, step: 0 });
  }

  private onKey = (e: KeyboardEvent): void => {
    if (this.run || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.composedPath().some((t) => t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement)) return;
    const n = this.current?.tour.length ?? 0;
    if ((e.key === 'n' || e.key === 'N' || e.key === 'PageDown') && this.step < n - 1) this.goStep(this.step + 1);
    else if ((e.key === 'b' || e.key === 'B' || e.key === 'PageUp') && this.step > 0) this.goStep(this.step - 1);
    else return;
    e.preventDefault();
  };
}

function scoreValue(s: QuizScore): number {
  return s.kind === 'points' ? s.f1 : s.kind === 'region' ? s.dice : s.pass ? 1 : 0;
}

const pct = (x: number): string => `${Math.round(x * 100)}%`;

function describeScore(s: QuizScore): string {
  switch (s.kind) {
    case 'points':
      return `${s.pass ? 'Passed' : 'Not yet'}: ${s.truePositives} found, ${s.falseNegatives} missed, ${s.falsePositives} false mark(s). Sensitivity ${pct(s.sensitivity)}, precision ${pct(s.precision)}, F1 ${pct(s.f1)}. On the slide: green found, red missed, orange false marks.`;
    case 'region':
      return `${s.pass ? 'Passed' : 'Not yet'}: overlap with the key IoU ${pct(s.iou)}, Dice ${pct(s.dice)}. The key's outline is drawn in blue.`;
    case 'number':
      return `${s.pass ? 'Right' : 'Not within the tolerance'}: off by ${Number.isFinite(s.error) ? s.error.toFixed(1) : '—'}.`;
    case 'choice':
      return `${s.pass ? 'Right' : 'Not quite'}: ${s.correct} right choice(s) made, ${s.wrong} wrong.`;
  }
}

/** The safe Markdown subset as Lit templates: text is only ever text (never parsed as HTML). */
function renderMarkdown(text: string): TemplateResult[] {
  const inline = (xs: readonly Inline[]) =>
    xs.map((x) =>
      x.type === 'strong' ? html`<strong>${x.text}</strong>` : x.type === 'em' ? html`<em>${x.text}</em>` : x.type === 'link' ? html`<a href=${x.href} rel="noopener noreferrer" target="_blank">${x.text}</a>` : html`${x.text}`,
    );
  return parseMarkdown(text).map((b) => (b.type === 'p' ? html`<p>${inline(b.inlines)}</p>` : html`<ul>${b.items.map((i) => html`<li>${inline(i)}</li>`)}</ul>`));
}

declare global {
  interface HTMLElementTagNameMap {
    'lamina-study-page': StudyPageElement;
  }
}
