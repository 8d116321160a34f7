import { Center, Loader, Stack, Text, Button } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, type ReactNode } from 'react';
import { call } from '../../lib/api';
import { useChannel } from '../../lib/queries';
import { onSessionFailure } from '../../lib/session';
import { ChangePasswordScreen, FirstAdminScreen, SignInScreen, TotpRequiredScreen, useSessionChanged } from './AuthScreens';
import { LockOverlay } from './LockOverlay';
import { useIdleLock } from './useIdleLock';

/** Signs the window out in main and forgets every answer. */
export function useSignOut(): () => Promise<void> {
  const changed = useSessionChanged();
  return async () => {
    await call('auth.signOut', {}).catch(() => undefined);
    await changed();
  };
}

/** Locks the window now: the overlay comes up over the screen. */
export function useLockNow(): () => Promise<void> {
  const client = useQueryClient();
  return async () => {
    await call('auth.lock', {}).catch(() => undefined);
    await client.invalidateQueries({ queryKey: ['auth.status'] });
  };
}

/**
 * auth.status decides what the window shows: the first administrator, sign-in, a password change,
 * setting up an authenticator app (an administrator, where the office requires one), or the app, with
 * the lock overlay over it while locked. A call failing with UNAUTHENTICATED or SESSION_EXPIRED (or
 * FORBIDDEN until a password change or an authenticator) asks auth.status again, which brings the
 * right one up.
 */
export function SessionGate({ children }: { children: ReactNode }) {
  const client = useQueryClient();
  const status = useChannel('auth.status', {});
  const signOut = useSignOut();
  useEffect(() => onSessionFailure(() => void client.invalidateQueries({ queryKey: ['auth.status'] })), [client]);
  const session = status.data?.session ?? null;
  useIdleLock(session && !session.locked ? session.idleLockMinutes : null);

  if (!status.data) {
    return (
      <Center mih="100vh">
        {status.error ? (
          <Stack align="center">
            <Text role="alert" c="red">
              AR Desk could not be reached: {status.error.message}
            </Text>
            <Button onClick={status.reload}>Try again</Button>
          </Stack>
        ) : (
          <Loader aria-label="Loading" />
        )}
      </Center>
    );
  }
  if (status.data.firstRun) return <FirstAdminScreen />;
  if (!session) return <SignInScreen />;
  if (session.mustChangePassword) return <ChangePasswordScreen name={session.user.name} onSignOut={() => void signOut()} />;
  return (
    <>
      {session.mustEnrollTotp ? (
        <TotpRequiredScreen name={session.user.name} username={session.user.username} onSignOut={() => void signOut()} />
      ) : (
        children
      )}
      {session.locked && <LockOverlay session={session} onSignOut={() => void signOut()} />}
    </>
  );
}
