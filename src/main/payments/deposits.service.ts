import type { PdfFile } from '../../shared/contract/documents';
import type { DepositDto, DepositItemDto, DepositSummaryDto } from '../../shared/contract/received';
import { AppError, validationError } from '../../shared/errors';
import { formatCents } from '../../shared/money';
import type { CoreDeps } from '../deps';
import type { Db, Tx } from '../db/types';
import { writeTx } from '../db/dialect';
import { renderDepositSlipPdf } from '../documents/deposit.pdf';
import { loadFonts } from '../documents/fonts';
import { postingTime } from '../ledger/posting';
import { appendAudit } from '../staff/audit.repo';
import {
  closeDeposit,
  deleteDepositItem,
  depositById,
  insertDeposit,
  insertDepositItem,
  itemsOfDeposit,
  lockDeposit,
  recentDeposits,
  undepositedItems,
} from './deposits.repo';
import { depositTotals } from './deposits.rules';
import { takeWriteLock } from './payments.repo';

/**
 * Deposits: the received checks and cash gathered into a batch for the bank. A batch is built
 * while open (items added and removed), then closed: from then on the database refuses any change
 * to it, and a correction (a returned check, cash paid back) goes into a new batch as a reversal.
 */
export interface DepositsService {
  list(limit: number): Promise<{ deposits: DepositSummaryDto[] }>;
  get(depositId: number): Promise<DepositDto>;
  undeposited(): Promise<{ items: DepositItemDto[] }>;
  /** Opens a batch; unless `empty`, with every undeposited item received by its date. */
  open(input: { depositDate?: string | undefined; empty?: boolean | undefined }, actor: string): Promise<DepositDto>;
  addItems(input: { depositId: number; payments: number[]; reversals: number[] }, actor: string): Promise<DepositDto>;
  removeItem(input: { depositId: number; itemId: number }, actor: string): Promise<DepositDto>;
  close(depositId: number, actor: string): Promise<DepositDto>;
  slip(depositId: number): Promise<PdfFile>;
}

async function depositOf(d: Db, depositId: number): Promise<DepositDto> {
  const row = await depositById(d, depositId);
  if (!row) throw new AppError('NOT_FOUND', `No deposit ${depositId}`, { depositId });
  const items = await itemsOfDeposit(d, depositId);
  return {
    depositId: row.id,
    depositDate: row.deposit_date,
    status: row.status,
    createdAt: row.created_at,
    createdBy: row.created_by,
    closedAt: row.closed_at,
    closedBy: row.closed_by,
    items,
    ...depositTotals(items),
  };
}

async function openBatch(trx: Tx, depositId: number) {
  await takeWriteLock(trx);
  const row = await lockDeposit(trx, depositId);
  if (!row) throw new AppError('NOT_FOUND', `No deposit ${depositId}`, { depositId });
  if (row.status === 'closed') {
    throw new AppError('CONFLICT', `Deposit ${depositId} is closed and cannot change; put a correction in a new deposit`, { depositId });
  }
  return row;
}

/** Adds the items asked for, each only while it is still undeposited; one that is not refuses the whole change. */
async function addTo(trx: Tx, depositId: number, wanted: { payments: number[]; reversals: number[] }, actor: string, at: string) {
  const available = await undepositedItems(trx);
  const added: DepositItemDto[] = [];
  for (const paymentId of wanted.payments) {
    const item = available.find((i) => i.paymentId === paymentId && i.reversalId === null);
    if (!item) throw validationError('payments', `Payment ${paymentId} is not a check or cash waiting to be deposited`);
    added.push(item);
  }
  for (const reversalId of wanted.reversals) {
    const item = available.find((i) => i.reversalId === reversalId);
    if (!item) throw validationError('reversals', `Reversal ${reversalId} is not a correction waiting to be deposited`);
    added.push(item);
  }
  for (const item of added) {
    await insertDepositItem(trx, {
      deposit_id: depositId,
      payment_id: item.paymentId,
      reversal_id: item.reversalId,
      amount_cents: item.amountCents,
      added_at: at,
      added_by: actor,
    });
  }
  return added;
}

export function createDepositsService(deps: CoreDeps): DepositsService {
  const db = deps.ledger.db;
  const fonts = () => loadFonts();
  return {
    async list(limit) {
      const rows = await recentDeposits(db, limit);
      return {
        deposits: rows.map((r) => ({
          depositId: Number(r.id),
          depositDate: r.deposit_date,
          status: r.status,
          itemCount: Number(r.item_count),
          totalCents: Number(r.total_cents),
          closedAt: r.closed_at,
        })),
      };
    },
    get: (depositId) => depositOf(db, depositId),
    async undeposited() {
      return { items: await undepositedItems(db) };
    },
    async open(input, actor) {
      const time = postingTime(deps);
      const depositDate = input.depositDate ?? time.businessDate;
      if (depositDate > time.businessDate) throw validationError('depositDate', `cannot be in the future (today is ${time.businessDate})`);
      return writeTx(db, async (trx) => {
        await takeWriteLock(trx);
        const depositId = await insertDeposit(trx, { deposit_date: depositDate, created_at: time.at, created_by: actor });
        const waiting = input.empty ? [] : await undepositedItems(trx, depositDate);
        const added = await addTo(
          trx,
          depositId,
          { payments: waiting.filter((i) => i.reversalId === null).map((i) => i.paymentId), reversals: waiting.flatMap((i) => (i.reversalId === null ? [] : [i.reversalId])) },
          actor,
          time.at,
        );
        await appendAudit(trx, {
          actor,
          action: 'deposit.open',
          entity: 'deposit',
          entityId: depositId,
          summary: { depositDate, items: added.length, totalCents: added.reduce((s, i) => s + i.amountCents, 0) },
          at: time.at,
        });
        return depositOf(trx, depositId);
      });
    },
    async addItems(input, actor) {
      if (input.payments.length + input.reversals.length === 0) throw validationError('payments', 'Choose at least one check or cash payment to add');
      const time = postingTime(deps);
      return writeTx(db, async (trx) => {
        await openBatch(trx, input.depositId);
        const added = await addTo(trx, input.depositId, input, actor, time.at);
        await appendAudit(trx, {
          actor,
          action: 'deposit.add_items',
          entity: 'deposit',
          entityId: input.depositId,
          summary: { payments: input.payments, reversals: input.reversals, amountCents: added.reduce((s, i) => s + i.amountCents, 0) },
          at: time.at,
        });
        return depositOf(trx, input.depositId);
      });
    },
    async removeItem(input, actor) {
      const time = postingTime(deps);
      return writeTx(db, async (trx) => {
        await openBatch(trx, input.depositId);
        const item = (await itemsOfDeposit(trx, input.depositId)).find((i) => i.itemId === input.itemId);
        if (!item || !(await deleteDepositItem(trx, input.depositId, input.itemId))) {
          throw new AppError('NOT_FOUND', `Deposit ${input.depositId} has no item ${input.itemId}`, { depositId: input.depositId, itemId: input.itemId });
        }
        await appendAudit(trx, {
          actor,
          action: 'deposit.remove_item',
          entity: 'deposit',
          entityId: input.depositId,
          summary: { itemId: input.itemId, paymentId: item.paymentId, reversalId: item.reversalId, amountCents: item.amountCents },
          at: time.at,
        });
        return depositOf(trx, input.depositId);
      });
    },
    async close(depositId, actor) {
      const time = postingTime(deps);
      return writeTx(db, async (trx) => {
        await openBatch(trx, depositId);
        const before = await depositOf(trx, depositId);
        if (before.itemCount === 0) throw new AppError('VALIDATION', `Deposit ${depositId} has nothing in it to close`);
        if (before.totalCents <= 0) throw new AppError('VALIDATION', `Deposit ${depositId} totals ${formatCents(before.totalCents)}; a deposit must take money to the bank`);
        await closeDeposit(trx, depositId, time.at, actor);
        await appendAudit(trx, {
          actor,
          action: 'deposit.close',
          entity: 'deposit',
          entityId: depositId,
          summary: { depositDate: before.depositDate, items: before.itemCount, checksCents: before.checksCents, cashCents: before.cashCents, totalCents: before.totalCents },
          at: time.at,
        });
        return depositOf(trx, depositId);
      });
    },
    async slip(depositId) {
      const deposit = await depositOf(db, depositId);
      const pdf = await renderDepositSlipPdf(deposit, deps.settings.get(), fonts());
      return {
        fileName: `deposit-${deposit.depositId}-${deposit.depositDate}.pdf`,
        title: `Deposit slip ${deposit.depositId}`,
        pageCount: pdf.pageCount,
        base64: Buffer.from(pdf.bytes).toString('base64'),
      };
    },
  };
}
