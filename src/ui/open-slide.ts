import { LitElement, css, html } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { AppContext } from '../app/context';

/** What the file chooser accepts: formats Lamina reads (DICOM files often have no ending). */
export const SLIDE_ACCEPT = '.svs,.tif,.tiff,.ome.tif,.ome.tiff,.btf,.jpg,.jpeg,.png,.webp,.dcm,image/tiff,image/jpeg,image/png,image/webp,application/dicom';

type PickerWindow = Window & {
  showOpenFilePicker?: (o: { multiple: boolean; excludeAcceptAllOption?: boolean }) => Promise<FileSystemFileHandle[]>;
};

/** Files and (where the browser gives them) lasting handles from a drop. */
export async function droppedFiles(dt: DataTransfer): Promise<{ files: File[]; handles: FileSystemFileHandle[] | undefined }> {
  const items = [...dt.items].filter((i) => i.kind === 'file');
  type WithHandle = DataTransferItem & { getAsFileSystemHandle?: () => Promise<FileSystemHandle | null> };
  // Handles must be asked for before the event's task ends, like the files.
  const handlePromises = items.map((i) => (i as WithHandle).getAsFileSystemHandle?.());
  const files = [...dt.files];
  const handles = (await Promise.all(handlePromises.map((p) => p?.catch(() => null)))).filter((h): h is FileSystemFileHandle => h?.kind === 'file');
  return { files, handles: handles.length === files.length && handles.length > 0 ? handles : undefined };
}

/**
 * **Open slide**: picks a slide file from the disk (File System Access where the browser has
 * it, so the slide can be found again after a restart; else a file input) and opens it. The
 * file is read in place, never uploaded. With `reconnect`, the file picked must be that slide's.
 *
 * @fires lamina-slide-opened - a slide was opened (detail: its id)
 */
@customElement('lamina-open-slide')
export class OpenSlideElement extends LitElement {
  @property({ attribute: false }) ctx!: AppContext;
  /** A slide id: the file picked must be this slide's file (verified by its hash). */
  @property() reconnect = '';
  @property() label = 'Open slide';
  @state() private busy = false;
  @state() private error = '';
  @query('input') private input!: HTMLInputElement;

  static override styles = css`
    :host { display: inline-flex; flex-direction: column; gap: 6px; font: inherit; }
    button { font: 600 15px system-ui, sans-serif; padding: 8px 16px; border-radius: 6px; border: 1px solid #2f5fb3; background: #2f5fb3; color: #fff; cursor: pointer; align-self: flex-start; }
    button[disabled] { opacity: 0.6; cursor: progress; }
    button:focus-visible { outline: 3px solid #8ab4f8; outline-offset: 2px; }
    input { display: none; }
    .error { color: #a00; margin: 0; max-width: 60ch; white-space: pre-line; }
  `;

  override render() {
    return html`<button type="button" data-testid="open-slide" ?disabled=${this.busy} @click=${this.pick}>${this.busy ? 'Opening…' : this.label}</button>
      <input type="file" data-testid="open-slide-input" multiple accept=${SLIDE_ACCEPT} @change=${this.onInput} />
      ${this.error ? html`<p class="error" role="alert" data-testid="open-slide-error">${this.error}</p>` : ''}`;
  }

  private pick = async (): Promise<void> => {
    const w = window as PickerWindow;
    if (!w.showOpenFilePicker) {
      this.input.click();
      return;
    }
    let handles: FileSystemFileHandle[];
    try {
      handles = await w.showOpenFilePicker({ multiple: true });
    } catch {
      return; // the user closed the picker
    }
    await this.openFiles(await Promise.all(handles.map((h) => h.getFile())), handles);
  };

  private onInput = async (): Promise<void> => {
    const files = [...(this.input.files ?? [])];
    this.input.value = '';
    if (files.length > 0) await this.openFiles(files, undefined);
  };

  /** Opens files (also used for a drop on the page). */
  async openFiles(files: File[], handles: FileSystemFileHandle[] | undefined): Promise<void> {
    this.busy = true;
    this.error = '';
    performance.mark('lamina:file-picked');
    try {
      if (this.reconnect) {
        const why = await this.ctx.ownSlides.reconnect(this.reconnect, files, handles);
        if (why) this.error = why;
        else this.dispatchEvent(new CustomEvent('lamina-slide-opened', { detail: this.reconnect, bubbles: true, composed: true }));
        return;
      }
      const r = await this.ctx.ownSlides.open(files, handles);
      if ('error' in r) this.error = r.error;
      else {
        this.dispatchEvent(new CustomEvent('lamina-slide-opened', { detail: r.id, bubbles: true, composed: true }));
        this.ctx.router.go({ name: 'file', id: r.id });
      }
    } finally {
      this.busy = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lamina-open-slide': OpenSlideElement;
  }
  interface GlobalEventHandlersEventMap {
    'lamina-slide-opened': CustomEvent<string>;
  }
}
