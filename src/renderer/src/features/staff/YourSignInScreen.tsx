import { Badge, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useChannel } from '../../lib/queries';
import { Loading } from '../../components/states';
import { TotpEnrollment } from './TotpEnrollment';
import { ROLE_NAMES } from './staffText';

/** The signed-in person's own sign-in: who they are here, and their authenticator code. */
export function YourSignInScreen() {
  const session = useChannel('auth.status', {}).data?.session;
  if (!session) return <Loading what="your sign-in" />;
  const { user } = session;
  return (
    <Stack gap="md" maw={760}>
      <div>
        <Title order={2}>Your sign-in</Title>
        <Text size="sm" c="dimmed">
          {user.name} ({user.username}) · {ROLE_NAMES[user.role]}. This window locks after {session.idleLockMinutes} idle{' '}
          {session.idleLockMinutes === 1 ? 'minute' : 'minutes'}.
        </Text>
      </div>
      <Paper withBorder p="md" component="section" aria-labelledby="totp-heading">
        <Stack gap="sm">
          <Group justify="space-between">
            <Title order={3} size="h4" id="totp-heading">
              Authenticator code
            </Title>
            <Badge variant="light" color={session.totpEnabled ? 'teal' : 'gray'} data-testid="totp-state">
              {session.totpEnabled ? 'On' : 'Off'}
            </Badge>
          </Group>
          <Text size="sm">
            {session.totpEnabled
              ? 'You sign in with your password and the 6-digit code of your authenticator app. For a new phone, set it up again here: the old phone’s codes stop working once the new one is confirmed.'
              : 'A 6-digit code from an app on your phone, asked for at sign-in after your password, keeps your account safe even if someone learns the password.'}
          </Text>
          <TotpEnrollment
            username={user.username}
            replacing={session.totpEnabled}
            onEnabled={() =>
              notifications.show({
                color: 'teal',
                message: 'The authenticator code is on: from your next sign-in, AR Desk asks for it after your password.',
                closeButtonProps: { 'aria-label': 'Close message' },
              })
            }
          />
        </Stack>
      </Paper>
    </Stack>
  );
}
