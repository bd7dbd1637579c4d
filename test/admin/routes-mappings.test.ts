/** admin-api mappings, settings (connection values from inputs only) and flow filters, through main(). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  filterPreviewResponse,
  mappingsResponse,
  previewMappingResponse,
  saveMappingResponse,
  settings as settingsSchema,
  suggestionsResponse,
  validateMappingResponse,
  type MappingDocument,
} from '../../lib/admin/contract';
import { createConnector } from '../../lib/connector/connector';
import { createMappingRepository } from '../../lib/mapping/repository';
import { VALUE_MAP_NAMES } from '../../lib/mapping/defaults/value-maps';
import { runRegisteredUnits } from '../../lib/sync';
import { expectShape, sourceOrders, startHarness, testArea, type Harness } from './harness';

let h: Harness;
const PAYMENT = VALUE_MAP_NAMES.paymentTypeForMethod;

async function currentDocument(): Promise<{ version: number; document: MappingDocument }> {
  return expectShape(mappingsResponse, (await h.call('GET', '/mappings')).body);
}
const orderBlock = (doc: MappingDocument) => doc.entities.findIndex((e) => e.entity === 'order' && e.direction === 'commerce-to-heartland');

beforeAll(async () => {
  h = await startHarness();
  const seeded = await fetch(`${h.commerce.url}__sim/seed`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ products: 3, customers: 1, orders: 2 }) });
  expect(seeded.ok).toBe(true);
}, 20_000);
afterAll(() => h?.close());

describe('mappings', () => {
  it('starts at version 1 (the defaults) with every entity block and its value maps', async () => {
    const { version, document } = await currentDocument();
    expect(version).toBe(1);
    const block = document.entities[orderBlock(document)];
    expect(block.valueMaps[PAYMENT]).toBeDefined();
    expect((block as Record<string, unknown>).filter).toMatchObject({ field: 'status', op: 'in' });
    expect(document.entities.map((e) => `${e.entity}:${e.direction}`)).toEqual(expect.arrayContaining(['product:heartland-to-commerce', 'customer:commerce-to-heartland', 'stock:heartland-to-commerce']));
    const history = expectShape(mappingsResponse, (await h.call('GET', '/mappings')).body).history;
    expect(history).toEqual([expect.objectContaining({ version: 1, note: 'connector defaults' })]);
  });

  it('validates: problems at the panel paths, 200 either way', async () => {
    const { document } = await currentDocument();
    const i = orderBlock(document);
    const ok = expectShape(validateMappingResponse, (await h.call('POST', '/mappings/validate', { body: { document } })).body);
    expect(ok).toEqual({ valid: true, errors: [] });
    const bad = structuredClone(document);
    bad.entities[i].rules.push({ target: 'custom.channel', source: 'lines[' });
    const result = expectShape(validateMappingResponse, (await h.call('POST', '/mappings/validate', { body: { document: bad } })).body);
    expect(result.valid).toBe(false);
    expect(result.errors[0].path).toBe(`entities.${i}.rules.${bad.entities[i].rules.length - 1}.source`);
  });

  it('saves a payment value-map edit as a new version that the flows run with; rolls back', async () => {
    const { document } = await currentDocument();
    const i = orderBlock(document);
    const edited = structuredClone(document);
    edited.entities[i].valueMaps[PAYMENT] = { ...edited.entities[i].valueMaps[PAYMENT], checkmo: '12' };
    edited.entities[i].rules.push({ target: 'notes', source: 'customer_note' });
    const saved = expectShape(saveMappingResponse, (await h.call('POST', '/mappings', { body: { document: edited, note: 'check payments as type 12' } })).body);
    expect(saved.version).toBe(2);
    const effective = await createMappingRepository(h.platform.state).effective();
    expect(effective.valueMaps[PAYMENT].entries.checkmo).toBe(12);
    expect(effective.entities.order?.fromCommerce?.rules).toEqual([expect.objectContaining({ kind: 'copy', target: 'notes', source: 'customer_note' })]);
    // The default "only paid orders" filter is still in force: it was not changed.
    expect(effective.entities.order?.toHeartland?.filter).toMatchObject({ field: 'status', op: 'in' });
    const after = await currentDocument();
    expect(after.document.entities[i].valueMaps[PAYMENT].checkmo).toBe(12);
    // The flows layer the settings' payment map over the document, so the edit lands there too.
    const settings = expectShape(settingsSchema, (await h.call('GET', '/settings')).body);
    expect(settings.paymentMethodMap).toContainEqual({ magentoCode: 'checkmo', paymentTypeId: '12' });
    await h.call('PUT', '/settings', { body: { paymentMethodMap: [{ magentoCode: 'checkmo', paymentTypeId: '31' }] } });
    expect((await currentDocument()).document.entities[i].valueMaps[PAYMENT].checkmo).toBe(31);
    await h.call('PUT', '/settings', { body: { paymentMethodMap: [] } });

    const invalid = structuredClone(edited);
    invalid.entities[i].rules.push({ target: 'x[]', source: 'a' });
    const refused = await h.call('POST', '/mappings', { body: { document: invalid } });
    expect(refused.status).toBe(400);
    expect(refused.body.error.field).toMatch(new RegExp(`^document\\.entities\\.${i}\\.rules\\.\\d+\\.target$`));

    const rolled = expectShape(saveMappingResponse, (await h.call('POST', '/mappings/rollback', { body: { version: 1 } })).body);
    expect(rolled.version).toBe(3);
    expect((await createMappingRepository(h.platform.state).effective()).valueMaps[PAYMENT].entries.checkmo).not.toBe(12);
    expect((await h.call('POST', '/mappings/rollback', { body: { version: 99 } })).status).toBe(404);
    expect((await h.call('POST', '/mappings/rollback', { body: { version: 'one' } })).body.error.field).toBe('version');
  });

  it('previews the newest real order and a pasted sample; names bad entity and direction', async () => {
    const live = expectShape(previewMappingResponse, (await h.call('POST', '/mappings/preview', { body: { entity: 'order', direction: 'commerce-to-heartland' } })).body);
    expect(live.errors ?? []).toEqual([]);
    // Seeded orders are pending: the default filter skips them, with its reason; paid ones map to requests.
    expect(live.skipped?.reason ?? JSON.stringify(live.output)).toMatch(/sales\/orders|paid orders/);
    const sample = expectShape(previewMappingResponse, (await h.call('POST', '/mappings/preview', { body: { entity: 'product', direction: 'heartland-to-commerce', sample: { id: 5, public_id: 'SKU-5', description: 'Mug', price: 9.5, active: true } } })).body);
    expect(JSON.stringify(sample.output)).toMatch(/SKU-5/);
    expect((await h.call('POST', '/mappings/preview', { body: { entity: 'spaceship', direction: 'commerce-to-heartland' } })).body.error.field).toBe('entity');
    expect((await h.call('POST', '/mappings/preview', { body: { entity: 'product', direction: 'commerce-to-heartland' } })).body.error.field).toBe('direction');
    expect((await h.call('POST', '/mappings/preview', { body: { entity: 'order', direction: 'sideways' } })).body.error.field).toBe('direction');
  });

  it('suggests source fields for canonical fields from the newest real record', async () => {
    const list = expectShape(suggestionsResponse, (await h.call('GET', '/mappings/suggestions', { query: { entity: 'order', direction: 'commerce-to-heartland' } })).body);
    expect(list.length).toBeGreaterThan(0);
    for (const s of list) {
      expect(s.reason.length).toBeGreaterThan(0);
      // Every suggestion can become a rule: no per-line targets.
      expect(s.target).not.toContain('[]');
    }
    expect((await h.call('GET', '/mappings/suggestions', { query: { entity: 'customer' } })).body.error.field).toBe('direction');
  });
});

describe('settings', () => {
  it('shows connection values from the inputs and secrets only as {set}', async () => {
    const res = await h.call('GET', '/settings');
    const s = expectShape(settingsSchema, res.body);
    expect(s.heartland).toMatchObject({ baseUrl: h.inputs.HEARTLAND_BASE_URL, apiToken: { set: true }, webhookSecret: { set: true } });
    expect(s.commerce).toMatchObject({ authKind: 'oauth1', consumerKey: 'sandbox-commerce-consumer-key', consumerSecret: { set: true } });
    const text = JSON.stringify(res.body);
    for (const name of ['HEARTLAND_API_TOKEN', 'HEARTLAND_WEBHOOK_SECRET', 'COMMERCE_CONSUMER_SECRET', 'COMMERCE_ACCESS_TOKEN', 'COMMERCE_ACCESS_TOKEN_SECRET']) {
      expect(text).not.toContain(h.inputs[name]);
    }
  });

  it('saves operational settings; the panel may echo connection values it was shown', async () => {
    const shown = expectShape(settingsSchema, (await h.call('GET', '/settings')).body);
    const saved = expectShape(settingsSchema, (await h.call('PUT', '/settings', { body: {
      heartland: { baseUrl: shown.heartland.baseUrl, ratePerSecond: shown.heartland.ratePerSecond },
      commerce: { baseUrl: shown.commerce.baseUrl, authKind: shown.commerce.authKind, consumerKey: shown.commerce.consumerKey },
      stationId: '7', sourceLocationId: '',
      paymentMethodMap: [{ magentoCode: 'checkmo', paymentTypeId: '12' }],
      wipeGuard: { maxSkuShare: 0.3 }, schedules: { pollSeconds: 120 }, flowsEnabled: { order: false },
    } })).body);
    expect(saved).toMatchObject({ stationId: '7', sourceLocationId: '', paymentMethodMap: [{ magentoCode: 'checkmo', paymentTypeId: '12' }], wipeGuard: { maxSkuShare: 0.3, maxUnitShare: 0.5 }, schedules: { pollSeconds: 120 }, flowsEnabled: { order: false } });
    expect(expectShape(settingsSchema, (await h.call('GET', '/settings')).body).stationId).toBe('7');
    await h.call('PUT', '/settings', { body: { flowsEnabled: { order: true } } });
  });

  it('refuses invalid values and any change to connection values or secrets, naming the field', async () => {
    const share = await h.call('PUT', '/settings', { body: { wipeGuard: { maxSkuShare: 1.5 } } });
    expect(share.status).toBe(400);
    expect(share.body.error).toMatchObject({ code: 'invalid_request', field: 'wipeGuard.maxSkuShare' });
    expect(share.body.error.message).toMatch(/^wipeGuard\.maxSkuShare: /);
    const url = await h.call('PUT', '/settings', { body: { heartland: { baseUrl: 'https://evil.example/api' } } });
    expect(url.body.error.field).toBe('heartland.baseUrl');
    expect(url.body.error.message).toMatch(/App Builder action inputs.*hcc setup/);
    const secret = await h.call('PUT', '/settings', { body: { commerce: { accessToken: 'stolen' } } });
    expect(secret.body.error.field).toBe('commerce.accessToken');
    expect((await h.call('PUT', '/settings', { body: { commerce: { consumerSecret: null } } })).body.error.field).toBe('commerce.consumerSecret');
    expect((await h.call('PUT', '/settings', { body: { colour: 'blue' } })).status).toBe(400);
    expect((await h.call('PUT', '/settings', { body: { schedules: { pollSeconds: 5 } } })).body.error.field).toBe('schedules.pollSeconds');
    // Nothing of the refused requests was stored.
    expect(JSON.stringify(await h.platform.state.get('cfg.settings'))).not.toMatch(/stolen|evil/);
  });

  it('flow filters are stored in the mapping document, read back, kept by a mapping save, and previewed on recent units', async () => {
    const connector = createConnector({ inputs: h.inputs, platform: h.platform, areas: [testArea], env: {} });
    sourceOrders.set('200001', { increment_id: '200001', status: 'processing', customer_email: 'a@example.com', grand_total: 10, items: [{ sku: 'SKU-1', qty: 1 }] });
    sourceOrders.set('200002', { increment_id: '200002', status: 'canceled', customer_email: 'b@example.com', grand_total: 10, items: [{ sku: 'SKU-1', qty: 1 }] });
    await runRegisteredUnits(['200001', '200002'].map((key) => ({ flow: 'order', key, trigger: 'event' as const })), connector.deps);

    const conditions = [{ field: 'status', op: 'notIn' as const, value: ['canceled', 'closed'] }, { field: 'customer_email', op: 'contains' as const, value: '@example.com' }];
    const saved = expectShape(settingsSchema, (await h.call('PUT', '/settings', { body: { flowFilters: { order: conditions } } })).body);
    expect(saved.flowFilters.order).toEqual(conditions);
    const effective = await createMappingRepository(h.platform.state).effective();
    expect(JSON.stringify(effective.entities.order?.toHeartland?.filter)).toMatch(/only paid orders.*flow:order/);

    // Saving the mapping from the Mappings page keeps the flow's conditions.
    const { document } = await currentDocument();
    await h.call('POST', '/mappings', { body: { document, note: 'no change' } });
    expect(expectShape(settingsSchema, (await h.call('GET', '/settings')).body).flowFilters.order).toEqual(conditions);

    const preview = expectShape(filterPreviewResponse, (await h.call('POST', '/flows/order/filters/preview', { body: { conditions: [conditions[0]] } })).body);
    const byKey = Object.fromEntries(preview.items.map((i) => [i.key, i]));
    expect(byKey['200001'].passes).toBe(true);
    expect(byKey['200002']).toMatchObject({ passes: false, failedCondition: 'status notIn ["canceled","closed"]' });
    expect(preview.passed).toBe(preview.items.filter((i) => i.passes).length);

    const bad = await h.call('PUT', '/settings', { body: { flowFilters: { order: [{ field: 'lines[', op: 'equals', value: 'x' }] } } });
    expect(bad.body.error.field).toBe('flowFilters.order.0.field');
    expect((await h.call('PUT', '/settings', { body: { flowFilters: { nope: [] } } })).body.error.field).toBe('flowFilters.nope');
    expect((await h.call('POST', '/flows/order/filters/preview', { body: { conditions: [{ field: 'status', op: 'near' }] } })).body.error.field).toBe('conditions.0.op');

    const cleared = expectShape(settingsSchema, (await h.call('PUT', '/settings', { body: { flowFilters: { order: [] } } })).body);
    expect(cleared.flowFilters.order).toBeUndefined();
    expect((await createMappingRepository(h.platform.state).effective()).entities.order?.toHeartland?.filter).toMatchObject({ field: 'status', op: 'in' });
  });
});
