import { Badge, Box, Group, Kbd, Loader, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { LookupResult, LookupResults } from '../../../../shared/contract/lookup';
import { LOOKUP_TYPING_PAUSE_MS } from '../../../../shared/contract/lookup';
import { onSearchFocusRequest } from '../../lib/events';
import { formatPhone } from '../../lib/format';
import { useChannel } from '../../lib/queries';
import { navigate } from '../../lib/router';
import { useFormat } from '../../lib/settings';
import { Empty, ErrorNotice } from '../../components/states';
import classes from './LookupScreen.module.css';

const RESULT_LIMIT = 50;
// The last search survives a trip to an account and back, as a clerk expects of "back".
const LAST_QUERY_KEY = 'ardesk.lookup.query';

const MATCHED_BY_LABEL: Record<LookupResult['matchedBy'], string> = {
  number: 'customer number',
  name: 'name',
  phone: 'phone',
  email: 'email',
  invoice: 'invoice number',
};

export function LookupScreen() {
  const format = useFormat();
  const inputRef = useRef<HTMLInputElement>(null);
  const [query, setQuery] = useState(() => sessionStorage.getItem(LAST_QUERY_KEY) ?? '');
  const trimmed = query.trim();
  const [debounced, , { flush }] = useDebouncedValue(trimmed, LOOKUP_TYPING_PAUSE_MS);
  const [active, setActive] = useState(0);
  const [openWhenAnswered, setOpenWhenAnswered] = useState(false);
  const search = useChannel('lookup.search', debounced === '' ? null : { query: debounced, limit: RESULT_LIMIT });
  // Emptying the box forgets the answer it had: a new search starts from an empty list, not from the
  // results of the one before the box was cleared.
  const [forgotten, setForgotten] = useState<LookupResults>();

  useEffect(() => {
    inputRef.current?.focus();
    inputRef.current?.select();
    return onSearchFocusRequest(() => {
      inputRef.current?.focus();
      inputRef.current?.select();
    });
  }, []);

  useEffect(() => {
    sessionStorage.setItem(LAST_QUERY_KEY, query);
  }, [query]);

  // Only the moment the box becomes empty counts, not later answers.
  useEffect(() => {
    if (debounced === '') setForgotten(search.data ?? search.previous);
  }, [debounced]);

  // Each new answer starts the choice at its best match.
  useEffect(() => {
    if (search.data) setActive(0);
  }, [search.data]);

  // The answer to exactly what is typed, once the debounce has caught up; the list may show an older one meanwhile.
  const current = search.data && debounced === trimmed ? search.data : null;
  const shown = search.data ?? (search.previous !== forgotten ? search.previous : undefined);
  const results = debounced === '' ? [] : (shown?.results ?? []);
  const error = search.error;
  const loading = search.loading;

  const open = (r: LookupResult | undefined) => {
    if (r) navigate('customers', r.customerNumber);
  };

  useEffect(() => {
    if (openWhenAnswered && current) {
      setOpenWhenAnswered(false);
      open(current.results[0]);
    }
  }, [openWhenAnswered, current]);

  useEffect(() => {
    document.getElementById(`lookup-option-${active}`)?.scrollIntoView({ block: 'nearest' });
  }, [active]);

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setActive((i) => Math.min(i + 1, Math.max(results.length - 1, 0)));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((i) => Math.max(i - 1, 0));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      if (trimmed === '') return;
      // Typed faster than the search: open the best match as soon as its answer arrives.
      if (current) open(current.results[active]);
      else {
        setOpenWhenAnswered(true);
        flush();
      }
    } else if (e.key === 'Escape') {
      setQuery('');
    }
  };

  const showList = trimmed !== '' && results.length > 0;

  return (
    <Stack gap="md" maw={1100}>
      <Title order={2}>Find a customer</Title>
      <TextInput
        ref={inputRef}
        id="customer-search"
        size="lg"
        label="Customer number, name, phone, email or invoice number"
        placeholder="e.g. CL1042, Harbor Lane, 503 555 0142, INV-1009"
        value={query}
        onChange={(e) => setQuery(e.currentTarget.value)}
        onKeyDown={onKeyDown}
        autoComplete="off"
        spellCheck={false}
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={showList}
        aria-controls="lookup-results"
        aria-activedescendant={showList ? `lookup-option-${active}` : undefined}
        rightSection={loading ? <Loader size="xs" aria-label="Searching" /> : null}
      />
      <Group gap="lg">
        <Text size="xs" c="dimmed">
          <Kbd size="xs">↑</Kbd> <Kbd size="xs">↓</Kbd> choose · <Kbd size="xs">Enter</Kbd> open the account ·{' '}
          <Kbd size="xs">Esc</Kbd> clear · <Kbd size="xs">Ctrl</Kbd>+<Kbd size="xs">K</Kbd> back here from anywhere
        </Text>
      </Group>

      {error && <ErrorNotice title="The search failed" error={error} />}

      {trimmed === '' && (
        <Paper withBorder p="lg">
          <Empty title="Type to search">
            Start typing a customer number, part of the name, a phone number in any format, an email address or an
            invoice number. Results appear as you type.
          </Empty>
        </Paper>
      )}

      {trimmed !== '' && !error && current && current.results.length === 0 && (
        <Paper withBorder p="lg" role="status">
          <Empty title={`No customer matches “${trimmed}”`}>
            Check the spelling, try fewer letters of the name, or search by phone, email or invoice number.
          </Empty>
        </Paper>
      )}

      {showList && (
        <Paper withBorder className={classes.list}>
          <Box className={`${classes.row} ${classes.head}`} aria-hidden>
            <span>Number</span>
            <span>Legal name</span>
            <span>Phone</span>
            <span className="num">Open balance</span>
            <span>Past due</span>
          </Box>
          <div id="lookup-results" role="listbox" aria-label="Matching customers">
            {results.map((r, i) => (
              <div
                key={r.customerNumber}
                id={`lookup-option-${i}`}
                role="option"
                aria-selected={i === active}
                className={classes.row}
                data-active={i === active || undefined}
                data-testid="lookup-result"
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => open(r)}
                onMouseEnter={() => setActive(i)}
              >
                <Text span fw={700} ff="monospace">
                  {r.customerNumber}
                </Text>
                <Box miw={0}>
                  <Text span fw={500} truncate display="block">
                    {r.legalName}
                  </Text>
                  <Text span size="xs" c="dimmed" truncate display="block">
                    {r.matchedBy === 'invoice' && r.invoiceNumber
                      ? `Invoice ${r.invoiceNumber}${r.email ? ` · ${r.email}` : ''}`
                      : (r.email ?? '')}
                  </Text>
                </Box>
                <Text span size="sm" style={{ whiteSpace: 'nowrap' }}>
                  {formatPhone(r.phone)}
                </Text>
                <Text span className="num" fw={500}>
                  {format.money(r.openCents)}
                </Text>
                <span>
                  {r.pastDueCents > 0 ? (
                    <Badge color="red" variant="light" tt="none" size="lg" fw={600}>
                      Past due {format.money(r.pastDueCents)}
                    </Badge>
                  ) : r.openCents > 0 ? (
                    <Badge color="gray" variant="light" tt="none" size="lg" fw={500}>
                      Current
                    </Badge>
                  ) : (
                    <Badge color="teal" variant="light" tt="none" size="lg" fw={500}>
                      Paid up
                    </Badge>
                  )}
                </span>
                <span className="sr-only">matched by {MATCHED_BY_LABEL[r.matchedBy]}</span>
              </div>
            ))}
          </div>
          <Text size="xs" c="dimmed" px="md" py={6} role="status">
            {results.length === RESULT_LIMIT
              ? `Showing the first ${RESULT_LIMIT} matches; type more to narrow them down.`
              : `${results.length} ${results.length === 1 ? 'match' : 'matches'}`}
          </Text>
        </Paper>
      )}
    </Stack>
  );
}
