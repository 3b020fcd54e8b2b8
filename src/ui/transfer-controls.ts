import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { SlideSession } from '../app/slide-session';
import type { Workspace } from '../app/workspace';
import type { ExportFormat, ImportPhase, SlideTarget } from '../app/transfer';
import { exportAnnotations, importAnnotations } from '../app/transfer';
import type { ImportSummary } from '../model/formats/import-plan';
import { saveBytesFile, saveTextFile } from './save-file';
import type { AppContext } from '../app/context';
import type { TeachingSet } from '../model/teaching/types';
import { exportSetFile } from '../app/set-transfer';

export interface TransferSlide extends SlideTarget {
  readonly name: string;
}

const PHASES: Record<ImportPhase, string> = { reading: 'Reading the file…', checking: 'Checking every shape…', saving: 'Saving…' };

/**
 * Import and Export of the slide's annotations: QuPath GeoJSON and W3C Web Annotation JSON (the
 * format of an import is told from its content). An import goes into the slide picked beside
 * the button (this one unless another is chosen), is summarised, and can be undone in one step.
 */
@customElement('lamina-transfer-controls')
export class TransferControlsElement extends LitElement {
  @property({ attribute: false }) session!: SlideSession;
  @property({ attribute: false }) slide!: TransferSlide;
  /** Every slide an import may go into (the case's); the current one first. */
  @property({ attribute: false }) slides: readonly TransferSlide[] = [];
  @property({ attribute: false }) workspace: Workspace | undefined;
  /** For the teaching sets this slide is in (their files are offered under Export too). */
  @property({ attribute: false }) ctx: AppContext | undefined;
  @state() private sets: TeachingSet[] = [];
  @state() private target = '';
  @state() private phase: ImportPhase | undefined;
  @state() private summary = '';
  @state() private error = '';
  @state() private exportOpen = false;
  @state() private undoable = false;
  private offUndo: (() => void) | undefined;

  static override styles = css`
    :host { display: block; font: 13px system-ui, sans-serif; }
    .row { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; }
    button { font: inherit; padding: 3px 10px; border: 1px solid #888; border-radius: 4px; background: #fff; cursor: pointer; }
    button:focus-visible, select:focus-visible { outline: 2px solid #1a73e8; }
    select { font: inherit; max-width: 11em; }
    .menu { display: flex; flex-direction: column; gap: 4px; margin-top: 4px; padding: 6px; border: 1px solid #ccc; border-radius: 4px; background: #fff; }
    .error { color: #a00; white-space: pre-wrap; overflow-wrap: anywhere; }
    .summary { color: #174; white-space: pre-wrap; overflow-wrap: anywhere; }
    progress { width: 100%; }
    input[type='file'] { display: none; }
  `;

  override render() {
    const busy = this.phase !== undefined;
    return html`<div class="row">
        <button type="button" ?disabled=${busy} @click=${this.pick}>Import</button>
        ${this.slides.length > 1
          ? html`<select aria-label="Import into slide" .value=${this.target || this.slide.id} @change=${(e: Event) => (this.target = (e.target as HTMLSelectElement).value)}>
              ${this.slides.map((s) => html`<option value=${s.id} ?selected=${s.id === (this.target || this.slide.id)}>${s.id === this.slide.id ? `into this slide` : `into ${s.name}`}</option>`)}
            </select>`
          : ''}
        <button type="button" aria-expanded=${this.exportOpen ? 'true' : 'false'} aria-controls="export-menu" @click=${this.toggleExport}>Export</button>
        <input type="file" accept=".geojson,.json,application/geo+json,application/json,application/ld+json" @change=${this.chosen} />
      </div>
      ${this.exportOpen
        ? html`<div class="menu" id="export-menu" role="group" aria-label="Export format">
            <button type="button" @click=${() => this.export('qupath')}>QuPath GeoJSON (.geojson)</button>
            <button type="button" @click=${() => this.export('w3c')}>W3C Web Annotation JSON (Annotorious)</button>
            ${this.sets.map((s) => html`<button type="button" @click=${() => void this.exportSet(s)}>Teaching set “${s.name}” (.zip)</button>`)}
          </div>`
        : ''}
      ${busy ? html`<label>${PHASES[this.phase!]}<progress aria-label="Import progress" max="3" value=${['reading', 'checking', 'saving'].indexOf(this.phase!) + 1}></progress></label>` : ''}
      ${this.error ? html`<p class="error" role="alert" data-testid="import-error">${this.error}</p>` : ''}
      ${this.summary
        ? html`<p class="summary" role="status" data-testid="import-summary">${this.summary}</p>
            ${this.undoable ? html`<button type="button" @click=${this.undoImport}>Undo import</button>` : ''}`
        : ''}`;
  }

  private toggleExport = async (): Promise<void> => {
    this.exportOpen = !this.exportOpen;
    if (!this.exportOpen || !this.ctx) return;
    // The sets this slide is in, for their one-file export.
    const { sets } = await (await this.ctx.annotations.teaching()).list();
    this.sets = sets.filter((s) => s.items.some((it) => it.slideId === this.slide.id));
  };

  private async exportSet(s: TeachingSet): Promise<void> {
    if (!this.ctx) return;
    this.exportOpen = false;
    try {
      const bytes = await exportSetFile(this.ctx, s.id);
      saveBytesFile(`${s.name.replace(/[^\w.-]+/g, '-').slice(0, 60) || 'teaching-set'}.lamina-set.zip`, bytes, 'application/zip');
      this.summary = `Exported the teaching set “${s.name}” (${(bytes.length / 1e6).toFixed(2)} MB): its slides' annotations, tours and quizzes.`;
    } catch (e) {
      this.error = `Export failed: ${e instanceof Error ? e.message : String(e)}`;
    }
  }

  private pick = (): void => {
    this.renderRoot.querySelector<HTMLInputElement>('input[type=file]')?.click();
  };

  private chosen = async (e: Event): Promise<void> => {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (file) await this.importFile(file);
  };

  /** Imports a file (the picker's, or one a test or a drop hands over). */
  async importFile(file: File): Promise<void> {
    // For the import benchmark: from the file handed over to everything stored and drawn.
    performance.mark('lamina:import-start');
    this.error = '';
    this.summary = '';
    this.undoable = false;
    const target = this.slides.find((s) => s.id === this.target) ?? this.slide;
    const here = target.id === this.slide.id;
    let session = this.session;
    try {
      if (!here) {
        if (!this.workspace) throw new Error('no storage for other slides');
        session = await this.workspace.openSession(target);
      }
      const r = await importAnnotations(file, session, target, (p) => (this.phase = p));
      if (r.error !== undefined) this.error = r.error;
      else {
        this.summary = describe(r.value, file.name, here ? '' : target.name);
        this.undoable = here && r.value.added > 0;
        // Any later edit takes Undo's place at the top of the stack: the button goes.
        this.offUndo?.();
        if (this.undoable) {
          this.offUndo = this.session.store.subscribe((cs) => {
            if (cs.origin === 'import') return;
            this.undoable = false;
            this.offUndo?.();
          });
        }
      }
    } catch (err) {
      this.error = `${file.name}: the import failed (${err instanceof Error ? err.message : String(err)}). Nothing was imported.`;
    } finally {
      if (!here) session.destroy();
      this.phase = undefined;
    }
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    performance.mark('lamina:import-done');
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.offUndo?.();
  }

  private undoImport = (): void => {
    this.offUndo?.();
    this.session.editor.key('z', { ctrl: true });
    this.undoable = false;
    this.summary = 'The import was undone.';
  };

  private export(format: ExportFormat): void {
    performance.mark('lamina:export-start');
    const f = exportAnnotations(this.session, this.slide, format);
    saveTextFile(f.name, f.text, f.type);
    performance.mark('lamina:export-done');
    this.exportOpen = false;
    this.error = '';
    this.undoable = false;
    this.summary = `Exported ${this.session.store.size} annotation(s) as ${f.name}.${f.warnings.length ? ` Note: ${f.warnings.join(' ')}` : ''}`;
  }
}

function describe(s: ImportSummary, file: string, into: string): string {
  const lines = [`Imported ${s.added.toLocaleString('en')} annotation(s) from ${file} (${s.format})${into ? ` into ${into}` : ''}.`];
  if (s.perClass.length) lines.push(s.perClass.map((c) => `${c.name}: ${c.count.toLocaleString('en')}`).join(', '));
  if (s.newClasses.length) lines.push(`New classes: ${s.newClasses.join(', ')}.`);
  for (const k of s.skipped) lines.push(`Left out: ${k.count.toLocaleString('en')} ${k.reason}.`);
  if (s.outside) lines.push(`${s.outside.toLocaleString('en')} lie partly or wholly outside the slide (kept as drawn).`);
  if (s.renamed) lines.push(`${s.renamed.toLocaleString('en')} had ids already in use here: they were given new ids.`);
  lines.push(...s.notes);
  return lines.join('\n');
}

declare global {
  interface HTMLElementTagNameMap {
    'lamina-transfer-controls': TransferControlsElement;
  }
}
