/**
 * Commerce events by webhook URL (web: raw), for registrations that deliver to a URL instead of a
 * Runtime action (a self-hosted connector, or a journal relay). Such deliveries are NOT checked by
 * I/O's validator sequence, so this action checks them itself (commerce.md §3.8):
 *
 *   GET  ?challenge=<uuid>  → 200 `{"challenge":"<uuid>"}` (the registration handshake)
 *   POST <CloudEvent>       → per-source rate limit (429), size (413), RSA signature over the raw
 *                             body with either of the two Adobe keys (401), recipient client id when
 *                             ADOBE_IO_EVENTS_CLIENT_ID is set (403), then the same processing as
 *                             commerce-events (consume.ts).
 *
 * A refused delivery reads and writes no state. When Adobe's key host cannot be reached the answer
 * is 503, so I/O Events retries instead of dropping a genuine event.
 */
import { HttpError, defineWebAction, jsonResponse, parseJsonBody } from '../../lib/runtime';
import {
  PUBLIC_KEY_BASE_URL_INPUT,
  PublicKeyUnavailableError,
  challengeAnswer,
  createPublicKeyCache,
  normalizeBaseUrl,
  verifyAdobeSignature,
  type PublicKeyCache,
} from '../../lib/security/adobe-signature';
import { rateLimitResponse, webhookRateLimiter } from '../../lib/security/entry-limits';
import { requestSource } from '../../lib/security/rate-limit';
import { MAX_EVENT_BYTES, consumeCommerceEvent } from '../commerce-events/consume';

export const CLIENT_ID_INPUT = 'ADOBE_IO_EVENTS_CLIENT_ID';

/** One key cache per base URL and container: keys are reused across deliveries for up to 24 h. */
const keyCaches = new Map<string, PublicKeyCache>();
function keyCacheFor(inputs: Record<string, string | undefined>): PublicKeyCache {
  let baseUrl: string;
  try {
    baseUrl = normalizeBaseUrl(inputs[PUBLIC_KEY_BASE_URL_INPUT]);
  } catch (error) {
    throw new HttpError(503, 'not_configured', (error as Error).message, PUBLIC_KEY_BASE_URL_INPUT);
  }
  let cache = keyCaches.get(baseUrl);
  if (!cache) {
    cache = createPublicKeyCache({ baseUrl });
    keyCaches.set(baseUrl, cache);
  }
  return cache;
}

export const main = defineWebAction({
  name: 'connector/commerce-webhook',
  raw: true,
  handle: async (request, context) => {
    const limited = rateLimitResponse(webhookRateLimiter('commerce-webhook', request.inputs).take(requestSource(request.headers)));
    if (limited) return limited;

    if (request.method === 'get' || request.method === 'head') {
      const answer = challengeAnswer(request.query);
      if (!answer) throw new HttpError(400, 'missing_challenge', 'a GET must carry ?challenge=<value> (the I/O Events registration handshake)', 'challenge');
      return jsonResponse(answer);
    }
    if (request.method !== 'post') throw new HttpError(405, 'method_not_allowed', 'events must be delivered with POST');
    if (request.rawBody.length > MAX_EVENT_BYTES) {
      throw new HttpError(413, 'event_too_large', `the event is ${request.rawBody.length} bytes; the limit is ${MAX_EVENT_BYTES}`);
    }

    let check;
    try {
      check = await verifyAdobeSignature(request.rawBody, request.headers, keyCacheFor(request.inputs));
    } catch (error) {
      if (error instanceof PublicKeyUnavailableError) {
        context.logger.warn('signature key unavailable', { error: error.message });
        throw new HttpError(503, 'signature_key_unavailable', 'the I/O Events public key could not be fetched; retry later');
      }
      throw error;
    }
    if (!check.ok) {
      context.logger.warn('event refused', { reason: check.reason });
      throw new HttpError(
        401,
        check.reason,
        'the event is not signed by Adobe I/O Events: x-adobe-digital-signature-1/2 with x-adobe-public-key1-path/2-path must verify the exact request body',
        'x-adobe-digital-signature-1',
      );
    }

    const event = parseJsonBody(request.rawBody);
    if (typeof event !== 'object' || event === null || Array.isArray(event)) {
      throw new HttpError(400, 'invalid_event', 'the event body must be a CloudEvent JSON object');
    }
    const expectedClient = request.inputs[CLIENT_ID_INPUT];
    if (expectedClient) {
      const e = event as Record<string, unknown>;
      const recipient = e.recipientclientid ?? e.recipient_client_id;
      if (recipient !== expectedClient) {
        throw new HttpError(403, 'wrong_recipient', `the event is addressed to another I/O Events client, not ${CLIENT_ID_INPUT}`, 'recipientclientid');
      }
    }
    return consumeCommerceEvent(event as Record<string, unknown>, context);
  },
});
