// Saves bytes or text as a file the way run mode does everywhere (captures, transcripts):
// a download in browser mode, which Electron turns into its native save dialog. DOM only;
// the run store receives it as an injected dependency.

export function saveFile(name: string, data: Uint8Array | string, mime: string): void {
  const url = URL.createObjectURL(new Blob([data as BlobPart], { type: mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
