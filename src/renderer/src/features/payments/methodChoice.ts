import { bankAccountLabel, cardBrandOf, cardDigits, cardLabel, last4Of } from '../../../../shared/cards';
import type { PaymentMethodDto } from '../../../../shared/contract/paymentMethods';
import type { PaymentMethodInput } from '../../../../shared/contract/payments';
import { bankMethodInput, cardMethodInput, type BankFormValue, type CardFormValue } from '../../lib/paymentMethods';
import type { MethodChoice } from './MethodPicker';

/** How the read-back names the method: the saved method's label, or the new card's brand or bank account's type, with its last four digits. */
export function newOrSavedLabel(saved: PaymentMethodDto | undefined, choice: MethodChoice | null, card: CardFormValue, bank: BankFormValue): string {
  if (saved) return saved.label;
  if (choice === 'new-bank') return bankAccountLabel(bank.accountType, last4Of(bank.accountNumber));
  return cardLabel(cardBrandOf(cardDigits(card.cardNumber)) ?? 'card', last4Of(card.cardNumber));
}

/** What goes to main for the method: the saved method's id, or the new card or bank account (saved with its nickname when asked). */
export function newOrSavedInput(saved: PaymentMethodDto | undefined, choice: MethodChoice | null, card: CardFormValue, bank: BankFormValue): PaymentMethodInput {
  if (saved) return { type: 'saved', paymentMethodId: saved.id };
  if (choice === 'new-bank') {
    return { ...bankMethodInput(bank), save: bank.save, ...(bank.save && bank.nickname.trim() ? { nickname: bank.nickname.trim() } : {}) };
  }
  return { ...cardMethodInput(card), save: card.save, ...(card.save && card.nickname.trim() ? { nickname: card.nickname.trim() } : {}) };
}
