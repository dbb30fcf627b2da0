// Saves text the page already holds as a file, through the browser's own download: nothing goes over the network.
export function downloadText(fileName: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
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
