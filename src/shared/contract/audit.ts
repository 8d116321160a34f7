import { z } from 'zod';
import { channel } from './define';
import { isIsoDate } from '../dates';

/** The audit trail (PCI DSS 10.2): who did what, approved by whom, to what, with what outcome, where. */

export const AUDIT_DEFAULT_LIMIT = 100;
export const AUDIT_MAX_LIMIT = 500;

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z$/;
/** A calendar date (the whole day in the office's time zone) or a UTC instant ending in Z. */
const dateOrInstant = z
  .string()
  .max(30)
  .refine((s) => isIsoDate(s) || (INSTANT.test(s) && !Number.isNaN(Date.parse(s))), {
    error: 'must be a date as YYYY-MM-DD or an instant as YYYY-MM-DDTHH:MM:SSZ',
  });

export const auditListInput = z.strictObject({
  /** From the start of this day (or instant), inclusive. */
  from: dateOrInstant.optional(),
  /** To the end of this day (or up to this instant), inclusive. */
  to: dateOrInstant.optional(),
  /** The person's username, "cli:<os user>" for the CLI, or "system". */
  actor: z.string().trim().min(1).max(100).optional(),
  /** The action exactly: "payments.refund", "auth.signIn", "invoice.void"... */
  action: z.string().trim().min(1).max(100).optional(),
  customerNumber: z.string().trim().toUpperCase().min(3).max(12).optional(),
  limit: z.number().int().min(1).max(AUDIT_MAX_LIMIT).optional(),
  /** nextCursor of the previous page. */
  cursor: z.string().max(200).optional(),
});
export type AuditListInput = z.infer<typeof auditListInput>;

export interface AuditPersonDto {
  /** Null for rows older than staff accounts, the CLI and the system. */
  id: number | null;
  username: string;
  name: string | null;
}

export interface AuditEntryDto {
  id: number;
  at: string;
  actor: AuditPersonDto;
  approvedBy: AuditPersonDto | null;
  /** Why the supervisor approved, as typed. */
  approvalReason: string | null;
  action: string;
  target: { type: string; id: string; customerNumber: string | null };
  outcome: { result: 'success' | 'failure'; errorCode: string | null };
  /** The workstation's id (Settings shows this installation's); null for rows older than workstations. */
  workstation: string | null;
  /** What changed, as recorded by the action; never a password or a card number. */
  details: Record<string, unknown>;
}

export interface AuditPageDto {
  /** Newest first. */
  entries: AuditEntryDto[];
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

export const auditChannels = {
  'audit.list': channel<AuditPageDto>()(auditListInput),
};
