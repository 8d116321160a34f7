import { createAuditService } from './audit.service';
import { createAuthService } from './auth.service';
import { createGate } from './gate';
import type { StaffDeps } from './ports';
import { createSessionStore } from './sessions';
import { createStaffService } from './staff.service';

/** The staff module as createCore wires it: one session store shared by sign-in, the gate and account changes. */
export function createStaffModule(deps: StaffDeps) {
  const sessions = createSessionStore(deps.clock);
  return {
    sessions,
    gate: createGate(deps, sessions),
    auth: createAuthService(deps, sessions),
    users: createStaffService(deps, sessions),
    audit: createAuditService(deps),
    workstation: deps.workstation,
  };
}

export type StaffModule = ReturnType<typeof createStaffModule>;
