import { Anchor, Group, Loader, Stack, Text } from '@mantine/core';
import type { PrintJobView } from '../../../../shared/contract/documents';
import { FOLLOW_PRINT_MS, moving, printTone, TONE_TEXT } from '../../lib/printJobs';
import { useChannel } from '../../lib/queries';
import { navigate } from '../../lib/router';

/** A job the print system refused is tried again by main every minute; this screen looks that often too. */
const WAITING_MS = 15_000;

/** Ask again soon while the job moves, now and then while it waits in AR Desk's queue, never once it is printed or failed. */
function nextAsk(job: PrintJobView | undefined): number | false {
  if (!job || moving(job)) return FOLLOW_PRINT_MS;
  return job.status === 'queued' ? WAITING_MS : false;
}

/**
 * Where the confirmation of a Submit & Print is: "Sent to printer X as job N…", then "Printed on X
 * (job N).", or held or refused with the reason, as main says it; followed until it is printed or failed.
 */
export function PrintStatus({ paymentId }: { paymentId: number }) {
  // The payment's confirmation wherever it prints: recovery at another workstation may have queued it there.
  const { data, error } = useChannel('documents.printJobs', { status: 'all', limit: 1, paymentId, workstation: 'all' }, { refreshEvery: (d) => nextAsk(d?.jobs[0]) });
  const job = data?.jobs[0];
  const tone = job ? printTone(job) : 'moving';
  const text = job?.statusText ?? (error ? `Confirmation sent to the print queue; its state could not be read: ${error.message}` : 'Confirmation sent to the print queue.');
  const needsLook = tone === 'waiting' || tone === 'held' || tone === 'failed';
  return (
    <Stack gap={4} mt={6} role="status" aria-live="polite">
      <Group gap={6} wrap="nowrap" align="flex-start">
        {job && moving(job) && <Loader size={12} mt={4} aria-hidden />}
        <Text size="sm" style={{ color: TONE_TEXT[tone] }} data-testid="print-status">
          {text}
        </Text>
      </Group>
      {needsLook && (
        <Anchor
          href="#/documents/print"
          size="sm"
          onClick={(e) => {
            e.preventDefault();
            navigate('documents', 'print');
          }}
        >
          Open Documents → Print queue
        </Anchor>
      )}
    </Stack>
  );
}
