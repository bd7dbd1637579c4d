/**
 * The panel's JSON API (web, require-adobe-auth): every route of lib/admin/contract.ts
 * ADMIN_ROUTES, served by lib/admin/router.ts. docs/admin-api.md describes them.
 */
import { createAdminApiHandler } from '../../lib/admin/router';
import { defineWebAction } from '../../lib/runtime';

export const main = defineWebAction({
  name: 'connector/admin-api',
  handle: createAdminApiHandler(),
});
