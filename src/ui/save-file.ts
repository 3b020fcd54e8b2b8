/** Offers a blob to the user as a downloaded file (nothing leaves the machine). */
function saveBlob(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  // The download has taken its copy once the click is handled.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Offers text to the user as a downloaded file. */
export function saveTextFile(name: string, text: string, type: string): void {
  saveBlob(name, new Blob([text], { type }));
}

/** Offers bytes (a zip) to the user as a downloaded file. */
export function saveBytesFile(name: string, bytes: Uint8Array, type: string): void {
  saveBlob(name, new Blob([bytes as Uint8Array<ArrayBuffer>], { type }));
}
