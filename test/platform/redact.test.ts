import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { looksLikePan, passesLuhn, redactPans, redactSecrets, redactText } from '../../lib/platform/redact';

describe('looksLikePan', () => {
  it.each([
    ['4111111111111111', true, 'Visa test number'],
    ['4111 1111 1111 1111', true, 'spaces'],
    ['4111-1111-1111-1111', true, 'dashes'],
    ['378282246310005', true, 'Amex, 15 digits'],
    ['6011111111111117', true, 'Discover'],
    ['4222222222222', true, '13 digits'],
    ['card 5555555555554444 exp 12/30', true, 'inside text'],
    ['ABC4111111111111111', true, 'glued to letters'],
    ['4111 1111 1111 1111 12', true, 'card followed by another group'],
    ['4111111111111112', false, 'fails Luhn'],
    ['411111111111', false, '12 digits'],
    ['41111111111111111111', false, '20 digits without separators'],
    ['order 000123456', false, 'short id'],
    ['2026-01-01 12:00', false, 'a date'],
    ['4111  1111 1111 1111', false, 'double space breaks the run'],
    ['', false, 'empty'],
  ])('%j → %s (%s)', (text, expected) => {
    expect(looksLikePan(text)).toBe(expected);
  });
});

describe('redactPans', () => {
  it.each([
    ['4111111111111111', '************1111'],
    ['pay 4111 1111 1111 1111 now', 'pay **** **** **** 1111 now'],
    ['a 4111-1111-1111-1111 b 5555555555554444', 'a ****-****-****-1111 b ************4444'],
    ['4111 1111 1111 1111 12', '**** **** **** 1111 12'],
    ['nothing here 12345', 'nothing here 12345'],
  ])('%j → %j', (text, expected) => {
    expect(redactPans(text)).toBe(expected);
  });

  it('leaves no Luhn-valid 13–19 digit run behind (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('0', '1', '4', '9', ' ', '-', 'a'), { maxLength: 60 }), (chars) => {
        const redacted = redactPans(chars.join(''));
        expect(looksLikePan(redacted)).toBe(false);
      }),
    );
  });

  it('agrees with a known Luhn table', () => {
    expect(passesLuhn('79927398713')).toBe(true);
    expect(passesLuhn('79927398710')).toBe(false);
  });
});

describe('redactText', () => {
  it.each([
    ['GET /x?access_token=abc123&page=2', 'GET /x?access_token=[redacted]&page=2'],
    ['Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig', 'Authorization: Bearer [redacted]'],
    ['{"api_key": "s3cr3t"}', '{"api_key": "[redacted]"}'],
    ['password: hunter2', 'password: [redacted]'],
    ['fine text', 'fine text'],
  ])('%j → %j', (text, expected) => {
    expect(redactText(text)).toBe(expected);
  });
});

describe('redactSecrets', () => {
  it.each([
    [{ password: 'p' }, { password: '[redacted]' }],
    [{ Authorization: 'Basic abc' }, { Authorization: '[redacted]' }],
    [{ headers: { 'x-api-key': 'k', accept: 'json' } }, { headers: { 'x-api-key': '[redacted]', accept: 'json' } }],
    [{ consumer_secret: 'c', access_token: 't', oauth_signature: 's', apikey: 'a', API_KEY: 'b' },
      { consumer_secret: '[redacted]', access_token: '[redacted]', oauth_signature: '[redacted]', apikey: '[redacted]', API_KEY: '[redacted]' }],
    [{ items: [{ note: 'card 4111111111111111' }] }, { items: [{ note: 'card ************1111' }] }],
    [{ token: null, secret: '' }, { token: null, secret: '' }],
    [{ payment: { cc_cvv2: '123', cvc: 456, cc_last4: '1111' } }, { payment: { cc_cvv2: '[redacted]', cvc: '[redacted]', cc_last4: '1111' } }],
    [{ qty: 3, ok: true, sku: 'A-1' }, { qty: 3, ok: true, sku: 'A-1' }],
    ['4111111111111111', '************1111'],
    [42, 42],
  ])('%j', (input, expected) => {
    expect(redactSecrets(input)).toEqual(expected);
  });

  it('does not modify its input and survives cycles and errors', () => {
    const input: Record<string, unknown> = { token: 't', nested: { pan: '4111111111111111' } };
    input.self = input;
    const out = redactSecrets(input) as Record<string, unknown>;
    expect(input.token).toBe('t');
    expect(out.self).toBe('[circular]');
    const error = Object.assign(new Error('declined 4111111111111111'), { apiKey: 'k' });
    const redacted = redactSecrets({ error }) as unknown as { error: Record<string, unknown> };
    expect(redacted.error.message).toBe('declined ************1111');
    expect(redacted.error.apiKey).toBe('[redacted]');
    expect(redacted.error.name).toBe('Error');
  });

  it('keeps shared (non-cyclic) references', () => {
    const shared = { sku: 'A' };
    expect(redactSecrets({ a: shared, b: shared })).toEqual({ a: { sku: 'A' }, b: { sku: 'A' } });
  });
});
