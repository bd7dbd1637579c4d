import { describe, expect, it } from 'vitest';
import { nameSimilarity, proposeMaps, applyConfigChoices, SetupChoiceError, parseSetupConfig, customFieldFindings } from '../../lib/onboarding';
import type { CommerceDiscovery, HeartlandDiscovery } from '../../lib/onboarding';
import { parseConnectorSettings } from '../../lib/config/connector-settings';

const heartland: HeartlandDiscovery = {
  locations: [
    { id: '100001', name: 'Main Street', publicId: '1', active: true, stations: [{ id: '100011', name: 'Station 1', active: true }] },
    { id: '100002', name: 'Harbor Mall', publicId: '2', active: true, stations: [{ id: '100012', name: 'Station 1', active: true }] },
    { id: '100003', name: 'Warehouse 9', publicId: '3', active: true, stations: [] },
    { id: '100004', name: 'Closed Shop', publicId: '4', active: false, stations: [] },
  ],
  paymentTypes: [
    { id: '1', name: 'Web', active: true },
    { id: '2', name: 'External', active: true },
    { id: '3', name: 'Gift Card', active: true },
    { id: '4', name: 'PayPal', active: true },
    { id: '5', name: 'Check', active: true },
  ],
  shippingMethods: [
    { id: '11', name: 'Ground', active: true },
    { id: '12', name: 'Express', active: true },
    { id: '13', name: 'Store Pickup', active: true },
  ],
  customFields: [],
};
const commerce: CommerceDiscovery = {
  sources: [
    { code: 'default', name: 'Default Source', enabled: true },
    { code: 'main_street', name: 'Main Street (Heartland)', enabled: true },
    { code: 'harbor', name: 'Harbor Mall Store', enabled: true },
  ],
  stocks: [{ id: '1', name: 'Default Stock' }],
  paymentMethods: ['checkmo', 'banktransfer', 'paypal_express'],
  shippingMethods: ['flatrate_flatrate', 'instore_pickup'],
  recentOrders: [],
  ordersRead: 3,
};

describe('nameSimilarity', () => {
  it('matches names, codes and contained words; not unrelated names', () => {
    expect(nameSimilarity('Main Street', 'main_street')).toBe(1);
    expect(nameSimilarity('Main Street', 'Main Street (Heartland)')).toBeGreaterThanOrEqual(0.6);
    expect(nameSimilarity('Check / Money order', 'Check')).toBeGreaterThanOrEqual(0.6);
    expect(nameSimilarity('Warehouse 9', 'Harbor Mall Store')).toBeLessThan(0.6);
    expect(nameSimilarity('', 'x')).toBe(0);
  });
});

describe('proposeMaps', () => {
  it('proposes locations by name, fulfilment location and station, payment/shipping maps with fallbacks, gift card type', () => {
    const p = proposeMaps(heartland, commerce);
    expect(p.locationToSource.map((x) => x.value)).toEqual([
      { locationId: '100001', sourceCode: 'main_street' },
      { locationId: '100002', sourceCode: 'harbor' },
    ]);
    expect(p.gaps.join('\n')).toContain('"Warehouse 9"');
    expect(p.gaps.join('\n')).not.toContain('Closed Shop');
    expect(p.sourceLocationId?.value).toBe('100001');
    expect(p.stationId?.value).toBe('100011');
    const payments = Object.fromEntries(p.paymentMethodMap.map((x) => [x.value.magentoCode, x.value.paymentTypeId]));
    expect(payments).toMatchObject({ checkmo: '5', paypal_express: '4', '*': '1' });
    expect(payments.banktransfer).toBeUndefined();
    expect(p.gaps.join('\n')).toContain('"banktransfer"');
    const shipping = Object.fromEntries(p.shippingMethodMap.map((x) => [x.value.magentoCode, x.value.heartlandShippingMethodId]));
    expect(shipping).toMatchObject({ instore_pickup: '13', '*': '11' });
    expect(p.giftCardPaymentTypeId?.value).toBe('3');
    for (const x of p.locationToSource) expect(x.reason).toMatch(/is like source/);
  });

  it('keeps what the stored settings already say (a re-run does not undo edits)', () => {
    const stored = parseConnectorSettings({
      stationId: '100012',
      sourceLocationId: '100002',
      locationToSource: [{ locationId: '100001', sourceCode: 'harbor' }],
      paymentMethodMap: [{ magentoCode: 'checkmo', paymentTypeId: '2' }],
    });
    const p = proposeMaps(heartland, commerce, stored);
    expect(p.locationToSource[0]).toMatchObject({ value: { locationId: '100001', sourceCode: 'harbor' }, reason: 'kept from the stored settings' });
    expect(p.stationId?.value).toBe('100012');
    expect(p.sourceLocationId?.value).toBe('100002');
    expect(p.paymentMethodMap.find((x) => x.value.magentoCode === 'checkmo')?.value.paymentTypeId).toBe('2');
  });
});

describe('applyConfigChoices', () => {
  const proposal = proposeMaps(heartland, commerce);
  const choices = (c: unknown) => parseSetupConfig({ heartland: { baseUrl: 'h', apiToken: 't' }, commerce: { baseUrl: 'c' }, choices: c }, 'cfg.json').choices;

  it('takes names or ids and overrides the proposal', () => {
    const chosen = applyConfigChoices(proposal, choices({ locationToSource: { 'Warehouse 9': 'default' }, paymentMethodMap: { banktransfer: 'External' }, giftCardPaymentType: null, stationId: 'Station 1' }), heartland, commerce);
    expect(chosen.locationToSource).toContainEqual({ locationId: '100003', sourceCode: 'default' });
    expect(chosen.paymentMethodMap).toContainEqual({ magentoCode: 'banktransfer', paymentTypeId: '2' });
    expect(chosen.giftCardPaymentTypeId).toBeNull();
    expect(chosen.stationId).toBe('100011');
  });

  it('names the field when a choice matches nothing', () => {
    expect(() => applyConfigChoices(proposal, choices({ paymentMethodMap: { checkmo: 'Cash' } }), heartland, commerce)).toThrow(SetupChoiceError);
    expect(() => applyConfigChoices(proposal, choices({ paymentMethodMap: { checkmo: 'Cash' } }), heartland, commerce)).toThrow(/choices\.paymentMethodMap\.checkmo: no Heartland payment type has the id or name "Cash"/);
    expect(() => applyConfigChoices(proposal, choices({ locationToSource: { 'Main Street': 'nowhere' } }), heartland, commerce)).toThrow(/Magento has no MSI source "nowhere"/);
  });
});

describe('proposeMaps with a single-source store', () => {
  it('sends every location to the only source; with several sources a dissimilar location stays unmapped', () => {
    const single = proposeMaps(heartland, { ...commerce, sources: [{ code: 'default', name: 'Default Source', enabled: true }] });
    expect(single.locationToSource.map((x) => x.value.sourceCode)).toEqual(['default', 'default', 'default']);
    expect(single.locationToSource[2]!.reason).toBe('the only MSI source');
    const two = proposeMaps(heartland, { ...commerce, sources: [{ code: 'default', name: 'Default Source', enabled: true }, { code: 'main_street', name: 'Main Street', enabled: true }] });
    expect(two.locationToSource.map((x) => x.value)).toEqual([{ locationId: '100001', sourceCode: 'main_street' }]);
  });
});

describe('customFieldFindings', () => {
  it('names each missing custom field with its group and where to add it; the order reference is an error', () => {
    const settings = parseConnectorSettings({});
    const none = customFieldFindings(heartland, settings);
    expect(none.map((f) => [f.missing, f.level])).toEqual([
      ['sales.transaction:ecommerce_number', 'error'],
      ['customer:magento_customer_id', 'warning'],
      ['sales.transaction:tracking_number', 'warning'],
      ['sales.transaction:shipping_carrier', 'warning'],
    ]);
    expect(none[0]!.fix).toContain('Settings → Custom fields → Sales transactions');
    const all = customFieldFindings(
      { ...heartland, customFields: [['ecommerce_number', 'sales.transaction'], ['magento_customer_id', 'customer'], ['tracking_number', 'sales.transaction'], ['shipping_carrier', 'sales.transaction']].map(([key, group], i) => ({ id: String(i), key: key!, group: group! })) },
      settings,
    );
    expect(all).toEqual([]);
  });
});
