import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAlerter, dlqGrowthAlert, unusualSilenceAlert, type AlertInput } from '../../lib/insights/alerts';
import { createMemoryStateStore } from '../../lib/platform/memory';
import type { Clock } from '../../lib/platform/ports';
import { stateKey } from '../../lib/platform/state-key';

interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: Record<string, unknown>;
}

let server: http.Server;
let base = '';
let received: Received[] = [];
let failNext = 0;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (failNext > 0) {
        failNext -= 1;
        res.writeHead(503, { 'content-type': 'text/plain' }).end('receiver busy');
        return;
      }
      received.push({ path: req.url ?? '', headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  received = [];
  failNext = 0;
});

const fixedClock = () => {
  let now = Date.parse('2026-03-01T08:00:00Z');
  const clock: Clock = { now: () => now, sleep: async () => undefined };
  return { clock, advance: (ms: number) => (now += ms) };
};

const kinds: AlertInput[] = [
  { kind: 'dlq_growth', flow: 'order', depth: 17, previousDepth: 2, windowMinutes: 60 },
  { kind: 'anomaly', anomalyId: '20260301080000-abcd1234', flow: 'inventory', summary: '32 of 80 stocked SKUs (40%) would go to zero', holds: true },
  { kind: 'connection_down', system: 'heartland', error: 'HTTP 503 from /locations', since: '2026-03-01T07:55:00Z' },
  { kind: 'registration_unhealthy', registration: 'hcc-commerce-events', status: 'disabled', detail: 'delivery failures' },
  { kind: 'no_events', flow: 'order', silentMinutes: 95, usualGapMinutes: 3 },
];

describe('alerter', () => {
  it.each(kinds.map((k) => [k.kind, k] as const))('%s: posts generic JSON with a Slack-compatible text to the webhook', async (_kind, alert) => {
    const { clock } = fixedClock();
    const alerter = createAlerter({ webhookUrl: `${base}/hook`, clock });
    const result = await alerter.send(alert);
    expect(result.status).toBe('sent');
    expect(received).toHaveLength(1);
    expect(received[0].path).toBe('/hook');
    expect(received[0].headers['content-type']).toBe('application/json');
    const body = received[0].body;
    expect(body).toMatchObject({ kind: alert.kind, source: 'heartland-commerce-connector', at: '2026-03-01T08:00:00.000Z' });
    expect(typeof body.text).toBe('string');
    expect((body.text as string).length).toBeGreaterThan(30);
  });

  it('says what happened in the text', async () => {
    const alerter = createAlerter({ webhookUrl: `${base}/hook`, panelUrl: 'https://admin.example.com/hcc' });
    await alerter.send(kinds[0]);
    expect(received[0].body.text).toBe('Dead letters for the order flow grew from 2 to 17 in 60 minutes. Open Dead letters to see the errors and replay after a fix. https://admin.example.com/hcc');
  });

  it('sends email through the mail endpoint, with the recipients and headers', async () => {
    const alerter = createAlerter({ mailEndpoint: `${base}/mail`, mailTo: ['ops@example.com'], mailHeaders: { 'x-api-key': 'k' } });
    const result = await alerter.send(kinds[2]);
    expect(result).toMatchObject({ status: 'sent', channels: ['mail'] });
    expect(received[0].headers['x-api-key']).toBe('k');
    expect(received[0].body).toMatchObject({ to: ['ops@example.com'], subject: '[critical] Heartland–Commerce connector: connection down (heartland)' });
  });

  it('de-duplicates per kind and subject within the window (state key), then sends again', async () => {
    const { clock, advance } = fixedClock();
    const state = createMemoryStateStore(clock);
    const alerter = createAlerter({ webhookUrl: `${base}/hook`, state, clock, dedupWindowSeconds: 600 });
    expect((await alerter.send(kinds[0])).status).toBe('sent');
    const again = await alerter.send({ ...kinds[0], depth: 20 } as AlertInput);
    expect(again).toMatchObject({ status: 'suppressed' });
    expect(again.status === 'suppressed' && again.reason).toContain('was sent at 2026-03-01T08:00:00.000Z');
    // A different subject is a different alert.
    expect((await alerter.send({ ...kinds[0], flow: 'customer' } as AlertInput)).status).toBe('sent');
    expect(await state.get(stateKey('alert', 'sent', 'dlq_growth', 'order'))).toBe('2026-03-01T08:00:00.000Z');
    // Another process (a new alerter on the same state) respects the same window.
    expect((await createAlerter({ webhookUrl: `${base}/hook`, state, clock }).send(kinds[0])).status).toBe('suppressed');
    advance(601_000);
    expect((await alerter.send(kinds[0])).status).toBe('sent');
    expect(received).toHaveLength(3);
  });

  it('a failed delivery is reported, not remembered, so the next check sends it', async () => {
    const alerter = createAlerter({ webhookUrl: `${base}/hook` });
    failNext = 1;
    const failed = await alerter.send(kinds[1]);
    expect(failed).toMatchObject({ status: 'failed', errors: ['webhook: HTTP 503: receiver busy'], channels: [] });
    expect((await alerter.send(kinds[1])).status).toBe('sent');
  });

  it('an unreachable receiver fails within the timeout', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const result = await createAlerter({ webhookUrl: `http://127.0.0.1:${port}/hook`, timeoutMs: 2000 }).send(kinds[3]);
    expect(result.status).toBe('failed');
  });

  it('without a destination, nothing is sent and it says so', async () => {
    expect((await createAlerter({}).send(kinds[4])).status).toBe('not_configured');
  });

  it('rejects bad configuration and unknown kinds with the field named', async () => {
    expect(() => createAlerter({ webhookUrl: 'hooks.slack.com/x' })).toThrow('alerts: webhookUrl must be an http(s) URL');
    expect(() => createAlerter({ mailEndpoint: `${base}/mail` })).toThrow('mailEndpoint needs mailTo');
    await expect(createAlerter({ webhookUrl: `${base}/hook` }).send({ kind: 'pager' } as unknown as AlertInput)).rejects.toThrow(/alert kind must be one of/);
  });
});

describe('alert conditions', () => {
  it('DLQ growth beyond the minimum increase', () => {
    expect(dlqGrowthAlert({ flow: 'order', previousDepth: 2, depth: 4, windowMinutes: 60 })).toBeUndefined();
    expect(dlqGrowthAlert({ flow: 'order', previousDepth: 2, depth: 17, windowMinutes: 60 })).toEqual(kinds[0]);
  });

  it('no events for an unusual time, but not for a normal quiet night', () => {
    const start = Date.parse('2026-03-01T00:00:00Z');
    const minute = 60_000;
    const day = Array.from({ length: 100 }, (_, i) => start + i * 3 * minute);
    const last = day[day.length - 1];
    expect(unusualSilenceAlert({ flow: 'order', arrivalsMs: day, now: last + 20 * minute })).toBeUndefined();
    expect(unusualSilenceAlert({ flow: 'order', arrivalsMs: day, now: last + 95 * minute })).toEqual({ kind: 'no_events', flow: 'order', silentMinutes: 95, usualGapMinutes: 3 });
    const withNight = [...day, last + 8 * 60 * minute, ...Array.from({ length: 20 }, (_, i) => last + 8 * 60 * minute + (i + 1) * 3 * minute)];
    expect(unusualSilenceAlert({ flow: 'order', arrivalsMs: withNight, now: withNight[withNight.length - 1] + 7 * 60 * minute })).toBeUndefined();
    expect(unusualSilenceAlert({ flow: 'order', arrivalsMs: day.slice(0, 5), now: last + 500 * minute })).toBeUndefined();
  });
});
