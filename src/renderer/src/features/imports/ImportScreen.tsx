import { Alert, Button, FileInput, Group, Progress, Radio, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { IMPORT_PIECE_BYTES, type ImportFileKind, type ImportJobView } from '../../../../shared/contract/imports';
import { IMPORT_COLUMNS } from '../../../../shared/import-columns';
import { call, toAppError } from '../../lib/api';
import { useFormat } from '../../lib/settings';

/** How often a running import is asked for its progress. */
const POLL_MS = 400;

const KINDS: { value: ImportFileKind; label: string }[] = [
  { value: 'customers', label: 'Customers' },
  { value: 'invoices', label: 'Invoices' },
  { value: 'credits', label: 'Credit memos' },
];

const columnsOf = (kind: ImportFileKind) => {
  const c = IMPORT_COLUMNS[kind];
  return `Columns: ${c.required.join(', ')}${c.optional.length > 0 ? `; optional ${c.optional.join(', ')}` : ''}`;
};

const count = (n: number) => n.toLocaleString('en-US');
const megabytes = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;

/** The bytes of a piece of the file, in base64 for the call. */
async function pieceBase64(file: File, at: number): Promise<string> {
  const bytes = new Uint8Array(await file.slice(at, at + IMPORT_PIECE_BYTES).arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function progressOf(job: ImportJobView): { value: number; label: string } {
  switch (job.status) {
    case 'receiving':
      return { value: job.bytes === 0 ? 0 : (job.receivedBytes * 100) / job.bytes, label: `Sending the file: ${megabytes(job.receivedBytes)} of ${megabytes(job.bytes)}` };
    case 'checking':
      return { value: 100, label: `Checking every row before anything is written: ${count(job.rows)} rows checked` };
    case 'writing':
      return {
        value: job.totalRows ? (job.rows * 100) / job.totalRows : 0,
        label: `Writing: ${count(job.rows)} of ${count(job.totalRows ?? 0)} rows`,
      };
    default:
      return { value: 100, label: '' };
  }
}

/**
 * Imports a CSV file of customers, invoices or credit memos: the file is sent to main in pieces,
 * every row is checked, and only then is it written, all or nothing, with the progress on screen.
 */
export function ImportScreen() {
  const format = useFormat();
  const [kind, setKind] = useState<ImportFileKind>('customers');
  const [file, setFile] = useState<File | null>(null);
  const [job, setJob] = useState<ImportJobView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const running = job !== null && (job.status === 'receiving' || job.status === 'checking' || job.status === 'writing');

  useEffect(() => {
    if (!job || (job.status !== 'checking' && job.status !== 'writing')) return;
    const timer = setTimeout(() => {
      call('imports.get', { importId: job.id }).then(setJob, (e: unknown) => setError(toAppError(e).message));
    }, POLL_MS);
    return () => clearTimeout(timer);
  }, [job]);

  const start = async () => {
    if (!file) return;
    setError(null);
    try {
      let view = await call('imports.begin', { kind, fileName: file.name, bytes: file.size });
      setJob(view);
      for (let piece = 0, at = 0; at < file.size; piece++, at += IMPORT_PIECE_BYTES) {
        view = await call('imports.append', { importId: view.id, piece, data: await pieceBase64(file, at) });
        setJob(view);
      }
      setJob(await call('imports.start', { importId: view.id }));
    } catch (e) {
      setError(toAppError(e).message);
      setJob(null);
    }
  };

  const shown = job && running ? progressOf(job) : null;
  const kindLabel = KINDS.find((k) => k.value === (job?.kind ?? kind))!.label.toLowerCase();
  return (
    <Stack gap="md" maw={860}>
      <Title order={2}>Import</Title>
      <Text size="sm" c="dimmed">
        A CSV file with a header row, in UTF-8. Every row is checked first; if any is wrong nothing is imported and each wrong line is listed with
        its reason.
      </Text>
      <Radio.Group label="What the file holds" value={kind} onChange={(v) => setKind(v as ImportFileKind)}>
        <Stack gap={6} mt={6}>
          {KINDS.map((k) => (
            <Radio key={k.value} value={k.value} disabled={running} label={k.label} description={columnsOf(k.value)} />
          ))}
        </Stack>
      </Radio.Group>
      <Group align="flex-end">
        <FileInput label="CSV file" placeholder="Choose a file" accept=".csv,text/csv" value={file} onChange={setFile} disabled={running} w={360} clearable clearButtonProps={{ 'aria-label': 'Clear the chosen file' }} />
        <Button onClick={() => void start()} disabled={!file || running} data-testid="import-start">
          Import file
        </Button>
      </Group>
      {error && (
        <Alert color="red" title="The file was not imported" data-testid="import-error">
          {error}
        </Alert>
      )}
      {job && shown && (
        <Stack gap={6} data-testid="import-progress">
          <Progress value={shown.value} animated striped={job.status === 'checking'} aria-label="Import progress" />
          <Text size="sm">{shown.label}</Text>
        </Stack>
      )}
      {job?.status === 'done' && job.counts && (
        <Alert color="teal" title="Imported" data-testid="import-result">
          {count(job.counts.rows)} {kindLabel} from {job.fileName} were imported
          {kind !== 'customers' && job.counts.amountCents !== 0 ? `, ${format.money(job.counts.amountCents)} in all` : ''}
          {job.counts.payments > 0 ? `, with ${count(job.counts.payments)} payments of ${format.money(job.counts.paidCents)}` : ''}.
        </Alert>
      )}
      {job?.status === 'refused' && (
        <Alert color="red" title="Nothing was imported" data-testid="import-result">
          <Text size="sm">
            {count(job.errorCount)} {job.errorCount === 1 ? 'line' : 'lines'} of {job.fileName} {job.errorCount === 1 ? 'is' : 'are'} wrong. Correct
            the file and import it again.{job.errorCount > job.errors.length ? ` The first ${count(job.errors.length)} are listed.` : ''}
          </Text>
          <Table mt="xs" verticalSpacing={4} data-testid="import-errors">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={90}>Line</Table.Th>
                <Table.Th>Reason</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {job.errors.map((e) => (
                <Table.Tr key={`${e.line}:${e.message}`}>
                  <Table.Td>{count(e.line)}</Table.Td>
                  <Table.Td>{e.message}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Alert>
      )}
      {job?.status === 'failed' && (
        <Alert color="red" title="The import stopped; nothing was imported" data-testid="import-result">
          {job.error}
        </Alert>
      )}
    </Stack>
  );
}
