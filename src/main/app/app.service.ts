import type { AppInfo } from '../../shared/contract/app';
import type { CoreDeps } from '../deps';

export function createAppService(deps: CoreDeps) {
  return {
    info(actor: string): AppInfo {
      return {
        appName: 'AR Desk',
        version: deps.version,
        ledgerPath: deps.ledger.path,
        schemaVersion: deps.ledger.schema.version,
        schemaMigration: deps.ledger.schema.migration,
        gatewayName: deps.gateway.name,
        testMode: deps.gateway.testMode,
        actor,
        workstation: deps.workstation,
      };
    },
  };
}
