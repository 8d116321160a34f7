import { Stack, Tabs, Title } from '@mantine/core';
import { useState } from 'react';
import { useRoute } from '../../lib/router';
import { OutboxTab } from './OutboxTab';
import { PrintQueueTab } from './PrintQueueTab';
import { StatementsTab } from './StatementsTab';

export function DocumentsScreen() {
  // #/documents/print opens on the print queue (the payment screen's link to a confirmation that waits); #/documents/statements on the batch of statements.
  const [, opened] = useRoute();
  const [tab, setTab] = useState<string | null>(opened === 'print' || opened === 'statements' ? opened : 'outbox');
  return (
    <Stack>
      <Title order={2}>Outbox and print queue</Title>
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="outbox">Outbox</Tabs.Tab>
          <Tabs.Tab value="print">Print queue</Tabs.Tab>
          <Tabs.Tab value="statements">Statements</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="outbox" pt="md">
          <OutboxTab />
        </Tabs.Panel>
        <Tabs.Panel value="print" pt="md">
          <PrintQueueTab />
        </Tabs.Panel>
        <Tabs.Panel value="statements" pt="md">
          <StatementsTab />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
