/**
 * The payment gateway port. The workflow talks to a processor only through this interface,
 * so the built-in test gateway and a real processor's adapter are interchangeable.
 */
export interface PaymentGateway {
  /** Short name shown in the footer and stored on payments, e.g. "test". */
  readonly name: string;
  /** True for the built-in test gateway: the UI says "Test mode". */
  readonly testMode: boolean;
  close?(): void;
}
