/**
 * Heartland notifications and custom-payment webhooks (web: raw). Heartland signs nothing
 * (heartland.md §3.9), so the URL carries a shared secret: as the first path segment
 * (`.../heartland-webhook/<secret>/<kind>`) or in the `x-webhook-secret` header.
 */
import { HttpError, defineWebAction, jsonResponse, parseJsonBody } from '../../lib/runtime';
import { sharedSecretMatches } from '../../lib/runtime/shared-secret';
import { requireConnectionSettings } from '../../lib/config/readiness';

export const main = defineWebAction({
  name: 'connector/heartland-webhook',
  raw: true,
  handle: (request) => {
    const settings = requireConnectionSettings(request.inputs);
    const segments = request.path.split('/').filter(Boolean);
    const fromHeader = request.headers['x-webhook-secret'];
    const secretInPath = fromHeader === undefined;
    const given = secretInPath ? segments[0] : fromHeader;
    if (!sharedSecretMatches(given, settings.heartland.webhookSecret)) {
      throw new HttpError(401, 'invalid_webhook_secret', 'the webhook secret in the URL path or x-webhook-secret header does not match HEARTLAND_WEBHOOK_SECRET', 'x-webhook-secret');
    }
    if (request.method !== 'post') throw new HttpError(405, 'method_not_allowed', 'webhooks must be sent with POST');
    const notification = parseJsonBody(request.rawBody);
    if (typeof notification !== 'object' || notification === null || Array.isArray(notification)) {
      throw new HttpError(400, 'invalid_body', 'the webhook body must be a JSON object');
    }
    const kind = (secretInPath ? segments.slice(1) : segments).join('/') || 'notification';
    // No flow consumes webhooks yet; the poll cursors are the safety net (DESIGN.md §3).
    return jsonResponse({ outcome: 'not_handled', kind, reason: 'no flow handles Heartland webhooks yet' }, 202);
  },
});
