/** admin-api settings: the insight groups (fraud review, alerts, anomaly checks) through main() (issue 12). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settings as settingsSchema } from '../../lib/admin/contract';
import { loadConnectorSettings, SETTINGS_KEY } from '../../lib/config/connector-settings';
import { expectShape, startHarness, type Harness } from './harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
}, 20_000);
afterAll(() => h?.close());

const read = async () => expectShape(settingsSchema, (await h.call('GET', '/settings')).body);

describe('settings: fraud review, alerts and anomaly checks', () => {
  it('GET shows every field with the defaults on an empty store, destinations as ""', async () => {
    const s = await read();
    expect(s.fraud).toEqual({ enabled: true, holdAtScore: 60, flagAtScore: 30, maxOrdersInWindow: 3, windowMinutes: 60 });
    expect(s.alerts).toEqual({ webhookUrl: '', mailEndpoint: '', mailTo: [], dedupMinutes: 60 });
    expect(s.anomalies).toEqual({ scanEnabled: true, dlqGrowthMin: 5, maxPriceChangeShare: 0.5, holdPriceChanges: true });
  });

  it('PUT saves partial groups, keeps the rest, and the flows read the stored values', async () => {
    const saved = expectShape(settingsSchema, (await h.call('PUT', '/settings', { body: {
      fraud: { holdAtScore: 75, windowMinutes: 30 },
      alerts: { webhookUrl: ' https://hooks.example.com/hcc ', mailEndpoint: 'http://mail.example.com/send', mailTo: ['ops@example.com', 'owner@example.com'] },
      anomalies: { scanEnabled: false, maxPriceChangeShare: 0.25 },
    } })).body);
    expect(saved.fraud).toEqual({ enabled: true, holdAtScore: 75, flagAtScore: 30, maxOrdersInWindow: 3, windowMinutes: 30 });
    expect(saved.alerts).toEqual({ webhookUrl: 'https://hooks.example.com/hcc', mailEndpoint: 'http://mail.example.com/send', mailTo: ['ops@example.com', 'owner@example.com'], dedupMinutes: 60 });
    expect(saved.anomalies).toEqual({ scanEnabled: false, dlqGrowthMin: 5, maxPriceChangeShare: 0.25, holdPriceChanges: true });
    expect(await read()).toMatchObject({ fraud: saved.fraud, alerts: saved.alerts, anomalies: saved.anomalies });

    // What the order, product and watch flows load is what the panel saved.
    const stored = await loadConnectorSettings(h.platform.state);
    expect(stored.fraud.holdAtScore).toBe(75);
    expect(stored.alerts.webhookUrl).toBe('https://hooks.example.com/hcc');
    expect(stored.anomalies.scanEnabled).toBe(false);

    // A second partial update leaves the first one's fields alone.
    const again = expectShape(settingsSchema, (await h.call('PUT', '/settings', { body: { fraud: { enabled: false }, anomalies: { holdPriceChanges: false } } })).body);
    expect(again.fraud).toMatchObject({ enabled: false, holdAtScore: 75, windowMinutes: 30 });
    expect(again.anomalies).toMatchObject({ scanEnabled: false, maxPriceChangeShare: 0.25, holdPriceChanges: false });
    expect(again.alerts.mailTo).toEqual(['ops@example.com', 'owner@example.com']);
  });

  it('an empty or null destination clears it', async () => {
    const cleared = expectShape(settingsSchema, (await h.call('PUT', '/settings', { body: { alerts: { webhookUrl: '', mailEndpoint: null } } })).body);
    expect(cleared.alerts).toMatchObject({ webhookUrl: '', mailEndpoint: '' });
    const stored = await loadConnectorSettings(h.platform.state);
    expect(stored.alerts.webhookUrl).toBeUndefined();
    expect(stored.alerts.mailEndpoint).toBeUndefined();
  });

  it.each([
    [{ alerts: { webhookUrl: 'ftp://hooks.example.com' } }, 'alerts.webhookUrl', /must be an http\(s\) URL/],
    [{ alerts: { mailEndpoint: 'mail.example.com' } }, 'alerts.mailEndpoint', /must be an http\(s\) URL/],
    [{ alerts: { mailTo: ['ops@example.com', 'not-an-address'] } }, 'alerts.mailTo.1', /must be an email address/],
    [{ alerts: { dedupMinutes: 0 } }, 'alerts.dedupMinutes', /./],
    [{ alerts: { mailEndpoint: 'https://mail.example.com/send', mailTo: [] } }, 'alerts.mailTo', /at least one recipient/],
    [{ fraud: { holdAtScore: 101 } }, 'fraud.holdAtScore', /./],
    [{ fraud: { holdAtScore: 10 } }, 'fraud.holdAtScore', /at or above the flag score \(30\)/],
    [{ fraud: { flagAtScore: 90 } }, 'fraud.flagAtScore', /at or below the hold score/],
    [{ fraud: { enabled: 'yes' } }, 'fraud.enabled', /./],
    [{ fraud: { maxOrdersInWindow: 2.5 } }, 'fraud.maxOrdersInWindow', /./],
    [{ fraud: { windowMinutes: 1441 } }, 'fraud.windowMinutes', /./],
    [{ fraud: { holdAt: 50 } }, 'fraud', /holdAt/],
    [{ anomalies: { dlqGrowthMin: 0 } }, 'anomalies.dlqGrowthMin', /./],
    [{ anomalies: { maxPriceChangeShare: 1.5 } }, 'anomalies.maxPriceChangeShare', /./],
    [{ anomalies: { scanEnabled: 1 } }, 'anomalies.scanEnabled', /./],
  ])('PUT %j is a 400 naming %s, and nothing is saved', async (body, field, message) => {
    const before = await h.platform.state.get(SETTINGS_KEY);
    // A valid value in the same request must not be saved either.
    const res = await h.call('PUT', '/settings', { body: { ...body, safetyStock: 9 } });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_request', field });
    expect(res.body.error.message.startsWith(`${field}: `)).toBe(true);
    expect(res.body.error.message).toMatch(message);
    expect(await h.platform.state.get(SETTINGS_KEY)).toEqual(before);
  });
});
