import { describe, expect, it } from 'vitest';
import { checkWebhookSecret, readWebhookSecrets, WebhookSecretSettingError } from '../../lib/security/webhook-secret';
import { readConnectionSettings } from '../../lib/config/settings';

const NOW = Date.parse('2026-11-28T09:00:00Z');
const rotating = readWebhookSecrets({
  HEARTLAND_WEBHOOK_SECRET: 'new-secret-value',
  HEARTLAND_WEBHOOK_SECRET_PREVIOUS: 'old-secret-value',
  HEARTLAND_WEBHOOK_SECRET_PREVIOUS_EXPIRES: '2026-12-01T00:00:00Z',
});

describe('webhook secret rotation', () => {
  it('accepts the current secret', () => {
    expect(checkWebhookSecret('new-secret-value', rotating, NOW)).toEqual({ ok: true, matched: 'current' });
  });
  it('accepts the previous secret until it expires, and refuses it after', () => {
    expect(checkWebhookSecret('old-secret-value', rotating, NOW)).toEqual({ ok: true, matched: 'previous' });
    expect(checkWebhookSecret('old-secret-value', rotating, Date.parse('2026-12-01T00:00:00Z'))).toEqual({ ok: false, reason: 'expired' });
  });
  it('refuses wrong, missing, empty and near-miss secrets', () => {
    expect(checkWebhookSecret('wrong', rotating, NOW)).toEqual({ ok: false, reason: 'mismatch' });
    expect(checkWebhookSecret(undefined, rotating, NOW)).toEqual({ ok: false, reason: 'missing' });
    expect(checkWebhookSecret('', rotating, NOW)).toEqual({ ok: false, reason: 'missing' });
    expect(checkWebhookSecret('new-secret-valu', rotating, NOW).ok).toBe(false);
    expect(checkWebhookSecret('new-secret-value ', rotating, NOW).ok).toBe(false);
  });
  it('without a previous secret only the current one works', () => {
    const single = readWebhookSecrets({ HEARTLAND_WEBHOOK_SECRET: 'only-one-secret' });
    expect(checkWebhookSecret('only-one-secret', single, NOW).ok).toBe(true);
    expect(checkWebhookSecret('old-secret-value', single, NOW)).toEqual({ ok: false, reason: 'mismatch' });
  });
  it('refuses everything when no secret is configured', () => {
    expect(checkWebhookSecret('anything', readWebhookSecrets({}), NOW)).toEqual({ ok: false, reason: 'not_configured' });
  });
  it('requires an ISO expiry with a zone for a previous secret, naming the input and not the value', () => {
    for (const expires of [undefined, '', 'tomorrow', '2026-12-01', '2026-12-01T00:00:00']) {
      let error: unknown;
      try {
        readWebhookSecrets({ HEARTLAND_WEBHOOK_SECRET: 'a-secret-1', HEARTLAND_WEBHOOK_SECRET_PREVIOUS: 'old-secret-value', HEARTLAND_WEBHOOK_SECRET_PREVIOUS_EXPIRES: expires });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(WebhookSecretSettingError);
      expect((error as WebhookSecretSettingError).input).toBe('HEARTLAND_WEBHOOK_SECRET_PREVIOUS_EXPIRES');
      expect((error as Error).message).not.toContain('old-secret-value');
    }
  });
  it('makes the connection settings invalid when the expiry is missing', () => {
    const reading = readConnectionSettings({
      HEARTLAND_BASE_URL: 'http://h/api',
      HEARTLAND_API_TOKEN: 'token-123',
      HEARTLAND_WEBHOOK_SECRET: 'new-secret-value',
      HEARTLAND_WEBHOOK_SECRET_PREVIOUS: 'old-secret-value',
      COMMERCE_BASE_URL: 'http://c/rest',
      COMMERCE_ACCESS_TOKEN: 'token-456',
    });
    expect(reading.ok).toBe(false);
    if (!reading.ok) expect(reading.invalid.map((p) => p.name)).toEqual(['HEARTLAND_WEBHOOK_SECRET_PREVIOUS_EXPIRES']);
  });
});
