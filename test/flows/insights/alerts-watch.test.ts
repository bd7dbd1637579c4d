/**
 * The per-minute alert checks against a webhook receiver on an ephemeral port: each new anomaly is
 * announced once, an open circuit breaker pages once per window, dead letters growing within the
 * hour and a flow silent far beyond its usual gaps are alerted, and without a configured
 * destination nothing is sent while the anomaly cursor still moves.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnomalyRepository } from '../../../lib/insights';
import { runAlertChecks, METRIC_SERIES_PATH } from '../../../lib/flows/insights';
import { parseConnectorSettings } from '../../../lib/config/connector-settings';
import { createManualClock, createMemoryFileStore, createMemoryLogger, createMemoryStateStore } from '../../../lib/platform/memory';
import { breakerKey, hourLabel, hourStart, metricsKey, type FlowHourMetrics } from '../../../lib/sync';

let server: Server;
let url = '';
const received: Array<{ path: string; body: any }> = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    let text = '';
    req.on('data', (c) => (text += c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', body: JSON.parse(text) });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const HOUR = 3_600_000;

function setup(alerts: Record<string, unknown>) {
  const clock = createManualClock(Date.UTC(2026, 10, 2, 12, 0, 0));
  const state = createMemoryStateStore(clock);
  const files = createMemoryFileStore();
  const settings = parseConnectorSettings({ alerts });
  const check = (anomaliesAfter?: string, flows = ['order', 'shipment']) => runAlertChecks({ state, files, clock, logger: createMemoryLogger(), settings, flows, anomaliesAfter });
  return { clock, state, files, check, repo: createAnomalyRepository({ state, files, clock }) };
}

describe('alert checks', () => {
  it('announces each new anomaly once, to the webhook and the mail endpoint', async () => {
    received.length = 0;
    const t = setup({ webhookUrl: `${url}/hook`, mailEndpoint: `${url}/mail`, mailTo: ['ops@example.com'] });
    const held = await t.repo.record({ kind: 'fraud', flow: 'order', summary: 'order 000000042 scored 65', details: { score: 65 }, hold: true, payload: { key: '42' } });
    const first = await t.check(undefined);
    expect(first.alerts.map((a) => a.status)).toEqual(['sent']);
    expect(first.anomaliesAfter).toBe(held.detectedAt);
    expect(received.map((r) => r.path).sort()).toEqual(['/hook', '/mail']);
    const hook = received.find((r) => r.path === '/hook')!.body;
    expect(hook).toMatchObject({ kind: 'anomaly', severity: 'critical', subject: held.id });
    expect(hook.text).toMatch(/Held for your approval in the order flow: order 000000042 scored 65/);
    expect(received.find((r) => r.path === '/mail')!.body).toMatchObject({ to: ['ops@example.com'] });

    t.clock.advance(60_000);
    received.length = 0;
    const second = await t.check(first.anomaliesAfter);
    expect(second.alerts).toEqual([]);
    expect(received).toEqual([]);
  });

  it('pages once per window while a circuit breaker is open', async () => {
    received.length = 0;
    const t = setup({ webhookUrl: `${url}/hook`, dedupMinutes: 30 });
    const now = t.clock.now();
    await t.state.put(breakerKey('heartland'), { openedAt: now - 60_000, openUntil: now + 60_000, reason: '5 failures: HTTP 503' }, { ttlSeconds: 600 });
    const first = await t.check();
    expect(first.alerts.map((a) => [a.payload.kind, a.payload.subject, a.status])).toEqual([['connection_down', 'heartland', 'sent']]);
    expect(first.alerts[0].payload.text).toMatch(/heartland is down since .*HTTP 503/);
    t.clock.advance(30_000);
    expect((await t.check()).alerts.map((a) => a.status)).toEqual(['suppressed']);
    expect(received).toHaveLength(1);
  });

  it('alerts dead letters that grew within the hour', async () => {
    received.length = 0;
    const t = setup({ webhookUrl: `${url}/hook` });
    const put = (depth: number) => {
      const h = hourStart(t.clock.now());
      const m: Partial<FlowHourMetrics> = { flow: 'shipment', hour: hourLabel(h), counts: { done: 1, skipped: 0, 'retry-scheduled': 0, 'dead-lettered': depth }, dlqDepth: depth };
      return t.state.put(metricsKey('shipment', hourLabel(h)), m, { ttlSeconds: 86_400 });
    };
    await put(1);
    expect((await t.check()).alerts).toEqual([]);
    t.clock.advance(20 * 60_000);
    await put(3);
    expect((await t.check()).alerts).toEqual([]);
    t.clock.advance(20 * 60_000);
    await put(9);
    const grown = await t.check();
    expect(grown.alerts.map((a) => [a.payload.kind, a.payload.subject])).toEqual([['dlq_growth', 'shipment']]);
    expect(grown.alerts[0].payload.text).toMatch(/grew from 1 to 9 in 40 minutes/);
  });

  it('alerts a flow silent far beyond its usual gaps, not one that is merely quiet', async () => {
    received.length = 0;
    const t = setup({ webhookUrl: `${url}/hook` });
    const now = t.clock.now();
    // A day of hourly activity for `order` ending 14 hours ago; `shipment` active until an hour ago.
    const activity = (endsHoursAgo: number) => Array.from({ length: 24 }, (_, i) => [hourStart(now) - (endsHoursAgo + 24 - i) * HOUR, 6]);
    await t.files.write(METRIC_SERIES_PATH, JSON.stringify({ flows: { order: { activity: activity(14) }, shipment: { activity: activity(1) } } }));
    const result = await t.check();
    expect(result.alerts.map((a) => [a.payload.kind, a.payload.subject])).toEqual([['no_events', 'order']]);
    expect(result.alerts[0].payload.text).toMatch(/No order events for \d+ minutes/);
  });

  it('sends nothing without a destination, but moves past the anomalies it saw', async () => {
    received.length = 0;
    const t = setup({});
    const a = await t.repo.record({ kind: 'latency', flow: 'shipment', summary: 'slow', details: {} });
    const result = await t.check();
    expect(result).toEqual({ alerts: [], anomaliesAfter: a.detectedAt });
    expect(received).toEqual([]);
  });

  it('refuses a settings URL that is not http(s), naming the field', () => {
    expect(() => parseConnectorSettings({ alerts: { webhookUrl: 'ftp://x' } })).toThrow(/alerts\.webhookUrl/);
  });
});
