/** The follow-up levels an admin sets: read by everyone, saved whole (audited) by an admin. */
import type { DunningLevelsDto, DunningLevelsInput } from '../../shared/contract/dunning';
import { fieldsError } from '../../shared/validation';
import type { CoreDeps } from '../deps';
import { writeTx } from '../db/dialect';
import { clearDunningLevels } from '../db/removals';
import { postingTime } from '../ledger/posting';
import { takeWriteLock } from '../payments/payments.repo';
import { appendAudit } from '../staff/audit.repo';
import { loadFollowUpSettings, type FollowUpSettings } from './dunning.repo';
import { checkLevels } from './dunning.rules';

function toDto(s: FollowUpSettings): DunningLevelsDto {
  return { levels: s.levels, suspendAtLevel: s.suspendAtLevel, updatedAt: s.updatedAt, updatedBy: s.updatedBy };
}

export interface DunningService {
  levels(): Promise<DunningLevelsDto>;
  setLevels(input: DunningLevelsInput, actor: string): Promise<DunningLevelsDto>;
}

export function createDunningService(deps: Pick<CoreDeps, 'ledger' | 'clock' | 'settings'>): DunningService {
  const db = deps.ledger.db;
  return {
    async levels() {
      return toDto(await loadFollowUpSettings(db));
    },

    /** Replaces the levels (numbered 1, 2, … in the order given) and the "suspend at" level. */
    async setLevels(input, actor) {
      const problems = checkLevels(input);
      if (Object.keys(problems).length > 0) throw fieldsError(problems);
      const at = postingTime(deps).at;
      return writeTx(db, async (trx) => {
        await takeWriteLock(trx);
        const before = await loadFollowUpSettings(trx);
        const rows = input.levels.map((l, i) => ({
          level: i + 1,
          days_past_due: l.daysPastDue,
          action: l.action as 'email' | 'letter' | 'call',
          fee_fixed_cents: l.feeFixedCents ?? 0,
          fee_percent_bp: l.feePercentBp ?? 0,
          fee_minimum_cents: l.feeMinimumCents ?? 0,
          grace_days: l.graceDays ?? 0,
          updated_at: at,
          updated_by: actor,
        }));
        // Saved whole: the old rows go first, since days_past_due is UNIQUE across levels.
        await clearDunningLevels(trx);
        if (rows.length > 0) await trx.insertInto('dunning_levels').values(rows).execute();
        await trx.updateTable('dunning_policy').set({ suspend_at_level: input.suspendAtLevel, updated_at: at, updated_by: actor }).where('id', '=', 1).execute();
        const after = await loadFollowUpSettings(trx);
        await appendAudit(trx, {
          actor,
          action: 'dunning.levels',
          entity: 'dunning_levels',
          entityId: 1,
          customerNumber: null,
          summary: { before: { levels: before.levels, suspendAtLevel: before.suspendAtLevel }, after: { levels: after.levels, suspendAtLevel: after.suspendAtLevel } },
          at,
        });
        return toDto(after);
      });
    },
  };
}
