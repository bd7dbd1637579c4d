/**
 * Card data never stored or logged (DESIGN.md §1.6): a card number typed into an order comment or
 * an address line, carried through the pipeline (dead letter, retry, run records, logs), is masked
 * everywhere the connector keeps or writes anything.
 */
import { describe, expect, it } from 'vitest';
import { createHarness, type CommerceOrder } from '../sync/harness';
import { runUnit } from '../../lib/sync';
import { UpstreamError } from '../../lib/platform/http';
import { createLogger } from '../../lib/platform/logger';
import { looksLikePan } from '../../lib/platform/redact';
import { maskCardData, maskUnitHints } from '../../lib/security/card-data';

const PAN = '4111 1111 1111 1111';
const PAN_DASHED = '5500-0000-0000-0004';
const PAN_PLAIN = '378282246310005';

function orderWithCardData(id: string, sku: string): CommerceOrder {
  return {
    increment_id: id,
    updated_at: '2026-11-28 09:00:00',
    email: 'jdoe@example.com',
    status: 'processing',
    items: [{ sku, qty: 1 }],
    // Extra fields a real order carries; the customer typed card numbers where they do not belong.
    ...({ customer_note: `please charge my card ${PAN} thanks`, billing_address: { street: [`12 Main St ${PAN_DASHED}`, PAN_PLAIN] } } as object),
  } as CommerceOrder;
}

async function everythingStored(h: ReturnType<typeof createHarness>): Promise<string[]> {
  const out: string[] = [];
  for await (const key of h.state.list('*')) out.push(`${key} = ${JSON.stringify(await h.state.get(key))}`);
  for (const path of await h.files.list('')) out.push(`${path} = ${(await h.files.read(path))?.toString('utf8')}`);
  for (const line of h.logger.lines) out.push(JSON.stringify(line));
  return out;
}

function expectNoCardNumber(texts: string[]) {
  for (const text of texts) {
    expect(looksLikePan(text), text.slice(0, 300)).toBe(false);
    for (const pan of [PAN, PAN_DASHED, PAN_PLAIN, PAN.replace(/ /g, ''), PAN_DASHED.replace(/-/g, '')]) expect(text).not.toContain(pan);
  }
}

describe('card numbers in payloads', () => {
  it('are masked in the dead letter (summary and payload file), run records and logs of a failed order', async () => {
    const h = createHarness();
    h.commerce.orders.set('100000001', orderWithCardData('100000001', 'UNKNOWN-SKU'));
    const outcome = await runUnit(h.registry.flow('order'), { flow: 'order', key: '100000001', trigger: 'event', eventId: 'ev-1', payloadHint: orderWithCardData('100000001', 'UNKNOWN-SKU') }, h.deps);
    expect(outcome.outcome).toBe('dead-lettered');
    const stored = await everythingStored(h);
    expect(stored.some((s) => s.startsWith('dlq'))).toBe(true);
    expectNoCardNumber(stored);
    // Masked, not dropped: the last four digits stay so a person can see what was there.
    expect(stored.join('\n')).toContain('**** **** **** 1111');
  });

  // KNOWN LEAK, owned by lib/sync: scheduleRetry (lib/sync/retry-schedule.ts) stores `unit.payloadHint`
  // unredacted in `retry.*`. The entry points mask hints (next test), but feeds and jobs create hinted
  // units too. Fix: `unit: redactSecrets(withoutLargeHint(input.unit))` there; then turn this into it().
  it('are masked in the retry record of an order waiting for Heartland to come back', async () => {
    const h = createHarness();
    h.commerce.orders.set('100000002', orderWithCardData('100000002', 'SKU-1'));
    const outage = () => new UpstreamError({ system: 'heartland', status: 503, message: 'unavailable', method: 'GET', url: 'https://h.example/api/sales/orders', retryable: true });
    for (let i = 0; i < 20; i++) h.heartland.failures.push(outage());
    const outcome = await runUnit(h.registry.flow('order'), { flow: 'order', key: '100000002', trigger: 'event', eventId: 'ev-2', payloadHint: orderWithCardData('100000002', 'SKU-1') }, h.deps);
    expect(outcome.outcome).toBe('retry-scheduled');
    const stored = await everythingStored(h);
    expect(stored.some((s) => s.startsWith('retry'))).toBe(true);
    expectNoCardNumber(stored);
  });

  it('are masked in every log line, whatever field or message carries them', () => {
    const lines: string[] = [];
    const logger = createLogger({ name: 'test', sink: (line) => lines.push(line) });
    logger.info(`order comment: ${PAN}`, { order: orderWithCardData('1', 'SKU-1'), error: new Error(`bad street ${PAN_DASHED}`) });
    logger.warn('address', { lines: [PAN_PLAIN] });
    expect(lines).toHaveLength(2);
    expectNoCardNumber(lines);
  });

  it('are masked in unit hints at the entry points, which say so', async () => {
    const hint = orderWithCardData('100000003', 'SKU-1');
    const { units, flagged } = maskUnitHints([{ flow: 'order', key: '100000003', payloadHint: hint }, { flow: 'order', key: 'x' }]);
    expect(flagged).toBe(1);
    expectNoCardNumber([JSON.stringify(units)]);
    expect(JSON.stringify(units)).toContain('12 Main St ****-****-****-0004');
    // The original is not modified, and clean data is passed through as is.
    expect(JSON.stringify(hint)).toContain(PAN);
    const clean = { increment_id: '000000042', grand_total: '165.0000', telephone: '+1 555 0100' };
    expect(maskCardData(clean)).toEqual({ value: clean, maskedStrings: 0 });
  });

  it('a retried order whose hint was masked at the entry keeps no card number', async () => {
    const h = createHarness();
    h.commerce.orders.set('100000004', orderWithCardData('100000004', 'SKU-1'));
    for (let i = 0; i < 20; i++) h.heartland.failures.push(new UpstreamError({ system: 'heartland', status: 503, message: 'unavailable', method: 'GET', url: 'https://h.example/api', retryable: true }));
    const [unit] = maskUnitHints([{ flow: 'order', key: '100000004', trigger: 'event' as const, eventId: 'ev-4', payloadHint: orderWithCardData('100000004', 'SKU-1') }]).units;
    expect((await runUnit(h.registry.flow('order'), unit!, h.deps)).outcome).toBe('retry-scheduled');
    expectNoCardNumber(await everythingStored(h));
  });
});
