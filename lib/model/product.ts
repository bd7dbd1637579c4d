/** A sellable item. Heartland is master (DESIGN.md §1.5): one canonical product per Heartland item. */
import { z } from 'zod';
import { AttributeValue } from './customer';
import { NonNegativeMoney } from './money';

export const Product = z.object({
  /** Heartland item `public_id` = Magento `sku`. */
  sku: z.string().trim().min(1),
  name: z.string().trim().min(1, 'required'),
  description: z.string().nullable(),
  /** What the item sells for now. */
  price: NonNegativeMoney,
  /** The regular price when the item is on sale (Heartland `original_price` above `price`). */
  compareAtPrice: NonNegativeMoney.nullable(),
  cost: NonNegativeMoney.nullable(),
  weight: z.number().min(0).nullable(),
  active: z.boolean(),
  /** Attributes from custom fields (color, size, upc, …) keyed by attribute code. */
  attributes: z.record(z.string(), AttributeValue).default({}),
  /** Heartland item id. */
  sourceId: z.string().nullable(),
  /** Heartland item grid id (style), for grouping variants. */
  groupId: z.string().nullable().default(null),
  updatedAt: z.string().nullable().default(null),
});
export type Product = z.infer<typeof Product>;
export type ProductInput = z.input<typeof Product>;
