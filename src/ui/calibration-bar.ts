import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { AppContext } from '../app/context';
import type { SlideInfo } from '../model/manifest';
import type { OwnSlideRecord } from '../storage/own-slide-record';
import type { SlideFileInfo } from '../viewer/sources/slide-file-types';
import { pathLength } from '../model/geometry';
import './open-slide';
import { NarrowController } from './narrow-controller';
import type { AssociatedKind } from '../viewer/sources/slide-file-types';

/** Narrower than this (CSS px), the bar folds to one line while the scale is known: a phone's height is the slide's. */
const FOLD_PX = 600;

/** The associated images of a slide file, as a pathologist calls them. */
const NAMES: Record<AssociatedKind, string> = { label: 'Label', macro: 'Macro (slide overview)', thumbnail: 'Thumbnail' };

/**
 * Above an own slide's viewer: its format and scale (µm per pixel, from the file or the user,
 * editable; asked for when the file has none, or measured from a ruler over a known length),
 * a way to keep a copy in this browser, and Open slide.
 */
@customElement('lamina-calibration-bar')
export class CalibrationBarElement extends LitElement {
  @property({ attribute: false }) ctx!: AppContext;
  @property({ attribute: false }) slide!: SlideInfo;
  @property({ attribute: false }) record: OwnSlideRecord | undefined;
  @property({ attribute: false }) info!: SlideFileInfo;
  @state() private message = '';
  @state() private editing = false;
  /** The associated image shown in the dialog, if any. */
  @state() private shown: AssociatedKind | undefined;
  private readonly width = new NarrowController(this, FOLD_PX);

  static override styles = css`
    :host { display: flex; flex-wrap: wrap; gap: 6px 16px; align-items: center; padding: 6px 14px; background: #eef2fb; border-bottom: 1px solid #c9d3ea; font: 14px/1.4 system-ui, sans-serif; }
    .assumed { color: #7a4b00; font-weight: 600; }
    details { width: 100%; }
    details > summary { cursor: pointer; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
    details[open] > summary { margin-bottom: 4px; }
    .items { display: flex; flex-wrap: wrap; gap: 6px 16px; align-items: center; }
    input { width: 7em; font: inherit; }
    form { display: inline-flex; gap: 6px; align-items: center; }
    .msg { color: #a00; }
    dialog { max-width: 90vw; max-height: 90vh; padding: 8px; }
    dialog canvas { max-width: 85vw; max-height: 78vh; display: block; }
    lamina-open-slide { margin-left: auto; }
  `;

  override render() {
    const r = this.record;
    const known = r?.mpp !== undefined || this.info.mpp !== undefined;
    const mpp = this.slide.mpp;
    const from = r?.mppFrom ?? (this.info.mpp !== undefined ? `file (${this.info.mppFrom})` : undefined);
    const items = html`
      <span data-testid="slide-format">${this.info.format} · ${this.info.width.toLocaleString('en')} × ${this.info.height.toLocaleString('en')} px</span>
      ${known && !this.editing
        ? html`<span data-testid="mpp">Scale: ${mpp} µm per pixel (${from === 'user' ? 'set by you' : from?.startsWith('file (') ? `from the file: ${from.slice(6, -1)}` : `from the ${from}`})</span>
            <button type="button" @click=${() => (this.editing = true)}>Change</button>`
        : html`${known ? '' : html`<span class="assumed" role="note" data-testid="mpp-assumed">This file does not say its pixel size: the scale bar assumes ${mpp} µm per pixel.</span>`}
            <form @submit=${this.setValue}>
              <label>µm per pixel <input name="mpp" type="number" step="any" min="0.005" max="100" required data-testid="mpp-input" /></label>
              <button type="submit">Set</button>
            </form>
            <form @submit=${this.fromRuler}>
              <label>or the last ruler drawn is <input name="um" type="number" step="any" min="0.01" required data-testid="ruler-um" /> µm long</label>
              <button type="submit">Calibrate</button>
            </form>`}
      ${r && !r.copied && !r.handles?.length
        ? html`<button type="button" data-testid="keep-copy" title="Copies the file into this browser's private storage, so the slide opens after a restart without picking it again" @click=${this.keepCopy}>Keep a copy in this browser</button>`
        : ''}
      ${r?.copied ? html`<span data-testid="copy-kept">A copy is kept in this browser.</span>` : ''}
      ${this.info.associated.length
        ? html`<span>Also in the file: ${this.info.associated.map((a) => html`<button type="button" data-testid="associated-${a.kind}" @click=${() => this.showAssociated(a.kind)}>${NAMES[a.kind]}</button> `)}</span>`
        : ''}
      ${this.message ? html`<span class="msg" role="alert" data-testid="calibration-message">${this.message}</span>` : ''}
      <dialog aria-label=${this.shown ? NAMES[this.shown] : 'Associated image'} @close=${() => (this.shown = undefined)}>
        <p>${this.shown ? `${NAMES[this.shown]} of ${this.slide.name}` : ''} <button type="button" @click=${() => this.renderRoot.querySelector('dialog')?.close()}>Close</button></p>
        <canvas data-testid="associated-image"></canvas>
      </dialog>
      <lamina-open-slide .ctx=${this.ctx}></lamina-open-slide>
    `;
    // On a phone, one line (format and scale) that opens to the rest; a file without a scale,
    // or a scale being changed, keeps it open: it asks the user something.
    if (!this.width.narrow) return items;
    return html`<details ?open=${!known || this.editing || !!this.message}>
      <summary data-testid="slide-file-summary">${this.info.format} · ${known ? `${mpp} µm/px` : 'scale unknown'}</summary>
      <div class="items">${items}</div>
    </details>`;
  }

  private setValue = async (e: SubmitEvent): Promise<void> => {
    e.preventDefault();
    const v = Number(new FormData(e.target as HTMLFormElement).get('mpp'));
    if (!(v >= 0.005 && v <= 100)) {
      this.message = 'µm per pixel is a number from 0.005 to 100.';
      return;
    }
    this.message = '';
    this.editing = false;
    await this.ctx.ownSlides.setMpp(this.slide.id, v);
  };

  private fromRuler = async (e: SubmitEvent): Promise<void> => {
    e.preventDefault();
    const um = Number(new FormData(e.target as HTMLFormElement).get('um'));
    const { annotations } = await this.ctx.annotations.slideAnnotations({ id: this.slide.id, mpp: this.slide.mpp });
    const rulers = annotations.filter((a) => a.geometry.type === 'line').sort((a, b) => b.updated - a.updated);
    const last = rulers[0];
    if (!last || last.geometry.type !== 'line') {
      this.message = 'Draw a ruler (L) across a length you know first.';
      return;
    }
    const px = pathLength(last.geometry.points);
    if (!(um > 0) || !(px > 0)) {
      this.message = 'Give the ruler’s true length in µm.';
      return;
    }
    this.message = '';
    this.editing = false;
    await this.ctx.ownSlides.setMpp(this.slide.id, um / px);
  };

  private async showAssociated(kind: AssociatedKind): Promise<void> {
    try {
      const bitmap = await this.ctx.ownSlides.associatedImage(this.slide.id, kind);
      this.shown = kind;
      await this.updateComplete;
      const canvas = this.renderRoot.querySelector('canvas')!;
      canvas.width = bitmap.width;
      canvas.height = bitmap.height;
      canvas.getContext('2d')!.drawImage(bitmap, 0, 0);
      bitmap.close();
      this.renderRoot.querySelector('dialog')?.showModal();
    } catch (e) {
      this.message = `The ${NAMES[kind].toLowerCase()} could not be shown: ${e instanceof Error ? e.message : String(e)}`;
    }
  }

  private keepCopy = async (): Promise<void> => {
    this.message = 'Copying…';
    this.message = (await this.ctx.ownSlides.keepCopy(this.slide.id)) ?? '';
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'lamina-calibration-bar': CalibrationBarElement;
  }
}
