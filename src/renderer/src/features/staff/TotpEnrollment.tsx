import { Alert, Button, Code, Group, List, Stack, Text, TextInput } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { TotpSetupDto } from '../../../../shared/contract/auth';
import { call, toAppError } from '../../lib/api';
import { fieldErrorsOf } from '../../lib/fieldErrors';

/** The base32 key in groups of four, as authenticator apps show it and people type it. */
export function groupedKey(secret: string): string {
  return (secret.match(/.{1,4}/g) ?? []).join(' ');
}

/**
 * Turning on the second factor: main makes a new secret (auth.totpSetup), the person adds it to their
 * authenticator app by its key, and a code from the app confirms it (auth.totpEnable). Until then the
 * account signs in as before; a second setup replaces the first key offered.
 */
export function TotpEnrollment({ username, replacing = false, onEnabled }: { username: string; replacing?: boolean; onEnabled?(): void }) {
  const client = useQueryClient();
  const [offer, setOffer] = useState<TotpSetupDto | null>(null);
  const [code, setCode] = useState('');
  const [codeError, setCodeError] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  // Separate, so the button that starts again never appears already spinning after a confirmation.
  const [starting, setStarting] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const busy = starting || confirming;

  const start = async () => {
    setStarting(true);
    setProblem(null);
    try {
      setOffer(await call('auth.totpSetup', {}));
      setCode('');
      setCodeError(null);
    } catch (e) {
      setProblem(toAppError(e).message);
    } finally {
      setStarting(false);
    }
  };

  const confirm = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    if (!/^\d{6}$/.test(code.trim())) {
      setCodeError('Enter the 6 digits the authenticator app shows');
      return;
    }
    setConfirming(true);
    setProblem(null);
    setCodeError(null);
    try {
      await call('auth.totpEnable', { code: code.trim() });
      setOffer(null);
      setCode('');
      await client.invalidateQueries({ queryKey: ['auth.status'] });
      // What was refused while the authenticator was missing is asked again.
      await client.refetchQueries({ type: 'active', predicate: (q) => q.state.status === 'error' });
      onEnabled?.();
    } catch (err) {
      // Main's words for a wrong code say what to do ("enter the one the app shows now"): they go under the field.
      const error = toAppError(err);
      if (fieldErrorsOf(error).code) setCodeError(error.message);
      else setProblem(error.message);
      setCode('');
    } finally {
      setConfirming(false);
    }
  };

  if (!offer) {
    return (
      <Stack gap="sm" align="flex-start">
        {problem && (
          <Alert color="red" variant="light" role="alert" data-testid="totp-problem" w="100%">
            {problem}
          </Alert>
        )}
        <Button onClick={() => void start()} loading={starting} data-testid="totp-start">
          {replacing ? 'Move to a new authenticator app' : 'Set up an authenticator app'}
        </Button>
      </Stack>
    );
  }

  return (
    <form onSubmit={(e) => void confirm(e)} noValidate data-testid="totp-enrollment">
      <Stack gap="sm">
        <List type="ordered" size="sm" spacing="xs">
          <List.Item>
            Open an authenticator app on your phone (Google Authenticator, Microsoft Authenticator, 1Password or another) and add an
            account with a setup key.
          </List.Item>
          <List.Item>
            Type this key, with the account name <b>{username}</b>; the app counts the spaces as nothing. Choose a time-based code if
            it asks.
          </List.Item>
        </List>
        <Code block fz="lg" ta="center" data-testid="totp-key" aria-label="Setup key">
          {groupedKey(offer.secret)}
        </Code>
        <Text size="xs" c="dimmed" mt={-6}>
          Letters and the digits 2 to 7 only: an O is always the letter O.
        </Text>
        <details>
          <summary>
            <Text span size="sm">
              The same as a link (otpauth), for apps that take one
            </Text>
          </summary>
          <Code block mt="xs" style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }} data-testid="totp-uri">
            {offer.uri}
          </Code>
        </details>
        <List type="ordered" size="sm" start={3}>
          <List.Item>Enter the 6-digit code the app now shows for AR Desk.</List.Item>
        </List>
        <TextInput
          label="Code from the authenticator app"
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={6}
          w={320}
          value={code}
          onChange={(e) => setCode(e.currentTarget.value)}
          error={codeError}
          data-autofocus
        />
        {problem && (
          <Alert color="red" variant="light" role="alert" data-testid="totp-problem">
            {problem}
          </Alert>
        )}
        <Group gap="sm">
          <Button type="submit" loading={confirming} data-testid="totp-enable">
            Turn on the code
          </Button>
          <Button variant="subtle" onClick={() => void start()} disabled={busy}>
            Show a new key
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
