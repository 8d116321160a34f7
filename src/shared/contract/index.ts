import type { z } from 'zod';
import type { ChannelDef } from './define';
import { appChannels } from './app';
import { settingsChannels } from './settings';
import { customersChannels } from './customers';
import { invoicesChannels } from './invoices';
import { creditsChannels } from './credits';
import { documentsChannels } from './documents';
import { paymentsChannels } from './payments';
import { paymentMethodsChannels } from './paymentMethods';
import { lookupChannels } from './lookup';
import { agingChannels } from './aging';
import { printersChannels } from './printers';
import { authChannels, withApproval } from './auth';
import { staffChannels } from './staff';
import { auditChannels } from './audit';
import { billingChannels, subscriptionsChannels } from './billing';
import { correctionsChannels } from './corrections';
import { receivedChannels } from './received';
import { notesChannels } from './notes';
import { reportsChannels } from './reports';
import { disputesChannels } from './disputes';
import { importsChannels } from './imports';
import { autopayChannels } from './autopay';
import { collectionsChannels, dunningChannels } from './dunning';

/**
 * Supervisor actions a clerk may ask for with a supervisor's approval in the input (`approval`,
 * see auth.ts); src/main/staff/permissions.ts says the same, and a test keeps the two in step.
 */
const approvable = withApproval({ ...invoicesChannels, ...creditsChannels, ...paymentsChannels, ...auditChannels, ...subscriptionsChannels, ...billingChannels, ...correctionsChannels, ...receivedChannels, ...reportsChannels, ...disputesChannels, ...collectionsChannels }, [
  'invoices.void',
  'invoices.setDisputed',
  'credits.create',
  'credits.unapply',
  'payments.void',
  'payments.refund',
  'payments.returnCheck',
  'audit.list',
  'subscriptions.change',
  'subscriptions.cancel',
  'customers.cancelAccount',
  'billing.run',
  'corrections.reapply',
  'corrections.writeOff',
  'reports.closeDay',
  'disputes.resolve',
  'collections.assign',
  'collections.setNoFollowUp',
]);

/** Every IPC channel of AR Desk, named `domain.verb`. Add a domain's channels here. */
export const contract = {
  ...appChannels,
  ...documentsChannels,
  ...settingsChannels,
  ...customersChannels,
  ...invoicesChannels,
  ...creditsChannels,
  ...paymentsChannels,
  ...paymentMethodsChannels,
  ...lookupChannels,
  ...agingChannels,
  ...printersChannels,
  ...authChannels,
  ...staffChannels,
  ...auditChannels,
  ...subscriptionsChannels,
  ...billingChannels,
  ...correctionsChannels,
  ...receivedChannels,
  ...notesChannels,
  ...reportsChannels,
  ...disputesChannels,
  ...importsChannels,
  ...autopayChannels,
  ...dunningChannels,
  ...collectionsChannels,
  ...approvable,
} as const;

export type Contract = typeof contract;
export type ChannelName = keyof Contract;
export const CHANNEL_NAMES = Object.keys(contract) as ChannelName[];

type DefOf<K extends ChannelName> = Contract[K];
export type ChannelInput<K extends ChannelName> =
  DefOf<K> extends ChannelDef<infer I, unknown> ? z.input<I> : never;
export type ParsedInput<K extends ChannelName> =
  DefOf<K> extends ChannelDef<infer I, unknown> ? z.output<I> : never;
export type ChannelOutput<K extends ChannelName> =
  DefOf<K> extends ChannelDef<z.ZodType, infer O> ? O : never;

export function isChannelName(name: string): name is ChannelName {
  return Object.prototype.hasOwnProperty.call(contract, name);
}

export type { AppInfo } from './app';
