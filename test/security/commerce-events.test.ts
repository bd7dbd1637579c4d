import { describe, expect, it } from 'vitest';
import { main } from '../../actions/commerce-events';

const inputs = {
  HEARTLAND_BASE_URL: 'http://127.0.0.1:9/api',
  HEARTLAND_API_TOKEN: 'ce-heartland-token',
  HEARTLAND_WEBHOOK_SECRET: 'ce-webhook-secret',
  COMMERCE_BASE_URL: 'http://127.0.0.1:9/rest',
  COMMERCE_ACCESS_TOKEN: 'ce-commerce-token',
  LOG_LEVEL: 'error',
};
const event = (type: string, value: unknown = { entity_id: '42' }) => ({
  specversion: '1.0',
  id: 'e-1',
  type,
  eventid: 'e-1',
  data: { value },
});

describe('connector/commerce-events boundary', () => {
  it('answers 200 "ignored" (so I/O Events neither retries nor counts a failure) for a Commerce type it is not registered for', async () => {
    const result = await main({ ...inputs, COMMERCE_EVENT_TYPES: 'observer.sales_order_save_commit_after', ...event('com.adobe.commerce.observer.catalog_product_save_commit_after') });
    expect(result).toMatchObject({ statusCode: 200, body: { ignored: true, eventId: 'e-1' } });
    const unknown = await main({ ...inputs, ...event('com.adobe.commerce.observer.wishlist_save_after') });
    expect(unknown).toMatchObject({ statusCode: 200, body: { ignored: true } });
  });

  it('refuses malformed envelopes and non-Commerce types with 400 naming the field', async () => {
    expect(await main({ ...inputs, ...event('com.example.thing') })).toMatchObject({ error: { statusCode: 400, body: { error: { code: 'invalid_event', field: 'type' } } } });
    expect(await main({ ...inputs, type: 'com.adobe.commerce.observer.sales_order_save_commit_after', id: 'x' })).toMatchObject({ error: { statusCode: 400, body: { error: { field: 'data' } } } });
    const badValue = await main({ ...inputs, ...event('com.adobe.commerce.observer.sales_order_save_commit_after', { entity_id: { nested: true } }) });
    expect(badValue).toMatchObject({ error: { statusCode: 400, body: { error: { field: 'data.value.entity_id' } } } });
  });

  it('refuses an event above the size limit with 413', async () => {
    const result = await main({ ...inputs, ...event('com.adobe.commerce.observer.sales_order_save_commit_after', { entity_id: '1', note: 'x'.repeat(200 * 1024) }) });
    expect(result).toMatchObject({ error: { statusCode: 413, body: { error: { code: 'event_too_large' } } } });
  });

  it('answers 503 naming the input when COMMERCE_EVENT_TYPES is unreadable', async () => {
    const result = await main({ ...inputs, COMMERCE_EVENT_TYPES: 'orders', ...event('com.adobe.commerce.observer.sales_order_save_commit_after') });
    expect(result).toMatchObject({ error: { statusCode: 503, body: { error: { field: 'COMMERCE_EVENT_TYPES' } } } });
  });
});
