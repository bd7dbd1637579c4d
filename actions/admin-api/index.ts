/** The panel's JSON API (web, require-adobe-auth): a router on `__ow_path`. */
import { settingsStatus } from '../../lib/config/settings';
import { type ActionContext, createRouter, defineWebAction, jsonResponse } from '../../lib/runtime';

const router = createRouter<ActionContext>()
  // Which connection settings are set, missing or invalid, by name; values are never returned.
  .on('get', '/status', (request) => jsonResponse({ settings: settingsStatus(request.inputs) }));

export const main = defineWebAction({
  name: 'connector/admin-api',
  handle: (request, context) => router.dispatch(request, context),
});
