import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { AppContext } from '../app/context';
import { ki67Summary, mitoticSummary, necrosisSummary, TruthCounts } from '../app/counting';
import { ASSIST_UM, rethreshold, runKi67Assist } from '../app/ki67-assist-run';
import type { Proposal, RegionRead } from '../app/ki67-assist-run';
import type { SlideSession } from '../app/slide-session';
import { DEFAULT_POSITIVE_OD } from '../analysis/ki67-assist';
import type { Annotation } from '../model/annotation';
import type { SlideInfo } from '../model/manifest';
import { COUNTING_CLASSES, HPF_CLASS, KI67_REGION_CLASS, MITOSIS_CLASSES, TUMOUR_REGION_CLASS } from '../model/measures/counting-classes';
import { fnclccGrade } from '../model/measures/fnclcc';
import type { Differentiation } from '../model/measures/fnclcc';
import { DEFAULT_FIELD, fieldAreaMm2, fieldDiameterMm, fieldForArea, fieldRadiusPx, FNCLCC_FIELD_MM2, tenFields } from '../model/measures/hpf';
import type { FieldSize } from '../model/measures/hpf';
import { measurementRows, measurementsCsv } from '../model/measures/measurement-table';
import type { MeasurementRow } from '../model/measures/measurement-table';
import type { Pt } from '../model/geometry';
import { saveTextFile } from './save-file';

type Tab = 'mitoses' | 'ki67' | 'necrosis' | 'grade' | 'measurements';
const TABS: ReadonlyArray<[Tab, string]> = [
  ['mitoses', 'Mitoses'],
  ['ki67', 'Ki67'],
  ['necrosis', 'Necrosis'],
  ['grade', 'Grade'],
  ['measurements', 'Measurements'],
];

/** Truth marks drawn on request: shown here only, never saved. */
const TRUTH_CLASSES = [
  { id: 'quiz-miss', name: 'Missed (truth)', colour: '#dc2626', key: 0, tool: 'point' as const },
  { id: 'quiz-false', name: 'Not a mitosis (truth)', colour: '#f59e0b', key: 0, tool: 'point' as const },
];

const fmt = (x: number, d = 1): string => (Number.isFinite(x) ? x.toLocaleString('en', { maximumFractionDigits: d, minimumFractionDigits: d }) : '—');
const pct = (x: number): string => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : '—');

/**
 * Count what pathologists count, from the slide's annotations: mitoses in ten high-power fields
 * (per 10 HPF and per mm², converted to FNCLCC's field), a Ki67 index in drawn regions (with an
 * assist that proposes the nuclei), the necrotic share of a tumour region, the FNCLCC grade, and
 * every shape's measurements. On virtual slides each count is set beside the ground truth's.
 * A thin view: the counts are app-layer functions of the session's store.
 */
@customElement('lamina-count-panel')
export class CountPanelElement extends LitElement {
  @property({ attribute: false }) ctx!: AppContext;
  @property({ attribute: false }) session!: SlideSession;
  @property({ attribute: false }) slide!: SlideInfo;
  @property({ attribute: false }) read: RegionRead | undefined;
  @property({ type: Number }) revision = 0;
  @state() private tab: Tab = 'mitoses';
  @state() private field: FieldSize = DEFAULT_FIELD;
  @state() private status = '';
  @state() private error = '';
  @state() private busy = false;
  @state() private showTruth = false;
  @state() private positiveOd = DEFAULT_POSITIVE_OD;
  @state() private differentiation: Differentiation = 3;
  @state() private sortBy: keyof MeasurementRow = 'className';
  @state() private sortUp = true;
  @state() private classFilter = '';
  private proposals: Proposal[] = [];
  private truth: TruthCounts | undefined;

  static override styles = css`
    :host { display: block; font: 13px/1.4 system-ui, sans-serif; }
    [role='tablist'] { display: flex; flex-wrap: wrap; gap: 2px; margin-bottom: 6px; }
    [role='tab'] { font: inherit; padding: 2px 8px; border: 1px solid #aaa; border-radius: 4px 4px 0 0; background: #eee; cursor: pointer; }
    [role='tab'][aria-selected='true'] { background: #fff; border-bottom-color: #fff; font-weight: 600; }
    button { font: inherit; padding: 2px 8px; border: 1px solid #888; border-radius: 4px; background: #fff; cursor: pointer; }
    .row { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; margin: 4px 0; }
    input[type='number'] { width: 5em; font: inherit; }
    table { border-collapse: collapse; width: 100%; font-size: 12px; }
    th, td { padding: 1px 4px; text-align: right; border-bottom: 1px solid #eee; }
    th:first-child, td:first-child { text-align: left; }
    th button { all: unset; cursor: pointer; font-weight: 600; }
    .big { font-size: 15px; font-weight: 600; }
    .muted { color: #666; font-size: 12px; }
    .warn { color: #8a5a00; }
    .error { color: #a00; }
    .truth { background: #eef6ff; border-radius: 4px; padding: 4px 6px; margin-top: 4px; }
    .scroll { max-height: 240px; overflow: auto; }
  `;

  override connectedCallback(): void {
    super.connectedCallback();
    this.truth = TruthCounts.of(this.slide, this.ctx.scenes);
    void this.session.slideSetting<FieldSize>('hpf-field').then((f) => f && (this.field = f));
    void this.session.slideSetting<Differentiation>('fnclcc-differentiation').then((d) => d && (this.differentiation = d));
  }

  override render() {
    return html`<div role="tablist" aria-label="Count">
        ${TABS.map(([t, label]) => html`<button role="tab" type="button" aria-selected=${this.tab === t ? 'true' : 'false'} @click=${() => (this.tab = t)}>${label}</button>`)}
      </div>
      <div role="tabpanel" aria-label=${TABS.find(([t]) => t === this.tab)![1]}>${this.body()}</div>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : ''}
      ${this.status ? html`<p role="status" data-testid="count-status">${this.status}</p>` : ''}`;
  }

  private body() {
    switch (this.tab) {
      case 'mitoses':
        return this.mitoses();
      case 'ki67':
        return this.ki67();
      case 'necrosis':
        return this.necrosis();
      case 'grade':
        return this.grade();
      case 'measurements':
        return this.measurements();
    }
  }

  private mitoses() {
    const m = mitoticSummary(this.session, this.slide.mpp);
    const area = fieldAreaMm2(this.field);
    const t = this.truth && m.fields.length && this.showTruth ? this.truthMitoses(m) : undefined;
    return html`<div class="row">
        <label>Field number <input type="number" min="10" max="30" step="0.5" .value=${String(this.field.fieldNumber)} @change=${(e: Event) => this.setField({ ...this.field, fieldNumber: Number((e.target as HTMLInputElement).value) })} /></label>
        <label>Objective <input type="number" min="10" max="100" step="1" .value=${String(this.field.objective)} @change=${(e: Event) => this.setField({ ...this.field, objective: Number((e.target as HTMLInputElement).value) })} />x</label>
      </div>
      <p class="muted">Field ${fmt(fieldDiameterMm(this.field), 3)} mm across, ${fmt(area, 4)} mm². <button type="button" @click=${() => this.setField(fieldForArea(FNCLCC_FIELD_MM2, this.field.objective))}>FNCLCC field (0.1734 mm²)</button></p>
      <div class="row">
        <button type="button" ?disabled=${this.busy} @click=${this.placeFields}>${this.session.editor.capturing ? 'Click the hot spot on the slide…' : 'Place 10 fields…'}</button>
        ${m.fields.length ? html`<button type="button" @click=${this.removeFields}>Remove fields</button>` : ''}
        <button type="button" @click=${() => this.session.editor.pickClass(MITOSIS_CLASSES.typical, 'point')}>Mark typical</button>
        <button type="button" @click=${() => this.session.editor.pickClass(MITOSIS_CLASSES.atypical, 'point')}>Mark atypical</button>
      </div>
      ${m.fields.length
        ? html`<div class="scroll"><table data-testid="hpf-table">
              <tr><th>Field</th><th>Typical</th><th>Atypical</th>${t ? html`<th>Truth</th>` : ''}</tr>
              ${m.perField.map((f, i) => html`<tr><td>${i + 1}</td><td>${f.typical}</td><td>${f.atypical}</td>${t ? html`<td>${t.perField[i]}</td>` : ''}</tr>`)}
            </table></div>
            <p class="big" data-testid="mitotic-count">${m.total} per ${m.fields.length} HPF</p>
            <p data-testid="mitotic-detail">${m.fields.length} field(s) of ${fmt(m.areaMm2, 4)} mm² (${fmt(m.areaMm2 * m.fields.length, 3)} mm² in all), ${m.atypical} atypical · ${fmt(m.perMm2, 2)} per mm² (WHO) · ${fmt(m.per10Fnclcc, 1)} per 10 FNCLCC fields of 0.1734 mm²</p>
            ${this.truth
              ? html`<label><input type="checkbox" .checked=${this.showTruth} @change=${(e: Event) => this.toggleTruth((e.target as HTMLInputElement).checked)} /> Compare with the ground truth</label>
                  ${t ? html`<p class="truth" data-testid="mitotic-truth">Truth: ${t.total} mitoses in these fields (${t.atypical} atypical). You missed ${t.missed.length} (red) and marked ${t.extra.length} that are not (orange).</p>` : ''}`
              : ''}`
        : html`<p class="muted">Place the fields, then mark each mitosis in them with the Point tool (keys 2 and 3).</p>`}`;
  }

  private truthMitoses(m: ReturnType<typeof mitoticSummary>) {
    const marks = this.session.store.all().flatMap((a) => (a.geometry.type === 'point' && (a.classId === MITOSIS_CLASSES.typical || a.classId === MITOSIS_CLASSES.atypical) ? [{ id: a.id, at: a.geometry.point as Pt }] : []));
    return this.truth!.mitoses(m, marks);
  }

  private async setField(f: FieldSize): Promise<void> {
    if (!(f.fieldNumber > 0) || !(f.objective > 0)) return;
    this.field = f;
    await this.session.setSlideSetting('hpf-field', f);
  }

  private placeFields = async (): Promise<void> => {
    await this.session.ensureClasses(COUNTING_CLASSES);
    this.status = 'Click the hot spot: the first field is centred there, the others follow in two rows of five.';
    this.session.editor.captureClick((x, y) => {
      const r = Math.fround(fieldRadiusPx(this.field, this.slide.mpp));
      const now = Date.now();
      const old = this.session.store.all().filter((a) => a.classId === HPF_CLASS.id);
      const created: Annotation[] = tenFields([x, y], r).map(([cx, cy]) => ({
        id: crypto.randomUUID(), slideId: this.session.slideId, classId: HPF_CLASS.id,
        geometry: { type: 'ellipse', center: [Math.fround(cx), Math.fround(cy)], rx: r, ry: r }, label: '', note: '', author: this.session.authorName, created: now, updated: now, rev: 1,
      }));
      this.session.store.apply({ created, updated: [], deleted: old }, 'user');
      this.status = 'Ten fields placed. Drag one with the Select tool to move it. Now mark the mitoses.';
      this.session.editor.pickClass(MITOSIS_CLASSES.typical, 'point');
    });
  };

  private removeFields = (): void => {
    const old = this.session.store.all().filter((a) => a.classId === HPF_CLASS.id);
    if (old.length) this.session.store.apply({ created: [], updated: [], deleted: old }, 'user');
  };

  private toggleTruth(on: boolean): void {
    this.showTruth = on;
    const stale = this.session.store.all().filter((a) => a.id.startsWith('truth-mark-'));
    if (stale.length) this.session.store.apply({ created: [], updated: [], deleted: stale }, 'remote');
    if (!on) return;
    const m = mitoticSummary(this.session, this.slide.mpp);
    const t = this.truthMitoses(m);
    this.session.showExtraClasses(TRUTH_CLASSES);
    const mark = (id: string, classId: string, at: Pt): Annotation => ({ id, slideId: this.session.slideId, classId, geometry: { type: 'point', point: at }, label: '', note: '', author: 'ground truth', created: 0, updated: 0, rev: 1 });
    const created = [...t.missed.map((p, i) => mark(`truth-mark-miss-${i}`, 'quiz-miss', p)), ...t.extra.flatMap((id, i) => {
      const a = this.session.store.get(id);
      return a?.geometry.type === 'point' ? [mark(`truth-mark-extra-${i}`, 'quiz-false', a.geometry.point)] : [];
    })];
    if (created.length) this.session.store.apply({ created, updated: [], deleted: [] }, 'remote');
  }

  private ki67() {
    const k = ki67Summary(this.session);
    const regions = this.session.store.all().filter((a) => a.classId === KI67_REGION_CLASS.id);
    const t = this.truth && regions.length ? this.truth.ki67(regions) : undefined;
    return html`<div class="row">
        <button type="button" @click=${() => void this.drawClass(KI67_REGION_CLASS.id)}>Draw a Ki67 region</button>
        <button type="button" @click=${() => this.session.editor.pickClass('ki67-positive', 'point')}>Mark positive</button>
        <button type="button" @click=${() => this.session.editor.pickClass('ki67-negative', 'point')}>Mark negative</button>
      </div>
      <p class="big" data-testid="ki67-index">${k.regions ? `Ki67 index ${pct(k.index)}` : 'No Ki67 region yet'}</p>
      ${k.regions ? html`<p>${k.positive.toLocaleString('en')} positive, ${k.negative.toLocaleString('en')} negative nuclei in ${k.regions} region(s).</p>` : ''}
      ${k.regions && k.tooFew ? html`<p class="warn">Fewer than 500 nuclei counted: the index is not reliable yet.</p>` : ''}
      <fieldset><legend>Assist</legend>
        <label>Positive at DAB OD ≥ <input type="range" min="0.1" max="1.2" step="0.02" .value=${String(this.positiveOd)} aria-label="DAB positivity threshold" @change=${this.setThreshold} /> ${this.positiveOd.toFixed(2)}</label>
        <div class="row"><button type="button" ?disabled=${this.busy || !regions.length || !this.read} @click=${() => void this.assist(regions)}>Find nuclei in the regions</button></div>
        <p class="muted">Colour deconvolution (haematoxylin/DAB, stain vectors estimated from the region) at ${ASSIST_UM} µm per pixel; the nuclei found become points you can accept, delete, reclassify or add to.</p>
      </fieldset>
      ${t ? html`<p class="truth" data-testid="ki67-truth">Truth: ${pct(t.index)} of ${(t.positive + t.negative).toLocaleString('en')} tumour nuclei in these regions.</p>` : ''}`;
  }

  private async drawClass(classId: string): Promise<void> {
    await this.session.ensureClasses(COUNTING_CLASSES);
    this.session.editor.pickClass(classId, 'polygon');
    if (this.session.editor.tool === 'select') this.session.editor.setTool('polygon');
  }

  private async assist(regions: Annotation[]): Promise<void> {
    this.busy = true;
    this.error = '';
    this.status = 'Reading and analysing the regions…';
    try {
      const r = await runKi67Assist(this.session, regions, this.read!, this.positiveOd);
      this.proposals = r.proposals;
      this.status = `The assist proposed ${r.proposals.length.toLocaleString('en')} nuclei (stain vectors ${r.estimated ? 'estimated from the image' : 'Ruifrok–Johnston’s'}). Undo takes them all back.`;
    } catch (e) {
      this.error = `The assist failed: ${e instanceof Error ? e.message : String(e)}`;
      this.status = '';
    } finally {
      this.busy = false;
    }
  }

  private setThreshold = (e: Event): void => {
    this.positiveOd = Number((e.target as HTMLInputElement).value);
    if (this.proposals.length) this.proposals = rethreshold(this.session, this.proposals, this.positiveOd);
  };

  private necrosis() {
    const s = necrosisSummary(this.session);
    const tumour = this.session.store.all().filter((a) => a.classId === TUMOUR_REGION_CLASS.id);
    const t = this.truth && tumour.length ? this.truth.necrosis(tumour) : undefined;
    const mm2 = (px2: number): string => fmt((px2 * this.slide.mpp * this.slide.mpp) / 1e6, 3);
    return html`<div class="row">
        <button type="button" @click=${() => void this.drawClass(TUMOUR_REGION_CLASS.id)}>Draw the tumour region</button>
        <button type="button" @click=${() => void this.drawClass('necrosis')}>Draw necrosis</button>
      </div>
      ${'problem' in s
        ? html`<p class="muted">Outline the tumour region, and the necroses in it (holes for viable tissue within them are kept).</p>`
        : html`<p class="big" data-testid="necrosis-share">Necrosis ${pct(s.share)} of the tumour</p>
            <p>${mm2(s.necroticPx2)} mm² necrotic of ${mm2(s.tumourPx2)} mm²${s.approximate ? ' (measured by scanlines)' : ''}.</p>`}
      ${t && !('problem' in t) ? html`<p class="truth" data-testid="necrosis-truth">Truth: ${pct(t.share)} of these tumour regions is necrotic.</p>` : ''}`;
  }

  private grade() {
    const m = mitoticSummary(this.session, this.slide.mpp);
    const n = necrosisSummary(this.session);
    const ready = m.fields.length > 0 && !('problem' in n);
    const g = ready ? fnclccGrade({ differentiation: this.differentiation, mitosesPer10Hpf: m.per10Fnclcc, necrosisShare: 'problem' in n ? 0 : n.share }) : undefined;
    return html`<label>Differentiation (your judgement)
        <select aria-label="Differentiation" .value=${String(this.differentiation)} @change=${this.setDifferentiation}>
          <option value="1" ?selected=${this.differentiation === 1}>1 — closely resembles normal adult tissue</option>
          <option value="2" ?selected=${this.differentiation === 2}>2 — certain histological type</option>
          <option value="3" ?selected=${this.differentiation === 3}>3 — undifferentiated, or type uncertain</option>
        </select></label>
      ${g
        ? html`<p class="big" data-testid="fnclcc-grade">FNCLCC grade ${g.grade} (score ${g.total})</p><ul>${g.reasoning.map((r) => html`<li>${r}</li>`)}</ul>`
        : html`<p class="muted">The grade needs the mitotic count (Mitoses) and the necrosis share (Necrosis) first.</p>`}`;
  }

  /** A second click on the same column turns the order round. */
  private sort(key: keyof MeasurementRow): void {
    this.sortUp = this.sortBy === key ? !this.sortUp : true;
    this.sortBy = key;
  }

  private setDifferentiation = (e: Event): void => {
    this.differentiation = Number((e.target as HTMLSelectElement).value) as Differentiation;
    void this.session.setSlideSetting('fnclcc-differentiation', this.differentiation);
  };

  private measurements() {
    const all = measurementRows(this.session.store.all().filter((a) => !a.id.startsWith('truth-mark-')), (id) => this.session.classById(id), this.slide.mpp);
    const rows = all.filter((r) => !this.classFilter || r.className === this.classFilter);
    const k = this.sortBy;
    rows.sort((a, b) => {
      const x = a[k] ?? '';
      const y = b[k] ?? '';
      const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
      return this.sortUp ? c : -c;
    });
    const head = (key: keyof MeasurementRow, label: string) =>
      html`<th aria-sort=${this.sortBy === key ? (this.sortUp ? 'ascending' : 'descending') : 'none'}><button type="button" @click=${() => this.sort(key)}>${label}</button></th>`;
    const names = [...new Set(all.map((r) => r.className))].sort();
    return html`<div class="row">
        <select aria-label="Class filter" @change=${(e: Event) => (this.classFilter = (e.target as HTMLSelectElement).value)}>
          <option value="">All classes</option>${names.map((n) => html`<option value=${n} ?selected=${n === this.classFilter}>${n}</option>`)}
        </select>
        <button type="button" @click=${() => saveTextFile(`${this.slide.id}-measurements.csv`, measurementsCsv(rows), 'text/csv')}>Export CSV</button>
      </div>
      <div class="scroll"><table data-testid="measurements">
        <tr>${head('className', 'Class')}${head('shape', 'Shape')}${head('lengthUm', 'Length µm')}${head('areaUm2', 'Area µm²')}${head('perimeterUm', 'Perimeter µm')}</tr>
        ${rows.slice(0, 500).map((r) => html`<tr><td>${r.className}${r.label ? html` — ${r.label}` : ''}</td><td>${r.shape}</td><td>${r.lengthUm === undefined ? '' : fmt(r.lengthUm)}</td><td>${r.areaUm2 === undefined ? '' : fmt(r.areaUm2, 0)}</td><td>${r.perimeterUm === undefined ? '' : fmt(r.perimeterUm)}</td></tr>`)}
      </table></div>
      ${rows.length > 500 ? html`<p class="muted">The first 500 of ${rows.length.toLocaleString('en')} (the CSV has them all).</p>` : ''}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lamina-count-panel': CountPanelElement;
  }
}
