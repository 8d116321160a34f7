import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { DocumentRef } from '../../../shared/contract/documents';
import { call, toAppError } from '../lib/api';
import { savePdf } from '../lib/download';
import { DOCUMENT_READS, useWrite } from '../lib/queries';

function notify(color: string, title: string, message: string): void {
  notifications.show({
    color,
    title,
    message,
    autoClose: 8000,
    closeButtonProps: { 'aria-label': 'Close message' },
    styles: { description: { color: 'var(--mantine-color-text)' } },
  });
}

/** Printing a document through the print queue and saving it as a PDF, each saying in a notice what became of it. */
export function useDocumentActions(name: string) {
  const print = useWrite('documents.print', { invalidates: DOCUMENT_READS });
  const [busy, setBusy] = useState<'print' | 'pdf' | null>(null);

  const printDocument = async (document: DocumentRef) => {
    setBusy('print');
    try {
      const job = await print.mutateAsync({ document });
      if (job.status === 'printed' || job.status === 'sent') notify('teal', 'Sent to the printer', `${name}: ${job.statusText}`);
      else if (job.status === 'failed') notify('red', `${name} could not be printed`, job.statusText);
      else notify('orange', 'Printer unavailable: kept in the print queue (Documents)', `${name} waits in the print queue: ${job.statusText}`);
    } catch (e) {
      notify('red', `${name} could not be printed`, toAppError(e).message);
    } finally {
      setBusy(null);
    }
  };

  const saveDocumentPdf = async (document: DocumentRef) => {
    setBusy('pdf');
    try {
      // A file for the download, not data kept on screen: asked for directly, not through the cache.
      const file = await call('documents.pdf', { document });
      savePdf(file);
      notify('teal', 'PDF saved', `Saved as ${file.fileName}.`);
    } catch (e) {
      notify('red', 'The PDF could not be made', toAppError(e).message);
    } finally {
      setBusy(null);
    }
  };

  return { busy, printDocument, saveDocumentPdf };
}
