import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { createLogger } from '../../lib/platform/logger';
import { clearSecretValues, isSecretInputName, redactSecrets, redactText, registerSecretInputs, registerSecretValues } from '../../lib/platform/redact';
import { defineAction } from '../../lib/runtime';
import { z } from 'zod';
import { acceptedCommerceEvents, decideEventType, EventTypesSettingError, KNOWN_COMMERCE_EVENTS } from '../../lib/security/event-types';

afterEach(() => clearSecretValues());

describe('secret values registered from inputs', () => {
  it('classifies credential input names', () => {
    for (const name of ['HEARTLAND_API_TOKEN', 'HEARTLAND_WEBHOOK_SECRET', 'HEARTLAND_WEBHOOK_SECRET_PREVIOUS', 'COMMERCE_CONSUMER_SECRET', 'COMMERCE_ACCESS_TOKEN', 'COMMERCE_ACCESS_TOKEN_SECRET', 'COMMERCE_IMS_CLIENT_SECRET', 'AIO_RUNTIME_AUTH']) {
      expect(isSecretInputName(name), name).toBe(true);
    }
    for (const name of ['HEARTLAND_BASE_URL', 'LOG_LEVEL', 'COMMERCE_IMS_ORG_ID', 'COMMERCE_EVENT_TYPES']) expect(isSecretInputName(name), name).toBe(false);
  });

  it('masks a registered value wherever it appears, also URL-encoded, whatever the key', () => {
    registerSecretInputs({ HEARTLAND_API_TOKEN: 'hl-tok/en+42', LOG_LEVEL: 'info', HEARTLAND_BASE_URL: 'http://h/api' });
    expect(redactText('upstream said: token hl-tok/en+42 is wrong')).toBe('upstream said: token [redacted] is wrong');
    expect(redactText('GET /x?t=hl-tok%2Fen%2B42')).toBe('GET /x?t=[redacted]');
    expect(redactSecrets({ note: { deep: ['prefix hl-tok/en+42 suffix'] } })).toEqual({ note: { deep: ['prefix [redacted] suffix'] } });
    // Not-secret inputs and short values are left alone.
    expect(redactText('http://h/api info')).toBe('http://h/api info');
    registerSecretValues(['abc']);
    expect(redactText('abcdef')).toBe('abcdef');
  });

  it('covers OAuth parameters and authorization headers', () => {
    expect(redactText('oauth_signature="c2lnbmF0dXJl", oauth_token="tok123"')).not.toMatch(/c2lnbmF0dXJl|tok123/);
    expect(redactText('https://shop/rest/V1/orders?oauth_signature=abc%3D&oauth_nonce=n1')).toBe('https://shop/rest/V1/orders?oauth_signature=[redacted]&oauth_nonce=n1');
    expect(redactSecrets({ headers: { authorization: 'OAuth oauth_consumer_key="ck"', cookie: 'session=1', 'x-webhook-secret': 'w' } })).toEqual({
      headers: { authorization: '[redacted]', cookie: '[redacted]', 'x-webhook-secret': '[redacted]' },
    });
  });

  it('an action registers its credential inputs, so its logs never carry them', async () => {
    const lines: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: unknown) => (lines.push(String(chunk)), true)) as typeof process.stdout.write;
    try {
      const main = defineAction({
        name: 'test/leaky',
        payload: z.object({}),
        handle: (_p, ctx) => {
          ctx.logger.info('calling upstream', { url: 'https://h.example/api/items?key=unit-test-token-77', note: 'unit-test-token-77' });
          throw new Error('upstream rejected unit-test-token-77');
        },
      });
      const result = await main({ HEARTLAND_API_TOKEN: 'unit-test-token-77' });
      expect(JSON.stringify(result)).not.toContain('unit-test-token-77');
    } finally {
      process.stdout.write = write;
    }
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const line of lines) expect(line).not.toContain('unit-test-token-77');
  });

  it('logger lines mask registered values in message and fields', () => {
    registerSecretValues(['sandbox-webhook-secret']);
    const lines: string[] = [];
    createLogger({ name: 't', sink: (l) => lines.push(l) }).warn('POST /heartland-webhook/sandbox-webhook-secret/notification', { path: '/sandbox-webhook-secret/x' });
    expect(lines[0]).not.toContain('sandbox-webhook-secret');
  });
});

describe('accepted Commerce event types', () => {
  it('cover every event of the I/O Events registration in app.config.yaml', () => {
    const config = parse(readFileSync('app.config.yaml', 'utf8')) as {
      application: { events: { registrations: Record<string, { events_of_interest: Array<{ event_codes: string[] }> }> } };
    };
    const codes = Object.values(config.application.events.registrations).flatMap((r) => r.events_of_interest.flatMap((e) => e.event_codes));
    expect(codes.length).toBeGreaterThan(0);
    const accepted = acceptedCommerceEvents({});
    for (const code of codes) expect(decideEventType(code, accepted), code).toMatchObject({ accepted: true });
    expect(accepted.size).toBe(KNOWN_COMMERCE_EVENTS.length);
  });

  it('ignore the App Management namespace, and can be narrowed by COMMERCE_EVENT_TYPES', () => {
    const narrowed = acceptedCommerceEvents({ COMMERCE_EVENT_TYPES: 'com.adobe.commerce.observer.sales_order_save_commit_after, observer.customer_save_commit_after' });
    expect(decideEventType('com.adobe.commerce.my_app.observer.sales_order_save_commit_after', narrowed)).toMatchObject({ accepted: true });
    expect(decideEventType('com.adobe.commerce.observer.customer_save_commit_after', narrowed)).toMatchObject({ accepted: true });
    expect(decideEventType('com.adobe.commerce.observer.catalog_product_save_commit_after', narrowed)).toMatchObject({ accepted: false });
    expect(decideEventType('com.example.observer.sales_order_save_commit_after', narrowed)).toEqual({ accepted: false, reason: 'not a Commerce event type' });
  });

  it('refuse a COMMERCE_EVENT_TYPES entry that is not a Commerce event, naming it', () => {
    expect(() => acceptedCommerceEvents({ COMMERCE_EVENT_TYPES: 'orders' })).toThrow(EventTypesSettingError);
    expect(() => acceptedCommerceEvents({ COMMERCE_EVENT_TYPES: 'orders' })).toThrow(/"orders"/);
  });
});
