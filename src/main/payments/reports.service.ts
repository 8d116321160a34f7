import type { PdfFile } from '../../shared/contract/documents';
import type {
  DayCloseDto,
  DayCloseFigures,
  DayCloseInput,
  DayClosePreview,
  PaymentsReport,
  PaymentsReportInput,
} from '../../shared/contract/reports';
import { isIsoDate } from '../../shared/dates';
import { AppError, validationError } from '../../shared/errors';
import { writeTx } from '../db/dialect';
import type { DayCloseRow } from '../db/schema';
import type { Db } from '../db/types';
import type { CoreDeps } from '../deps';
import { loadFonts } from '../documents/fonts';
import { renderPaymentsReportPdf } from '../documents/payments-report.pdf';
import { holdDayCloseLock } from '../ledger/day-close';
import { postingTime } from '../ledger/posting';
import { appendAudit } from '../staff/audit.repo';
import { cardTransactionsOn, dayCloseOn, insertDayClose, pendingOnOrBefore, recentDayCloses } from './day-close.repo';
import { compareCardDay } from './day-close.rules';
import { takeWriteLock } from './payments.repo';
import { paymentsReportGroups, paymentsReportLines, staffNamesOf, writeOffsReportLines } from './report.repo';
import { reportLine, rollUpTotals } from './report.rules';

/**
 * The payments report (one service for the screen, the PDF, the CSV and the CLI) and the day's
 * close: a business date's card money compared with the gateway's settlement report, recorded once,
 * after which nothing can be posted on or before that date (ledger/day-close.ts).
 */
export interface ReportsService {
  paymentsReport(input: PaymentsReportInput, options?: { lineLimit?: number }): Promise<PaymentsReport>;
  paymentsReportPdf(input: PaymentsReportInput): Promise<PdfFile>;
  closePreview(input: { businessDate?: string | undefined }): Promise<DayClosePreview>;
  closeDay(input: DayCloseInput, actor: string, approvedBy: string | null): Promise<DayCloseDto>;
  closedDays(limit: number): Promise<DayCloseDto[]>;
}

function checkRange(input: PaymentsReportInput): { from: string; to: string } {
  if (!isIsoDate(input.from)) throw validationError('from', `must be a calendar date as YYYY-MM-DD, got ${JSON.stringify(input.from)}`);
  if (!isIsoDate(input.to)) throw validationError('to', `must be a calendar date as YYYY-MM-DD, got ${JSON.stringify(input.to)}`);
  if (input.from > input.to) throw validationError('to', `must be on or after the first date (${input.from}), got ${input.to}`);
  return { from: input.from, to: input.to };
}

function dtoOf(row: DayCloseRow): DayCloseDto {
  const totals = JSON.parse(row.totals) as Pick<DayCloseFigures, 'brands'>;
  return {
    businessDate: row.business_date,
    capturedCents: row.captured_cents,
    refundedCents: row.refunded_cents,
    voidedCents: row.voided_cents,
    netCents: row.net_cents,
    cardNetCents: row.card_net_cents,
    gatewayCardNetCents: row.gateway_card_net_cents,
    brands: totals.brands,
    differences: JSON.parse(row.differences) as DayCloseFigures['differences'],
    closedAt: row.closed_at,
    closedBy: row.closed_by,
    approvedBy: row.approved_by,
  };
}

export function createReportsService(deps: CoreDeps, fontsDir?: string): ReportsService {
  const db = deps.ledger.db;

  async function report(on: Db, from: string, to: string, lineLimit?: number): Promise<PaymentsReport> {
    const groups = await paymentsReportGroups(on, from, to);
    const names = await staffNamesOf(on, [...new Set(groups.map((g) => g.clerk))]);
    const totals = rollUpTotals(groups, names);
    const lineCount = totals.byMethod.reduce((s, m) => s + m.capturedCount + m.refundCount + m.voidCount, 0);
    const lines = lineCount === 0 || lineLimit === 0 ? [] : await paymentsReportLines(on, from, to, lineLimit);
    const writeOffs = await writeOffsReportLines(on, from, to);
    return { from, to, totals, payments: lines.map(reportLine), writeOffs, linesNotShown: Math.max(0, lineCount - lines.length) };
  }

  /** The date's figures: its payments report totals, and its card money against the gateway's settlement report. */
  async function figures(on: Db, businessDate: string): Promise<DayCloseFigures> {
    const settlementReport = deps.gateway.settlementReport?.bind(deps.gateway);
    if (!settlementReport) throw new AppError('UNAVAILABLE', `The payment gateway "${deps.gateway.name}" gives no settlement report, so a day cannot be compared or closed.`);
    let settled;
    try {
      settled = await settlementReport(businessDate);
    } catch (e) {
      deps.log.warn('The payment gateway did not give its settlement report', { businessDate, error: (e as Error).message });
      throw new AppError('UNAVAILABLE', `The payment gateway did not give its settlement report for ${businessDate}; try again in a minute.`);
    }
    const day = await report(on, businessDate, businessDate, 0);
    const compared = compareCardDay(await cardTransactionsOn(on, businessDate), settled.transactions);
    return {
      businessDate,
      capturedCents: day.totals.capturedCents,
      refundedCents: day.totals.refundedCents,
      voidedCents: day.totals.voidedCents,
      netCents: day.totals.netCents,
      ...compared,
    };
  }

  /** Why the date cannot be closed now; empty when it can. */
  async function blockersOf(on: Db, businessDate: string, today: string): Promise<string[]> {
    const blockers: string[] = [];
    if (businessDate > today) blockers.push(`${businessDate} has not come yet: only today (${today}) or an earlier day can be closed.`);
    const closed = await dayCloseOn(on, businessDate);
    if (closed) blockers.push(`${businessDate} was closed already by ${closed.closed_by} at ${closed.closed_at}.`);
    const pending = await pendingOnOrBefore(on, businessDate);
    if (pending.payments + pending.reversals > 0) {
      blockers.push(
        `${pending.payments} payment(s) and ${pending.reversals} void(s) or refund(s) on or before ${businessDate} still wait for the payment gateway's answer; ` +
          'AR Desk settles them with the gateway within a few minutes (or now with npm run cli -- payments recover); close the day after.',
      );
    }
    return blockers;
  }

  return {
    async paymentsReport(input, options = {}) {
      const { from, to } = checkRange(input);
      return report(db, from, to, options.lineLimit);
    },

    async paymentsReportPdf(input) {
      const { from, to } = checkRange(input);
      const data = await report(db, from, to);
      const pdf = await renderPaymentsReportPdf(data, deps.settings.get(), loadFonts(fontsDir));
      return {
        fileName: `payments-${from}-to-${to}.pdf`,
        title: `Payments report ${from} to ${to}`,
        pageCount: pdf.pageCount,
        base64: Buffer.from(pdf.bytes).toString('base64'),
      };
    },

    async closePreview(input) {
      const today = postingTime(deps).businessDate;
      const businessDate = input.businessDate ?? today;
      if (!isIsoDate(businessDate)) throw validationError('businessDate', 'must be a calendar date as YYYY-MM-DD');
      const closed = await dayCloseOn(db, businessDate);
      const base = closed ? dtoOf(closed) : await figures(db, businessDate);
      return {
        businessDate,
        capturedCents: base.capturedCents,
        refundedCents: base.refundedCents,
        voidedCents: base.voidedCents,
        netCents: base.netCents,
        cardNetCents: base.cardNetCents,
        gatewayCardNetCents: base.gatewayCardNetCents,
        brands: base.brands,
        differences: base.differences,
        closed: closed ? { closedAt: closed.closed_at, closedBy: closed.closed_by } : null,
        blockers: await blockersOf(db, businessDate, today),
      };
    },

    async closeDay(input, actor, approvedBy) {
      const time = postingTime(deps);
      const businessDate = input.businessDate;
      if (!isIsoDate(businessDate)) throw validationError('businessDate', 'must be a calendar date as YYYY-MM-DD');
      if (businessDate > time.businessDate) {
        throw validationError('businessDate', `${businessDate} has not come yet: only today (${time.businessDate}) or an earlier day can be closed`);
      }
      return writeTx(db, async (trx) => {
        await takeWriteLock(trx);
        // Money posts already past their check commit first; new ones wait, then see the close.
        await holdDayCloseLock(trx);
        const blockers = await blockersOf(trx, businessDate, time.businessDate);
        if (blockers.length > 0) throw new AppError('CONFLICT', blockers.join(' '), { businessDate, blockers });
        const f = await figures(trx, businessDate);
        const id = await insertDayClose(trx, {
          business_date: businessDate,
          closed_at: time.at,
          closed_by: actor,
          approved_by: approvedBy,
          captured_cents: f.capturedCents,
          refunded_cents: f.refundedCents,
          voided_cents: f.voidedCents,
          net_cents: f.netCents,
          card_net_cents: f.cardNetCents,
          gateway_card_net_cents: f.gatewayCardNetCents,
          difference_count: f.differences.length,
          totals: JSON.stringify({ brands: f.brands }),
          differences: JSON.stringify(f.differences),
        });
        await appendAudit(trx, {
          actor,
          action: 'day.close',
          entity: 'day_close',
          entityId: businessDate,
          summary: {
            id,
            businessDate,
            netCents: f.netCents,
            cardNetCents: f.cardNetCents,
            gatewayCardNetCents: f.gatewayCardNetCents,
            differences: f.differences.length,
          },
          at: time.at,
        });
        return dtoOf((await dayCloseOn(trx, businessDate))!);
      });
    },

    async closedDays(limit) {
      return (await recentDayCloses(db, limit)).map(dtoOf);
    },
  };
}
