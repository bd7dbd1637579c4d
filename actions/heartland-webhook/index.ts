/**
 * Heartland notifications and custom-payment webhooks (web: raw). Heartland signs nothing
 * (heartland.md §3.9), so the URL carries a shared secret: as the first path segment
 * (`.../heartland-webhook/<secret>/<kind>`) or in a header (`x-webhook-secret`, or the
 * simulator's ASSUMED `x-heartland-webhook-secret`). The secret rotates with a grace period
 * (lib/security/webhook-secret.ts).
 *
 * Order of checks, cheapest first and before anything touches state: per-source rate limit (429),
 * secret (401, the same answer for missing, wrong and expired), method (405), body size (413),
 * JSON shape (400). A rejected call reads and writes nothing.
 *
 * `notification` (the default kind) is a hint: the areas turn it into units that re-read the
 * source, so an unknown or partial notification is harmless and polling stays the safety net.
 * Other kinds (`payment/capture`, ...) are synchronous calls an area answers.
 */
import { createConnector, answerHeartlandWebhook, unitsForHeartlandNotification } from '../../lib/connector';
import { EventNotification } from '../../lib/heartland/payloads';
import { HttpError, defineWebAction, jsonResponse, parseJsonBody } from '../../lib/runtime';
import { requireConnectionSettings } from '../../lib/config/readiness';
import { containerUnitGate, runRegisteredUnits, unitsInFlightFor } from '../../lib/sync';
import { WebhookSecretSettingError, checkWebhookSecret, readWebhookSecrets } from '../../lib/security/webhook-secret';
import { rateLimitResponse, webhookRateLimiter } from '../../lib/security/entry-limits';
import { requestSource } from '../../lib/security/rate-limit';
import { maskUnitHints } from '../../lib/security/card-data';

const SECRET_HEADERS = ['x-webhook-secret', 'x-heartland-webhook-secret'] as const;
/** Notifications and payment calls are a few hundred bytes; anything near this is not Heartland. */
export const MAX_WEBHOOK_BODY_BYTES = 64 * 1024;
/** `notification`, `payment/capture`, `giftcard/check-balance`…: short lower-case words. */
const KIND = /^[A-Za-z][A-Za-z0-9_-]{0,40}(\/[A-Za-z][A-Za-z0-9_-]{0,40}){0,2}$/;

export const main = defineWebAction({
  name: 'connector/heartland-webhook',
  raw: true,
  handle: async (request, context) => {
    const limited = rateLimitResponse(webhookRateLimiter('heartland-webhook', request.inputs).take(requestSource(request.headers)));
    if (limited) return limited;

    let secrets;
    try {
      secrets = readWebhookSecrets(request.inputs);
    } catch (error) {
      if (error instanceof WebhookSecretSettingError) throw new HttpError(503, 'not_configured', error.message, error.input);
      throw error;
    }
    const segments = request.path.split('/').filter(Boolean);
    const fromHeader = SECRET_HEADERS.map((h) => request.headers[h]).find((v) => v !== undefined);
    const secretInPath = fromHeader === undefined;
    const given = secretInPath ? segments[0] : fromHeader;
    const check = checkWebhookSecret(given, secrets, Date.now());
    if (!check.ok) {
      if (check.reason === 'not_configured') {
        throw new HttpError(503, 'not_configured', 'HEARTLAND_WEBHOOK_SECRET is not set', 'HEARTLAND_WEBHOOK_SECRET');
      }
      // The reason goes to the log only: the caller learns nothing about which secrets exist.
      context.logger.warn('webhook refused', { reason: check.reason });
      throw new HttpError(401, 'invalid_webhook_secret', 'the webhook secret in the URL path or x-webhook-secret header is missing or does not match', 'x-webhook-secret');
    }
    if (check.matched === 'previous') context.logger.info('webhook authenticated with the previous secret; update the URL in Heartland before it expires');

    if (request.method !== 'post') throw new HttpError(405, 'method_not_allowed', 'webhooks must be sent with POST');
    if (request.rawBody.length > MAX_WEBHOOK_BODY_BYTES) {
      throw new HttpError(413, 'body_too_large', `the webhook body is ${request.rawBody.length} bytes; the limit is ${MAX_WEBHOOK_BODY_BYTES}`);
    }
    // The URL registered with Heartland carries the secret in the path; a sender that also puts it
    // in a header (the simulator does) must not turn the path secret into part of the kind.
    const pathHasSecret = secretInPath || (segments[0] !== undefined && checkWebhookSecret(segments[0], secrets, Date.now()).ok);
    const kind = (pathHasSecret ? segments.slice(1) : segments).join('/') || 'notification';
    if (!KIND.test(kind)) throw new HttpError(404, 'unknown_webhook', 'the webhook kind in the URL path is not a known form (e.g. notification, payment/capture)', 'path');
    const body = parseJsonBody(request.rawBody);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new HttpError(400, 'invalid_body', 'the webhook body must be a JSON object');
    }
    requireConnectionSettings(request.inputs);
    const connector = createConnector({ inputs: request.inputs });

    if (kind === 'notification') {
      const parsed = EventNotification.safeParse(body);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const field = issue.path.map(String).join('.') || '(body)';
        throw new HttpError(400, 'invalid_notification', `${field}: ${issue.message}`, field);
      }
      const { units, flagged } = maskUnitHints(await unitsForHeartlandNotification(connector, parsed.data));
      if (flagged > 0) context.logger.warn('card data masked in notification payload', { units: flagged });
      // A burst of notifications waits for a slot in this container instead of overrunning it (units-in-flight.ts).
      const gate = containerUnitGate('heartland-webhook', unitsInFlightFor(connector.connection.heartland.ratePerSecond));
      const outcomes = await runRegisteredUnits(
        units.map((u) => ({ ...u, correlationId: u.correlationId ?? context.correlationId })),
        connector.deps,
        { gate },
      );
      return jsonResponse({ kind, ...(flagged > 0 ? { cardDataMasked: true } : {}), units: outcomes.map((o) => ({ flow: o.flow, key: o.key, outcome: o.outcome })) }, 202);
    }

    const answer = await answerHeartlandWebhook(connector, kind, body);
    if (!answer) throw new HttpError(404, 'unknown_webhook', `no handler for webhook kind "${kind}"`, 'path');
    return jsonResponse(answer.body, answer.status);
  },
});
