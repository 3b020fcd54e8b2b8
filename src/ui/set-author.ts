import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { AppContext } from '../app/context';
import type { SlideSession } from '../app/slide-session';
import { TruthKeys } from '../app/truth-keys';
import { ki67Summary, mitoticSummary, necrosisSummary } from '../app/counting';
import type { FigureView, SlideInfo } from '../model/manifest';
import type { ViewState } from '../model/route';
import type { FieldRect, QuizItem, SetItem, SetView } from '../model/teaching/types';
import type { Pt } from '../model/geometry';
import { TeachingSetsController } from './teaching-sets-controller';

/** What the teacher can make a quiz from here. */
type QuizSource = 'truth-mitoses' | 'truth-atypical' | 'truth-ki67' | 'truth-necrosis' | 'class-points' | 'selected-outline' | 'count-mitoses' | 'count-ki67' | 'count-necrosis' | 'number' | 'choice';

const SOURCES: ReadonlyArray<{ value: QuizSource; label: string; virtualOnly?: boolean }> = [
  { value: 'truth-mitoses', label: 'Mark every mitosis in this field (key: ground truth)', virtualOnly: true },
  { value: 'truth-atypical', label: 'Mark every atypical mitosis in this field (key: ground truth)', virtualOnly: true },
  { value: 'truth-ki67', label: 'Estimate the Ki67 index in this field (key: ground truth)', virtualOnly: true },
  { value: 'truth-necrosis', label: 'Outline the necrosis in this field (key: ground truth)', virtualOnly: true },
  { value: 'class-points', label: 'Mark every point of a class in this field (key: your annotations)' },
  { value: 'selected-outline', label: 'Outline a region (key: the selected annotation)' },
  { value: 'count-mitoses', label: 'The mitotic count per 10 HPF (key: your count in the fields, Count › Mitoses)' },
  { value: 'count-ki67', label: 'The Ki67 index (key: your count in the Ki67 regions, Count › Ki67)' },
  { value: 'count-necrosis', label: 'The necrotic share of the tumour (key: Count › Necrosis)' },
  { value: 'number', label: 'A number within a tolerance' },
  { value: 'choice', label: 'Multiple choice' },
];

/**
 * Teach: builds a teaching set from the viewer. The slide joins the chosen set; the current view
 * becomes a tour step (text, and the selected annotation to highlight) or a quiz item, whose key
 * comes from the virtual slide's ground truth or from the teacher's own annotations.
 */
@customElement('lamina-set-author')
export class SetAuthorElement extends LitElement {
  @property({ attribute: false }) ctx!: AppContext;
  @property({ attribute: false }) slide!: SlideInfo;
  @property({ attribute: false }) figure: FigureView | undefined;
  @property({ attribute: false }) session!: SlideSession;
  /** The viewer's view and visible field now (image pixels). */
  @property({ attribute: false }) viewNow: () => { view: ViewState; field: FieldRect } | undefined = () => undefined;
  @state() private setId = '';
  @state() private adding: 'step' | 'quiz' | '' = '';
  @state() private source: QuizSource = 'class-points';
  @state() private message = '';
  @state() private error = '';
  private readonly store = new TeachingSetsController(this, () => this.ctx, {
    // The set chosen stays chosen while it exists; otherwise the first.
    onRefresh: () => {
      if (!this.store.sets.some((s) => s.id === this.setId)) this.setId = this.store.sets[0]?.id ?? '';
    },
  });
  private truth: TruthKeys | undefined;

  static override styles = css`
    :host { display: block; font: 13px/1.4 system-ui, sans-serif; }
    h2 { font-size: 0.95rem; margin: 4px 0; }
    .row { display: flex; gap: 6px; flex-wrap: wrap; align-items: center; margin: 4px 0; }
    label { display: block; margin-top: 4px; }
    input[type='text'], input[type='number'], textarea, select { width: 100%; box-sizing: border-box; font: inherit; }
    textarea { min-height: 60px; }
    button { font: inherit; padding: 2px 8px; border: 1px solid #888; border-radius: 4px; background: #fff; cursor: pointer; }
    ol { margin: 4px 0; padding-left: 1.4em; }
    li { margin: 2px 0; }
    .muted { color: #666; font-size: 12px; }
    .error { color: #a00; }
    form { border: 1px solid #ddd; border-radius: 6px; padding: 6px; background: #fff; margin-top: 4px; }
  `;

  override connectedCallback(): void {
    super.connectedCallback();
    this.truth = TruthKeys.of(this.slide, this.ctx.scenes);
    if (!this.truth) this.source = 'class-points';
  }

  private get item(): SetItem | undefined {
    return this.store.sets.find((s) => s.id === this.setId)?.items.find((it) => it.slideId === this.slide.id && it.figure === this.figure?.number);
  }

  override render() {
    const item = this.item;
    return html`<h2>Teach</h2>
      ${this.store.sets.length === 0
        ? html`<div class="row"><button type="button" @click=${this.newSet}>New teaching set</button> <span class="muted">then add this view as a tour step or a quiz.</span></div>`
        : html`<div class="row">
            <select aria-label="Teaching set" .value=${this.setId} @change=${(e: Event) => (this.setId = (e.target as HTMLSelectElement).value)}>
              ${this.store.sets.map((s) => html`<option value=${s.id} ?selected=${s.id === this.setId}>${s.name}</option>`)}
            </select>
            <button type="button" @click=${this.newSet}>New set</button>
          </div>
          <div class="row">
            <button type="button" aria-pressed=${this.adding === 'step' ? 'true' : 'false'} @click=${() => (this.adding = this.adding === 'step' ? '' : 'step')}>Add tour step (this view)</button>
            <button type="button" aria-pressed=${this.adding === 'quiz' ? 'true' : 'false'} @click=${() => (this.adding = this.adding === 'quiz' ? '' : 'quiz')}>Add quiz here</button>
          </div>
          ${this.adding === 'step' ? this.stepForm() : this.adding === 'quiz' ? this.quizForm() : ''}
          ${item ? this.itemList(item) : html`<p class="muted">This slide is not in the set yet: a step or a quiz adds it.</p>`}`}
      ${this.error || this.store.error ? html`<p class="error" role="alert">${this.error || this.store.error}</p>` : ''}
      ${this.message ? html`<p role="status" data-testid="teach-status">${this.message}</p>` : ''}`;
  }

  private stepForm() {
    const sel = this.session.editor.selected;
    return html`<form @submit=${this.addStep} aria-label="New tour step">
      <label>Title <input name="title" type="text" maxlength="200" required /></label>
      <label>Text <span class="muted">(**bold**, *italic*, - lists, [links](https://…))</span><textarea name="text" maxlength="10000"></textarea></label>
      <label><input name="highlight" type="checkbox" ?disabled=${!sel} ?checked=${!!sel} /> Highlight the selected annotation</label>
      <button type="submit">Save step</button>
    </form>`;
  }

  private quizForm() {
    const sources = SOURCES.filter((s) => !s.virtualOnly || this.truth);
    const s = this.source;
    return html`<form @submit=${this.addQuiz} aria-label="New quiz item">
      <label>Kind <select name="source" .value=${s} @change=${(e: Event) => (this.source = (e.target as HTMLSelectElement).value as QuizSource)}>
        ${sources.map((o) => html`<option value=${o.value} ?selected=${o.value === s}>${o.label}</option>`)}
      </select></label>
      <label>Question <input name="prompt" type="text" maxlength="2000" .value=${defaultPrompt(s)} required /></label>
      ${s === 'class-points'
        ? html`<label>Key class <select name="classId">${this.session.classes.map((c) => html`<option value=${c.id}>${c.name}</option>`)}</select></label>`
        : ''}
      ${s.startsWith('truth-mitoses') || s === 'truth-atypical' || s === 'class-points'
        ? html`<label>A mark counts within (µm) <input name="radius" type="number" min="1" max="100" step="any" value="8" /></label>`
        : ''}
      ${s === 'number' ? html`<label>Answer <input name="answer" type="number" step="any" required /></label><label>Unit <input name="unit" type="text" maxlength="20" value="%" /></label>` : ''}
      ${s === 'number' || s === 'truth-ki67' || s.startsWith('count-') ? html`<label>Tolerance (±) <input name="tolerance" type="number" min="0" step="any" value="10" /></label>` : ''}
      ${s === 'choice' ? html`<label>Choices, one per line; mark right ones with * at the start <textarea name="choices" required></textarea></label>` : ''}
      ${s === 'truth-necrosis' || s === 'selected-outline' ? html`<label>Pass at Dice ≥ <input name="pass" type="number" min="0" max="1" step="0.05" value="0.7" /></label>` : ''}
      <button type="submit">Save quiz item</button>
    </form>`;
  }

  private itemList(item: SetItem) {
    return html`<p class="muted">${item.title}: ${item.tour.length} step(s), ${item.quizzes.length} quiz item(s)</p>
      ${item.tour.length ? html`<ol aria-label="Tour steps">${item.tour.map((st) => html`<li>${st.title} <button type="button" aria-label="Remove step ${st.title}" @click=${() => void this.store.teaching?.removeStep(this.setId, item.id, st.id)}>✕</button></li>`)}</ol>` : ''}
      ${item.quizzes.length ? html`<ol aria-label="Quiz items">${item.quizzes.map((q) => html`<li>${q.prompt} <button type="button" aria-label="Remove quiz ${q.prompt}" @click=${() => void this.store.teaching?.removeQuiz(this.setId, item.id, q.id)}>✕</button></li>`)}</ol>` : ''}`;
  }

  private newSet = async (): Promise<void> => {
    const s = await this.store.teaching?.create(`Teaching set ${this.store.sets.length + 1}`, this.session.authorName);
    if (s) this.setId = s.id;
  };

  private async itemId(): Promise<string> {
    const title = this.figure ? `Figure ${this.figure.number} · ${this.figure.stain} · ${this.figure.objective}x` : this.slide.name;
    return (await this.store.teaching!.itemFor(this.setId, this.slide.id, this.figure?.number, title)).item.id;
  }

  private here(): { view: SetView; field: FieldRect } {
    const now = this.viewNow();
    if (!now) throw new Error('the viewer has not opened yet');
    return { view: { ...now.view, slideId: this.slide.id }, field: now.field };
  }

  private addStep = async (e: Event): Promise<void> => {
    e.preventDefault();
    const f = (e.target as HTMLFormElement).elements;
    const value = (n: string): string => (f.namedItem(n) as HTMLInputElement).value;
    try {
      const sel = this.session.editor.selected;
      const highlight = (f.namedItem('highlight') as HTMLInputElement).checked && sel ? [sel] : [];
      await this.store.teaching!.addStep(this.setId, await this.itemId(), { title: value('title').trim(), text: value('text'), view: this.here().view, highlight });
      this.adding = '';
      this.error = '';
      this.message = 'Tour step saved.';
    } catch (err) {
      this.error = `The step was not saved: ${err instanceof Error ? err.message : String(err)}`;
    }
  };

  private addQuiz = async (e: Event): Promise<void> => {
    e.preventDefault();
    const f = (e.target as HTMLFormElement).elements;
    const value = (n: string): string => (f.namedItem(n) as HTMLInputElement | null)?.value ?? '';
    try {
      const quiz = this.buildQuiz(this.source, value);
      await this.store.teaching!.addQuiz(this.setId, await this.itemId(), quiz);
      this.adding = '';
      this.error = '';
      this.message = `Quiz item saved${quiz.kind === 'points' ? ` (key: ${quiz.key.length} point(s))` : quiz.kind === 'number' ? ` (key: ${quiz.key.toFixed(1)} ${quiz.unit})` : ''}.`;
    } catch (err) {
      this.error = `The quiz item was not saved: ${err instanceof Error ? err.message : String(err)}`;
    }
  };

  private buildQuiz(source: QuizSource, value: (n: string) => string): QuizItem {
    const { view, field } = this.here();
    const base = { id: crypto.randomUUID(), prompt: value('prompt').trim(), view };
    const num = (n: string, fallback: number): number => (value(n).trim() === '' ? fallback : Number(value(n)));
    switch (source) {
      case 'truth-mitoses':
      case 'truth-atypical': {
        const key = this.truth!.mitoses(field, source === 'truth-atypical' ? 'atypical' : 'all');
        return { ...base, kind: 'points', field, radiusUm: num('radius', 8), classId: source === 'truth-atypical' ? 'atypical-mitosis' : 'typical-mitosis', key };
      }
      case 'class-points': {
        const classId = value('classId');
        const key: Pt[] = [];
        for (const a of this.session.store.all()) {
          const g = a.geometry;
          if (a.classId === classId && g.type === 'point' && g.point[0] >= field.x && g.point[1] >= field.y && g.point[0] <= field.x + field.width && g.point[1] <= field.y + field.height) key.push([g.point[0], g.point[1]]);
        }
        return { ...base, kind: 'points', field, radiusUm: num('radius', 8), classId, key };
      }
      case 'truth-ki67':
        return { ...base, kind: 'number', unit: '%', key: Math.round(this.truth!.ki67Percent(field) * 10) / 10, tolerance: num('tolerance', 10) };
      case 'truth-necrosis': {
        const key = this.truth!.necroses(field);
        if (key.length === 0) throw new Error('there is no necrosis in this field');
        return { ...base, kind: 'region', classId: 'necrosis', key, passDice: num('pass', 0.7) };
      }
      case 'selected-outline': {
        const a = this.session.editor.selected ? this.session.store.get(this.session.editor.selected) : undefined;
        const g = a?.geometry;
        if (!a || !g) throw new Error('select the annotation that is the key first');
        const key =
          g.type === 'region' ? g.polygons : g.type === 'polygon' || g.type === 'freehand' ? [[g.points.slice()]] : g.type === 'rectangle' ? [[[g.min, [g.max[0], g.min[1]], g.max, [g.min[0], g.max[1]]] as Pt[]]] : undefined;
        if (!key) throw new Error('the key of an outline quiz must be an area (polygon, freehand, rectangle or region)');
        return { ...base, kind: 'region', classId: a.classId, key, passDice: num('pass', 0.7) };
      }
      case 'count-mitoses': {
        const m = mitoticSummary(this.session, this.slide.mpp);
        if (!m.fields.length) throw new Error('lay out the high-power fields and count first (Count › Mitoses)');
        return { ...base, kind: 'number', unit: `per ${m.fields.length} HPF`, key: m.total, tolerance: num('tolerance', 2) };
      }
      case 'count-ki67': {
        const k = ki67Summary(this.session);
        if (!(k.positive + k.negative)) throw new Error('count the nuclei in a Ki67 region first (Count › Ki67)');
        return { ...base, kind: 'number', unit: '%', key: Math.round(k.index * 1000) / 10, tolerance: num('tolerance', 5) };
      }
      case 'count-necrosis': {
        const n = necrosisSummary(this.session);
        if ('problem' in n) throw new Error(`measure the necrosis first (Count › Necrosis): ${n.problem}`);
        return { ...base, kind: 'number', unit: '%', key: Math.round(n.share * 1000) / 10, tolerance: num('tolerance', 10) };
      }
      case 'number':
        return { ...base, kind: 'number', unit: value('unit').trim(), key: num('answer', NaN), tolerance: num('tolerance', 0) };
      case 'choice': {
        const lines = value('choices').split('\n').map((l) => l.trim()).filter(Boolean);
        const key = lines.flatMap((l, i) => (l.startsWith('*') ? [i] : []));
        if (key.length === 0) throw new Error('mark at least one right choice with * at the start of its line');
        return { ...base, kind: 'choice', choices: lines.map((l) => l.replace(/^\*\s*/, '')), key };
      }
    }
  }
}

function defaultPrompt(s: QuizSource): string {
  switch (s) {
    case 'truth-mitoses':
      return 'Mark every mitosis in this field.';
    case 'truth-atypical':
      return 'Mark every atypical mitosis in this field.';
    case 'truth-ki67':
      return 'Estimate the Ki67 index in this field (percent of tumour nuclei).';
    case 'truth-necrosis':
      return 'Outline the tumour necrosis in this field.';
    case 'class-points':
      return 'Mark every … in this field.';
    case 'selected-outline':
      return 'Outline the …';
    case 'count-mitoses':
      return 'Count the mitoses in these ten high-power fields.';
    case 'count-ki67':
      return 'What is the Ki67 index in the hot spot (percent)?';
    case 'count-necrosis':
      return 'What share of the tumour is necrotic (percent)?';
    default:
      return '';
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lamina-set-author': SetAuthorElement;
  }
}
