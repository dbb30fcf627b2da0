// Saves what the page already holds as a file, through the browser's own download: nothing goes over the network.
function save(fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The download reads the blob after this task; freeing it later costs nothing and never cuts it short.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Text saved as a file; given in parts, it is never joined into one string. */
export function downloadText(fileName: string, text: string | readonly string[], type: string): void {
  save(fileName, new Blob(typeof text === 'string' ? [text] : [...text], { type }));
}

/** Base64 bytes (a binary resource) saved as they are. */
export function downloadBytes(fileName: string, base64: string, type: string): void {
  save(fileName, new Blob([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], { type }));
}
