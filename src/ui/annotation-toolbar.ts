import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { SlideSession } from '../app/slide-session';
import { TOOLS } from '../tools/types';
import type { SaveStatus } from '../storage/persistence';
import { DEFAULT_CLASSES } from '../model/classes';

/**
 * Drawing tools, classes (keys 1–9), undo/redo and the save indicator for one slide.
 * A thin view: state lives in the session's editor; this only renders it and forwards clicks.
 * Before the session has loaded it shows the same buttons, disabled, so the viewer below never
 * changes size (and magnification) when the annotations arrive.
 * @fires lamina-help - the user asked for the shortcut list
 */
@customElement('lamina-annotation-toolbar')
export class AnnotationToolbarElement extends LitElement {
  @property({ attribute: false }) session: SlideSession | undefined;
  @property({ attribute: false }) status: SaveStatus | undefined;
  @property({ type: Number }) revision = 0;

  static override styles = css`
    :host { display: flex; flex-wrap: wrap; gap: 4px; align-items: center; padding: 4px 6px; background: #26282c; font: 13px system-ui, sans-serif; color: #eee; }
    button { font: inherit; color: #eee; background: #3a3c42; border: 1px solid #555; border-radius: 4px; padding: 3px 7px; cursor: pointer; }
    button[aria-pressed='true'] { background: #2f5fb3; border-color: #8ab4f8; }
    button:focus-visible { outline: 2px solid #8ab4f8; }
    button:disabled { opacity: 0.45; cursor: default; }
    .sep { width: 1px; align-self: stretch; background: #555; margin: 0 4px; }
    .swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 4px; vertical-align: -1px; border: 1px solid #0006; }
    .key { opacity: 0.7; font-size: 11px; margin-left: 3px; }
    .status { margin-left: auto; padding: 2px 8px; border-radius: 10px; font-size: 12px; }
    .status.saved { background: #1f5130; }
    .status.saving { background: #5b4a12; }
    .status.error, .status.closed { background: #7a1f1f; }
  `;

  override render() {
    const session = this.session;
    const ed = session?.editor;
    const st = this.status;
    const off = !ed;
    return html`
      <span role="group" aria-label="Tools">
        ${TOOLS.map(
          (t) => html`<button type="button" aria-label=${t.label} title="${t.label} (${t.key.toUpperCase()})" aria-pressed=${ed?.tool === t.name ? 'true' : 'false'}
            ?disabled=${off} @click=${() => ed?.setTool(t.name)}>${t.label}</button>`,
        )}
      </span>
      <span class="sep"></span>
      <span role="group" aria-label="Classes">
        ${(session?.classes ?? DEFAULT_CLASSES).map(
          (c) => html`<button type="button" aria-label="Class ${c.name}" title="${c.name}${c.key ? ` (${c.key})` : ''}" aria-pressed=${ed?.currentClass === c.id ? 'true' : 'false'}
            data-class=${c.id} ?disabled=${off} @click=${() => ed?.pickClass(c.id, c.tool)}><span class="swatch" style="background:${c.colour}"></span>${c.name}${c.key ? html`<span class="key">${c.key}</span>` : ''}</button>`,
        )}
      </span>
      <span class="sep"></span>
      <button type="button" aria-label="Undo" title="Undo (Ctrl+Z)" ?disabled=${!ed?.undo.canUndo} @click=${() => ed?.key('z', { ctrl: true })}>↶ Undo</button>
      <button type="button" aria-label="Redo" title="Redo (Ctrl+Shift+Z)" ?disabled=${!ed?.undo.canRedo} @click=${() => ed?.key('z', { ctrl: true, shift: true })}>↷ Redo</button>
      <button type="button" aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)" @click=${() => this.dispatchEvent(new CustomEvent('lamina-help', { bubbles: true, composed: true }))}>?</button>
      ${session
        ? html`<span class="status ${st?.state ?? 'saved'}" role="status" data-testid="save-status" data-state=${st?.state ?? 'saved'} title=${st?.message ?? ''}>${label(st)}</span>`
        : html`<span class="status" role="status" data-testid="save-status" data-state="loading">Loading…</span>`}
      ${st?.state === 'error' && st.unsaved.size > 0 ? html`<button type="button" @click=${() => session?.persistence.retry()}>Retry</button>` : ''}
    `;
  }
}

function label(s: SaveStatus | undefined): string {
  if (!s || s.state === 'saved') return 'All saved';
  if (s.state === 'saving') return 'Saving…';
  if (s.state === 'closed') return 'Not saving: reload this tab';
  return s.unsaved.size > 0 ? `Not saved (${s.unsaved.size})` : 'Edit refused';
}

declare global {
  interface HTMLElementTagNameMap {
    'lamina-annotation-toolbar': AnnotationToolbarElement;
  }
  interface GlobalEventHandlersEventMap {
    'lamina-help': CustomEvent<void>;
  }
}
