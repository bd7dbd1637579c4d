/**
 * The panel's JSON API (web, require-adobe-auth): every route of lib/admin/contract.ts
 * ADMIN_ROUTES, served by lib/admin/router.ts. docs/admin-api.md describes them. The order and
 * inventory areas contribute their panel actions (resend orders, full stock reconciliation,
 * release of a held stock batch, release of an order held for fraud review, release of a held
 * price change).
 */
import { createAdminApiHandler } from '../../lib/admin/router';
import { applyHeldBatch, startInventoryReconciliation } from '../../lib/flows/inventory';
import { releaseHeldOrder, resendOrders } from '../../lib/flows/orders';
import { releaseHeldPriceChange } from '../../lib/flows/products';
import { defineWebAction } from '../../lib/runtime';

export const main = defineWebAction({
  name: 'connector/admin-api',
  handle: createAdminApiHandler({ hooks: { resendOrders, startInventoryReconciliation, applyHeldBatch, releaseHeldOrder, releaseHeldPriceChange } }),
});
