import type { StaffRole } from '../../src/shared/contract/auth';
import type { CallOrigin } from '../../src/main/ipc/dispatch';

/**
 * An in-process caller named outright, as tests of the services' channels call them: an administrator
 * by default, so only the permission tests (test/integration/staff) see a refusal for role. Still held
 * to the permission table and audited by dispatch.
 */
export function asStaff(username = 'admin', role: StaffRole = 'admin'): CallOrigin {
  return { via: 'internal', staff: { id: null, username, name: username, role } };
}
