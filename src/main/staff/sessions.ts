import crypto from 'node:crypto';
import type { Clock } from '../clock';

/**
 * Staff sessions, held in main only. Over the HTTP bridge a session is named by a random token the
 * page sends in X-AR-Desk-Session; in Electron it is tied to the window (its webContents id) and the
 * renderer never holds a token. One session per window: signing in again replaces it.
 *
 * A session locks after the office's idle minutes (15 at most) or when its owner locks it; a locked
 * session keeps the person and the screen, and answers SESSION_EXPIRED until auth.unlock.
 */
export type SessionBinding = { kind: 'token' } | { kind: 'window'; windowId: number };

export interface StaffSession {
  readonly token: string;
  readonly userId: number;
  readonly binding: SessionBinding;
  readonly createdAt: number;
  lastActivity: number;
  locked: 'idle' | 'manual' | null;
  /** A TOTP secret offered by auth.totpSetup, kept until auth.totpEnable confirms a code from it. */
  pendingTotpSecret: string | null;
}

/** Bridge sessions kept at most; past it the longest idle one is dropped. */
const MAX_TOKEN_SESSIONS = 200;

export function createSessionStore(clock: Clock) {
  const byToken = new Map<string, StaffSession>();
  const byWindow = new Map<number, StaffSession>();
  const now = () => clock.now().getTime();

  function end(session: StaffSession): void {
    byToken.delete(session.token);
    if (session.binding.kind === 'window' && byWindow.get(session.binding.windowId) === session) byWindow.delete(session.binding.windowId);
  }

  function dropOldest(): void {
    let oldest: StaffSession | undefined;
    for (const s of byToken.values()) {
      if (s.binding.kind === 'token' && (!oldest || s.lastActivity < oldest.lastActivity)) oldest = s;
    }
    if (oldest) end(oldest);
  }

  return {
    create(userId: number, binding: SessionBinding): StaffSession {
      const t = now();
      const session: StaffSession = {
        token: crypto.randomBytes(32).toString('base64url'),
        userId,
        binding,
        createdAt: t,
        lastActivity: t,
        locked: null,
        pendingTotpSecret: null,
      };
      if (binding.kind === 'window') {
        const previous = byWindow.get(binding.windowId);
        if (previous) end(previous);
        byWindow.set(binding.windowId, session);
      } else if ([...byToken.values()].filter((s) => s.binding.kind === 'token').length >= MAX_TOKEN_SESSIONS) {
        dropOldest();
      }
      byToken.set(session.token, session);
      return session;
    },

    byToken(token: string): StaffSession | undefined {
      return byToken.get(token);
    },

    byWindow(windowId: number): StaffSession | undefined {
      return byWindow.get(windowId);
    },

    /** Locks the session when it has been idle for `idleMinutes`; answers whether it is locked. */
    checkIdle(session: StaffSession, idleMinutes: number): boolean {
      if (!session.locked && now() - session.lastActivity >= idleMinutes * 60_000) session.locked = 'idle';
      return session.locked !== null;
    },

    touch(session: StaffSession): void {
      session.lastActivity = now();
    },

    lock(session: StaffSession): void {
      session.locked ??= 'manual';
    },

    unlock(session: StaffSession): void {
      session.locked = null;
      session.lastActivity = now();
    },

    end,

    /** Ends every session of a person (account disabled). */
    endForUser(userId: number): void {
      for (const s of [...byToken.values()]) if (s.userId === userId) end(s);
    },

    /** The window closed: its session goes with it. */
    endForWindow(windowId: number): void {
      const s = byWindow.get(windowId);
      if (s) end(s);
    },
  };
}

export type SessionStore = ReturnType<typeof createSessionStore>;
