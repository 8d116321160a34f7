import type { DepositItemDto } from '../../shared/contract/received';

/** A deposit's figures from its items: checks counted one by one, cash as one total, corrections netted. */
export function depositTotals(items: readonly DepositItemDto[]) {
  const checks = items.filter((i) => i.kind === 'check');
  const cash = items.filter((i) => i.kind === 'cash');
  const checksCents = checks.reduce((s, i) => s + i.amountCents, 0);
  const cashCents = cash.reduce((s, i) => s + i.amountCents, 0);
  return {
    checkCount: checks.filter((i) => i.reversalId === null).length,
    checksCents,
    cashCents,
    totalCents: checksCents + cashCents,
    itemCount: items.length,
  };
}
