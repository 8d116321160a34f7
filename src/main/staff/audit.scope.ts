import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Who a call acts for, carried with the call (dispatch opens the scope around the handler), so every
 * audit row a service appends inside its own transaction names the person by id and name, the
 * approving supervisor and the workstation, without the service passing more than the actor it
 * always passed.
 */
export interface AuditPerson {
  id: number | null;
  username: string;
  name: string | null;
}

export interface AuditScope {
  actor: AuditPerson;
  approvedBy: AuditPerson | null;
  approvalReason: string | null;
  workstation: string | null;
  /** Rows appended during the call so far. */
  rows: number;
  /** The call recorded its own failure (a failed sign-in): dispatch adds no row of its own. */
  failureRecorded: boolean;
}

const storage = new AsyncLocalStorage<AuditScope>();

export function runInAuditScope<T>(scope: AuditScope, fn: () => T): T {
  return storage.run(scope, fn);
}

export function currentAuditScope(): AuditScope | undefined {
  return storage.getStore();
}

/** Says the call's failure is in the audit log already (written in its own transaction, kept). */
export function markFailureRecorded(): void {
  const scope = storage.getStore();
  if (scope) scope.failureRecorded = true;
}
