import { Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { CustomerDto } from '../../../../shared/contract/customers';
import { isIsoDate } from '../../../../shared/dates';
import { DOCUMENT_READS, useWrite } from '../../lib/queries';
import { useToday } from '../../lib/settings';
import { EmailDocumentModal } from '../../components/EmailDocumentModal';
import { useDocumentActions } from '../../components/useDocumentActions';

/** The customer's statement as of a date: printed through the print queue, emailed through the outbox, or saved as a PDF. */
export function StatementModal({ customer, onClose }: { customer: CustomerDto; onClose(): void }) {
  const today = useToday();
  const [asOf, setAsOf] = useState(today);
  const [emailing, setEmailing] = useState(false);
  const documents = useDocumentActions(`The statement of ${customer.customerNumber}`);
  const email = useWrite('documents.emailStatement', { invalidates: DOCUMENT_READS });
  const dateError = isIsoDate(asOf) ? null : 'Enter the date the statement is as of';
  const ref = { kind: 'statement', customerNumber: customer.customerNumber, asOf } as const;

  if (emailing) {
    return (
      <EmailDocumentModal
        title={`Email the statement of ${customer.customerNumber}`}
        what="The statement"
        defaultTo={customer.email ?? ''}
        send={(to) => email.mutateAsync({ customerNumber: customer.customerNumber, asOf, to })}
        onClose={onClose}
      >
        <Text size="sm">
          Statement of <b>{customer.legalName}</b> as of {asOf}, with the statement as a PDF.
        </Text>
      </EmailDocumentModal>
    );
  }
  return (
    <Modal opened onClose={onClose} title={`Statement for ${customer.legalName}`} centered size="lg" closeButtonProps={{ 'aria-label': 'Close' }}>
      <Stack gap="md">
        <TextInput
          type="date"
          label="As of"
          description="The statement lists what was open on this date."
          w={200}
          value={asOf}
          onChange={(e) => setAsOf(e.currentTarget.value)}
          error={dateError}
          data-autofocus
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Close
          </Button>
          <Button variant="default" disabled={!!dateError} onClick={() => setEmailing(true)}>
            Email…
          </Button>
          <Button variant="default" disabled={!!dateError} loading={documents.busy === 'pdf'} onClick={() => void documents.saveDocumentPdf(ref)} data-testid="statement-pdf">
            Save PDF
          </Button>
          <Button disabled={!!dateError} loading={documents.busy === 'print'} onClick={() => void documents.printDocument(ref)}>
            Print
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
