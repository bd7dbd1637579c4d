import { describe, expect, it } from 'vitest';
import { statusResponse } from '../../lib/admin/contract';
import { connectionStatuses } from '../../lib/config/connection-status';
import { requireConnectionSettings } from '../../lib/config/readiness';
import { heartlandRateFromInputs, readConnectionSettings, settingsStatus } from '../../lib/config/settings';

const sandbox = {
  HEARTLAND_BASE_URL: 'http://localhost:9081/api/',
  HEARTLAND_API_TOKEN: 'sandbox-heartland-token',
  HEARTLAND_WEBHOOK_SECRET: 'sandbox-webhook-secret',
  COMMERCE_BASE_URL: 'http://localhost:9082/rest',
  COMMERCE_CONSUMER_KEY: 'ck',
  COMMERCE_CONSUMER_SECRET: 'cs',
  COMMERCE_ACCESS_TOKEN: 'sandbox-commerce-token',
  COMMERCE_ACCESS_TOKEN_SECRET: 'ats',
};

describe('readConnectionSettings', () => {
  it('reads a complete OAuth 1.0a setup and trims the trailing slash of base URLs', () => {
    const reading = readConnectionSettings(sandbox);
    expect(reading.ok).toBe(true);
    if (!reading.ok) return;
    expect(reading.settings.heartland.baseUrl).toBe('http://localhost:9081/api');
    expect(reading.settings.commerce.auth).toMatchObject({ kind: 'oauth1', consumerKey: 'ck' });
    expect(reading.settings.logLevel).toBe('info');
  });

  it('reads the Heartland request ceiling from HEARTLAND_RATE_PER_SECOND (default 5, 0 < rate <= 100)', () => {
    const unset = readConnectionSettings(sandbox);
    expect(unset.ok && unset.settings.heartland.ratePerSecond).toBe(5);
    const raised = readConnectionSettings({ ...sandbox, HEARTLAND_RATE_PER_SECOND: '12.5' });
    expect(raised.ok && raised.settings.heartland.ratePerSecond).toBe(12.5);
    expect(heartlandRateFromInputs({ HEARTLAND_RATE_PER_SECOND: '20' })).toBe(20);
    for (const bad of ['0', '-3', 'fast', '101']) {
      const reading = readConnectionSettings({ ...sandbox, HEARTLAND_RATE_PER_SECOND: bad });
      expect(reading.ok).toBe(false);
      if (reading.ok) continue;
      expect(reading.invalid.map((p) => p.name)).toEqual(['HEARTLAND_RATE_PER_SECOND']);
      expect(reading.invalid[0]!.message).toMatch(/HEARTLAND_RATE_PER_SECOND must be/);
    }
  });

  it('uses a bearer token when only COMMERCE_ACCESS_TOKEN is set, IMS when an IMS client id is', () => {
    const { COMMERCE_CONSUMER_KEY: _k, COMMERCE_CONSUMER_SECRET: _s, COMMERCE_ACCESS_TOKEN_SECRET: _t, ...bearer } = sandbox;
    expect(readConnectionSettings(bearer)).toMatchObject({ ok: true, commerceAuth: 'bearer' });
    const ims = { ...bearer, COMMERCE_IMS_CLIENT_ID: 'id', COMMERCE_IMS_CLIENT_SECRET: 'sec', COMMERCE_IMS_ORG_ID: 'org@AdobeOrg' };
    const reading = readConnectionSettings(ims);
    expect(reading).toMatchObject({ ok: true, commerceAuth: 'ims' });
    if (reading.ok && reading.settings.commerce.auth.kind === 'ims') expect(reading.settings.commerce.auth.scopes).toContain('commerce.accs');
  });

  it('names missing and invalid settings without echoing any value', () => {
    const reading = readConnectionSettings({ ...sandbox, HEARTLAND_BASE_URL: 'not a url', COMMERCE_CONSUMER_SECRET: '', LOG_LEVEL: 'loud' });
    expect(reading.ok).toBe(false);
    if (reading.ok) return;
    expect(reading.missing).toEqual(['COMMERCE_CONSUMER_SECRET']);
    expect(reading.invalid.map((p) => p.name).sort()).toEqual(['HEARTLAND_BASE_URL', 'LOG_LEVEL']);
    expect(JSON.stringify(reading)).not.toContain('not a url');
  });

  it('settingsStatus reports presence by name only', () => {
    const status = settingsStatus(sandbox);
    expect(status.configured).toBe(true);
    expect(status.present.HEARTLAND_API_TOKEN).toBe(true);
    expect(JSON.stringify(status)).not.toContain('sandbox-heartland-token');
  });

  it('requireConnectionSettings throws 503 not_configured naming the first missing setting', () => {
    expect(() => requireConnectionSettings({})).toThrow(expect.objectContaining({ status: 503, code: 'not_configured', field: 'HEARTLAND_BASE_URL' }));
  });

  it('connection statuses fit the admin-api contract', () => {
    const connections = connectionStatuses({ ...sandbox, HEARTLAND_API_TOKEN: '' });
    expect(connections.heartland).toMatchObject({ configured: false, message: 'HEARTLAND_API_TOKEN is not set' });
    expect(connections.commerce.configured).toBe(true);
    expect(statusResponse.parse({ connections, flows: [], dlqDepth: 0, anomaliesOpen: 0 })).toBeTruthy();
  });
});
