/**
 * Heartland notifications and custom-payment webhooks (web: raw). Heartland signs nothing
 * (heartland.md §3.9), so the URL carries a shared secret: as the first path segment
 * (`.../heartland-webhook/<secret>/<kind>`) or in a header (`x-webhook-secret`, or the
 * simulator's ASSUMED `x-heartland-webhook-secret`).
 *
 * `notification` (the default kind) is a hint: the areas turn it into units that re-read the
 * source, so an unknown or partial notification is harmless and polling stays the safety net.
 * Other kinds (`payment/capture`, ...) are synchronous calls an area answers.
 */
import { createConnector, answerHeartlandWebhook, unitsForHeartlandNotification } from '../../lib/connector';
import { EventNotification } from '../../lib/heartland/payloads';
import { HttpError, defineWebAction, jsonResponse, parseJsonBody } from '../../lib/runtime';
import { sharedSecretMatches } from '../../lib/runtime/shared-secret';
import { requireConnectionSettings } from '../../lib/config/readiness';
import { runRegisteredUnits } from '../../lib/sync';

const SECRET_HEADERS = ['x-webhook-secret', 'x-heartland-webhook-secret'] as const;

export const main = defineWebAction({
  name: 'connector/heartland-webhook',
  raw: true,
  handle: async (request, context) => {
    const settings = requireConnectionSettings(request.inputs);
    const segments = request.path.split('/').filter(Boolean);
    const fromHeader = SECRET_HEADERS.map((h) => request.headers[h]).find((v) => v !== undefined);
    const secretInPath = fromHeader === undefined;
    const given = secretInPath ? segments[0] : fromHeader;
    if (!sharedSecretMatches(given, settings.heartland.webhookSecret)) {
      throw new HttpError(401, 'invalid_webhook_secret', 'the webhook secret in the URL path or x-webhook-secret header does not match HEARTLAND_WEBHOOK_SECRET', 'x-webhook-secret');
    }
    if (request.method !== 'post') throw new HttpError(405, 'method_not_allowed', 'webhooks must be sent with POST');
    const body = parseJsonBody(request.rawBody);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new HttpError(400, 'invalid_body', 'the webhook body must be a JSON object');
    }
    const kind = (secretInPath ? segments.slice(1) : segments).join('/') || 'notification';
    const connector = createConnector({ inputs: request.inputs });

    if (kind === 'notification') {
      const parsed = EventNotification.safeParse(body);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const field = issue.path.map(String).join('.') || '(body)';
        throw new HttpError(400, 'invalid_notification', `${field}: ${issue.message}`, field);
      }
      const units = await unitsForHeartlandNotification(connector, parsed.data);
      const outcomes = await runRegisteredUnits(
        units.map((u) => ({ ...u, correlationId: u.correlationId ?? context.correlationId })),
        connector.deps,
      );
      return jsonResponse({ kind, units: outcomes.map((o) => ({ flow: o.flow, key: o.key, outcome: o.outcome })) }, 202);
    }

    const answer = await answerHeartlandWebhook(connector, kind, body);
    if (!answer) throw new HttpError(404, 'unknown_webhook', `no handler for webhook kind "${kind}"`, 'path');
    return jsonResponse(answer.body, answer.status);
  },
});
