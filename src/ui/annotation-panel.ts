import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { SlideSession } from '../app/slide-session';
import type { Annotation } from '../model/annotation';
import { areaUm2, geometryBounds, lengthUm } from '../model/annotation';
import { formatLength } from '../model/optics';
import { LIMITS } from '../model/annotation-schema';
import { MAX_CLASS_NAME } from '../model/classes';
import { countText, refuseOverLimit } from './text-limit';

export interface FlyToDetail {
  readonly x: number;
  readonly y: number;
}

const LIST_LIMIT = 300;

function fmtArea(um2: number): string {
  return um2 >= 1e5 ? `${(um2 / 1e6).toFixed(3)} mm²` : `${Math.round(um2).toLocaleString('en')} µm²`;
}

/**
 * The slide's annotations: counts per class (with show/hide and rename/recolour), a note
 * search, the list (click to fly there) and the selected annotation's label, note and class.
 * Text is only ever rendered as text (Lit escapes it); nothing a user types is parsed as HTML.
 * @fires lamina-fly-to - centre the viewer on an annotation (detail: FlyToDetail, image px)
 */
@customElement('lamina-annotation-panel')
export class AnnotationPanelElement extends LitElement {
  @property({ attribute: false }) session!: SlideSession;
  @property({ type: Number }) revision = 0;
  /** In a bottom sheet (a phone or tablet): the list and the selection first, the classes after. */
  @property({ type: Boolean }) compact = false;
  @state() private query = '';
  @state() private editingClass = '';
  /** Why the last typing or paste was refused ('' when it was not). */
  @state() private refused = '';
  /** Live lengths of the fields being typed in (the annotation holds the last committed text). */
  @state() private typed: { label?: number; note?: number; author?: number } = {};
  /** The annotation the live lengths belong to. */
  private typedFor: string | undefined;

  static override styles = css`
    :host { display: flex; flex-direction: column; gap: 10px; padding: 10px; font: 13px/1.4 system-ui, sans-serif; background: #fafafa; overflow: auto; border-left: 1px solid #ddd; }
    h2 { font-size: 0.95rem; margin: 4px 0; }
    table { border-collapse: collapse; width: 100%; }
    td { padding: 2px 4px; }
    .swatch { display: inline-block; width: 11px; height: 11px; border-radius: 2px; vertical-align: -1px; margin-right: 4px; border: 1px solid #0004; }
    ul { list-style: none; margin: 0; padding: 0; max-height: 30vh; overflow: auto; border: 1px solid #e3e3e3; border-radius: 4px; background: #fff; }
    li button { all: unset; display: block; width: 100%; box-sizing: border-box; padding: 3px 6px; cursor: pointer; }
    li button:hover, li button:focus-visible { background: #e8f0fe; }
    li[aria-current='true'] button { background: #d2e3fc; }
    .note { color: #555; white-space: pre-wrap; overflow-wrap: anywhere; }
    label { display: block; margin-top: 6px; }
    input[type='text'], textarea, select { width: 100%; box-sizing: border-box; font: inherit; }
    textarea { min-height: 70px; }
    .muted { color: #666; font-size: 12px; }
    .error { color: #a00; }
    .count { float: right; color: #666; font-size: 11px; font-variant-numeric: tabular-nums; }
    .sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
  `;

  /** A beforeinput handler that refuses text past `limit` and says so. */
  private limit(limit: number, what: string) {
    return (e: InputEvent): void => {
      const m = refuseOverLimit(e, limit, what);
      if (m) this.refused = m;
    };
  }

  override render() {
    const s = this.session;
    const counts = s.counts;
    const q = this.query.trim().toLowerCase();
    const matches = (a: Annotation): boolean =>
      !s.hidden.has(a.classId) &&
      (!q || a.note.toLowerCase().includes(q) || a.label.toLowerCase().includes(q) || (s.classById(a.classId)?.name.toLowerCase().includes(q) ?? false));
    // Unfiltered, the list is the most recently changed marks (cheap at 100k, so every edit
    // can re-render it); a search or hidden class scans the slide once.
    let list: Annotation[];
    let total: number;
    if (!q && s.hidden.size === 0) {
      list = s.recent(LIST_LIMIT);
      total = s.store.size;
    } else {
      list = [];
      total = 0;
      const all = s.store.all();
      for (let i = all.length - 1; i >= 0; i--) {
        const a = all[i]!;
        if (!matches(a)) continue;
        total++;
        if (list.length < LIST_LIMIT) list.push(a);
      }
    }
    const sel = s.editor.selected ? s.store.get(s.editor.selected) : undefined;
    const heading = html`<h2>Annotations (${s.store.size})</h2>`;
    const byClass = html`<section aria-label="Annotations by class">
        ${this.compact ? html`<h2>Classes</h2>` : heading}
        ${this.compact ? '' : html`<slot name="transfer"></slot>`}
        <table data-testid="class-counts">
          ${s.classes.map(
            (c) => html`<tr data-class=${c.id}>
              <td><input type="checkbox" aria-label="Show ${c.name}" .checked=${!s.hidden.has(c.id)} @change=${() => s.toggleHidden(c.id)} /></td>
              <td><span class="swatch" style="background:${c.colour}"></span>${this.editingClass === c.id ? this.classEditor(c.id) : html`<span>${c.name}</span>${c.key ? html` <kbd title="Shortcut">${c.key}</kbd>` : ''}`}</td>
              <td class="count">${counts.get(c.id) ?? 0}</td>
              <td><button type="button" aria-label="Edit class ${c.name}" @click=${() => (this.editingClass = this.editingClass === c.id ? '' : c.id)}>✎</button></td>
            </tr>`,
          )}
        </table>
        <form class="add-class" @submit=${this.addClass} style="display:flex;gap:4px;margin-top:6px">
          <input name="name" type="text" aria-label="New class name" placeholder="New class" required @beforeinput=${this.limit(MAX_CLASS_NAME, 'class name')} />
          <input name="colour" type="color" aria-label="New class colour" value="#0077b6" />
          <button type="submit">Add class</button>
        </form>
      </section>`;
    const find = html`<section aria-label="Find annotations">
        <input type="text" placeholder="Search notes and labels" aria-label="Search notes" .value=${this.query} @input=${(e: Event) => (this.query = (e.target as HTMLInputElement).value)} />
        <ul data-testid="annotation-list" aria-label="Annotations, most recent first" @keydown=${this.listKey}>
          ${repeat(
            list,
            (a) => a.id,
            (a) => html`<li aria-current=${a.id === sel?.id ? 'true' : 'false'} data-id=${a.id}>
              <button type="button" @click=${() => this.flyTo(a)}>
                <span class="swatch" style="background:${s.classById(a.classId)?.colour ?? '#888'}"></span>${s.classById(a.classId)?.name ?? a.classId}${a.label ? html` — <b>${a.label}</b>` : ''}
                ${a.note ? html`<div class="note">${a.note.length > 120 ? `${a.note.slice(0, 119)}…` : a.note}</div>` : ''}
              </button>
            </li>`,
          )}
        </ul>
        ${total > list.length ? html`<p class="muted">Showing the ${list.length} most recent of ${total}.</p>` : ''}
      </section>`;
    const selection = html`<p class="sr-only" role="status" data-testid="announce">${sel ? `Selected: ${s.classById(sel.classId)?.name ?? sel.classId}${sel.label ? `, ${sel.label}` : ''}` : ''}</p>
      ${this.refused || s.editor.refusal ? html`<p class="error" role="alert" data-testid="refusal">${this.refused || s.editor.refusal}</p>` : ''}
      ${sel ? this.details(sel) : html`<p class="muted">Select an annotation to edit its label, note and class.</p>`}`;
    const settings = html`<details class="count-box" open><summary>Count</summary><slot name="count"></slot></details>
      <section aria-label="Teach"><slot name="teach"></slot></section>
      <section aria-label="Settings">
        ${this.compact ? html`<slot name="transfer"></slot>` : ''}
        <label>Your name (recorded on what you draw) <span class="count" id="author-count">${countText(this.typed.author ?? s.authorName.length, LIMITS.author)}</span>
          <input type="text" data-testid="author" aria-describedby="author-count" .value=${s.authorName}
            @beforeinput=${this.limit(LIMITS.author, 'name')}
            @input=${(e: Event) => (this.typed = { ...this.typed, author: (e.target as HTMLInputElement).value.length })}
            @change=${(e: Event) => void s.setAuthor((e.target as HTMLInputElement).value).then((ok) => {
              if (!ok) this.refused = `Your name is limited to ${LIMITS.author} characters: it was not changed.`;
            })} />
        </label>
        ${s.rejected > 0
          ? html`<p class="error" data-testid="rejected">${s.rejected} stored annotation(s) of this slide could not be read. They are kept aside, untouched, and included in “Export everything”.</p>`
          : ''}
        <slot name="storage"></slot>
      </section>`;
    // In a phone's sheet the list and the selection come first: the class table is a long scroll.
    return this.compact ? html`${heading}${find}${selection}${byClass}${settings}` : html`${byClass}${find}${selection}${settings}`;
  }

  private addClass = (e: Event): void => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const name = (form.elements.namedItem('name') as HTMLInputElement).value.trim();
    const colour = (form.elements.namedItem('colour') as HTMLInputElement).value;
    if (!name) return;
    const used = new Set(this.session.classes.map((c) => c.key));
    const key = [1, 2, 3, 4, 5, 6, 7, 8, 9].find((k) => !used.has(k)) ?? 0;
    void this.session.saveClass({ id: `class-${crypto.randomUUID()}`, name, colour, key, tool: 'polygon' });
    form.reset();
  };

  private classEditor(id: string) {
    const c = this.session.classById(id)!;
    const save = (e: Event): void => {
      e.preventDefault();
      const form = e.target as HTMLFormElement;
      const name = (form.elements.namedItem('name') as HTMLInputElement).value.trim();
      const colour = (form.elements.namedItem('colour') as HTMLInputElement).value;
      const key = Number((form.elements.namedItem('key') as HTMLSelectElement).value);
      if (name) void this.session.saveClass({ ...c, name, colour }).then(() => this.session.assignKey(c.id, key));
      this.editingClass = '';
    };
    return html`<form @submit=${save} style="display:inline-flex;gap:4px;flex-wrap:wrap">
      <input name="name" type="text" aria-label="Class name" .value=${c.name} @beforeinput=${this.limit(MAX_CLASS_NAME, 'class name')} />
      <input name="colour" type="color" aria-label="Class colour" .value=${c.colour} />
      <select name="key" aria-label="Shortcut key">
        ${[0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((k) => html`<option value=${k} ?selected=${k === c.key}>${k === 0 ? 'no key' : `key ${k}`}</option>`)}
      </select>
      <button type="submit">Save</button>
    </form>`;
  }

  private onTyped(id: string, field: 'label' | 'note', length: number): void {
    if (this.typedFor !== id) this.typed = { author: this.typed.author };
    this.typedFor = id;
    this.typed = { ...this.typed, [field]: length };
  }

  /** Saves a label or note; the editor refuses (and says why) what the schema would refuse. */
  private commit(a: Annotation, patch: { label: string } | { note: string }): void {
    if (this.session.editor.update(a, patch)) this.refused = '';
    this.typed = { author: this.typed.author };
  }

  /** Up and Down move between the list's entries, Home and End to its ends. */
  private listKey = (e: KeyboardEvent): void => {
    const buttons = [...this.renderRoot.querySelectorAll<HTMLButtonElement>('[data-testid=annotation-list] li button')];
    const i = buttons.indexOf(this.shadowRoot?.activeElement as HTMLButtonElement);
    const to = e.key === 'ArrowDown' ? i + 1 : e.key === 'ArrowUp' ? i - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? buttons.length - 1 : undefined;
    if (to === undefined || buttons.length === 0) return;
    e.preventDefault();
    buttons[Math.max(0, Math.min(buttons.length - 1, to))]!.focus();
  };

  private details(a: Annotation) {
    const s = this.session;
    const typed = this.typedFor === a.id ? this.typed : {};
    const ed = s.editor;
    const g = a.geometry;
    const measure =
      g.type === 'line' ? `Length ${formatLength(lengthUm(g, s.mpp))}` : g.type === 'point' ? '' : `Area ${fmtArea(areaUm2(g, s.mpp))}, perimeter ${formatLength(lengthUm(g, s.mpp))}`;
    return html`<section aria-label="Selected annotation" data-testid="details">
      <h2>Selected: ${s.classById(a.classId)?.name ?? a.classId}</h2>
      <div class="muted">${g.type}${measure ? ` · ${measure}` : ''} · by ${a.author || 'unknown'} · ${new Date(a.updated).toLocaleString()}</div>
      <label>Class
        <select aria-label="Class" @change=${(e: Event) => ed.update(a, { classId: (e.target as HTMLSelectElement).value })}>
          ${s.classes.map((c) => html`<option value=${c.id} ?selected=${c.id === a.classId}>${c.name}</option>`)}
        </select>
      </label>
      <label>Label <span class="count" id="label-count">${countText(typed.label ?? a.label.length, LIMITS.label)}</span>
        <input type="text" aria-label="Label" aria-describedby="label-count" .value=${a.label}
          @beforeinput=${this.limit(LIMITS.label, 'label')} @input=${(e: Event) => this.onTyped(a.id, 'label', (e.target as HTMLInputElement).value.length)}
          @change=${(e: Event) => this.commit(a, { label: (e.target as HTMLInputElement).value })} /></label>
      <label>Note <span class="count" id="note-count">${countText(typed.note ?? a.note.length, LIMITS.note)}</span>
        <textarea aria-label="Note" aria-describedby="note-count" .value=${a.note}
          @beforeinput=${this.limit(LIMITS.note, 'note')} @input=${(e: Event) => this.onTyped(a.id, 'note', (e.target as HTMLTextAreaElement).value.length)}
          @change=${(e: Event) => this.commit(a, { note: (e.target as HTMLTextAreaElement).value })}></textarea></label>
      <div class="note" data-testid="note-view">${a.note}</div>
      <button type="button" @click=${() => ed.deleteSelected()}>Delete</button>
    </section>`;
  }

  private flyTo(a: Annotation): void {
    this.session.editor.select(a.id);
    const b = geometryBounds(a.geometry);
    this.dispatchEvent(new CustomEvent<FlyToDetail>('lamina-fly-to', { detail: { x: (b.minX + b.maxX) / 2, y: (b.minY + b.maxY) / 2 }, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lamina-annotation-panel': AnnotationPanelElement;
  }
  interface GlobalEventHandlersEventMap {
    'lamina-fly-to': CustomEvent<FlyToDetail>;
  }
}
