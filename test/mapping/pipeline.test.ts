import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseMappingDocument } from '../../lib/mapping/document';
import { defaultMappingDocument } from '../../lib/mapping/defaults/document';
import { layerMapping } from '../../lib/mapping/layering';
import { mapEntity, type MapRequest } from '../../lib/mapping/pipeline';
import type { PlannedRequest } from '../../lib/model/planned-request';
import { buildMagentoOrder, asEvent } from '../mappers/magento-order-builder';

const fixture = (system: string, name: string) => JSON.parse(readFileSync(new URL(`../fixtures/${system}/${name}`, import.meta.url), 'utf8'));
const withOverrides = (over: unknown) => {
  const parsed = parseMappingDocument(over);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return layerMapping(defaultMappingDocument(), parsed.document);
};
const run = (req: Partial<MapRequest> & Pick<MapRequest, 'entity' | 'from' | 'input'>) => mapEntity({ to: 'canonical', document: defaultMappingDocument(), ...req });

describe('mapEntity', () => {
  it('maps to canonical and reports what the outbound filter would do', () => {
    const out = run({ entity: 'order', from: 'commerce', input: fixture('commerce', 'order-rest.json') });
    expect(out.status).toBe('mapped');
    if (out.status !== 'mapped') return;
    expect(out.output).toMatchObject({ externalId: '000000003', status: 'new' });
    expect(out.filter).toEqual({ direction: 'toHeartland', decision: { run: false, reason: 'only paid orders go to Heartland: status is "new", expected one of ["processing","complete"]' } });
  });

  it('skips with the reason when the filter says no, and plans requests when it says yes', () => {
    const pending = run({ entity: 'order', from: 'commerce', to: 'heartland', input: fixture('commerce', 'order-rest.json') });
    expect(pending).toMatchObject({ status: 'skipped', direction: 'toHeartland', reason: expect.stringContaining('status is "new"') });
    const paid = run({ entity: 'order', from: 'commerce', to: 'heartland', input: asEvent(buildMagentoOrder({ items: [{ kind: 'simple', sku: 'A', qty: 1, price: 5 }] })) });
    expect(paid.status).toBe('mapped');
    if (paid.status === 'mapped') expect((paid.output as PlannedRequest[]).some((r) => r.path === '/sales/orders')).toBe(true);
  });

  it('applies merchant filters: skip wholesale orders', () => {
    const document = withOverrides({ entities: { order: { toHeartland: { filter: { description: 'skip wholesale', field: 'customer.groupId', op: 'neq', value: '2' } } } } });
    const order = { ...buildMagentoOrder({ items: [{ kind: 'simple', sku: 'A', qty: 1, price: 5 }] }), customer_group_id: 2 };
    expect(mapEntity({ entity: 'order', from: 'commerce', to: 'heartland', input: order, document })).toMatchObject({ status: 'skipped', reason: 'skip wholesale: customer.groupId is "2", expected not equal to "2"' });
  });

  it('applies toHeartland rules to the order body and value maps to payment types', () => {
    const document = withOverrides({
      valueMaps: { 'payment.method.commerceToHeartland': { entries: { checkmo: 100010 } }, channel: { entries: { '1': 'web-us' }, default: 'web' } },
      entities: {
        order: {
          toHeartland: {
            rules: [
              { kind: 'lookup', target: 'custom.channel', source: 'storeId', map: 'channel' },
              { kind: 'template', target: 'sales_rep', template: 'Web {{customer.lastName}}' },
              { kind: 'copy', target: 'custom.coupon', source: 'couponCode', transforms: [{ op: 'default', value: 'none' }, 'upper'] },
            ],
          },
        },
      },
    });
    const out = mapEntity({ entity: 'order', from: 'commerce', to: 'heartland', input: buildMagentoOrder({ items: [{ kind: 'simple', sku: 'A', qty: 1, price: 5 }] }), document, context: { stationId: 1, sourceLocationId: 2, customerId: 3, billingAddressId: 4, shippingAddressId: 4 } });
    if (out.status !== 'mapped') throw new Error(JSON.stringify(out));
    const requests = out.output as PlannedRequest[];
    expect(requests.find((r) => r.path === '/sales/orders')?.body).toMatchObject({ sales_rep: 'Web Doe', station_id: 1, custom: { ecommerce_number: '000000009', source_system: 'magento', channel: 'web-us', coupon: 'NONE' } });
    expect(requests.find((r) => r.path.endsWith('/payments'))?.body).toMatchObject({ payment_type_id: 100010 });
  });

  it('applies fromHeartland rules: custom fields → product attributes, then to Magento custom attributes', () => {
    const document = withOverrides({ entities: { product: { fromHeartland: { rules: [{ kind: 'copy', target: 'attributes.upc', source: 'custom.upc' }, { kind: 'copy', target: 'name', source: 'custom.style_name' }] } } } });
    const out = mapEntity({ entity: 'product', from: 'heartland', to: 'commerce', input: fixture('heartland', 'item.json'), document });
    if (out.status !== 'mapped') throw new Error(JSON.stringify(out));
    expect(out.canonical).toMatchObject({ name: 'Derek Shoe', attributes: { color: 'Black', size: '10', upc: '012345678905' } });
    expect(out.applied).toEqual(['product.color', 'product.size', 'entities.product.fromHeartland.rules[2] → attributes.upc', 'entities.product.fromHeartland.rules[3] → name']);
  });

  it('skips products a merchant keeps off the web (custom field web = yes)', () => {
    const document = withOverrides({
      entities: {
        product: {
          fromHeartland: { rules: [{ kind: 'copy', target: 'attributes.web', source: 'custom.web', transforms: ['lower'] }] },
          toCommerce: { filter: { description: 'only items marked for the web', field: 'attributes.web', op: 'eq', value: 'yes' } },
        },
      },
    });
    const item = fixture('heartland', 'item.json');
    expect(mapEntity({ entity: 'product', from: 'heartland', to: 'commerce', input: item, document })).toMatchObject({ status: 'skipped', reason: 'only items marked for the web: attributes.web is missing, expected equal to "yes"' });
    expect(mapEntity({ entity: 'product', from: 'heartland', to: 'commerce', input: { ...item, custom: { ...item.custom, web: 'YES' } }, document })).toMatchObject({ status: 'mapped' });
  });

  it('re-validates the canonical entity after merchant rules', () => {
    const document = withOverrides({ entities: { product: { fromHeartland: { rules: [{ kind: 'constant', target: 'price', value: 'free' }] } } } });
    expect(mapEntity({ entity: 'product', from: 'heartland', to: 'canonical', input: fixture('heartland', 'item.json'), document })).toEqual({
      status: 'invalid', warnings: [], issues: [{ path: 'price', message: 'expected a number, got "free" (after the fromHeartland mapping rules)' }],
    });
  });

  it('plans stock per MSI source with the location map', () => {
    const document = withOverrides({ valueMaps: { 'location.heartlandToSource': { entries: { '100005': 'central' } } } });
    const input = { results: [{ item_id: 100777, location_id: 100005, qty_on_hand: 7, qty_committed: 2, qty_available: 5, item: { id: 100777, public_id: '100001' } }], total: 1, pages: 1 };
    const out = mapEntity({ entity: 'stock', from: 'heartland', to: 'commerce', input, document });
    expect(out).toMatchObject({ status: 'mapped', output: [{ method: 'POST', path: '/V1/inventory/source-items', body: { sourceItems: [{ sku: '100001', source_code: 'central', quantity: 5, status: 1 }] } }] });
  });

  it('filters stock levels one by one', () => {
    const document = withOverrides({ entities: { stock: { toCommerce: { filter: { field: 'sku', op: 'regex', value: '^WEB-' } } } } });
    const row = (item_id: number, sku: string) => ({ item_id, location_id: 1, qty_on_hand: 3, qty_committed: 0, qty_available: 3, item: { id: item_id, public_id: sku } });
    const out = mapEntity({ entity: 'stock', from: 'heartland', to: 'commerce', input: [row(1, 'WEB-1'), row(2, 'STORE-2')], document });
    if (out.status !== 'mapped') throw new Error(JSON.stringify(out));
    expect((out.output as Array<{ body: { sourceItems: Array<{ sku: string }> } }>)[0].body.sourceItems.map((s) => s.sku)).toEqual(['WEB-1']);
    expect(out.warnings).toEqual(['skipped STORE-2: sku is "STORE-2", expected matching "^WEB-"']);
    expect(mapEntity({ entity: 'stock', from: 'heartland', to: 'commerce', input: [row(2, 'STORE-2')], document })).toMatchObject({ status: 'skipped', reason: 'every entry was filtered out (1)' });
  });

  it('maps canonical JSON to a target', () => {
    const canonical = run({ entity: 'customer', from: 'commerce', input: fixture('commerce', 'customer.json') });
    if (canonical.status !== 'mapped') throw new Error('customer');
    const out = run({ entity: 'customer', from: 'canonical', to: 'heartland', input: canonical.output });
    expect(out).toMatchObject({ status: 'mapped', output: [{ method: 'POST', path: '/customers' }, { method: 'POST' }] });
    expect(run({ entity: 'order', from: 'canonical', to: 'heartland', input: { externalId: '1', lines: [{ sku: 'A', qty: 'abc' }] } })).toMatchObject({
      status: 'invalid', issues: expect.arrayContaining([{ path: 'lines[0].qty', message: 'expected a number, got "abc"' }]),
    });
  });

  it('takes Magento order item ids from the canonical order for shipments', () => {
    const order = run({ entity: 'order', from: 'commerce', input: fixture('commerce', 'order-rest.json') });
    if (order.status !== 'mapped') throw new Error('order');
    const out = run({ entity: 'shipment', from: 'heartland', to: 'commerce', input: fixture('heartland', 'invoice.json'), context: { order: order.output as never, orderId: 3, skuForItem: () => 'WJ01-S-Red' } });
    expect(out).toMatchObject({ status: 'mapped', output: [{ path: '/V1/order/3/ship', body: { items: [{ order_item_id: 4, qty: 2 }] } }] });
  });

  it.each([
    [{ entity: 'order', from: 'heartland', input: {} }, 'order is read from commerce, not heartland'],
    [{ entity: 'product', from: 'heartland', to: 'heartland', input: {} }, 'product is written to commerce, not heartland'],
    [{ entity: 'customer', from: 'commerce', to: 'commerce', input: {} }, 'customer: --from and --to are both commerce'],
  ] as const)('refuses unsupported directions %#', (req, message) => {
    expect(run(req as Parameters<typeof run>[0])).toEqual({ status: 'unsupported', message });
  });
});
