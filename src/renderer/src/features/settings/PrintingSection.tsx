import { Alert, Button, Group, NumberInput, Radio, Select, SimpleGrid, Stack, Switch, Text, type ComboboxItem } from '@mantine/core';
import type { PaperSize, PrinterInfo, PrinterListView } from '../../../../shared/contract/printers';
import type { SettingsView } from '../../../../shared/contract/settings';
import type { PrintingSettingsChanges } from '../../../../shared/settings';
import { labelledField } from '../../lib/form';
import { useChannel } from '../../lib/queries';
import { SettingsSection } from './SettingsSection';
import { useWorkstationForm } from './useSectionForm';

/**
 * A printer as the Select holds it: "default" for the system's default printer (null in the
 * settings), "printer:NAME" for a named one, so no printer name can be mistaken for the default.
 */
type PrinterChoice = string;
const SYSTEM_DEFAULT: PrinterChoice = 'default';
const choiceOf = (name: string | null): PrinterChoice => (name === null ? SYSTEM_DEFAULT : `printer:${name}`);
const nameOf = (choice: PrinterChoice): string | null => (choice === SYSTEM_DEFAULT ? null : choice.replace(/^printer:/, ''));

type PrintingForm = {
  confirmationPrinter: PrinterChoice;
  statementPrinter: PrinterChoice;
  copies: number | string;
  paper: PaperSize;
  silent: boolean;
};

const PAPERS: { value: PaperSize; label: string }[] = [
  { value: 'Letter', label: 'Letter (8.5 × 11 in)' },
  { value: 'A4', label: 'A4 (210 × 297 mm)' },
];

function valuesOf(view: SettingsView): PrintingForm {
  const p = view.settings.printing;
  return { confirmationPrinter: choiceOf(p.confirmationPrinter), statementPrinter: choiceOf(p.statementPrinter), copies: p.copies, paper: p.paper, silent: p.silent };
}

function printerLabel(p: PrinterInfo): string {
  const notes = [p.state === 'stopped' ? 'stopped' : null, p.accepting ? null : 'not taking jobs'].filter(Boolean);
  return notes.length > 0 ? `${p.name} (${notes.join(', ')})` : p.name;
}

/** The system's default first (preselected while none is chosen), then each printer; a saved one the system no longer lists stays, marked. */
function printerOptions(list: PrinterListView | undefined, saved: PrinterChoice[]): ComboboxItem[] {
  const printers = list?.printers ?? [];
  const fallback = printers.find((p) => p.isDefault);
  const options: ComboboxItem[] = [
    { value: SYSTEM_DEFAULT, label: fallback ? `System default (${fallback.name})` : list ? 'System default (none set)' : 'System default' },
    ...printers.map((p) => ({ value: choiceOf(p.name), label: printerLabel(p) })),
  ];
  for (const choice of new Set(saved)) {
    const name = nameOf(choice);
    if (name !== null && list && !printers.some((p) => p.name === name)) options.push({ value: choice, label: `${name} (not found on this computer)` });
    else if (name !== null && !list) options.push({ value: choice, label: name });
  }
  return options;
}

/** What the clerk should know about the printer list: why it is empty, or that it is still being read. */
function ListNotice({ list, error, loading, onLookAgain }: { list: PrinterListView | undefined; error: string | undefined; loading: boolean; onLookAgain(): void }) {
  const why = error ?? (list && list.printers.length === 0 ? (list.problem ?? 'This computer has no printers.') : null);
  if (!why) return null;
  return (
    <Alert color="orange" variant="light" title="No printers to choose from" data-testid="printers-problem">
      <Stack gap="xs" align="flex-start">
        <Text size="sm">
          {why} Until a printer is there, confirmations and statements wait in the print queue (Documents), and are printed from there.
        </Text>
        <Button size="xs" variant="default" loading={loading} onClick={onLookAgain}>
          Look for printers again
        </Button>
      </Stack>
    </Alert>
  );
}

/** This workstation's printers (from the print system's list), copies, paper, and silent or dialog printing. */
export function PrintingSection({ view }: { view: SettingsView }) {
  const printers = useChannel('printers.list', {});
  const { form, section } = useWorkstationForm<PrintingForm>(view, {
    valuesOf,
    changesOf: (f, changed) => {
      const printing: PrintingSettingsChanges = {};
      if (changed('confirmationPrinter')) printing.confirmationPrinter = nameOf(f.confirmationPrinter);
      if (changed('statementPrinter')) printing.statementPrinter = nameOf(f.statementPrinter);
      if (changed('copies')) printing.copies = Number(f.copies);
      if (changed('paper')) printing.paper = f.paper;
      if (changed('silent')) printing.silent = f.silent;
      return { printing };
    },
    fields: {
      'printing.confirmationPrinter': 'confirmationPrinter',
      'printing.statementPrinter': 'statementPrinter',
      'printing.copies': 'copies',
      'printing.paper': 'paper',
      'printing.silent': 'silent',
    },
    validate: { copies: (n) => (n === '' ? 'enter the number of copies, from 1 to 99' : null) },
    notice: { title: 'Printing saved', message: 'Documents printed from this workstation use it from now on.' },
  });
  const values = form.getValues();
  const list = printers.data ?? printers.previous;
  const saved = view.settings.printing;
  const options = printerOptions(list, [values.confirmationPrinter, values.statementPrinter, choiceOf(saved.confirmationPrinter), choiceOf(saved.statementPrinter)]);
  const looking = printers.loading && !list ? 'Looking for this computer’s printers…' : null;

  return (
    <SettingsSection
      id="ws-printing"
      title="Printing"
      description="Where this workstation prints payment confirmations and statements. The system default follows the default printer set on this computer."
      saveLabel="Save printing"
      {...section}
    >
      <ListNotice list={list} error={printers.error?.message} loading={printers.loading} onLookAgain={printers.reload} />
      <SimpleGrid cols={2} spacing="md">
        <Select
          label="Printer for payment confirmations"
          description={looking ?? 'Submit & Print and Reprint print here'}
          data={options}
          {...labelledField(form, 'confirmationPrinter', 'Printer')}
          allowDeselect={false}
        />
        <Select
          label="Printer for statements and invoices"
          description={looking ?? 'Statements and invoices print here'}
          data={options}
          {...labelledField(form, 'statementPrinter', 'Printer')}
          allowDeselect={false}
        />
        <NumberInput
          label="Copies"
          description="Of each document, from 1 to 99"
          {...labelledField(form, 'copies', 'Copies')}
          min={1}
          max={99}
          clampBehavior="strict"
          allowDecimal={false}
          allowNegative={false}
          maw={200}
        />
        <Radio.Group label="Paper" description="The paper in this workstation's printers" {...labelledField(form, 'paper', 'Paper')}>
          <Group mt={8}>
            {PAPERS.map((p) => (
              <Radio key={p.value} value={p.value} label={p.label} />
            ))}
          </Group>
        </Radio.Group>
        <Switch
          style={{ gridColumn: '1 / -1' }}
          label="Print without the print dialog"
          description="On: documents go straight to the printers above. Off: the system's print dialog opens for each document, to choose the printer and copies there."
          {...form.getInputProps('silent', { type: 'checkbox' })}
        />
      </SimpleGrid>
    </SettingsSection>
  );
}
