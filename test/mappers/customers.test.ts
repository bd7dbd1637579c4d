import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { customerFromMagento, customerToMagento, customerToMagentoRequest } from '../../lib/commerce/mappers/customer';
import { customerFromHeartland, customerToHeartland, customerToHeartlandRequests } from '../../lib/heartland/mappers/customer';
import { AddressCreate, CustomerCreate } from '../../lib/heartland/payloads';
import { CustomerInput as MagentoCustomerInput } from '../../lib/commerce/payloads';
import type { Customer } from '../../lib/model/customer';
import { normalizePhone } from '../../lib/model/address-standards';

const fixture = (system: string, name: string) => JSON.parse(readFileSync(new URL(`../fixtures/${system}/${name}`, import.meta.url), 'utf8'));
const must = <T,>(r: { ok: true; value: T } | { ok: false; issues: unknown }): T => {
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
};

describe('customers', () => {
  describe('given the Magento customer from commerce.md §2.7', () => {
    const c = must(customerFromMagento(fixture('commerce', 'customer.json')));
    it('maps names, email, group and the default address (region object)', () => {
      expect(c).toMatchObject({ email: 'jdoe@example.com', firstName: 'Jane', lastName: 'Doe', sourceSystem: 'commerce', sourceId: '2', groupId: '1', phone: '516-555-1111', updatedAt: '2020-07-22T23:13:15.000Z' });
      expect(c.addresses).toEqual([{ firstName: 'Jane', lastName: 'Doe', company: null, line1: '160 1st St.', line2: null, city: 'Mineola', region: 'New York', regionCode: 'NY', postalCode: '11501', country: 'US', phone: '516-555-1111', sourceId: '2', isDefaultBilling: true, isDefaultShipping: true }]);
    });
    it('→ Heartland: customer with magento_customer_id and addresses the schemas accept', () => {
      const hl = customerToHeartland(c);
      expect(CustomerCreate.parse(hl.customer)).toEqual({ first_name: 'Jane', last_name: 'Doe', email: 'jdoe@example.com', custom: { magento_customer_id: '2' } });
      expect(hl.addresses.map((a) => AddressCreate.parse(a))).toEqual([{ first_name: 'Jane', last_name: 'Doe', company: null, line_1: '160 1st St.', line_2: null, city: 'Mineola', state: 'NY', postal_code: '11501', country: 'US', phone: '516-555-1111' }]);
    });
    it('round-trips Magento → canonical → Magento without losing fields', () => {
      const body = customerToMagento(c, { customerId: 2, websiteId: 1 });
      expect(MagentoCustomerInput.safeParse(body.customer).success).toBe(true);
      const again = must(customerFromMagento({ ...body.customer, id: 2, addresses: body.customer.addresses?.map((a, i) => ({ ...a, id: 2 + i })) }));
      expect({ ...again, updatedAt: null }).toEqual({ ...c, updatedAt: null });
    });
  });

  describe('given the Heartland customer and address from heartland.md §3.2', () => {
    const c = must(customerFromHeartland({ customer: fixture('heartland', 'customer.json'), addresses: [fixture('heartland', 'address.json')] }));
    it('maps line_1/line_2, state code to region name, phone', () => {
      expect(c).toMatchObject({ email: 'jane@example.com', sourceSystem: 'heartland', sourceId: '100123', phone: '555-0100' });
      expect(c.addresses[0]).toMatchObject({ line1: '1 Main St', line2: null, region: 'Massachusetts', regionCode: 'MA', postalCode: '02127', country: 'US' });
    });
    it('→ Magento: requests a create, or an update when linked', () => {
      expect(customerToMagentoRequest(c)).toMatchObject({ method: 'POST', path: '/V1/customers' });
      const update = customerToMagentoRequest(c, { customerId: 42 });
      expect(update).toMatchObject({ method: 'PUT', path: '/V1/customers/42', body: { customer: { id: 42, email: 'jane@example.com' } } });
      expect((update.body as { customer: { addresses: unknown[] } }).customer.addresses[0]).toMatchObject({ street: ['1 Main St'], region: { region: 'Massachusetts', region_code: 'MA' }, country_id: 'US', telephone: '555-0100' });
    });
    it('round-trips Heartland → canonical → Heartland', () => {
      const hl = customerToHeartland(c);
      const again = must(customerFromHeartland({ customer: { ...hl.customer, id: 100123, updated_at: c.updatedAt }, addresses: hl.addresses.map((a, i) => ({ ...a, id: 100456 + i })) }));
      expect(again).toEqual(c);
    });
  });

  it.each([
    ['three street lines', { street: ['1 Rue de Rivoli', 'Bâtiment B', 'Étage 3'], country_id: 'FR', region: { region: 'Île-de-France', region_code: null }, postcode: '75001', telephone: '+33 1 23 45 67 89' },
      { line1: '1 Rue de Rivoli', line2: 'Bâtiment B, Étage 3', country: 'FR', region: 'Île-de-France', regionCode: null, phone: '+33123456789' }],
    ['a Canadian province by name', { street: ['1 Bay St'], country_id: 'CA', region: { region: 'Ontario', region_code: null }, postcode: 'M5J 2N8', telephone: '1 (416) 555 0000' },
      { region: 'Ontario', regionCode: 'ON', phone: '416-555-0000' }],
  ])('Magento address with %s', (_, address, expected) => {
    const c = must(customerFromMagento({ id: 1, email: 'z@example.com', firstname: 'Zoë', lastname: '山田', addresses: [{ id: 1, firstname: 'Zoë', lastname: '山田', city: 'X', ...address }] }));
    expect(c.addresses[0]).toMatchObject(expected);
    expect(c.firstName).toBe('Zoë');
  });

  it('accepts a Heartland country name and keeps the extra line joined on the way out', () => {
    const c = must(customerFromHeartland({ id: 1, first_name: 'A', last_name: 'B', email: 'a@b.example', addresses: [{ id: 2, first_name: 'A', last_name: 'B', line_1: '1 Main', line_2: 'Suite 5, Floor 2', city: 'Austin', state: 'Texas', postal_code: '73301', country: 'United States', phone: '5125550100' }] }));
    expect(c.addresses[0]).toMatchObject({ country: 'US', region: 'Texas', regionCode: 'TX', phone: '512-555-0100' });
    expect(customerToMagento(c).customer.addresses?.[0]).toMatchObject({ street: ['1 Main', 'Suite 5, Floor 2'] });
  });

  it('reads an event-shaped customer (entity_id, DB strings, blanks)', () => {
    const event = { type: 'com.adobe.commerce.observer.customer_save_commit_after', id: 'e', data: { value: { entity_id: '42', email: 'Ann@Example.com ', firstname: 'Ann', lastname: 'Lee', group_id: '1', website_id: '1', middlename: '', updated_at: '2026-01-05 10:00:00' } } };
    expect(must(customerFromMagento(event))).toMatchObject({ sourceId: '42', email: 'Ann@Example.com', groupId: '1', addresses: [], updatedAt: '2026-01-05T10:00:00.000Z' });
  });

  it('plans customer and address requests for Heartland', () => {
    const c: Customer = must(customerFromMagento(fixture('commerce', 'customer.json')));
    expect(customerToHeartlandRequests(c).map((r) => `${r.method} ${r.path}`)).toEqual(['POST /customers', 'POST /customers/{{heartland.customer_id email=jdoe@example.com}}/addresses']);
    expect(customerToHeartlandRequests(c, { heartlandCustomerId: 100123 })[0]).toMatchObject({ method: 'PUT', path: '/customers/100123' });
  });

  it.each([
    [{ id: 1, email: 'x@y.z', firstname: 'A' }, 'lastname', 'required'],
    [{ id: 1, email: 'x@y.z', firstname: 'A', lastname: 'B', addresses: [{ street: ['1'], country_id: 'Narnia' }] }, 'addresses[0].country_id', 'not a country: "Narnia"'],
    [{ id: 'seven', email: 'x@y.z', firstname: 'A', lastname: 'B' }, 'id', 'expected a number, got "seven"'],
  ])('rejects a bad Magento customer %#', (input, path, message) => {
    const r = customerFromMagento(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues).toContainEqual({ path, message });
  });

  it('rejects a Heartland customer without an email, naming the Heartland field', () => {
    const r = customerFromHeartland({ id: 1, first_name: 'A', last_name: 'B', email: null });
    expect(r).toEqual({ ok: false, issues: [{ path: 'email', message: 'expected an email address' }] });
  });

  it.each([
    ['(512) 555-1111', 'US', '512-555-1111'],
    ['+1 512 555 1111', 'US', '512-555-1111'],
    ['512.555.1111 ext. 42', 'US', '512-555-1111 x42'],
    ['+44 20 7946 0958', 'GB', '+442079460958'],
    ['020 7946 0958', 'GB', '02079460958'],
    ['n/a', 'US', 'n/a'],
    ['', 'US', null],
  ])('normalises phone %j (%s)', (input, country, expected) => {
    expect(normalizePhone(input, country)).toBe(expected);
  });
});
