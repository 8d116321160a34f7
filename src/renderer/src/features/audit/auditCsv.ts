import type { AuditEntryDto, AuditPersonDto } from '../../../../shared/contract/audit';
import { csvText } from '../../../../shared/csv';

export function personLabel(p: AuditPersonDto | null): string {
  if (!p) return '';
  return p.name ? `${p.name} (${p.username})` : p.username;
}

export function targetLabel(e: AuditEntryDto): string {
  return `${e.target.type} ${e.target.id}`.trim();
}

/** The rows on screen as CSV, through the one CSV writer. */
export function auditCsv(entries: readonly AuditEntryDto[]): string {
  const header = ['At (UTC)', 'Person', 'Approved by', 'Approval reason', 'Action', 'Target', 'Customer', 'Outcome', 'Error', 'Workstation', 'Details'];
  return csvText([
    header,
    ...entries.map((e) => [
      e.at,
      personLabel(e.actor),
      personLabel(e.approvedBy),
      e.approvalReason ?? '',
      e.action,
      targetLabel(e),
      e.target.customerNumber ?? '',
      e.outcome.result,
      e.outcome.errorCode ?? '',
      e.workstation ?? '',
      JSON.stringify(e.details),
    ]),
  ]);
}
