import type { PaymentMethodAddInput, PaymentMethodDto } from '../../shared/contract/paymentMethods';
import { AppError } from '../../shared/errors';
import type { CoreDeps } from '../deps';
import type { PaymentMethodRow } from '../db/schema';
import { requireCustomer } from '../ledger/customers.repo';
import { postingTime } from '../ledger/posting';
import { appendAudit } from '../staff/audit.repo';
import { activeMethodsOf, clearDefault, insertMethod, markRemoved, methodById, setDefault } from './paymentMethods.repo';
import { checkNewMethod, cleanNickname, isMethodExpired, methodLabel, newMethodRow, toMethodDto } from './paymentMethods.rules';
import { takeWriteLock } from './payments.repo';
import { tokenize } from './tokens';
import { writeTx } from '../db/dialect';
import { lockCustomer } from '../db/dialect';

function auditSummary(row: Pick<PaymentMethodRow, 'kind' | 'brand' | 'last4' | 'account_type' | 'customer_id' | 'nickname'>, extra: Record<string, unknown> = {}) {
  return { label: methodLabel(row), nickname: row.nickname, ...extra };
}

export function createPaymentMethodsService(deps: CoreDeps) {
  const db = deps.ledger.db;

  async function requireMethod(id: number): Promise<PaymentMethodRow> {
    const row = await methodById(db, id);
    if (!row || row.removed_at !== null) throw new AppError('NOT_FOUND', `No payment method ${id} on file`, { id });
    return row;
  }

  async function listFor(customerId: number): Promise<PaymentMethodDto[]> {
    const today = postingTime(deps).businessDate;
    return (await activeMethodsOf(db, customerId)).map((r) => toMethodDto(r, today));
  }

  return {
    async list(customerNumber: string): Promise<{ methods: PaymentMethodDto[] }> {
      const customer = await requireCustomer(db, customerNumber);
      return { methods: await listFor(customer.id) };
    },

    async add(input: PaymentMethodAddInput, actor: string): Promise<{ method: PaymentMethodDto }> {
      const time = postingTime(deps);
      const customer = await requireCustomer(db, input.customerNumber);
      const checked = checkNewMethod(input.method, time.businessDate);
      const token = await tokenize(deps.gateway, checked);
      const nickname = cleanNickname(input.nickname ?? input.method.nickname);
      const id = await writeTx(db, async (trx) => {
        await takeWriteLock(trx);
        await lockCustomer(trx, customer.id);
        const newId = await insertMethod(
          trx,
          newMethodRow(customer.id, deps.gateway.name, checked, token, nickname),
          { makeDefault: input.makeDefault === true },
          actor,
          time.at,
        );
        const row = (await methodById(trx, newId))!;
        await appendAudit(trx, {
          actor,
          action: 'payment_method.add',
          entity: 'payment_method',
          entityId: newId,
          summary: auditSummary(row, { customerNumber: customer.customer_number, isDefault: row.is_default === 1 }),
          at: time.at,
        });
        return newId;
      });
      return { method: toMethodDto((await methodById(db, id))!, time.businessDate) };
    },

    async remove(id: number, actor: string): Promise<{ methods: PaymentMethodDto[] }> {
      const time = postingTime(deps);
      const row = await requireMethod(id);
      await writeTx(db, async (trx) => {
        await takeWriteLock(trx);
        await lockCustomer(trx, row.customer_id);
        await markRemoved(trx, id, time.at);
        let promoted: number | null = null;
        if (row.is_default === 1) {
          // The newest card or account left on file becomes what new payments preselect.
          const next = (await activeMethodsOf(trx, row.customer_id)).find((m) => !isMethodExpired(m, time.businessDate));
          if (next) {
            await setDefault(trx, next.id);
            promoted = next.id;
          }
        }
        await appendAudit(trx, {
          actor,
          action: 'payment_method.remove',
          entity: 'payment_method',
          entityId: id,
          summary: auditSummary(row, { newDefaultId: promoted }),
          at: time.at,
        });
      });
      return { methods: await listFor(row.customer_id) };
    },

    async setDefault(id: number, actor: string): Promise<{ methods: PaymentMethodDto[] }> {
      const time = postingTime(deps);
      const row = await requireMethod(id);
      if (isMethodExpired(row, time.businessDate)) {
        throw new AppError('VALIDATION', `${methodLabel(row)} has expired and cannot be the default`, {
          fields: { id: 'has expired' },
        });
      }
      await writeTx(db, async (trx) => {
        await takeWriteLock(trx);
        await lockCustomer(trx, row.customer_id);
        await clearDefault(trx, row.customer_id);
        await setDefault(trx, id);
        await appendAudit(trx, {
          actor,
          action: 'payment_method.set_default',
          entity: 'payment_method',
          entityId: id,
          summary: auditSummary(row),
          at: time.at,
        });
      });
      return { methods: await listFor(row.customer_id) };
    },
  };
}

export type PaymentMethodsService = ReturnType<typeof createPaymentMethodsService>;
