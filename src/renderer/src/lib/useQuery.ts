import { useCallback, useEffect, useRef, useState } from 'react';
import type { ChannelInput, ChannelName, ChannelOutput } from '../../../shared/contract';
import { AppError } from '../../../shared/errors';
import { call } from './api';

export interface QueryState<T> {
  data: T | undefined;
  error: AppError | undefined;
  loading: boolean;
  reload: () => void;
}

/** Loads a channel's data; re-runs when the input (compared as JSON) changes. Stale answers are dropped. */
export function useChannel<K extends ChannelName>(
  channel: K,
  input: ChannelInput<K> | null,
): QueryState<ChannelOutput<K>> {
  const [data, setData] = useState<ChannelOutput<K>>();
  const [error, setError] = useState<AppError>();
  const [loading, setLoading] = useState(input !== null);
  const [tick, setTick] = useState(0);
  const seq = useRef(0);
  const key = input === null ? null : JSON.stringify(input);

  useEffect(() => {
    if (key === null) {
      setLoading(false);
      return;
    }
    const mine = ++seq.current;
    setLoading(true);
    call(channel, JSON.parse(key) as ChannelInput<K>)
      .then((d) => {
        if (mine !== seq.current) return;
        setData(d);
        setError(undefined);
      })
      .catch((e: unknown) => {
        if (mine !== seq.current) return;
        setError(e instanceof AppError ? e : new AppError('INTERNAL', String(e)));
      })
      .finally(() => {
        if (mine === seq.current) setLoading(false);
      });
  }, [channel, key, tick]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, reload };
}
