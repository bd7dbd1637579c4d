import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollFeed, runUnit, linkKey } from '../../../lib/sync';
import { DEFAULT_CONNECTOR_SETTINGS, saveConnectorSettings } from '../../../lib/config/connector-settings';
import { parseCommerceEvent } from '../../../lib/commerce/events';
import { customersArea, customerToCommerce, customerToHeartland, listCustomerDuplicates, CUSTOMER_TO_COMMERCE, CUSTOMER_TO_HEARTLAND } from '../../../lib/flows/customers';
import { commerceCustomersFeed, heartlandCustomersFeed } from '../../../lib/flows/customers/feeds';
import { createMappingRepository } from '../../../lib/mapping';
import { startHarness, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ flows: [customerToHeartland, customerToCommerce], feeds: [commerceCustomersFeed, heartlandCustomersFeed] });
});
afterAll(async () => h?.close());

const ctx = () => ({ deps: h.deps, settings: DEFAULT_CONNECTOR_SETTINGS });
const event = (name: string, value: Record<string, unknown>, id: string) => parseCommerceEvent({ id, type: `com.adobe.commerce.${name}`, data: { value } });

async function magentoCustomer(email: string, first: string, last: string, phone = '617-555-0142', websiteId = 1) {
  const res = await h.magentoApi('POST', 'customers', {
    customer: { email, firstname: first, lastname: last, website_id: websiteId, addresses: [{ firstname: first, lastname: last, street: ['5 Pier Rd'], city: 'Boston', region: { region_code: 'MA', region: 'Massachusetts', region_id: 32 }, country_id: 'US', postcode: '02110', telephone: phone, default_billing: true, default_shipping: true }] },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { id: number };
}

async function heartlandCustomer(body: Record<string, unknown>, address?: Record<string, unknown>) {
  const res = await h.heartlandApi('POST', 'customers', body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const id = Number(res.headers.get('location')!.split('/').pop());
  if (address) expect((await h.heartlandApi('POST', `customers/${id}/addresses`, address)).status).toBe(201);
  return id;
}

describe('customers area hooks', () => {
  it('customer saves and Heartland customer hints become units; deletes and other events do not', async () => {
    expect(await customersArea.unitsForCommerceEvent!(event('observer.customer_save_commit_after', { entity_id: '7', updated_at: '2026-01-01 10:00:00' }, 'c1'), ctx())).toEqual([
      { flow: CUSTOMER_TO_HEARTLAND, key: '7', version: '2026-01-01 10:00:00', trigger: 'event', eventId: 'c1' },
    ]);
    expect(await customersArea.unitsForCommerceEvent!(event('observer.customer_delete_commit_after', { entity_id: '7' }, 'c2'), ctx())).toEqual([]);
    expect(await customersArea.unitsForCommerceEvent!(event('observer.catalog_product_save_commit_after', { sku: 'A' }, 'c3'), ctx())).toEqual([]);
    expect(await customersArea.unitsForHeartlandNotification!({ event: 'customer.updated', resource_type: 'customer', resource_id: 100001, occurred_at: '2026-01-01T00:00:00Z' }, ctx())).toEqual([
      { flow: CUSTOMER_TO_COMMERCE, key: '100001', trigger: 'event', eventId: 'customer.updated:100001:2026-01-01T00:00:00Z' },
    ]);
    expect(await customersArea.unitsForHeartlandNotification!({ event: 'item.updated', resource_type: 'item', resource_id: 1, occurred_at: '2026-01-01T00:00:00Z' }, ctx())).toEqual([]);
  });
});

describe('customer matching rules', () => {
  it('secondary match: no email match, same last name and phone → linked, no new customer', async () => {
    const hid = await heartlandCustomer({ first_name: 'Max', last_name: 'Phoneman', email: 'max.old@example.com' }, { first_name: 'Max', last_name: 'Phoneman', line_1: '5 Pier Rd', city: 'Boston', state: 'MA', postal_code: '02110', country: 'US', phone: '(617) 555-0199' });
    const m = await magentoCustomer('max.new@example.com', 'Max', 'Phoneman', '617.555.0199');
    expect(await runUnit(customerToHeartland, { flow: CUSTOMER_TO_HEARTLAND, key: String(m.id), trigger: 'poll' }, h.deps)).toMatchObject({ outcome: 'done', targetId: String(hid) });
    expect((await h.heartlandApi('GET', `customers?query=Phoneman`)).body.results).toHaveLength(1);
  });

  it('duplicates "reject": nothing syncs while two Heartland customers share the email; the report names them', async () => {
    await saveConnectorSettings(h.platform.state, { customers: { duplicates: 'reject' } });
    try {
      const a = await heartlandCustomer({ first_name: 'Rita', last_name: 'Twice', email: 'rita@example.com' });
      const b = await heartlandCustomer({ first_name: 'Rita', last_name: 'Twice', email: 'RITA@example.com' });
      const m = await magentoCustomer('Rita@Example.com', 'Rita', 'Twice');
      expect(await runUnit(customerToHeartland, { flow: CUSTOMER_TO_HEARTLAND, key: String(m.id), trigger: 'poll' }, h.deps)).toMatchObject({ outcome: 'skipped', reason: 'held' });
      expect(await runUnit(customerToCommerce, { flow: CUSTOMER_TO_COMMERCE, key: String(b), trigger: 'poll' }, h.deps)).toMatchObject({ outcome: 'skipped', reason: 'held' });
      expect(await h.platform.state.get(linkKey('customer', 'commerce', String(m.id)))).toBeUndefined();
      const report = (await listCustomerDuplicates(h.deps)).find((r) => r.email === 'rita@example.com' && r.system === 'heartland');
      expect(report).toMatchObject({ ids: [String(a), String(b)], kept: null, policy: 'reject' });
    } finally {
      await saveConnectorSettings(h.platform.state, { customers: { duplicates: 'report' } });
    }
  });

  it('duplicates "merge": both Magento records link to the one Heartland customer', async () => {
    await saveConnectorSettings(h.platform.state, { customers: { duplicates: 'merge' } });
    try {
      const a = await magentoCustomer('mia@example.com', 'Mia', 'Merge', '617-555-0300', 1);
      const b = await magentoCustomer('MIA@example.com', 'Mia', 'Merge', '617-555-0300', 2);
      const ra = await runUnit(customerToHeartland, { flow: CUSTOMER_TO_HEARTLAND, key: String(a.id), trigger: 'poll' }, h.deps);
      const rb = await runUnit(customerToHeartland, { flow: CUSTOMER_TO_HEARTLAND, key: String(b.id), trigger: 'poll' }, h.deps);
      expect(ra).toMatchObject({ outcome: 'done', action: 'created' });
      expect(rb).toMatchObject({ outcome: 'done' });
      expect(ra.outcome === 'done' && rb.outcome === 'done' && ra.targetId === rb.targetId).toBe(true);
      expect((await h.heartlandApi('GET', `customers?query=${encodeURIComponent('mia@example.com')}`)).body.results).toHaveLength(1);
    } finally {
      await saveConnectorSettings(h.platform.state, { customers: { duplicates: 'report' } });
    }
  });

  it("the merchant's mapping filter holds customers back (e.g. staff accounts are not sent to Heartland)", async () => {
    const repo = createMappingRepository(h.platform.state);
    const saved = await repo.save({ entities: { customer: { toHeartland: { rules: [], filter: { description: 'no staff accounts', field: 'email', op: 'regex', value: '^(?!.*@staff\\.example$)' } } } } });
    expect(saved).toMatchObject({ ok: true });
    try {
      const staff = await magentoCustomer('sam@staff.example', 'Sam', 'Staff');
      const outcome = await runUnit(customerToHeartland, { flow: CUSTOMER_TO_HEARTLAND, key: String(staff.id), trigger: 'poll' }, h.deps);
      expect(outcome).toMatchObject({ outcome: 'skipped', reason: 'filtered' });
      expect((await h.heartlandApi('GET', `customers?query=${encodeURIComponent('sam@staff.example')}`)).body.results).toHaveLength(0);
    } finally {
      await repo.save({});
    }
  });

  it('a customer that does not map (an address without a country) is a dead letter naming the field', async () => {
    const id = await heartlandCustomer({ first_name: 'Solo', last_name: 'Nowhere', email: 'solo@example.com' }, { first_name: 'Solo', last_name: 'Nowhere', line_1: '1 Road', city: 'Somewhere' });
    const outcome = await runUnit(customerToCommerce, { flow: CUSTOMER_TO_COMMERCE, key: String(id), trigger: 'poll' }, h.deps);
    expect(outcome).toMatchObject({ outcome: 'dead-lettered', error: expect.objectContaining({ message: expect.stringContaining('addresses[0].country') }) });
  });
});

describe('customer feeds', () => {
  it('start at "now", then carry changes on each side as units', async () => {
    const c1 = await pollFeed(commerceCustomersFeed, h.deps, Date.now() + 10_000);
    const h1 = await pollFeed(heartlandCustomersFeed, h.deps, Date.now() + 10_000);
    expect([c1.units, h1.units]).toEqual([0, 0]);
    await new Promise((r) => setTimeout(r, 1100));
    const m = await magentoCustomer('feed.one@example.com', 'Fay', 'Feed');
    const c2 = await pollFeed(commerceCustomersFeed, h.deps, Date.now() + 10_000);
    expect(c2.units).toBeGreaterThanOrEqual(1);
    const found = (await h.heartlandApi('GET', `customers?query=${encodeURIComponent('feed.one@example.com')}`)).body.results;
    expect(found).toHaveLength(1);
    expect(found[0].custom.magento_customer_id).toBe(String(m.id));
    await h.heartlandApi('PUT', `customers/${found[0].id}`, { first_name: 'Faye' });
    const h2 = await pollFeed(heartlandCustomersFeed, h.deps, Date.now() + 10_000);
    expect(h2.outcomes.done).toBeGreaterThanOrEqual(1);
    expect((await h.commerce.customers.get(m.id)).firstname).toBe('Faye');
  });
});
