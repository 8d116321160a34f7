import { Stack, Text } from '@mantine/core';
import { useState } from 'react';
import type { PaymentSummaryDto } from '../../../../shared/contract/payments';
import { call, toAppError } from '../../lib/api';
import { savePdf } from '../../lib/download';
import { DOCUMENT_READS, useWrite } from '../../lib/queries';
import { useFormat } from '../../lib/settings';
import { documentName, notify, sentence, ToDocuments } from './paymentNotices';

/** A notice's sentence with the way to the print queue, where the job is followed and can be printed again. */
function withLink(text: string) {
  return (
    <Stack gap={2}>
      <Text size="sm">{text}</Text>
      <ToDocuments tab="Print queue" />
    </Stack>
  );
}

/** Reprinting a payment's confirmation and saving it as a PDF, each saying in a notice what became of it. */
export function useConfirmationDocument(payment: PaymentSummaryDto) {
  const format = useFormat();
  const print = useWrite('documents.print', { invalidates: DOCUMENT_READS });
  const [busy, setBusy] = useState<'print' | 'pdf' | null>(null);

  const reprint = async () => {
    setBusy('print');
    try {
      const job = await print.mutateAsync({ document: { kind: 'confirmation', paymentId: payment.paymentId } });
      const what = documentName(payment, format);
      if (job.status === 'printed') notify('teal', 'Sent to the printer', `${what} was printed.`);
      // The print system took it: it is the printer's now, and main follows it to printed (Documents → Print queue).
      else if (job.status === 'sent' && job.systemState === 'held') notify('orange', 'Held at the printer', withLink(`${what}: ${job.statusText}`));
      else if (job.status === 'sent') notify('teal', 'Sent to the printer', `${what}: ${job.statusText}`);
      else if (job.status === 'failed') notify('red', 'The confirmation could not be printed', withLink(job.statusText));
      else {
        notify(
          'orange',
          'Printer unavailable: kept in the print queue (Documents)',
          <Stack gap={2}>
            <Text size="sm">
              {what} waits in the print queue{job.lastError ? `: ${sentence(job.lastError)}` : '.'} Print it from there when the printer is
              back.
            </Text>
            <ToDocuments tab="Print queue" />
          </Stack>,
        );
      }
    } catch (e) {
      notify('red', 'The confirmation could not be printed', toAppError(e).message);
    } finally {
      setBusy(null);
    }
  };

  const savePdfFile = async () => {
    setBusy('pdf');
    try {
      // A file for the download, not data kept on screen: asked for directly, not through the cache.
      const file = await call('documents.pdf', { document: { kind: 'confirmation', paymentId: payment.paymentId } });
      savePdf(file);
      notify('teal', 'PDF saved', `Saved as ${file.fileName}.`);
    } catch (e) {
      notify('red', 'The PDF could not be made', toAppError(e).message);
    } finally {
      setBusy(null);
    }
  };

  return { busy, reprint, savePdfFile };
}
