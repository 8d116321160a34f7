import { Badge, Checkbox, Group, SegmentedControl, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import {
  bankProblems,
  CARD_BRAND_NAMES,
  cardBrandOf,
  cardDigits,
  cardNumberLengths,
  cardProblems,
  formatCardNumberAsTyped,
  passesAbaCheck,
  passesLuhn,
  securityCodeLength,
  type BankAccountType,
} from '../../../../shared/cards';

/**
 * The card and bank-account entry forms. What is typed lives only in this window's memory for the
 * length of the call: it is never stored, logged or put in the address bar.
 */
export interface CardFormValue {
  nameOnCard: string;
  cardNumber: string;
  expiry: string;
  cvc: string;
  postalCode: string;
  save: boolean;
  nickname: string;
}

export interface BankFormValue {
  routingNumber: string;
  accountNumber: string;
  accountType: BankAccountType;
  nameOnAccount: string;
  save: boolean;
  nickname: string;
}

export const EMPTY_CARD: CardFormValue = { nameOnCard: '', cardNumber: '', expiry: '', cvc: '', postalCode: '', save: false, nickname: '' };
export const EMPTY_BANK: BankFormValue = { routingNumber: '', accountNumber: '', accountType: 'checking', nameOnAccount: '', save: false, nickname: '' };

export type FieldErrors = Partial<Record<string, string>>;

/** Digits line up and read back easily in a fixed-width face; the label keeps the normal one. */
const MONO_INPUT = { input: { fontFamily: 'var(--mantine-font-family-monospace)', letterSpacing: '0.04em' } };

/** "04/28", "4/2028", "0428" -> { month: 4, year: 2028 }; null when it cannot be read. */
export function parseExpiry(text: string): { month: number; year: number } | null {
  const t = text.replace(/\s/g, '');
  const m = /^(\d{1,2})\/?(\d{2}|\d{4})$/.exec(t);
  if (!m) return null;
  const month = Number(m[1]);
  const yearText = m[2]!;
  const year = yearText.length === 2 ? 2000 + Number(yearText) : Number(yearText);
  return { month, year };
}

/** Adds the slash as the clerk types the expiry: "042" -> "04/2". */
function formatExpiryAsTyped(text: string, previous: string): string {
  const digits = text.replace(/\D/g, '').slice(0, 6);
  if (text.length < previous.length) return text; // deleting: leave it alone
  if (digits.length >= 3) return `${digits.slice(0, 2)}/${digits.slice(2)}`;
  if (digits.length === 2 && !text.includes('/')) return `${digits}/`;
  return text.replace(/[^\d/]/g, '');
}

export function cardFormProblems(v: CardFormValue, today: string): FieldErrors {
  const errors: FieldErrors = {};
  if (v.nameOnCard.trim() === '') errors.nameOnCard = 'Enter the name as printed on the card';
  const exp = parseExpiry(v.expiry);
  const problems = cardProblems(
    { cardNumber: cardDigits(v.cardNumber), expMonth: exp?.month ?? 0, expYear: exp?.year ?? 0, cvc: v.cvc.trim() },
    today,
  );
  for (const p of problems) {
    const field = p.field === 'expMonth' || p.field === 'expYear' ? 'expiry' : p.field;
    errors[field] ??= p.message;
  }
  if (!exp && v.expiry.trim() !== '') errors.expiry = 'Enter the expiry as MM/YY, e.g. 04/28';
  if (v.expiry.trim() === '') errors.expiry = 'Enter the expiry date as MM/YY';
  if (v.cardNumber.trim() === '') errors.cardNumber = 'Enter the card number';
  if (v.cvc.trim() === '') errors.cvc = 'Enter the security code';
  if (v.postalCode.trim() === '') errors.postalCode = 'Enter the billing ZIP or postal code';
  return errors;
}

export function bankFormProblems(v: BankFormValue): FieldErrors {
  const errors: FieldErrors = {};
  for (const p of bankProblems({ routingNumber: v.routingNumber.trim(), accountNumber: v.accountNumber.trim() })) {
    errors[p.field] ??= p.message;
  }
  if (v.nameOnAccount.trim() === '') errors.nameOnAccount = 'Enter the account holder’s name';
  return errors;
}

/** The card as payments.submit and paymentMethods.add take it. */
export function cardMethodInput(v: CardFormValue) {
  const exp = parseExpiry(v.expiry);
  return {
    type: 'card' as const,
    cardNumber: cardDigits(v.cardNumber),
    expMonth: exp?.month ?? 0,
    expYear: exp?.year ?? 0,
    cvc: v.cvc.trim(),
    nameOnCard: v.nameOnCard.trim(),
    postalCode: v.postalCode.trim(),
  };
}

export function bankMethodInput(v: BankFormValue) {
  return {
    type: 'bank' as const,
    routingNumber: v.routingNumber.trim(),
    accountNumber: v.accountNumber.trim(),
    accountType: v.accountType,
    nameOnAccount: v.nameOnAccount.trim(),
  };
}

/** Live feedback on the number: the brand as soon as the prefix says it, the check digit once complete. */
function cardNumberStatus(number: string): { brand: string | null; hint: string | null; error: string | null } {
  const digits = cardDigits(number);
  const brand = cardBrandOf(digits);
  if (digits === '') return { brand: null, hint: null, error: null };
  if (!/^\d+$/.test(digits)) return { brand: null, hint: null, error: 'Digits only' };
  if (!brand) return { brand: null, hint: null, error: digits.length >= 2 ? 'Not a Visa, Mastercard, American Express or Discover number' : null };
  const lengths = cardNumberLengths(brand);
  const max = Math.max(...lengths);
  if (lengths.includes(digits.length)) {
    if (passesLuhn(digits)) return { brand: CARD_BRAND_NAMES[brand], hint: 'Number checks out', error: null };
    if (digits.length === max) return { brand: CARD_BRAND_NAMES[brand], hint: null, error: 'This number is not valid; check the digits' };
    return { brand: CARD_BRAND_NAMES[brand], hint: null, error: null };
  }
  if (digits.length > max) return { brand: CARD_BRAND_NAMES[brand], hint: null, error: `A ${CARD_BRAND_NAMES[brand]} number has ${lengths.join(' or ')} digits` };
  return { brand: CARD_BRAND_NAMES[brand], hint: null, error: null };
}

export function CardForm({
  value,
  onChange,
  errors,
  saveLabel = 'Save this card to the customer’s vault',
  showSave = true,
  idPrefix = 'card',
}: {
  value: CardFormValue;
  onChange(next: CardFormValue): void;
  errors: FieldErrors;
  saveLabel?: string;
  showSave?: boolean;
  idPrefix?: string;
}) {
  const set = <K extends keyof CardFormValue>(k: K, v: CardFormValue[K]) => onChange({ ...value, [k]: v });
  const status = cardNumberStatus(value.cardNumber);
  const brand = cardBrandOf(cardDigits(value.cardNumber));
  return (
    <Stack gap="sm">
      <TextInput
        id={`${idPrefix}-name`}
        label="Name on card"
        value={value.nameOnCard}
        onChange={(e) => set('nameOnCard', e.currentTarget.value)}
        error={errors.nameOnCard}
        autoComplete="off"
      />
      <TextInput
        id={`${idPrefix}-number`}
        label="Card number"
        value={value.cardNumber}
        onChange={(e) => set('cardNumber', formatCardNumberAsTyped(e.currentTarget.value))}
        error={errors.cardNumber ?? status.error ?? undefined}
        description={status.hint ? <span style={{ color: 'var(--mantine-color-teal-9)' }}>✓ {status.hint}</span> : undefined}
        inputMode="numeric"
        autoComplete="off"
        spellCheck={false}
        styles={MONO_INPUT}
        rightSectionWidth={150}
        rightSection={
          status.brand ? (
            <Badge variant="light" color="indigo" data-testid="card-brand">
              {status.brand}
            </Badge>
          ) : null
        }
      />
      <SimpleGrid cols={3} spacing="sm">
        <TextInput
          id={`${idPrefix}-expiry`}
          label="Expiry (MM/YY)"
          placeholder="MM/YY"
          value={value.expiry}
          onChange={(e) => set('expiry', formatExpiryAsTyped(e.currentTarget.value, value.expiry))}
          error={errors.expiry}
          inputMode="numeric"
          autoComplete="off"
        />
        <TextInput
          id={`${idPrefix}-cvc`}
          label="Security code"
          placeholder={brand ? '0'.repeat(securityCodeLength(brand)).replace(/0/g, '•') : '•••'}
          value={value.cvc}
          onChange={(e) => set('cvc', e.currentTarget.value.replace(/\D/g, '').slice(0, 4))}
          error={errors.cvc}
          inputMode="numeric"
          autoComplete="off"
          type="password"
        />
        <TextInput
          id={`${idPrefix}-postal`}
          label="Billing ZIP code"
          value={value.postalCode}
          onChange={(e) => set('postalCode', e.currentTarget.value)}
          error={errors.postalCode}
          autoComplete="off"
        />
      </SimpleGrid>
      {showSave && (
        <SaveToVault
          save={value.save}
          nickname={value.nickname}
          label={saveLabel}
          onChange={(save, nickname) => onChange({ ...value, save, nickname })}
          error={errors.nickname}
        />
      )}
    </Stack>
  );
}

export function BankForm({
  value,
  onChange,
  errors,
  showSave = true,
  idPrefix = 'bank',
}: {
  value: BankFormValue;
  onChange(next: BankFormValue): void;
  errors: FieldErrors;
  showSave?: boolean;
  idPrefix?: string;
}) {
  const set = <K extends keyof BankFormValue>(k: K, v: BankFormValue[K]) => onChange({ ...value, [k]: v });
  const routing = value.routingNumber.trim();
  const routingError = routing.length === 9 && !passesAbaCheck(routing) ? 'This routing number is not valid; check the digits' : undefined;
  return (
    <Stack gap="sm">
      <TextInput
        id={`${idPrefix}-name`}
        label="Name on the account"
        value={value.nameOnAccount}
        onChange={(e) => set('nameOnAccount', e.currentTarget.value)}
        error={errors.nameOnAccount}
        autoComplete="off"
      />
      <SimpleGrid cols={2} spacing="sm">
        <TextInput
          id={`${idPrefix}-routing`}
          label="Routing number"
          value={value.routingNumber}
          onChange={(e) => set('routingNumber', e.currentTarget.value.replace(/\D/g, '').slice(0, 9))}
          error={errors.routingNumber ?? routingError}
          inputMode="numeric"
          autoComplete="off"
          styles={MONO_INPUT}
        />
        <TextInput
          id={`${idPrefix}-account`}
          label="Account number"
          value={value.accountNumber}
          onChange={(e) => set('accountNumber', e.currentTarget.value.replace(/\D/g, '').slice(0, 17))}
          error={errors.accountNumber}
          inputMode="numeric"
          autoComplete="off"
          styles={MONO_INPUT}
        />
      </SimpleGrid>
      <Stack gap={4}>
        <Text size="sm" fw={500} id={`${idPrefix}-type-label`}>
          Account type
        </Text>
        <SegmentedControl
          aria-labelledby={`${idPrefix}-type-label`}
          value={value.accountType}
          onChange={(v) => set('accountType', v as BankAccountType)}
          data={[
            { value: 'checking', label: 'Checking' },
            { value: 'savings', label: 'Savings' },
          ]}
          w={260}
        />
      </Stack>
      {showSave && (
        <SaveToVault
          save={value.save}
          nickname={value.nickname}
          label="Save this account to the customer’s vault"
          onChange={(save, nickname) => onChange({ ...value, save, nickname })}
          error={errors.nickname}
        />
      )}
    </Stack>
  );
}

function SaveToVault({
  save,
  nickname,
  label,
  onChange,
  error,
}: {
  save: boolean;
  nickname: string;
  label: string;
  onChange(save: boolean, nickname: string): void;
  error?: string;
}) {
  return (
    <Group align="flex-end" gap="md" wrap="nowrap">
      <Checkbox label={label} checked={save} onChange={(e) => onChange(e.currentTarget.checked, nickname)} mb={8} />
      <TextInput
        label="Nickname (optional)"
        placeholder="e.g. Office Visa"
        value={nickname}
        onChange={(e) => onChange(save, e.currentTarget.value)}
        disabled={!save}
        error={error}
        style={{ flex: 1 }}
      />
    </Group>
  );
}
