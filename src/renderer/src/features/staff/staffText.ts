import type { StaffRole } from '../../../../shared/contract/auth';
import type { ChannelName } from '../../../../shared/contract';

export const ROLE_NAMES: Record<StaffRole, string> = { clerk: 'Clerk', supervisor: 'Supervisor', admin: 'Administrator' };

/** What each role may do, in a line, for the role picker. */
export const ROLE_CHOICES: { value: StaffRole; label: string; description: string }[] = [
  { value: 'clerk', label: 'Clerk', description: 'Looks up customers, takes payments, prints and emails documents' },
  { value: 'supervisor', label: 'Supervisor', description: 'A clerk who also voids, refunds, issues credits and reads the audit log' },
  { value: 'admin', label: 'Administrator', description: 'Everything, and the staff accounts and office settings' },
];

/** A change to an account changes the list (and the audit log, which reads it fresh each time). */
export const STAFF_READS = ['staff.list'] as const satisfies readonly ChannelName[];
