import { fixedClock, type Clock } from '../../src/main/clock';
import { createDispatcher } from '../../src/main/ipc/handlers';
import { dispatch } from '../../src/main/ipc/dispatch';
import { seedDemoLedger } from '../../src/main/demo/seed';
import { silentLogger } from '../../src/main/log';
import type { TestGatewayOptions } from '../../src/main/payments/test-gateway';
import type { NodeRuntime } from '../../src/main/runtime';
import type { ChannelInput, ChannelName, ChannelOutput } from '../../src/shared/contract';
import { startTestApp, type TestApp } from './server';
import { asStaff } from '../helpers/dispatch';

/** The business date every end-to-end ledger is seeded for, and the frozen clock's instant on it (New York). */
export const AS_OF = '2026-11-20';
export const NOW = '2026-11-20T15:00:00Z';

/** Calls a channel the way the window does (strict input parse, envelope), throwing on a failure. */
export async function callChannel<K extends ChannelName>(
  runtime: NodeRuntime,
  channel: K,
  input: ChannelInput<K>,
): Promise<ChannelOutput<K>> {
  const res = await dispatch(createDispatcher(runtime.core), channel, input, asStaff('setup'));
  if (!res.ok) throw new Error(`${channel} failed: ${res.error.code} ${res.error.message}`);
  return res.data as ChannelOutput<K>;
}

export interface SeededAppOptions {
  customers?: number;
  /** Puts the test Visa 4242 on file for CL1042 as its default card. */
  cardOnFile?: boolean;
  prepare?: (runtime: NodeRuntime) => Promise<void>;
  gateway?: Omit<TestGatewayOptions, 'file' | 'clock'>;
  /** The app's clock, for a spec that moves the business date on (a later run); NOW, frozen, without one. */
  clock?: Clock;
}

/** A demo ledger seeded for AS_OF with a frozen clock, served with the built renderer. */
export async function startSeededApp(options: SeededAppOptions = {}): Promise<TestApp> {
  return startTestApp({
    clock: options.clock ?? fixedClock(NOW),
    ...(options.gateway ? { gateway: options.gateway } : {}),
    prepare: async (runtime) => {
      await seedDemoLedger(runtime.ledger, { customers: options.customers ?? 40, seed: 7, asOf: AS_OF });
      if (options.cardOnFile) {
        await callChannel(runtime, 'paymentMethods.add', {
          customerNumber: 'CL1042',
          method: {
            type: 'card',
            cardNumber: '4242424242424242',
            expMonth: 12,
            expYear: 2028,
            cvc: '123',
            nameOnCard: 'Maria Okafor',
            postalCode: '97201',
          },
          nickname: 'Office Visa',
          makeDefault: true,
        });
      }
      await options.prepare?.(runtime);
    },
  });
}

export interface ScenarioCustomer {
  customerNumber: string;
  legalName: string;
  email?: string;
  /** Oldest first; each a single line of the given amount. */
  invoices: { invoiceNumber: string; issueDate: string; dueDate: string; cents: number; disputed?: boolean }[];
  credits?: { creditNumber: string; issueDate: string; cents: number; reason: string }[];
  /** Puts the test Visa 4242 on file as the default card. */
  cardOnFile?: boolean;
}

/** A customer with exactly the invoices and credits a scenario needs, made through the channels. */
export async function addScenarioCustomer(runtime: NodeRuntime, c: ScenarioCustomer): Promise<void> {
  await callChannel(runtime, 'customers.create', {
    customerNumber: c.customerNumber,
    legalName: c.legalName,
    email: c.email ?? `billing@${c.customerNumber.toLowerCase()}.example`,
    phone: '(503) 555-0199',
    address: { line1: '200 SW Market St', city: 'Portland', region: 'OR', postalCode: '97201', country: 'US' },
  });
  for (const inv of c.invoices) {
    await callChannel(runtime, 'invoices.create', {
      customerNumber: c.customerNumber,
      invoiceNumber: inv.invoiceNumber,
      issueDate: inv.issueDate,
      dueDate: inv.dueDate,
      lines: [{ description: 'Managed services', quantity: 1, unitPriceCents: inv.cents }],
    });
    if (inv.disputed) {
      await callChannel(runtime, 'invoices.setDisputed', { invoiceNumber: inv.invoiceNumber, disputed: true, reason: 'Customer disputes the hours billed' });
    }
  }
  for (const cr of c.credits ?? []) {
    await callChannel(runtime, 'credits.create', {
      customerNumber: c.customerNumber,
      creditNumber: cr.creditNumber,
      issueDate: cr.issueDate,
      amountCents: cr.cents,
      reason: cr.reason,
    });
  }
  if (c.cardOnFile) {
    await callChannel(runtime, 'paymentMethods.add', {
      customerNumber: c.customerNumber,
      method: {
        type: 'card',
        cardNumber: '4242424242424242',
        expMonth: 12,
        expYear: 2028,
        cvc: '123',
        nameOnCard: c.legalName,
        postalCode: '97201',
      },
      makeDefault: true,
    });
  }
}
