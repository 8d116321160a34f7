import { z } from 'zod';
import { channel } from './define';
import { newBankFields, newCardFields } from './payments';

/** Cards and bank accounts on file: the gateway's token plus what a clerk may see. */

const nickname = z.string().max(60).optional();

export const paymentMethodAddInput = z.strictObject({
  customerNumber: z.string(),
  method: z.discriminatedUnion('type', [
    z.strictObject({ type: z.literal('card'), ...newCardFields, nickname }),
    z.strictObject({ type: z.literal('bank'), ...newBankFields, nickname }),
  ]),
  /** Either here or inside `method`; this one wins when both are given. */
  nickname,
  /** The first method of a customer becomes the default whatever this says. */
  makeDefault: z.boolean().optional(),
});
export type PaymentMethodAddInput = z.infer<typeof paymentMethodAddInput>;

export interface PaymentMethodDto {
  id: number;
  kind: 'card' | 'bank';
  /** 'visa' | 'mastercard' | 'amex' | 'discover' for cards; 'checking' | 'savings' for bank accounts. */
  brand: string;
  last4: string;
  expMonth: number | null;
  expYear: number | null;
  /** Past its expiry month on the business date; a payment cannot use it. */
  expired: boolean;
  nickname: string | null;
  billingName: string;
  billingPostalCode: string | null;
  isDefault: boolean;
  /** "Visa ending 4242", "Checking ending 6789". */
  label: string;
}

export const paymentMethodsChannels = {
  /** Methods on file, the default first; what a new payment preselects is the one with isDefault. */
  'paymentMethods.list': channel<{ methods: PaymentMethodDto[] }>()(z.strictObject({ customerNumber: z.string() })),
  'paymentMethods.add': channel<{ method: PaymentMethodDto }>()(paymentMethodAddInput),
  /** Soft remove; answers the customer's methods afterwards. */
  'paymentMethods.remove': channel<{ methods: PaymentMethodDto[] }>()(z.strictObject({ id: z.number().int().positive() })),
  'paymentMethods.setDefault': channel<{ methods: PaymentMethodDto[] }>()(z.strictObject({ id: z.number().int().positive() })),
};
