import { describe, expect, it } from 'vitest';
import { UpstreamError } from '../../lib/platform/http';
import { createCustomerUnlessTaken, isReferenceTaken } from '../../lib/heartland/customer-identity';
import type { HeartlandClient } from '../../lib/heartland/client';

function validationError(details: Record<string, string[]>, status = 422) {
  return new UpstreamError({ system: 'heartland', status, method: 'POST', url: 'http://hl/api/customers', code: 'validation_error', message: 'invalid', details });
}

const client = (existing?: { id: number }) =>
  ({ customers: { findByCustom: async (field: string, value: string) => (field === 'magento_customer_id' && value === '7' ? existing : undefined) } }) as unknown as HeartlandClient;

describe('createCustomerUnlessTaken', () => {
  it.each([
    [{ 'custom@magento_customer_id': ['has already been taken'] }, true],
    [{ 'custom.magento_customer_id': ['must be unique'] }, true],
    [{ email: ['has already been taken'] }, false],
    [{ 'custom@magento_customer_id': ["can't be blank"] }, false],
  ])('recognises a taken reference in %j: %s', (details, taken) => {
    expect(isReferenceTaken(validationError(details), 'magento_customer_id')).toBe(taken);
  });

  it('answers the customer that took the reference when two flows create it at once', async () => {
    const result = await createCustomerUnlessTaken(client({ id: 42 }), { field: 'magento_customer_id', value: '7' }, async () => {
      throw validationError({ 'custom@magento_customer_id': ['has already been taken'] });
    });
    expect(result).toEqual({ id: 42, created: false });
  });

  it('creates when nothing stands in the way, and rethrows other errors', async () => {
    expect(await createCustomerUnlessTaken(client(), { field: 'magento_customer_id', value: '7' }, async () => 5)).toEqual({ id: 5, created: true });
    const other = validationError({ email: ['is invalid'] });
    await expect(createCustomerUnlessTaken(client({ id: 42 }), { field: 'magento_customer_id', value: '7' }, async () => { throw other; })).rejects.toBe(other);
    const guest = validationError({ 'custom@magento_customer_id': ['has already been taken'] });
    await expect(createCustomerUnlessTaken(client({ id: 42 }), undefined, async () => { throw guest; })).rejects.toBe(guest);
  });
});
