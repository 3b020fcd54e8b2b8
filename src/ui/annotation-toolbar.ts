import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import type { SlideSession } from '../app/slide-session';
import type { AnnotationClass } from '../model/classes';
import { TOOLS } from '../tools/types';
import type { SaveStatus } from '../storage/persistence';
import { DEFAULT_CLASSES } from '../model/classes';
import { NarrowController } from './narrow-controller';
import './menu-button';

/** Narrower than this, the tools and the classes each collapse into a menu button. */
const NARROW_PX = 900;

/**
 * Drawing tools, classes (keys 1–9), undo/redo and the save indicator for one slide.
 * A thin view: state lives in the session's editor; this only renders it and forwards clicks.
 * Before the session has loaded it shows the same buttons, disabled, so the viewer below never
 * changes size (and magnification) when the annotations arrive. Narrow (a phone, a tablet), the
 * tools and the classes are each one menu button showing the current choice, and the save
 * indicator stays in view.
 * @fires lamina-help - the user asked for the shortcut list
 */
@customElement('lamina-annotation-toolbar')
export class AnnotationToolbarElement extends LitElement {
  @property({ attribute: false }) session: SlideSession | undefined;
  @property({ attribute: false }) status: SaveStatus | undefined;
  @property({ type: Number }) revision = 0;
  private readonly width = new NarrowController(this, NARROW_PX);

  static override styles = css`
    :host { display: flex; flex-wrap: wrap; gap: 4px; align-items: center; padding: 4px 6px; background: #26282c; font: 13px system-ui, sans-serif; color: #eee; }
    button { font: inherit; color: #eee; background: #3a3c42; border: 1px solid #555; border-radius: 4px; padding: 3px 7px; cursor: pointer; }
    button[aria-pressed='true'] { background: #2f5fb3; border-color: #8ab4f8; }
    button:focus-visible { outline: 2px solid #8ab4f8; }
    button:disabled { opacity: 0.45; cursor: default; }
    .sep { width: 1px; align-self: stretch; background: #555; margin: 0 4px; }
    .swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 4px; vertical-align: -1px; border: 1px solid #0006; }
    .key { opacity: 0.7; font-size: 11px; }
    .status { margin-left: auto; padding: 2px 8px; border-radius: 10px; font-size: 12px; white-space: nowrap; }
    .status.saved { background: #1f5130; }
    .status.saving { background: #5b4a12; }
    .status.error, .status.closed { background: #7a1f1f; }
    lamina-menu-button button { text-align: left; white-space: nowrap; }
    .current { display: inline-block; max-width: 7em; overflow: hidden; text-overflow: ellipsis; vertical-align: bottom; }
    @media (pointer: coarse) { button { min-height: 34px; min-width: 34px; } }
    .sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
  `;

  override render() {
    const session = this.session;
    const ed = session?.editor;
    const st = this.status;
    const off = !ed;
    const narrow = this.width.narrow;
    const classes = session?.classes ?? DEFAULT_CLASSES;
    const tools = TOOLS.map(
      (t) => html`<button type="button" aria-label=${t.label} title="${t.label} (${t.key.toUpperCase()})" aria-pressed=${ed?.tool === t.name ? 'true' : 'false'}
        aria-keyshortcuts=${t.key.toUpperCase()} ?disabled=${off} @click=${() => ed?.setTool(t.name)}>${t.label}</button>`,
    );
    // The chip's name is its visible text (class name and key), so voice control can say what it sees.
    const chips = classes.map(
      (c) => html`<button type="button" title="${c.name}${c.key ? ` (${c.key})` : ''}" aria-pressed=${ed?.currentClass === c.id ? 'true' : 'false'}
        aria-keyshortcuts=${ifDefined(c.key ? String(c.key) : undefined)} data-class=${c.id} ?disabled=${off} @click=${() => ed?.pickClass(c.id, c.tool)}
        ><span class="swatch" style="background:${c.colour}"></span>${c.name}${c.key ? html`<span class="key"> ${c.key}</span>` : ''}</button>`,
    );
    const help = html`<button type="button" aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)" @click=${() => this.dispatchEvent(new CustomEvent('lamina-help', { bubbles: true, composed: true }))}>?</button>`;
    const status = session
      ? html`<span class="status ${st?.state ?? 'saved'}" role="status" data-testid="save-status" data-state=${st?.state ?? 'saved'} title=${st?.message ?? ''}>${label(st, narrow)}</span>`
      : html`<span class="status" role="status" data-testid="save-status" data-state="loading">Loading…</span>`;
    const retry = st?.state === 'error' && st.unsaved.size > 0 ? html`<button type="button" @click=${() => session?.persistence.retry()}>Retry</button>` : '';
    if (narrow) {
      const tool = TOOLS.find((t) => t.name === (ed?.tool ?? 'select'))!;
      const cls = classes.find((c) => c.id === (ed?.currentClass ?? classes[0]?.id));
      return html`
        <lamina-menu-button label="Tools" ?disabled=${off} data-testid="tool-menu">
          <span slot="label"><span class="sr-only">Tool: </span>${tool.label}</span>
          ${tools}
        </lamina-menu-button>
        <lamina-menu-button label="Classes" ?disabled=${off} data-testid="class-menu">
          <span slot="label"><span class="sr-only">Class: </span>${cls ? current(cls) : ''}</span>
          ${chips}
        </lamina-menu-button>
        <button type="button" aria-label="Undo" title="Undo (Ctrl+Z)" ?disabled=${!ed?.undo.canUndo} @click=${() => ed?.key('z', { ctrl: true })}>↶</button>
        <button type="button" aria-label="Redo" title="Redo (Ctrl+Shift+Z)" ?disabled=${!ed?.undo.canRedo} @click=${() => ed?.key('z', { ctrl: true, shift: true })}>↷</button>
        ${help} ${status} ${retry}
      `;
    }
    return html`
      <span role="group" aria-label="Tools">${tools}</span>
      <span class="sep"></span>
      <span role="group" aria-label="Classes">${chips}</span>
      <span class="sep"></span>
      <button type="button" aria-label="Undo" title="Undo (Ctrl+Z)" ?disabled=${!ed?.undo.canUndo} @click=${() => ed?.key('z', { ctrl: true })}>↶ Undo</button>
      <button type="button" aria-label="Redo" title="Redo (Ctrl+Shift+Z)" ?disabled=${!ed?.undo.canRedo} @click=${() => ed?.key('z', { ctrl: true, shift: true })}>↷ Redo</button>
      ${help} ${status} ${retry}
    `;
  }
}

/** The current class on a menu button: its colour and name, cut short when long. */
function current(c: AnnotationClass) {
  return html`<span class="swatch" style="background:${c.colour}"></span><span class="current">${c.name}</span>`;
}

/** The save indicator's text; `short` where every pixel counts (a phone's toolbar). */
function label(s: SaveStatus | undefined, short = false): string {
  if (!s || s.state === 'saved') return short ? 'Saved' : 'All saved';
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
