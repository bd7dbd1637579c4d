import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAction } from '../../lib/runtime';
import { UpstreamError } from '../../lib/platform/http';

describe('answers to failures the caller did not cause', () => {
  const failing = (error: Error) =>
    defineAction({
      name: 'test/upstream',
      payload: z.object({}),
      handle: () => {
        throw error;
      },
    });

  it('an unreachable or throttling upstream is a 503 naming the system, never the URL or its credentials', async () => {
    const error = new UpstreamError({ system: 'commerce', status: 0, message: 'fetch failed', method: 'GET', url: 'https://shop.example/rest/V1/orders?oauth_token=abc123secret' });
    const result = await failing(error)({});
    expect(result).toMatchObject({ error: { statusCode: 503, body: { error: { code: 'upstream_unavailable' } } } });
    expect(JSON.stringify(result)).not.toMatch(/shop\.example|abc123secret/);
    const throttled = await failing(new UpstreamError({ system: 'heartland', status: 429, message: 'slow down', method: 'GET', url: 'https://h/api' }))({});
    expect(throttled).toMatchObject({ error: { statusCode: 503 } });
  });

  it('an upstream error answer is a 502', async () => {
    const result = await failing(new UpstreamError({ system: 'heartland', status: 500, message: 'boom', method: 'POST', url: 'https://h/api/sales/orders' }))({});
    expect(result).toMatchObject({ error: { statusCode: 502, body: { error: { code: 'upstream_unavailable', message: expect.stringContaining('heartland answered 500') } } } });
  });
});
