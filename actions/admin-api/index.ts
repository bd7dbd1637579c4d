/** The panel's JSON API (web, require-adobe-auth): a router on `__ow_path` (routes in lib/admin/contract.ts). */
import type { StatusResponse } from '../../lib/admin/contract';
import { connectionStatuses } from '../../lib/config/connection-status';
import { settingsStatus } from '../../lib/config/settings';
import { type ActionContext, createRouter, defineWebAction, jsonResponse } from '../../lib/runtime';

const router = createRouter<ActionContext>()
  // Connections from the settings (names of missing ones, never values); flows arrive with their issues.
  .on('get', '/status', (request) => {
    const status: StatusResponse & { settings: ReturnType<typeof settingsStatus> } = {
      connections: connectionStatuses(request.inputs),
      flows: [],
      dlqDepth: 0,
      anomaliesOpen: 0,
      settings: settingsStatus(request.inputs),
    };
    return jsonResponse(status);
  });

export const main = defineWebAction({
  name: 'connector/admin-api',
  handle: (request, context) => router.dispatch(request, context),
});
