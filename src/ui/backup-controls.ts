import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { Workspace } from '../app/workspace';
import { MAX_BACKUP_BYTES } from '../model/formats/backup';
import { saveTextFile } from './save-file';

/**
 * "Export everything" and "Restore a backup": every slide's annotations and the classes in one
 * JSON file, so an evicted browser profile loses nothing. A thin view over the Workspace.
 */
@customElement('lamina-backup-controls')
export class BackupControlsElement extends LitElement {
  @property({ attribute: false }) workspace: Workspace | undefined;
  @state() private message = '';
  @state() private error = '';
  @state() private busy = false;

  static override styles = css`
    :host { display: block; font: 12px system-ui, sans-serif; }
    .row { display: flex; gap: 6px; flex-wrap: wrap; align-items: center; }
    button, .file { font: inherit; padding: 3px 8px; border: 1px solid #999; border-radius: 4px; background: #fff; cursor: pointer; }
    .file input { position: absolute; opacity: 0; width: 1px; height: 1px; }
    .file:focus-within { outline: 2px solid #1a73e8; }
    .error { color: #a00; }
  `;

  override render() {
    return html`<div class="row">
        <button type="button" ?disabled=${this.busy} @click=${this.exportAll}>Export everything</button>
        <label class="file">Restore a backup…<input type="file" accept=".json,application/json" ?disabled=${this.busy} @change=${this.restore} /></label>
      </div>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : ''}
      ${this.message ? html`<p role="status" data-testid="backup-status">${this.message}</p>` : ''}`;
  }

  private exportAll = async (): Promise<void> => {
    if (!this.workspace) return;
    this.busy = true;
    this.error = '';
    try {
      const r = await this.workspace.exportEverything();
      if (r.error !== undefined) this.error = r.error;
      else {
        saveTextFile(`lamina-backup-${new Date().toISOString().slice(0, 10)}.json`, r.value, 'application/json');
        this.message = `Backup exported (${(r.value.length / 1e6).toFixed(2)} MB).`;
      }
    } catch (e) {
      this.error = `Export failed: ${e instanceof Error ? e.message : String(e)}`;
    } finally {
      this.busy = false;
    }
  };

  private restore = async (e: Event): Promise<void> => {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (!file || !this.workspace) return;
    this.error = '';
    this.message = '';
    if (file.size > MAX_BACKUP_BYTES) {
      this.error = `${file.name} is ${(file.size / 1e6).toFixed(0)} MB: far larger than any backup (limit ${MAX_BACKUP_BYTES / 1e6} MB). Nothing was restored.`;
      return;
    }
    this.busy = true;
    try {
      const r = await this.workspace.restore(await file.text());
      if (r.error !== undefined) this.error = `${file.name}: ${r.error} Nothing was restored.`;
      else {
        const v = r.value;
        this.message = `Restored from ${file.name}: ${v.added} annotation(s) added, ${v.updated} updated, ${v.unchanged} already here, ${v.classesAdded} class(es) added, over ${v.slides} slide(s).`;
      }
    } catch (err) {
      this.error = `Restore failed, nothing was restored: ${err instanceof Error ? err.message : String(err)}`;
    } finally {
      this.busy = false;
    }
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'lamina-backup-controls': BackupControlsElement;
  }
}
