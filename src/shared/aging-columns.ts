import type { AgingSortColumn } from './contract/aging';

/**
 * The aging screen's columns in their order, with their headers; a money column sorts largest first
 * on its first click. The screen draws them; the benchmark clicks each header by its text.
 */
export const AGING_COLUMNS: readonly { key: AgingSortColumn; label: string; money: boolean }[] = [
  { key: 'customer_number', label: 'Number', money: false },
  { key: 'legal_name', label: 'Legal name', money: false },
  { key: 'current', label: 'Current', money: true },
  { key: 'days_1_30', label: '1–30', money: true },
  { key: 'days_31_60', label: '31–60', money: true },
  { key: 'days_61_90', label: '61–90', money: true },
  { key: 'days_over_90', label: 'Over 90', money: true },
  { key: 'total', label: 'Total', money: true },
  { key: 'unapplied_credits_cents', label: 'Unapplied', money: true },
  { key: 'disputed_cents', label: 'Disputed', money: true },
];
