import { Stack, Tabs, Title } from '@mantine/core';
import { navigate } from '../../lib/router';
import { CloseDayScreen } from './CloseDayScreen';
import { PaymentsReportScreen } from './PaymentsReportScreen';

/** Reports: the payments report for a range of business dates, and closing a day. */
export function ReportsScreen({ tab }: { tab: string | undefined }) {
  const current = tab === 'close' ? 'close' : 'payments';
  return (
    <Stack gap="md">
      <Title order={2}>Reports</Title>
      <Tabs value={current} onChange={(v) => navigate('reports', v ?? 'payments')} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="payments">Payments report</Tabs.Tab>
          <Tabs.Tab value="close">Close the day</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="payments" pt="md">
          <PaymentsReportScreen />
        </Tabs.Panel>
        <Tabs.Panel value="close" pt="md">
          <CloseDayScreen />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
