import { useForm } from '@mantine/form';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect } from 'react';
import type { PaymentQuoteDto } from '../../../../shared/contract/payments';
import type { ReceivedMethod } from '../../../../shared/contract/received';
import type { AppError } from '../../../../shared/errors';
import { fieldErrorsOf } from '../../lib/fieldErrors';
import { useChannel } from '../../lib/queries';

/** The ways money arrives outside the card gateway, as the method picker offers them. */
export type ReceivedChoice = 'check' | 'cash' | 'wire';

export function isReceivedChoice(choice: string | null): choice is ReceivedChoice {
  return choice === 'check' || choice === 'cash' || choice === 'wire';
}

export interface ReceivedValues {
  checkNumber: string;
  checkBank: string;
  /** A wire or a bank transfer (ACH credit) arrived: both carry the bank's reference. */
  wireKind: 'wire' | 'transfer';
  reference: string;
  receivedOn: string;
  postAnyway: boolean;
}

export type ReceivedMoney = ReturnType<typeof useReceivedMoney>;

/**
 * The check, cash or wire the clerk records on the payment screen: its fields (a Mantine form, with
 * main's field errors put in after a refusal), and main's warning when the check was recorded already.
 */
export function useReceivedMoney(
  customerNumber: string,
  choice: string | null,
  quote: Extract<PaymentQuoteDto, { ok: true }> | undefined,
  today: string,
  input: { invoiceNumbers: string[] | 'all'; creditNumbers: string[] },
) {
  const active = isReceivedChoice(choice);
  const form = useForm<ReceivedValues>({
    mode: 'controlled',
    initialValues: { checkNumber: '', checkBank: '', wireKind: 'wire', reference: '', receivedOn: today, postAnyway: false },
  });
  // The business date arrives from main after the first render: the date follows it until the clerk changes it.
  useEffect(() => {
    if (!form.isDirty('receivedOn')) {
      form.setInitialValues({ ...form.getInitialValues(), receivedOn: today });
      form.setFieldValue('receivedOn', today);
    }
  }, [today]);
  const values = form.getValues();

  /** What can be checked here before the read-back; main checks it all again. */
  const validate = (): boolean => {
    const v = form.getValues();
    const problems: Record<string, string> = {};
    if (choice === 'check' && v.checkNumber.trim() === '') problems.checkNumber = 'is required for a check';
    if (choice === 'check' && v.checkBank.trim() === '') problems.checkBank = 'is required for a check: the bank it is drawn on';
    if (choice === 'wire' && v.reference.trim() === '') problems.reference = "is required: the bank's reference";
    if (v.receivedOn === '') problems.receivedOn = 'is required';
    else if (v.receivedOn > today) problems.receivedOn = `cannot be in the future (today is ${today})`;
    form.setErrors(problems);
    return Object.keys(problems).length === 0;
  };
  const [checkNumber] = useDebouncedValue(values.checkNumber.trim(), 300);
  const method: ReceivedMethod | null = !active ? null : choice === 'wire' ? values.wireKind : choice;

  // Main's preview of the same selection and amount, asked only for a check with its number typed.
  const preview = useChannel(
    'payments.quoteReceived',
    choice === 'check' && quote && quote.chargeCents > 0 && checkNumber !== ''
      ? { customerNumber, ...input, method: 'check', amountCents: quote.chargeCents, checkNumber }
      : null,
  );
  const duplicate = choice === 'check' && checkNumber === values.checkNumber.trim() ? (preview.data?.duplicate ?? null) : null;

  /** "Check 1042 (First Federal Bank)", "Cash", "Wire FW-22". */
  const label = (): string => {
    if (choice === 'check') return `Check ${values.checkNumber.trim()}${values.checkBank.trim() ? ` (${values.checkBank.trim()})` : ''}`;
    if (choice === 'cash') return 'Cash';
    return `${values.wireKind === 'wire' ? 'Wire' : 'Bank transfer'} ${values.reference.trim()}`.trim();
  };

  /** The fields of payments.recordReceived that this form holds. */
  const fields = () => ({
    method: method!,
    ...(values.receivedOn && values.receivedOn !== today ? { receivedOn: values.receivedOn } : {}),
    ...(choice === 'check' ? { checkNumber: values.checkNumber.trim(), checkBank: values.checkBank.trim() } : {}),
    ...(choice === 'wire' ? { reference: values.reference.trim() } : {}),
    ...(duplicate && values.postAnyway ? { postAnyway: true } : {}),
  });

  /** Puts main's refusal on the fields; true when it was about them (or about a duplicate check). */
  const showRefusal = (err: AppError): boolean => {
    if (err.code === 'CONFLICT' && (err.details as { code?: string } | undefined)?.code === 'DUPLICATE_CHECK') {
      form.setFieldError('checkNumber', err.message);
      return true;
    }
    const onFields = fieldErrorsOf(err);
    if (Object.keys(onFields).length === 0) return false;
    form.setErrors(onFields);
    return true;
  };

  return {
    active,
    form,
    validate,
    method,
    duplicate,
    /** Posting is held back until the clerk says this is another check. */
    blockedByDuplicate: duplicate !== null && !values.postAnyway,
    label,
    fields,
    showRefusal,
    reset: () => form.reset(),
  };
}
