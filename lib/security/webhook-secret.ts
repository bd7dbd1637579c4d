/**
 * The Heartland webhook shared secret, with rotation. Heartland signs nothing (heartland.md §3.9),
 * so a secret in the URL path or a header is the only proof a call comes from the merchant's
 * Heartland account. Rotation without downtime: set the new value in HEARTLAND_WEBHOOK_SECRET, the
 * old one in HEARTLAND_WEBHOOK_SECRET_PREVIOUS with an expiry in
 * HEARTLAND_WEBHOOK_SECRET_PREVIOUS_EXPIRES, deploy, then update the URLs in Heartland before the
 * expiry. After the expiry the old secret is refused like any wrong one.
 */
import { sharedSecretMatches } from '../runtime/shared-secret';

export const WEBHOOK_SECRET_INPUT = 'HEARTLAND_WEBHOOK_SECRET';
export const WEBHOOK_SECRET_PREVIOUS_INPUT = 'HEARTLAND_WEBHOOK_SECRET_PREVIOUS';
export const WEBHOOK_SECRET_PREVIOUS_EXPIRES_INPUT = 'HEARTLAND_WEBHOOK_SECRET_PREVIOUS_EXPIRES';

export interface WebhookSecrets {
  current?: string;
  /** The secret being rotated out, accepted until `previousExpiresAt` (epoch ms). */
  previous?: string;
  previousExpiresAt?: number;
}

export type SecretCheck =
  | { ok: true; matched: 'current' | 'previous' }
  | { ok: false; reason: 'missing' | 'mismatch' | 'expired' | 'not_configured' };

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

export class WebhookSecretSettingError extends Error {
  constructor(
    readonly input: string,
    message: string,
  ) {
    super(message);
    this.name = 'WebhookSecretSettingError';
  }
}

/**
 * Reads the three inputs. A previous secret without a valid ISO expiry is a configuration error
 * (thrown, naming the input, never the value): accepting an old secret forever is exactly what
 * rotation is meant to prevent.
 */
export function readWebhookSecrets(inputs: Record<string, string | undefined>): WebhookSecrets {
  const text = (name: string) => {
    const value = inputs[name]?.trim();
    return value ? value : undefined;
  };
  const current = text(WEBHOOK_SECRET_INPUT);
  const previous = text(WEBHOOK_SECRET_PREVIOUS_INPUT);
  const expires = text(WEBHOOK_SECRET_PREVIOUS_EXPIRES_INPUT);
  if (!previous) return { current };
  if (!expires) {
    throw new WebhookSecretSettingError(
      WEBHOOK_SECRET_PREVIOUS_EXPIRES_INPUT,
      `${WEBHOOK_SECRET_PREVIOUS_EXPIRES_INPUT} must be set (ISO time, e.g. 2026-12-01T00:00:00Z) when ${WEBHOOK_SECRET_PREVIOUS_INPUT} is set`,
    );
  }
  const at = Date.parse(expires);
  if (!ISO_TIME.test(expires) || !Number.isFinite(at)) {
    throw new WebhookSecretSettingError(
      WEBHOOK_SECRET_PREVIOUS_EXPIRES_INPUT,
      `${WEBHOOK_SECRET_PREVIOUS_EXPIRES_INPUT} must be an ISO date-time with a zone, e.g. 2026-12-01T00:00:00Z`,
    );
  }
  return { current, previous, previousExpiresAt: at };
}

/**
 * Constant-time check of the caller's secret against the current one and, until it expires, the
 * previous one. Both comparisons always run so the timing does not reveal which secret matched.
 */
export function checkWebhookSecret(given: string | undefined, secrets: WebhookSecrets, now: number): SecretCheck {
  if (!secrets.current) return { ok: false, reason: 'not_configured' };
  if (given === undefined || given === '') return { ok: false, reason: 'missing' };
  const current = sharedSecretMatches(given, secrets.current);
  const previous = secrets.previous !== undefined && sharedSecretMatches(given, secrets.previous);
  if (current) return { ok: true, matched: 'current' };
  if (previous) {
    return secrets.previousExpiresAt !== undefined && now < secrets.previousExpiresAt
      ? { ok: true, matched: 'previous' }
      : { ok: false, reason: 'expired' };
  }
  return { ok: false, reason: 'mismatch' };
}
