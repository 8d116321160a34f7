import { useDebouncedValue } from '@mantine/hooks';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { PaymentMethodInput } from '../../../../shared/contract/payments';
import { cardDigits } from '../../../../shared/cards';
import { parseDollarsToCents } from '../../../../shared/money';
import { phoneDebitWording } from '../../../../shared/phoneDebit';
import { emailProblem } from '../../../../shared/validation';
import { toAppError } from '../../lib/api';
import { fieldErrorsOf } from '../../lib/fieldErrors';
import { bankFormProblems, cardFormProblems, EMPTY_BANK, EMPTY_CARD, type FieldErrors } from '../../lib/paymentMethods';
import { newOrSavedInput, newOrSavedLabel } from './methodChoice';
import { useFocusFirstError } from '../../lib/useFocusFirstError';
import { forgetAttempt, rememberAttempt } from '../../lib/paymentAttempt';
import { DOCUMENT_READS, fetchChannel, LEDGER_READS, PAYMENT_METHOD_READS, useChannel, useWrite } from '../../lib/queries';
import { useFormat, useSettings, useToday } from '../../lib/settings';
import type { PendingConfirmation } from './ConfirmPaymentModal';
import type { InvoiceSelection } from './InvoicePicker';
import { initialChoice, type MethodChoice } from './MethodPicker';
import { submitFailureMessage } from './submitFailure';
import { approvedFromLedger, declinedFromLedger, paidMeanwhile, withoutCardData, type Declined, type Delivery, type Outcome } from './outcome';
import { usePaymentWatch, type SettledPayment } from './usePaymentWatch';
import { usePaidMeanwhile } from './usePaidMeanwhile';
import { useHoldRefreshes } from '../../lib/liveUpdates';
import { useReceivedMoney } from './useReceivedMoney';
import { readBack } from './readBack';

export type TakePayment = ReturnType<typeof useTakePayment>;

/**
 * Everything the payment screen knows and does, without its layout: the clerk's selection, the
 * quote main gives for it, the method, the read-back before money moves, and the submit with its
 * idempotency key. The screen and its panels only show it.
 */
export function useTakePayment(customerNumber: string) {
  const format = useFormat();
  const today = useToday();
  const { settings } = useSettings();
  const queryClient = useQueryClient();
  const account = useChannel('customers.account', { customerNumber });
  const methods = useChannel('paymentMethods.list', { customerNumber });
  // Whatever the gateway answered, the payment is recorded: balances, history, a saved card and a queued receipt may all change.
  const submitPayment = useWrite('payments.submit', { invalidates: [...LEDGER_READS, ...PAYMENT_METHOD_READS, ...DOCUMENT_READS] });
  const recordReceived = useWrite('payments.recordReceived', { invalidates: [...LEDGER_READS, ...DOCUMENT_READS, 'deposits.undeposited'] });

  const [selection, setSelection] = useState<InvoiceSelection>([]);
  const [credits, setCredits] = useState<string[]>([]);
  const [choice, setChoice] = useState<MethodChoice | null>(null);
  const [card, setCard] = useState(EMPTY_CARD);
  const [bank, setBank] = useState(EMPTY_BANK);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [amountText, setAmountText] = useState('');
  const [debouncedAmount] = useDebouncedValue(amountText.trim(), 250);
  const [emailTo, setEmailTo] = useState<string | null>(null);
  const [emailError, setEmailError] = useState<string | null>(null);
  const [confirmation, setConfirmation] = useState<(PendingConfirmation & { delivery: Delivery; amountCents: number; methodLabel: string }) | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [declined, setDeclined] = useState<Declined | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const submittingRef = useRef(false);
  // One key per confirmed attempt; kept only while that attempt's outcome is unknown, so retrying it cannot charge twice.
  const attemptKey = useRef<{ key: string; signature: string } | null>(null);
  const cardNumberRef = useRef<HTMLDivElement>(null);
  const methodSectionRef = useRef<HTMLElement>(null);
  // An answer that arrives after the clerk left (Back) is shown by the account from the ledger, not here.
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  // After a card was saved with a payment, "Take another payment" starts on it: the methods on file before it.
  const preferAddedMethod = useRef<Set<number> | null>(null);

  const customer = account.data?.customer;
  const invoices = account.data?.openInvoices ?? [];
  // Live updates: nothing on this screen changes while the amount is read back or sent; before that,
  // an invoice another workstation paid leaves the selection with a word to the clerk.
  const busy = confirmation !== null || submitting;
  useHoldRefreshes(busy);
  const openInvoiceNumbers = useMemo(() => account.data?.openInvoices.map((i) => i.invoiceNumber), [account.data]);
  usePaidMeanwhile({ customerNumber, openInvoiceNumbers, selection, setSelection, busy, tell: setProblem });
  const nothingSelected = selection !== 'all' && selection.length === 0;

  useEffect(() => {
    if (!methods.data || choice !== null) return;
    const before = preferAddedMethod.current;
    if (before) {
      const added = methods.data.methods.find((m) => !before.has(m.id) && !m.expired);
      if (!added && methods.loading) return; // the list with the new card is on its way
      preferAddedMethod.current = null;
      if (added) {
        setChoice(`saved:${added.id}`);
        return;
      }
    }
    setChoice(initialChoice(methods.data.methods));
  }, [methods.data, methods.loading, choice]);
  useEffect(() => {
    if (customer && emailTo === null) setEmailTo(customer.email ?? '');
  }, [customer, emailTo]);

  // The amount is only parsed here (text to cents); whether it is acceptable is the house rules' call, in main.
  const amount = useMemo((): { cents?: number; error?: string } => {
    if (debouncedAmount === '') return {};
    try {
      return { cents: parseDollarsToCents(debouncedAmount, { field: 'Amount' }) };
    } catch (e) {
      return { error: toAppError(e).message.replace(/^Amount: /, '') };
    }
  }, [debouncedAmount]);
  const quoteInput = useMemo(
    () =>
      nothingSelected || amount.error
        ? null
        : {
            customerNumber,
            invoiceNumbers: selection,
            creditNumbers: credits,
            ...(amount.cents !== undefined ? { amountCents: amount.cents } : {}),
          },
    [customerNumber, selection, credits, nothingSelected, amount],
  );
  // The quote of exactly this selection: an answer to an older one is only ever shown dimmed, never charged.
  const quote = useChannel('payments.quote', quoteInput);
  const okQuote = quote.data?.ok ? quote.data : undefined;
  const refusal = quote.data && !quote.data.ok ? quote.data : undefined;
  const chargeCents = okQuote?.chargeCents ?? 0;
  const needsMethod = chargeCents > 0;
  const amountSettled = amountText.trim() === debouncedAmount;
  const canSubmit = !!okQuote && !quote.loading && !submitting && !account.loading && amountSettled && !amount.error;

  // A check, cash or wire is recorded (payments.recordReceived), never charged.
  const received = useReceivedMoney(customerNumber, choice, okQuote, today, { invoiceNumbers: selection, creditNumbers: credits });
  const receivedNow = needsMethod && received.active;
  const savedMethod = choice?.startsWith('saved:') ? methods.data?.methods.find((m) => `saved:${m.id}` === choice) : undefined;

  const methodLabel = (): string => (received.active ? received.label() : newOrSavedLabel(savedMethod, choice, card, bank));
  const methodInput = (): PaymentMethodInput => newOrSavedInput(savedMethod, choice, card, bank);

  // The first field with a message, once it is on screen.
  const focusFirstError = useFocusFirstError('[data-payment-form]');

  /** Checks what can be checked here, then asks the clerk to read the amount back to the customer. */
  /** A bank debit taken on the phone: the authorization the clerk reads to the customer (the same words main keeps). */
  const debitWording = (amountCents: number): string | null => {
    const isBank = savedMethod ? savedMethod.kind === 'bank' : choice === 'new-bank';
    if (!isBank || !customer || !account.data) return null;
    return phoneDebitWording({
      customerName: customer.legalName,
      amountCents,
      debitDate: account.data.asOf,
      last4: savedMethod ? savedMethod.last4 : bank.accountNumber.replace(/\s/g, '').slice(-4),
      companyName: settings.company.name,
      companyPhone: settings.company.phone,
    });
  };

  const startSubmit = (delivery: Delivery) => {
    if (!okQuote || submittingRef.current) return;
    setProblem(null);
    let found: FieldErrors = {};
    if (receivedNow && !received.validate()) found = { received: 'see the fields' };
    else if (needsMethod && !savedMethod && !received.active) found = choice === 'new-bank' ? bankFormProblems(bank) : cardFormProblems(card, today);
    setErrors(receivedNow ? {} : found);
    if (receivedNow && received.blockedByDuplicate && Object.keys(found).length === 0) found = { received: 'duplicate' };
    if (found.received === 'duplicate') setProblem('This check looks recorded already (see under the check number). Tick "Post anyway" only if it is another check.');
    const email = (emailTo ?? '').trim();
    const mailProblem = delivery === 'email' ? (email === '' ? 'Enter the address to email the receipt to' : emailProblem(email)) : null;
    setEmailError(mailProblem);
    if (Object.keys(found).length > 0 || mailProblem) {
      focusFirstError();
      return;
    }
    const label = needsMethod ? methodLabel() : 'credits only';
    const how = receivedNow ? 'record' : needsMethod ? 'charge' : 'credits';
    setConfirmation({ ...readBack(okQuote, how, label, delivery, email, format.money), okLabel: 'OK', phoneDebitWording: how === 'charge' ? debitWording(okQuote.chargeCents) : null, delivery, amountCents: okQuote.chargeCents, methodLabel: label });
  };

  /** `authorized`: the clerk ticked that the customer authorized the bank debit read to them. */
  const submit = async (authorized = false) => {
    if (!confirmation || !okQuote || submittingRef.current) return;
    if (confirmation.phoneDebitWording && !authorized) return;
    submittingRef.current = true;
    setSubmitting(true);
    // Credits alone charge nothing, so no card or account goes with them.
    const input = {
      customerNumber,
      invoiceNumbers: selection,
      creditNumbers: credits,
      ...(amount.cents !== undefined ? { amountCents: amount.cents } : {}),
      ...(needsMethod && !receivedNow ? { method: methodInput() } : {}),
      confirmedAmountCents: confirmation.amountCents,
      delivery: confirmation.delivery,
      ...(confirmation.delivery === 'email' ? { emailTo: (emailTo ?? '').trim() } : {}),
      ...(confirmation.phoneDebitWording ? { phoneDebitAuthorized: true, phoneDebitWording: confirmation.phoneDebitWording } : {}),
    };
    const signature = JSON.stringify(receivedNow ? { ...input, ...received.fields() } : input);
    if (!attemptKey.current || attemptKey.current.signature !== signature) {
      attemptKey.current = { key: crypto.randomUUID(), signature };
    }
    const key = attemptKey.current.key;
    const savingMethod = input.method !== undefined && input.method.type !== 'saved' && input.method.save;
    const methodIdsBefore = new Set(methods.data?.methods.map((m) => m.id) ?? []);
    // Should the window be reloaded before the answer, the payment is found again by this key.
    rememberAttempt(customerNumber, { idempotencyKey: key, sentAt: Date.now() });
    try {
      const { confirmedAmountCents, ...common } = input;
      const result = receivedNow
        ? await recordReceived.mutateAsync({ ...common, amountCents: confirmedAmountCents, ...received.fields(), idempotencyKey: key })
        : await submitPayment.mutateAsync({ ...input, idempotencyKey: key });
      attemptKey.current = null;
      if (mounted.current) forgetAttempt(customerNumber, key);
      setConfirmation(null);
      if (result.status === 'approved') {
        setCard(EMPTY_CARD);
        setBank(EMPTY_BANK);
        setDeclined(null);
        if (savingMethod) preferAddedMethod.current = methodIdsBefore;
        const accountAfter = await fetchChannel(queryClient, 'customers.account', { customerNumber }).catch(() => null);
        setOutcome({
          kind: 'approved',
          result,
          methodLabel: confirmation.methodLabel,
          delivery: confirmation.delivery,
          accountAfter,
          creditsLeft: okQuote.creditsLeft,
          emailTo: input.emailTo ?? '',
          received: receivedNow,
        });
      } else if (result.status === 'declined') {
        setDeclined(result);
        setCard(withoutCardData.card);
        setBank(withoutCardData.bank);
        // The reason and the card form in view together; the clerk re-enters the card from its number, the rest kept.
        requestAnimationFrame(() => {
          methodSectionRef.current?.scrollIntoView({ block: 'start' });
          cardNumberRef.current?.querySelector<HTMLInputElement>('input[inputmode="numeric"]')?.focus({ preventScroll: true });
        });
      } else {
        setCard(withoutCardData.card);
        setBank(withoutCardData.bank);
        setOutcome({ kind: 'pending', result });
      }
    } catch (e) {
      setConfirmation(null);
      const err = toAppError(e);
      if (receivedNow && received.showRefusal(err)) {
        attemptKey.current = null;
        forgetAttempt(customerNumber, key);
        setProblem(err.code === 'CONFLICT' ? `${err.message}.` : 'Some details need correcting; see the messages under the fields.');
        focusFirstError();
      } else if (err.code === 'CONFLICT') {
        // The write's invalidation has already asked main again for the account and the quote.
        attemptKey.current = null;
        forgetAttempt(customerNumber, key);
        const paid = paidMeanwhile(err);
        if (paid) {
          setSelection((s) => (s === 'all' ? s : s.filter((n) => n !== paid)));
          setProblem(`${err.message} The invoices and amounts have been refreshed.`);
        } else {
          setProblem(`${err.message} Nothing was charged. The amounts have been refreshed: check them and submit again.`);
        }
      } else if (err.code === 'VALIDATION') {
        attemptKey.current = null;
        forgetAttempt(customerNumber, key);
        // "method" itself (no card or account chosen) has no field of its own on the form: it is said in the summary.
        const { method: missingMethod, phoneDebitAuthorized, phoneDebitWording: debitChanged, ...fields } = fieldErrorsOf(err, 'method.');
        setErrors(fields);
        setProblem(
          phoneDebitAuthorized ?? debitChanged ?? missingMethod ?? (Object.keys(fields).length > 0 ? 'Some payment details need correcting; see the messages under the fields.' : err.message),
        );
        focusFirstError();
      } else {
        setProblem(submitFailureMessage(err));
      }
    } finally {
      submittingRef.current = false;
      setSubmitting(false);
    }
  };

  // A payment left pending, or sent before a Reload, is followed in the ledger until it settles.
  const onWatchedPending = useCallback((paymentId: number) => {
    setOutcome((o) => (o?.kind === 'pending' && o.result.paymentId === paymentId ? o : { kind: 'pending', result: { status: 'pending', paymentId } }));
  }, []);
  const onWatchedSettled = useCallback((settled: SettledPayment) => {
    if (settled.kind === 'approved') {
      setOutcome(approvedFromLedger(settled.detail, settled.accountAfter));
    } else {
      setOutcome(null);
      setDeclined(declinedFromLedger(settled.detail));
    }
  }, []);
  const watch = usePaymentWatch(customerNumber, outcome?.kind === 'pending' ? outcome.result.paymentId : null, onWatchedPending, onWatchedSettled);

  // Another payment never starts with the last one's card or account typed in.
  const startOver = () => {
    setOutcome(null);
    setSelection([]);
    setCredits([]);
    setAmountText('');
    setCard(EMPTY_CARD);
    setBank(EMPTY_BANK);
    setErrors({});
    setDeclined(null);
    setProblem(null);
    received.reset();
    account.reload();
    methods.reload();
    setChoice(null);
  };

  /** A change to the form makes an earlier decline's message stale. */
  const edited =
    <T,>(set: (value: T) => void) =>
    (value: T) => {
      set(value);
      setDeclined(null);
    };

  /** What the summary says the customer pays with, before the card or account is typed in full. */
  const payingWith = !needsMethod
    ? 'credits only'
    : received.active
      ? received.label()
      : choice === 'new-card' && cardDigits(card.cardNumber) === ''
      ? 'a new card'
      : choice === 'new-bank' && bank.accountNumber === ''
        ? 'a new bank account'
        : methodLabel();

  return {
    customerNumber,
    account,
    methods,
    customer,
    invoices,
    selection,
    setSelection: edited(setSelection),
    credits,
    setCredits: edited(setCredits),
    choice,
    chooseMethod: (c: MethodChoice) => {
      setChoice(c);
      setErrors({});
      received.form.clearErrors();
      setDeclined(null);
    },
    card,
    setCard: edited(setCard),
    bank,
    setBank: edited(setBank),
    errors,
    amountText,
    setAmountText: edited(setAmountText),
    amount,
    emailTo: emailTo ?? '',
    setEmailTo: (to: string) => {
      setEmailTo(to);
      setEmailError(null);
    },
    emailError,
    nothingSelected,
    quote,
    okQuote,
    refusal,
    payingWith,
    canSubmit,
    confirmation,
    cancelConfirmation: () => setConfirmation(null),
    startSubmit,
    submit,
    submitting,
    declined,
    problem,
    outcome,
    /** Looking in the ledger for the payment this tab sent before it was reloaded. */
    resuming: watch.resuming,
    watchError: watch.error,
    reloadWatch: watch.reload,
    startOver,
    cardNumberRef,
    methodSectionRef,
    received,
    today,
  };
}
