/** Stock of one item at one Heartland location (heartland.md §3.4: available = on hand − committed). */
import { z } from 'zod';

export const StockLevel = z.object({
  sku: z.string().trim().min(1),
  /** Heartland item id. */
  itemId: z.string().min(1),
  /** Heartland location id. */
  locationId: z.string().min(1),
  onHand: z.number(),
  committed: z.number(),
  available: z.number(),
});
export type StockLevel = z.infer<typeof StockLevel>;
