import { useCallback, useEffect, useRef, useState } from 'react';
import type { PaymentQuoteDto, PaymentQuoteInput } from '../../../../shared/contract/payments';
import { AppError } from '../../../../shared/errors';
import { call } from '../../lib/api';

export interface QuoteState {
  /** The quote for exactly the current selection, once it has arrived. */
  quote: PaymentQuoteDto | undefined;
  /** The previous selection's quote, shown dimmed while the new one loads. */
  previous: PaymentQuoteDto | undefined;
  error: AppError | undefined;
  loading: boolean;
  reload(): void;
}

/**
 * Asks main for the quote of the clerk's selection. An answer is kept with the selection it
 * answers, so a slow answer to an older selection can never be shown or charged as the current one.
 */
export function useQuote(input: PaymentQuoteInput | null): QuoteState {
  const key = input === null ? null : JSON.stringify(input);
  const [answer, setAnswer] = useState<{ key: string; quote?: PaymentQuoteDto; error?: AppError }>();
  const [tick, setTick] = useState(0);
  const seq = useRef(0);

  useEffect(() => {
    const mine = ++seq.current;
    if (key === null) return;
    call('payments.quote', JSON.parse(key) as PaymentQuoteInput)
      .then((quote) => {
        if (mine === seq.current) setAnswer({ key, quote });
      })
      .catch((e: unknown) => {
        if (mine === seq.current) setAnswer({ key, error: e instanceof AppError ? e : new AppError('INTERNAL', String(e)) });
      });
  }, [key, tick]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  const current = answer && answer.key === key ? answer : undefined;
  return {
    quote: key === null ? undefined : current?.quote,
    previous: key !== null && !current ? answer?.quote : undefined,
    error: key === null ? undefined : current?.error,
    loading: key !== null && !current,
    reload,
  };
}
