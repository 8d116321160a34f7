import type { PdfFile } from '../../../shared/contract/documents';

/** Hands a file made in this window to the browser's (or Electron's) download, without a round trip. */
function saveBlob(fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Give the download a moment to start before the URL goes away.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Offers a PDF from the main process as a download (the browser's or Electron's save dialog). */
export function savePdf(file: PdfFile): void {
  const binary = atob(file.base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  saveBlob(file.fileName, new Blob([bytes], { type: 'application/pdf' }));
}

/** Offers text (a CSV export) as a download. */
export function downloadText(fileName: string, text: string, type: string): void {
  // A byte-order mark makes Excel read the file as UTF-8 (accented customer names).
  saveBlob(fileName, new Blob(['\ufeff', text], { type }));
}
