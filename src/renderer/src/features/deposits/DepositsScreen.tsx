import { Alert, Badge, Button, Checkbox, Grid, Group, Modal, NavLink, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import type { DepositDto, DepositItemDto } from '../../../../shared/contract/received';
import { Empty, ErrorNotice, Loading } from '../../components/states';
import { useFormat } from '../../lib/settings';
import { useDeposits } from './useDeposits';

const itemKey = (i: DepositItemDto) => (i.reversalId === null ? `p${i.paymentId}` : `r${i.reversalId}`);

function ItemCells({ item }: { item: DepositItemDto }) {
  const format = useFormat();
  return (
    <>
      <Table.Td>{item.kind === 'check' ? 'Check' : 'Cash'}</Table.Td>
      <Table.Td ff="monospace" style={{ whiteSpace: 'nowrap' }}>
        {item.checkNumber ?? ''}
      </Table.Td>
      <Table.Td>{item.checkBank ?? ''}</Table.Td>
      <Table.Td>
        <Text span ff="monospace" fw={600} size="sm">
          {item.customerNumber}
        </Text>{' '}
        <Text span size="sm">
          {item.customerName}
        </Text>
      </Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>{item.reversalId === null ? format.date(item.receivedOn) : 'Returned / paid back'}</Table.Td>
      <Table.Td className="num" c={item.amountCents < 0 ? 'red.8' : undefined}>
        {format.money(item.amountCents)}
      </Table.Td>
    </>
  );
}

const ITEM_HEADERS = ['Kind', 'Check number', 'Bank', 'Customer', 'Received', 'Amount'];

function Totals({ d }: { d: DepositDto }) {
  const format = useFormat();
  const figures: [string, string][] = [
    [`Checks (${d.checkCount})`, format.money(d.checksCents)],
    ['Cash', format.money(d.cashCents)],
    [`Total, ${d.itemCount} ${d.itemCount === 1 ? 'item' : 'items'}`, format.money(d.totalCents)],
  ];
  return (
    <Group gap="xl" justify="flex-end" data-testid="deposit-totals">
      {figures.map(([label, value], i) => (
        <div key={label}>
          <Text size="xs" c="dimmed" fw={600} tt="uppercase">
            {label}
          </Text>
          <Text fz={i === 2 ? 'xl' : 'lg'} fw={700} className="num" ta="right">
            {value}
          </Text>
        </div>
      ))}
    </Group>
  );
}

function DepositPanel({ pay, d }: { pay: ReturnType<typeof useDeposits>; d: DepositDto }) {
  const format = useFormat();
  const [confirming, setConfirming] = useState(false);
  const isOpen = d.status === 'open';
  return (
    <Paper withBorder p="md" component="section" aria-label={`Deposit ${d.depositId}`} data-testid="deposit-panel">
      <Group justify="space-between" mb="sm">
        <Group gap="sm">
          <Title order={3} size="h4">
            Deposit {d.depositId} · {format.date(d.depositDate)}
          </Title>
          <Badge color={isOpen ? 'yellow' : 'teal'} variant="light" data-testid="deposit-status">
            {isOpen ? 'Open' : 'Closed'}
          </Badge>
        </Group>
        <Group gap="xs">
          <Button variant="light" onClick={pay.slip} loading={pay.busy === 'slip'} data-testid="deposit-slip">
            Print deposit slip (PDF)
          </Button>
          {isOpen && (
            <Button onClick={() => setConfirming(true)} disabled={d.itemCount === 0} data-testid="deposit-close">
              Close deposit
            </Button>
          )}
        </Group>
      </Group>
      {!isOpen && (
        <Text size="sm" c="dimmed" mb="sm">
          Closed {d.closedAt ? format.timestamp(d.closedAt) : ''} by {d.closedBy}. A closed deposit cannot change: a returned check or cash paid back goes in a new deposit.
        </Text>
      )}
      {d.items.length === 0 ? (
        <Empty title="Nothing in this deposit yet">Tick checks and cash under “Waiting to be deposited” and add them.</Empty>
      ) : (
        <Table tabularNums verticalSpacing={6} data-testid="deposit-items">
          <Table.Thead>
            <Table.Tr>
              {ITEM_HEADERS.map((h) => (
                <Table.Th key={h} className={h === 'Amount' ? 'num' : undefined} style={{ whiteSpace: 'nowrap' }}>
                  {h}
                </Table.Th>
              ))}
              {isOpen && <Table.Th />}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {d.items.map((i) => (
              <Table.Tr key={i.itemId} data-testid="deposit-item">
                <ItemCells item={i} />
                {isOpen && (
                  <Table.Td>
                    <Button size="compact-xs" variant="subtle" color="red" onClick={() => pay.removeItem(i.itemId!)} loading={pay.busy === `remove-${i.itemId}`}>
                      Remove
                    </Button>
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Stack mt="md">
        <Totals d={d} />
      </Stack>
      <Modal opened={confirming} onClose={() => setConfirming(false)} title={`Close deposit ${d.depositId}?`} closeButtonProps={{ 'aria-label': 'Close' }} centered>
        <Stack>
          <Text>
            {d.itemCount} {d.itemCount === 1 ? 'item' : 'items'} totalling {format.money(d.totalCents)} ({d.checkCount} checks, {format.money(d.cashCents)} cash). Once closed,
            nothing can be added or removed.
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirming(false)}>
              Cancel
            </Button>
            <Button
              data-testid="deposit-close-ok"
              loading={pay.busy === 'close'}
              onClick={() => {
                setConfirming(false);
                pay.closeBatch();
              }}
            >
              Close deposit
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Paper>
  );
}

function Waiting({ pay }: { pay: ReturnType<typeof useDeposits> }) {
  const { waiting, picked, setPicked } = pay;
  const selectedOpen = pay.deposit.data?.status === 'open';
  const items = waiting.data?.items;
  return (
    <Paper withBorder p="md" component="section" aria-label="Waiting to be deposited">
      <Group justify="space-between" mb="sm">
        <Title order={3} size="h5">
          Waiting to be deposited
        </Title>
        <Group gap="xs">
          {selectedOpen && (
            <Button variant="light" disabled={picked.length === 0} onClick={() => void pay.addPicked()} loading={pay.busy === 'add'} data-testid="deposit-add">
              Add ticked to deposit {pay.selectedId}
            </Button>
          )}
          <Button onClick={() => void pay.openBatch()} loading={pay.busy === 'open'} disabled={!items || items.length === 0} data-testid="deposit-open">
            {picked.length === 0 ? 'New deposit with all of these' : 'New deposit with the ticked'}
          </Button>
        </Group>
      </Group>
      {waiting.error ? (
        <ErrorNotice title="What is waiting could not be loaded" error={waiting.error} onRetry={waiting.reload} />
      ) : !items ? (
        <Loading what="undeposited checks and cash" />
      ) : items.length === 0 ? (
        <Empty title="Nothing waiting">Checks and cash recorded on the payment screen appear here until they are in a deposit.</Empty>
      ) : (
        <Table tabularNums verticalSpacing={6} data-testid="undeposited">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={36} />
              {ITEM_HEADERS.map((h) => (
                <Table.Th key={h} className={h === 'Amount' ? 'num' : undefined} style={{ whiteSpace: 'nowrap' }}>
                  {h}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((i) => (
              <Table.Tr key={itemKey(i)} data-testid="undeposited-item">
                <Table.Td>
                  <Checkbox
                    aria-label={`Pick ${i.kind === 'check' ? `check ${i.checkNumber}` : 'cash'} from ${i.customerNumber}`}
                    checked={picked.includes(itemKey(i))}
                    onChange={(e) => setPicked(e.currentTarget.checked ? [...picked, itemKey(i)] : picked.filter((k) => k !== itemKey(i)))}
                  />
                </Table.Td>
                <ItemCells item={i} />
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Paper>
  );
}

/** Deposits: received checks and cash gathered into a batch for the bank, closed, and its slip printed. */
export function DepositsScreen() {
  const format = useFormat();
  const pay = useDeposits();
  const { list, deposit } = pay;
  return (
    <Stack gap="md" maw={1400}>
      <Title order={2}>Deposits</Title>
      {pay.problem && (
        <Alert color="red" variant="light" role="alert" data-testid="deposit-problem">
          {pay.problem}
        </Alert>
      )}
      <Grid gap="md" align="flex-start">
        <Grid.Col span={3}>
          <Paper withBorder p="xs" component="nav" aria-label="Deposits">
            {list.error ? (
              <ErrorNotice title="The deposits could not be loaded" error={list.error} onRetry={list.reload} />
            ) : !list.data ? (
              <Loading what="deposits" />
            ) : list.data.deposits.length === 0 ? (
              <Text size="sm" c="dimmed" p="xs">
                No deposits yet.
              </Text>
            ) : (
              list.data.deposits.map((d) => (
                <NavLink
                  key={d.depositId}
                  active={d.depositId === pay.selectedId}
                  onClick={() => pay.select(d.depositId)}
                  label={
                    <Stack gap={0}>
                      <Text size="sm" fw={600} c="dark">
                        Deposit {d.depositId} · {format.date(d.depositDate)}
                      </Text>
                      <Text size="xs" c="gray.8">
                        {d.status === 'open' ? 'Open' : 'Closed'} · {d.itemCount} {d.itemCount === 1 ? 'item' : 'items'} · {format.money(d.totalCents)}
                      </Text>
                    </Stack>
                  }
                  data-testid="deposit-link"
                />
              ))
            )}
          </Paper>
        </Grid.Col>
        <Grid.Col span={9}>
          <Stack gap="md">
            {deposit.error ? (
              <ErrorNotice title="The deposit could not be loaded" error={deposit.error} onRetry={deposit.reload} />
            ) : deposit.data ? (
              <DepositPanel pay={pay} d={deposit.data} />
            ) : pay.selectedId !== null ? (
              <Loading what={`deposit ${pay.selectedId}`} />
            ) : null}
            <Waiting pay={pay} />
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
