import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { call } from '../../lib/api';

const ACTIVITY = ['mousemove', 'mousedown', 'keydown', 'wheel', 'touchstart'] as const;

/**
 * Locks the window after the office's idle minutes without a key or the mouse. Main is the
 * authority (it locks an idle session on its next call too); this only shows the lock on time.
 */
export function useIdleLock(idleMinutes: number | null): void {
  const client = useQueryClient();
  useEffect(() => {
    if (idleMinutes === null) return;
    let last = Date.now();
    const seen = () => {
      last = Date.now();
    };
    for (const a of ACTIVITY) window.addEventListener(a, seen, { passive: true });
    const timer = window.setInterval(() => {
      if (Date.now() - last < idleMinutes * 60_000) return;
      last = Date.now();
      void call('auth.lock', {})
        .catch(() => undefined)
        .then(() => client.invalidateQueries({ queryKey: ['auth.status'] }));
    }, 15_000);
    return () => {
      window.clearInterval(timer);
      for (const a of ACTIVITY) window.removeEventListener(a, seen);
    };
  }, [idleMinutes, client]);
}
