import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { AppContext } from '../app/context';
import { MAX_EMBEDDED_BYTES, exportSetFile, importSetFile } from '../app/set-transfer';
import { isFileSlideId } from '../model/slide-id';
import { formatRoute } from '../model/route';
import type { TeachingSet } from '../model/teaching/types';
import { saveBytesFile } from './save-file';
import { TeachingSetsController } from './teaching-sets-controller';

/**
 * The home page's teaching sets: study one, or (as a teacher) create, rename, reorder,
 * duplicate, delete, export and import them. A set is filled from the viewer (Teach, in the
 * annotation panel). A thin view over the app layer's Teaching service.
 */
@customElement('lamina-sets-list')
export class SetsListElement extends LitElement {
  @property({ attribute: false }) ctx!: AppContext;
  @state() private renaming = '';
  @state() private message = '';
  @state() private error = '';
  @state() private busy = false;
  private readonly store = new TeachingSetsController(this, () => this.ctx, { whenIdle: true });

  static override styles = css`
    :host { display: block; }
    ul { list-style: none; padding: 0; margin: 0; display: grid; gap: 8px; }
    li { border: 1px solid #ddd; border-radius: 8px; padding: 8px 10px; background: #fff; display: flex; flex-wrap: wrap; gap: 6px 12px; align-items: center; }
    .name { font-weight: 600; flex: 1 1 14em; }
    .meta { color: #555; font-size: 0.85rem; }
    button, .file { font: inherit; font-size: 0.9rem; padding: 2px 8px; border: 1px solid #999; border-radius: 4px; background: #fff; cursor: pointer; }
    .file input { position: absolute; opacity: 0; width: 1px; height: 1px; }
    .file:focus-within { outline: 2px solid #1a73e8; }
    .row { display: flex; gap: 8px; flex-wrap: wrap; align-items: center; margin: 8px 0; }
    .error { color: #a00; }
    a.study { font-weight: 600; }
  `;

  override render() {
    return html`
      <div class="row">
        <button type="button" ?disabled=${!this.store.teaching || this.busy} @click=${this.create}>New teaching set</button>
        <label class="file">Import set…<input type="file" accept=".zip,.lamina-set,application/zip" ?disabled=${this.busy} @change=${this.importFile} /></label>
      </div>
      ${this.error || this.store.error ? html`<p class="error" role="alert">${this.error || this.store.error}</p>` : ''}
      ${this.message ? html`<p role="status" data-testid="sets-status">${this.message}</p>` : ''}
      ${this.store.unreadable ? html`<p class="error">${this.store.unreadable} stored set(s) could not be read; they are left untouched.</p>` : ''}
      ${this.store.sets.length === 0 ? html`<p class="meta">No teaching sets yet. Make one here, then add tour steps and quizzes from any slide (Teach, in the annotation panel).</p>` : ''}
      <ul data-testid="sets">
        ${this.store.sets.map((s, i) => this.row(s, i))}
      </ul>
    `;
  }

  private row(s: TeachingSet, i: number) {
    const steps = s.items.reduce((n, it) => n + it.tour.length, 0);
    const quizzes = s.items.reduce((n, it) => n + it.quizzes.length, 0);
    return html`<li data-set=${s.id}>
      ${this.renaming === s.id
        ? html`<form @submit=${(e: Event) => this.rename(e, s.id)}><input name="name" aria-label="Set name" .value=${s.name} maxlength="200" /> <button type="submit">Save</button></form>`
        : html`<span class="name">${s.name}</span>`}
      <span class="meta">${s.items.length} slide(s) · ${steps} tour step(s) · ${quizzes} quiz item(s)</span>
      <a class="study" href=${formatRoute({ name: 'study', set: s.id, item: 0, step: 0 })}>Study</a>
      <button type="button" aria-label="Rename ${s.name}" @click=${() => (this.renaming = this.renaming === s.id ? '' : s.id)}>Rename</button>
      <button type="button" aria-label="Move ${s.name} up" ?disabled=${i === 0} @click=${() => void this.store.teaching?.move(s.id, -1)}>↑</button>
      <button type="button" aria-label="Move ${s.name} down" ?disabled=${i === this.store.sets.length - 1} @click=${() => void this.store.teaching?.move(s.id, 1)}>↓</button>
      <button type="button" aria-label="Duplicate ${s.name}" @click=${() => void this.store.teaching?.duplicate(s.id)}>Duplicate</button>
      <button type="button" aria-label="Export ${s.name}" ?disabled=${this.busy} @click=${() => void this.exportSet(s)}>Export</button>
      ${s.items.some((it) => isFileSlideId(it.slideId))
        ? html`<button type="button" aria-label="Export ${s.name} with its slide files" title="The set file carries your own slide files too (up to ${MAX_EMBEDDED_BYTES / 1024 / 1024} MB in all), so students need not have them; without them, the set refers to each by its content hash" ?disabled=${this.busy} @click=${() => void this.exportSet(s, true)}>Export with slide files (up to ${MAX_EMBEDDED_BYTES / 1024 / 1024} MB)</button>`
        : ''}
      <button type="button" aria-label="Delete ${s.name}" @click=${() => void this.deleteSet(s)}>Delete</button>
    </li>`;
  }

  private create = async (): Promise<void> => {
    const s = await this.store.teaching?.create(`Teaching set ${this.store.sets.length + 1}`);
    if (s) this.renaming = s.id;
  };

  private async rename(e: Event, id: string): Promise<void> {
    e.preventDefault();
    const name = ((e.target as HTMLFormElement).elements.namedItem('name') as HTMLInputElement).value;
    this.renaming = '';
    await this.store.teaching?.rename(id, name);
  }

  private async deleteSet(s: TeachingSet): Promise<void> {
    if (!confirm(`Delete the teaching set “${s.name}” and its quiz attempts? Annotations on its slides stay.`)) return;
    await this.store.teaching?.delete(s.id);
  }

  private async exportSet(s: TeachingSet, embed = false): Promise<void> {
    this.busy = true;
    this.error = '';
    try {
      const bytes = await exportSetFile(this.ctx, s.id, { embed });
      saveBytesFile(`${s.name.replace(/[^\w.-]+/g, '-').slice(0, 60) || 'teaching-set'}.lamina-set.zip`, bytes, 'application/zip');
      this.message = `Exported “${s.name}” (${(bytes.length / 1e6).toFixed(2)} MB${embed ? ', its slide files included' : ''}).`;
    } catch (e) {
      this.error = `Export failed: ${e instanceof Error ? e.message : String(e)}`;
    } finally {
      this.busy = false;
    }
  }

  private importFile = async (e: Event): Promise<void> => {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    this.busy = true;
    this.error = '';
    this.message = '';
    try {
      const r = await importSetFile(this.ctx, file);
      if (r.error !== undefined) this.error = `${file.name}: ${r.error} Nothing was imported.`;
      else this.message = `Imported “${r.value.set.name}”: ${r.value.set.items.length} slide(s), ${r.value.annotations} annotation(s).`;
    } catch (err) {
      this.error = `${file.name}: the import failed (${err instanceof Error ? err.message : String(err)}). Nothing was imported.`;
    } finally {
      this.busy = false;
    }
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'lamina-sets-list': SetsListElement;
  }
}
