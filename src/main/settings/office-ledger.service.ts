import type { OfficeLedgerSaved, OfficeLedgerView } from '../../shared/contract/settings';
import { AppError, validationError } from '../../shared/errors';
import type { CoreDeps } from '../deps';
import { parseDatabaseUrl } from '../db/postgres';
import { probePostgresLedger, type LedgerProbe } from '../db/probe';
import { writeTx } from '../db/dialect';
import { OFFICE_LEDGER_PASSWORD_SECRET } from '../documents/ports';
import { appendAudit } from '../staff/audit.repo';
import { addressWithPassword, addressWithoutPassword, passwordInAddress } from './office-ledger.rules';
import { currentOfficeLedgerView } from './office-ledger.view';

export interface OfficeLedgerChange {
  /** postgres://USER@HOST:PORT/DB without a password; null: back to this workstation's own ledger. */
  databaseUrl: string | null;
  /** Left out: the saved password is kept; '': none; otherwise the new one. */
  password?: string | undefined;
}

type Deps = Pick<CoreDeps, 'settings' | 'secrets' | 'ledger' | 'clock' | 'ledgerOrigin'>;

export interface OfficeLedgerService {
  view(): OfficeLedgerView;
  /**
   * Tries the address (with the password) and saves both when the ledger there can be used; on
   * any problem nothing is saved and the answer says why. Takes effect at the next start.
   */
  set(change: OfficeLedgerChange, actor: string): Promise<OfficeLedgerSaved>;
}

/**
 * Which office ledger this workstation opens at start: its address in the workstation's settings,
 * its password in the secret store (the OS keychain in the app), never one in the other.
 */
export function createOfficeLedgerService(deps: Deps, probe: (url: string) => Promise<LedgerProbe> = (url) => probePostgresLedger(url)): OfficeLedgerService {
  const view = () => currentOfficeLedgerView(deps);

  return {
    view,

    async set(change, actor) {
      const typed = change.databaseUrl?.trim() ?? '';
      if (change.databaseUrl !== null && typed === '') {
        throw validationError('databaseUrl', "enter the office ledger's address, or use Clear to go back to this workstation's own ledger");
      }
      if (typed && passwordInAddress(typed)) {
        throw validationError('databaseUrl', 'must not contain the password: type the password in its own field, where it is kept in the keychain');
      }
      if (typed) {
        try {
          parseDatabaseUrl(typed);
        } catch (e) {
          throw e instanceof AppError && e.code === 'VALIDATION' ? validationError('databaseUrl', e.message) : e;
        }
      }
      const address = typed ? addressWithoutPassword(typed) : null;
      const before = deps.settings.get();
      const savedPassword = (await deps.secrets.get(OFFICE_LEDGER_PASSWORD_SECRET)) ?? '';
      // Clear forgets the password with the address; left out, the saved password stays.
      const password = address === null ? '' : (change.password ?? savedPassword);

      const checked = address === null ? null : await probe(addressWithPassword(address, password));

      const addressChanged = before.officeLedger.databaseUrl !== address;
      const passwordChanged = savedPassword !== password;
      if (!addressChanged && !passwordChanged) return { officeLedger: view(), checked };
      await writeTx(deps.ledger.db, async (trx) => {
        await appendAudit(trx, {
          at: deps.clock.now().toISOString(),
          actor,
          action: address === null ? 'settings.clearOfficeLedger' : 'settings.setOfficeLedger',
          entity: 'settings',
          entityId: 'workstation',
          summary: {
            changes: addressChanged ? { 'officeLedger.databaseUrl': { from: before.officeLedger.databaseUrl, to: address } } : {},
            // Whether a password is kept, never the password.
            passwordSet: password !== '',
            wasSet: savedPassword !== '',
            ...(checked ? { schemaVersion: checked.schemaVersion } : {}),
          },
        });
        try {
          if (passwordChanged) await deps.secrets.set(OFFICE_LEDGER_PASSWORD_SECRET, password);
        } catch (e) {
          throw new AppError('UNAVAILABLE', `The password could not be saved in the keychain: ${e instanceof Error ? e.message : String(e)}. Nothing was changed.`);
        }
        try {
          if (addressChanged) deps.settings.set({ ...before, officeLedger: { databaseUrl: address } });
        } catch (e) {
          // The address and its password go together: the password saved a moment ago is put back.
          if (passwordChanged) await deps.secrets.set(OFFICE_LEDGER_PASSWORD_SECRET, savedPassword).catch(() => undefined);
          throw e;
        }
      });
      return { officeLedger: view(), checked };
    },
  };
}
