import { PAYMENTS_REPORT_SCREEN_LINES } from '../../shared/contract/reports';
import type { Core } from '../core';
import type { HandlersFor } from '../ipc/dispatch';

export function reportsHandlers(core: Core): HandlersFor<'reports'> {
  return {
    'reports.payments': (input) => core.reports.paymentsReport(input, { lineLimit: PAYMENTS_REPORT_SCREEN_LINES }),
    'reports.paymentsPdf': (input) => core.reports.paymentsReportPdf(input),
    'reports.closePreview': (input) => core.reports.closePreview(input),
    'reports.closeDay': (input, ctx) => core.reports.closeDay(input, ctx.actor, ctx.approvedBy?.username ?? null),
    'reports.closedDays': async (input) => ({ closes: await core.reports.closedDays(input.limit) }),
  };
}
