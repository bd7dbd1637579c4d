/** How an order was paid: a method code, an amount and the gateway's reference; never card data (DESIGN.md §1.6). */
import { z } from 'zod';
import { NonNegativeMoney } from './money';

export const Payment = z.object({
  /** The Magento payment method code (`checkmo`, `braintree`, …). */
  method: z.string().min(1),
  amount: NonNegativeMoney,
  /** The gateway transaction reference (`last_trans_id`), when there is one. */
  transactionId: z.string().nullable(),
});
export type Payment = z.infer<typeof Payment>;
