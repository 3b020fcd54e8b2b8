import { LitElement, css, html } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import type { AppContext } from '../app/context';
import type { FigureView, SlideInfo } from '../model/manifest';
import { TILE_SIZE, slideGeometry } from '../specimen/render';

/**
 * A figure's field rendered small, from the same tiles the viewer uses.
 */
@customElement('lamina-figure-thumb')
export class FigureThumbElement extends LitElement {
  @property({ attribute: false }) ctx!: AppContext;
  @property({ attribute: false }) figure!: FigureView;
  @property({ type: Number }) width = 320;
  @property({ type: Number }) height = 220;
  @query('canvas') private canvas!: HTMLCanvasElement;
  private cancels: Array<() => void> = [];

  static override styles = css`
    :host { display: block; }
    canvas { display: block; width: 100%; height: auto; background: #eee; border-radius: 4px; }
  `;

  override render() {
    return html`<canvas width=${this.width} height=${this.height} role="img" aria-label="Thumbnail of figure ${this.figure?.number}"></canvas>`;
  }

  override firstUpdated(): void {
    const slide = this.ctx.manifest.slides.find((s) => s.id === this.figure.slide);
    if (slide?.source.kind === 'virtual') this.draw(slide);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    for (const c of this.cancels) c();
  }

  private draw(slide: SlideInfo): void {
    if (slide.source.kind !== 'virtual') return;
    const spec = this.ctx.scenes.get(slide.source.scene)?.spec;
    if (!spec) return;
    const g = slideGeometry(spec);
    const f = this.figure;
    const umPerThumbPx = f.fieldWidthUm / this.width;
    // The finest level whose pixels are no smaller than the thumbnail's.
    const level = Math.max(0, Math.min(g.maxLevel, g.maxLevel - Math.floor(Math.log2(umPerThumbPx / g.mpp))));
    const upp = g.mpp * 2 ** (g.maxLevel - level);
    const ctx2d = this.canvas.getContext('2d');
    if (!ctx2d) return;
    const fx0 = f.centerUm[0] - (this.width / 2) * umPerThumbPx;
    const fy0 = f.centerUm[1] - (this.height / 2) * umPerThumbPx;
    const tileUm = TILE_SIZE * upp;
    const c0 = Math.max(0, Math.floor(fx0 / tileUm));
    const r0 = Math.max(0, Math.floor(fy0 / tileUm));
    const c1 = Math.floor((fx0 + this.width * umPerThumbPx) / tileUm);
    const r1 = Math.floor((fy0 + this.height * umPerThumbPx) / tileUm);
    const k = upp / umPerThumbPx;
    for (let row = r0; row <= r1; row++) {
      for (let col = c0; col <= c1; col++) {
        const job = this.ctx.pool.render({ scene: slide.source.scene, section: slide.source.section, level, col, row });
        this.cancels.push(job.cancel);
        job.promise.then(
          (bmp) => {
            const dx = (col * tileUm - fx0) / umPerThumbPx;
            const dy = (row * tileUm - fy0) / umPerThumbPx;
            ctx2d.drawImage(bmp, dx, dy, bmp.width * k, bmp.height * k);
            bmp.close();
          },
          () => undefined,
        );
      }
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lamina-figure-thumb': FigureThumbElement;
  }
}
