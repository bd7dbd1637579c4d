import { describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpClient, fullJitterDelay, isRetryableStatus, parseRetryAfter, UpstreamError } from '../lib/platform/http';

async function serve(handler: http.RequestListener) {
  const server = http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('retry classification', () => {
  it.each([
    [0, true], [408, true], [429, true], [500, true], [502, true], [503, true], [504, true],
    [501, false], [505, false], [400, false], [401, false], [404, false], [422, false],
  ])('status %i retryable=%s', (status, expected) => {
    expect(isRetryableStatus(status)).toBe(expected);
  });
});

describe('Retry-After', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });
});

describe('full jitter', () => {
  it('stays within [0, min(cap, base*2^(n-1))]', () => {
    for (let attempt = 1; attempt < 12; attempt++) {
      expect(fullJitterDelay(attempt, 100, 2000, () => 0.999999)).toBeLessThanOrEqual(Math.min(2000, 100 * 2 ** (attempt - 1)));
      expect(fullJitterDelay(attempt, 100, 2000, () => 0)).toBe(0);
    }
  });
});

describe('createHttpClient', () => {
  it('retries 503 and honours Retry-After, then succeeds', async () => {
    let calls = 0;
    const s = await serve((req, res) => {
      calls++;
      if (calls === 1) { res.writeHead(429, { 'retry-after': '0' }); res.end('{"error":"rate_limited"}'); return; }
      if (calls === 2) { res.writeHead(503); res.end(); return; }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: true, cid: req.headers['x-correlation-id'] }));
    });
    try {
      const client = createHttpClient({ system: 'heartland', baseUrl: s.url, backoffBaseMs: 1, backoffCapMs: 5 });
      const r = await client.request<{ ok: boolean; cid: string }>({ method: 'GET', path: 'x', correlationId: 'c-1' });
      expect(r.body).toEqual({ ok: true, cid: 'c-1' });
      expect(calls).toBe(3);
      expect(client.stats.retries).toBe(2);
    } finally { await s.close(); }
  });

  it('does not retry a 400 and carries the parsed error', async () => {
    let calls = 0;
    const s = await serve((_req, res) => {
      calls++;
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'validation_error', message: 'bad', details: { email: ['is invalid'] } }));
    });
    try {
      const client = createHttpClient({
        system: 'heartland', baseUrl: s.url,
        parseError: (_s, body) => { const b = body as { error: string; message: string; details: unknown }; return { code: b.error, message: b.message, details: b.details }; },
      });
      const err = await client.request({ method: 'POST', path: '/customers', body: {} }).catch((e) => e);
      expect(err).toBeInstanceOf(UpstreamError);
      expect(err.status).toBe(400);
      expect(err.code).toBe('validation_error');
      expect(err.details).toEqual({ email: ['is invalid'] });
      expect(err.retryable).toBe(false);
      expect(calls).toBe(1);
    } finally { await s.close(); }
  });

  it('gives up on a Retry-After longer than the in-invocation budget', async () => {
    const s = await serve((_req, res) => { res.writeHead(429, { 'retry-after': '120' }); res.end(); });
    try {
      const client = createHttpClient({ system: 'commerce', baseUrl: s.url, maxRetryAfterMs: 1000 });
      const err = await client.request({ method: 'GET', path: 'x' }).catch((e) => e);
      expect(err.status).toBe(429);
      expect(err.retryAfterMs).toBe(120_000);
      expect(client.stats.requests).toBe(1);
    } finally { await s.close(); }
  });

  it('reports a network error as status 0, retryable', async () => {
    const client = createHttpClient({ system: 'commerce', baseUrl: 'http://127.0.0.1:9/', maxAttempts: 2, backoffBaseMs: 1 });
    const err = await client.request({ method: 'GET', path: 'x' }).catch((e) => e);
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err.status).toBe(0);
    expect(err.retryable).toBe(true);
    expect(client.stats.requests).toBe(2);
  });
});
