import type { OfficeLedgerView } from '../../shared/contract/settings';
import type { CoreDeps } from '../deps';
import { OFFICE_LEDGER_PASSWORD_SECRET } from '../documents/ports';
import { officeLedgerView, type LedgerOrigin } from './office-ledger.rules';

/** How this window's ledger was chosen, when the shell did not say: by the engine it is on. */
export function originOf(deps: Pick<CoreDeps, 'ledger' | 'ledgerOrigin'>): LedgerOrigin {
  return deps.ledgerOrigin ?? (deps.ledger.dialect === 'postgres' ? { source: 'environment' } : { source: 'local' });
}

/** What the Settings screen shows about the office ledger, read from the settings, the secret store and the open ledger. */
export function currentOfficeLedgerView(deps: Pick<CoreDeps, 'settings' | 'secrets' | 'ledger' | 'ledgerOrigin'>): OfficeLedgerView {
  return officeLedgerView({
    savedAddress: deps.settings.get().officeLedger.databaseUrl,
    passwordSet: deps.secrets.has(OFFICE_LEDGER_PASSWORD_SECRET),
    running: { engine: deps.ledger.dialect, where: deps.ledger.path },
    origin: originOf(deps),
  });
}
