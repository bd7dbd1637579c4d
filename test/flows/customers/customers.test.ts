import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runUnit } from '../../../lib/sync';
import { saveConnectorSettings } from '../../../lib/config/connector-settings';
import { customerToCommerce, customerToHeartland, listCustomerConflicts, listCustomerDuplicates, CUSTOMER_TO_COMMERCE, CUSTOMER_TO_HEARTLAND } from '../../../lib/flows/customers';
import { startHarness, writesIn, type Harness } from './harness';

let h: Harness;
let seq = 0;

beforeAll(async () => {
  h = await startHarness({ flows: [customerToHeartland, customerToCommerce] });
});
afterAll(async () => h?.close());
beforeEach(async () => {
  seq++;
});

const address = (first: string, last: string, phone = '555-201-0100') => ({
  firstname: first,
  lastname: last,
  street: ['1 Main St'],
  city: 'Boston',
  region: { region_code: 'MA', region: 'Massachusetts', region_id: 32 },
  country_id: 'US',
  postcode: '02127',
  telephone: phone,
  default_billing: true,
  default_shipping: true,
});

async function magentoCustomer(email: string, first: string, last: string, extra: Record<string, unknown> = {}) {
  const res = await h.magentoApi('POST', 'customers', { customer: { email, firstname: first, lastname: last, addresses: [address(first, last)], ...extra } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { id: number; updated_at: string };
}

const toHeartland = (id: number | string, trigger: 'event' | 'poll' = 'poll') => runUnit(customerToHeartland, { flow: CUSTOMER_TO_HEARTLAND, key: String(id), trigger }, h.deps);
const toCommerce = (id: number | string) => runUnit(customerToCommerce, { flow: CUSTOMER_TO_COMMERCE, key: String(id), trigger: 'poll' }, h.deps);

async function heartlandByEmail(email: string) {
  const res = await h.heartlandApi('GET', `customers?query=${encodeURIComponent(email)}`);
  return (res.body.results as Array<{ id: number; email: string; first_name: string; custom: Record<string, unknown> }>).filter((c) => c.email.toLowerCase() === email.toLowerCase());
}

describe('customers: Magento → Heartland', () => {
  it('creates the Heartland customer once, with address, phone and magento_customer_id', async () => {
    const m = await magentoCustomer(`ann${seq}@example.com`, 'Ann', 'Lee');
    const first = await toHeartland(m.id);
    expect(first).toMatchObject({ outcome: 'done', action: 'created' });
    // A second delivery (poll after the event) writes nothing: found by link, nothing differs.
    await h.heartlandControl('DELETE', '__sim/counters');
    const again = await toHeartland(m.id);
    expect(again.outcome === 'skipped' || (again.outcome === 'done' && again.action === 'unchanged')).toBe(true);
    expect(writesIn((await h.heartlandControl('GET', '__sim/counters')).body.byEndpoint, /customers/)).toBe(0);
    const found = await heartlandByEmail(`ann${seq}@example.com`);
    expect(found).toHaveLength(1);
    expect(found[0].custom.magento_customer_id).toBe(String(m.id));
    const addresses = await h.hl.customers.listAddresses(found[0].id);
    expect(addresses).toHaveLength(1);
    expect(addresses[0]).toMatchObject({ line_1: '1 Main St', city: 'Boston', state: 'MA', postal_code: '02127' });
    expect(addresses[0].phone?.replace(/\D/g, '')).toContain('5552010100');
  });

  it('an edit in Heartland updates Magento once and does not bounce back', async () => {
    const m = await magentoCustomer(`bob${seq}@example.com`, 'Bob', 'Ray');
    await toHeartland(m.id);
    const [hc] = await heartlandByEmail(`bob${seq}@example.com`);
    // The create notification of our own write comes back: echo, not a change.
    expect(await toCommerce(hc.id)).toMatchObject({ outcome: 'skipped', reason: 'echo' });

    await h.heartlandApi('PUT', `customers/${hc.id}`, { first_name: 'Robert' });
    await h.heartlandControl('DELETE', '__sim/counters');
    await h.magentoControl('DELETE', '__sim/counters');
    expect(await toCommerce(hc.id)).toMatchObject({ outcome: 'done', action: 'updated' });
    const after = await h.commerce.customers.get(m.id);
    expect(after.firstname).toBe('Robert');
    expect(after.addresses).toHaveLength(1);
    // Magento's save event for our write: echo, no write to Heartland.
    expect(await toHeartland(m.id, 'event')).toMatchObject({ outcome: 'skipped', reason: 'echo' });
    const hlCounters = (await h.heartlandControl('GET', '__sim/counters')).body;
    const mCounters = (await h.magentoControl('GET', '__sim/counters')).body;
    expect(writesIn(hlCounters.byEndpoint, /customers/)).toBe(0);
    expect(writesIn(mCounters.byEndpoint, /customers/)).toBe(1);
  });

  it('same email on two Magento customers and one Heartland customer: one link, a report, no third customer', async () => {
    const email = `dup${seq}@example.com`;
    const created = await h.heartlandApi('POST', 'customers', { first_name: 'Dee', last_name: 'Up', email: email.toUpperCase() });
    expect(created.status).toBe(201);
    const a = await magentoCustomer(`Dup${seq}@Example.com`, 'Dee', 'Up', { website_id: 1 });
    const b = await magentoCustomer(email, 'Dee', 'Up', { website_id: 2 });
    const ra = await toHeartland(a.id);
    const rb = await toHeartland(b.id);
    expect(ra).toMatchObject({ outcome: 'done' });
    expect(rb).toMatchObject({ outcome: 'skipped', reason: 'held' });
    expect(await heartlandByEmail(email)).toHaveLength(1);
    const reports = await listCustomerDuplicates(h.deps);
    const mine = reports.find((r) => r.email === email);
    expect(mine).toMatchObject({ system: 'commerce', ids: [String(a.id), String(b.id)], kept: String(a.id), policy: 'report' });
    // A person deletes the second Magento record: the report closes.
    expect((await h.magentoApi('DELETE', `customers/${b.id}`)).status).toBe(200);
    expect((await listCustomerDuplicates(h.deps)).find((r) => r.email === email)).toBeUndefined();
  });

  it('a Heartland-only customer is not created in Magento unless the setting is on', async () => {
    const email = `pos${seq}@example.com`;
    const created = await h.heartlandApi('POST', 'customers', { first_name: 'Pat', last_name: 'Till', email });
    const id = Number(created.headers.get('location')!.split('/').pop());
    expect(await toCommerce(id)).toMatchObject({ outcome: 'skipped', reason: 'filtered' });
    await saveConnectorSettings(h.platform.state, { customers: { createInMagento: true } });
    try {
      expect(await toCommerce(id)).toMatchObject({ outcome: 'done', action: 'created' });
      expect((await h.commerce.customers.findByEmail(email)).length).toBe(1);
    } finally {
      await saveConnectorSettings(h.platform.state, { customers: { createInMagento: false } });
    }
  });

  it('edits on both sides in one cycle: newest wins per field group and is recorded; a one-sided group merges', async () => {
    await saveConnectorSettings(h.platform.state, { customers: { attributeMap: [{ heartlandField: 'loyalty_points', magentoAttribute: 'loyalty_points' }] } });
    try {
      const m = await magentoCustomer(`cy${seq}@example.com`, 'Cy', 'Old');
      await toHeartland(m.id);
      const [hc] = await heartlandByEmail(`cy${seq}@example.com`);
      // Heartland edits the names and the loyalty points; Magento, a second later, the names too.
      await h.heartlandApi('PUT', `customers/${hc.id}`, { first_name: 'Cyrus', custom: { loyalty_points: 120 } });
      await new Promise((r) => setTimeout(r, 1100));
      const current = await h.commerce.customers.get(m.id);
      await h.commerce.customers.update(m.id, { ...current, lastname: 'New' } as never);

      expect(await toCommerce(hc.id)).toMatchObject({ outcome: 'done', action: 'updated' });
      const mag = await h.commerce.customers.get(m.id);
      expect([mag.firstname, mag.lastname]).toEqual(['Cy', 'New']); // Magento's newer name edit wins the names group
      expect(mag.custom_attributes?.find((a) => a.attribute_code === 'loyalty_points')?.value).toBe('120'); // only Heartland changed it
      const conflicts = await listCustomerConflicts(h.platform.files);
      const mine = conflicts.find((c) => c.target.id === String(m.id));
      expect(mine?.decisions).toEqual([expect.objectContaining({ group: 'names', winner: 'commerce', incoming: { firstName: 'Cyrus', lastName: 'Old' } })]);

      // Magento's winning names still travel to Heartland: that write is not mistaken for an echo.
      expect(await toHeartland(m.id)).toMatchObject({ outcome: 'done', action: 'updated' });
      const hl = await h.hl.customers.get(hc.id);
      expect([hl.first_name, hl.last_name]).toEqual(['Cy', 'New']);
      expect(hl.custom?.loyalty_points).toBe(120);
      // And now both sides are in step: the next round is quiet.
      expect(await toCommerce(hc.id)).toMatchObject({ outcome: 'skipped', reason: 'echo' });
    } finally {
      await saveConnectorSettings(h.platform.state, { customers: { attributeMap: [] } });
    }
  });
  it('a Heartland customer the order flow created from an older order loses to a Magento edit, whichever direction runs first', async () => {
    // Soak finding: Magento renamed the shopper, then the order flow created the Heartland customer
    // from the order (the old name, with our reference, a newer timestamp) and "newest wins" kept it.
    for (const firstDirection of ['to-commerce', 'to-heartland'] as const) {
      const email = `ada${seq}-${firstDirection}@example.com`;
      const m = await magentoCustomer(email, 'Ada', 'Lovelace');
      const current = await h.commerce.customers.get(m.id);
      await h.commerce.customers.update(m.id, { ...current, lastname: 'Khan' } as never);
      await new Promise((r) => setTimeout(r, 1100));
      const created = await h.heartlandApi('POST', 'customers', { first_name: 'Ada', last_name: 'Lovelace', email, custom: { magento_customer_id: String(m.id) } });
      const hid = Number(String(created.headers.get('location')).split('/').pop());
      const before = (await listCustomerConflicts(h.platform.files)).length;
      if (firstDirection === 'to-commerce') {
        expect((await toCommerce(hid)).outcome).not.toBe('dead-lettered');
        expect((await toHeartland(m.id)).outcome).toBe('done');
      } else {
        expect((await toHeartland(m.id)).outcome).toBe('done');
        expect((await toCommerce(hid)).outcome).not.toBe('dead-lettered');
      }
      expect((await h.commerce.customers.get(m.id)).lastname).toBe('Khan');
      expect((await h.hl.customers.get(hid)).last_name).toBe('Khan');
      // Nothing was in dispute: no conflict recorded.
      expect((await listCustomerConflicts(h.platform.files)).length).toBe(before);
    }
  }, 30_000);
});
