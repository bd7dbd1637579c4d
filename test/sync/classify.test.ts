import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BrokenCircuitError, TaskCancelledError } from 'cockatiel';
import { UpstreamError } from '../../lib/platform/http';
import { classifyError } from '../../lib/sync/classify';
import { CircuitOpenError, MappingError, RetryableError, TerminalError } from '../../lib/sync/errors';

const upstream = (status: number, extra: Partial<ConstructorParameters<typeof UpstreamError>[0]> = {}) =>
  new UpstreamError({ system: 'commerce', status, method: 'POST', url: 'http://m/rest/V1/orders', message: `commerce POST → ${status}`, ...extra });

const zodFailure = (() => {
  const result = z.object({ lines: z.array(z.object({ sku: z.string().min(1) })) }).safeParse({ lines: [{ sku: '' }] });
  return result.success ? undefined : result.error;
})();

const networkError = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
const stateRateLimit = Object.assign(new Error('rate'), { code: 'ERROR_REQUEST_RATE_TOO_HIGH' });

describe('classifyError (DESIGN.md §6)', () => {
  it.each([
    ['network error (status 0)', upstream(0, { code: 'network_error' }), true, 'network'],
    ['timeout (status 0)', upstream(0, { code: 'timeout' }), true, 'timeout'],
    ['408', upstream(408), true, 'upstream'],
    ['429', upstream(429, { retryAfterMs: 2000 }), true, 'upstream'],
    ['500', upstream(500), true, 'upstream'],
    ['502', upstream(502), true, 'upstream'],
    ['503', upstream(503), true, 'upstream'],
    ['501', upstream(501), false, 'upstream'],
    ['505', upstream(505), false, 'upstream'],
    ['400', upstream(400), false, 'upstream'],
    ['401', upstream(401), false, 'upstream'],
    ['404', upstream(404), false, 'upstream'],
    ['422', upstream(422), false, 'upstream'],
    ['zod validation', zodFailure, false, 'validation'],
    ['mapping error', new MappingError('payment.method', 'no Heartland payment type for "checkmo"'), false, 'mapping'],
    ['unknown SKU (terminal)', new TerminalError('unknown SKU X', { field: 'items.0.sku' }), false, 'terminal'],
    ['flow says retryable', new RetryableError('order not visible yet'), true, 'retryable'],
    ['circuit open (ours)', new CircuitOpenError('heartland', Date.now() + 1000), true, 'circuit-open'],
    ['circuit open (cockatiel)', new BrokenCircuitError(), true, 'circuit-open'],
    ['cockatiel timeout', new TaskCancelledError(), true, 'timeout'],
    ['ECONNRESET', networkError, true, 'network'],
    ['fetch failed', new TypeError('fetch failed'), true, 'network'],
    ['state 429', stateRateLimit, true, 'state'],
    ['a bug (TypeError)', new TypeError("Cannot read properties of undefined (reading 'sku')"), false, 'unexpected'],
    ['a thrown string', 'boom', false, 'unexpected'],
  ])('%s → retryable=%s (%s)', (_name, error, retryable, reason) => {
    const info = classifyError(error);
    expect(info.retryable).toBe(retryable);
    expect(info.reason).toBe(reason);
    expect(info.message.length).toBeGreaterThan(0);
  });

  it('keeps the field, system, status and Retry-After of an upstream rejection', () => {
    const info = classifyError(upstream(400, { details: { message: 'bad', parameters: { fieldName: 'email' } } }));
    expect(info).toMatchObject({ system: 'commerce', status: 400, field: 'email', retryable: false });
    expect(classifyError(upstream(429, { retryAfterMs: 7000 })).retryAfterMs).toBe(7000);
  });

  it('names the zod field path and the mapping field', () => {
    expect(classifyError(zodFailure)).toMatchObject({ field: 'lines.0.sku', reason: 'validation' });
    expect(classifyError(new MappingError('payment.method', 'unmapped', 'checkmo'))).toMatchObject({ field: 'payment.method', value: 'checkmo' });
  });

  it('lets a flow override the default', () => {
    expect(classifyError(upstream(409), () => 'retryable').retryable).toBe(true);
    expect(classifyError(upstream(503), () => 'terminal').retryable).toBe(false);
    expect(classifyError(upstream(503), () => undefined).retryable).toBe(true);
  });

  it('never carries a card number in the message', () => {
    const info = classifyError(new TerminalError('card 4111 1111 1111 1111 declined'));
    expect(info.message).not.toContain('4111 1111 1111 1111');
    expect(info.message).toContain('1111');
  });
});
