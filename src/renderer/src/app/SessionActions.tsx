import { Button, Group } from '@mantine/core';
import { useLockNow, useSignOut } from '../features/staff/SessionGate';
import { navigate } from '../lib/router';

/** The person's own sign-in (their authenticator code), Lock and Sign out, in the title bar. */
export function SessionActions() {
  const lock = useLockNow();
  const signOut = useSignOut();
  return (
    <Group gap="xs">
      <Button size="compact-sm" variant="subtle" onClick={() => navigate('me')} data-testid="your-sign-in">
        Your sign-in
      </Button>
      <Button size="compact-sm" variant="default" onClick={() => void lock()} data-testid="lock-now">
        Lock
      </Button>
      <Button size="compact-sm" variant="subtle" onClick={() => void signOut()} data-testid="sign-out">
        Sign out
      </Button>
    </Group>
  );
}
