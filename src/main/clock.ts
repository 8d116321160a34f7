import { isoDateInZone } from '../shared/format';

/** Time is passed in, so tests freeze it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export function fixedClock(iso: string): Clock & { set(iso: string): void; advance(ms: number): void } {
  let t = new Date(iso).getTime();
  return {
    now: () => new Date(t),
    set: (next) => {
      t = new Date(next).getTime();
    },
    advance: (ms) => {
      t += ms;
    },
  };
}

/** The calendar date at `now` in an IANA time zone, as YYYY-MM-DD: the business date. */
export function isoDateIn(now: Date, timeZone: string): string {
  return isoDateInZone(now, timeZone);
}
