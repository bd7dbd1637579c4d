/**
 * admin-api through main(): auth, routing errors, status, metrics, activity, dead letters,
 * anomalies and sync now, on an in-memory platform with a real pipeline flow.
 */
import type { AdminHooks } from '../../lib/admin/context';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  activityResponse,
  anomaliesResponse,
  anomalyDecisionResponse,
  deadLetterDetail,
  deadLettersResponse,
  discardResponse,
  metricsResponse,
  replayResponse,
  statusResponse,
  syncResponse,
} from '../../lib/admin/contract';
import { createConnector } from '../../lib/connector/connector';
import { createAnomalyRepository } from '../../lib/insights/anomaly/repository';
import { runRegisteredUnits } from '../../lib/sync';
import { expectShape, knownSkus, sourceOrders, startHarness, testArea, written, type Harness } from './harness';

let h: Harness;

function order(id: string, skus: string[], status = 'processing') {
  sourceOrders.set(id, { increment_id: id, status, customer_email: `${id}@example.com`, grand_total: 10 * skus.length, items: skus.map((sku) => ({ sku, qty: 1 })) });
}

async function runOrders(ids: string[]) {
  const connector = createConnector({ inputs: h.inputs, platform: h.platform, areas: [testArea], env: {} });
  return runRegisteredUnits(ids.map((key) => ({ flow: 'order', key, trigger: 'event' as const })), connector.deps);
}

beforeAll(async () => {
  h = await startHarness();
  order('100001', ['SKU-1']);
  order('100002', ['SKU-1', 'SKU-2']);
  order('100003', ['NOPE-9']);
  await runOrders(['100001', '100002', '100003']);
}, 20_000);
afterAll(() => h?.close());
beforeEach(() => {
  knownSkus.delete('NOPE-9');
});

describe('auth and routing', () => {
  it('401 without authorization or org header, naming the header', async () => {
    const noToken = await h.call('GET', '/status', { headers: { 'x-gw-ims-org-id': 'o@AdobeOrg' } });
    expect(noToken.status).toBe(401);
    expect(noToken.body.error.field).toBe('authorization');
    const noOrg = await h.call('GET', '/status', { headers: { authorization: 'Bearer x' } });
    expect(noOrg.status).toBe(401);
    expect(noOrg.body.error.field).toBe('x-gw-ims-org-id');
  });

  it('404 for an unknown route, 405 for a known path with another method', async () => {
    expect((await h.call('GET', '/nope')).status).toBe(404);
    const wrong = await h.call('DELETE', '/settings');
    expect(wrong.status).toBe(405);
    expect(wrong.body.error.message).toMatch(/GET, PUT/);
  });

  it('status without connection inputs names the missing ones instead of failing', async () => {
    const { createAdminApiHandler } = await import('../../lib/admin/router');
    const { defineWebAction } = await import('../../lib/runtime');
    const main = defineWebAction({ name: 'connector/admin-api', handle: createAdminApiHandler({ platform: h.platform, env: {} }) });
    const result = (await main({ __ow_method: 'get', __ow_path: '/status', __ow_headers: { authorization: 'Bearer t', 'x-gw-ims-org-id': 'o' } })) as { statusCode: number; body: unknown };
    const status = expectShape(statusResponse, result.body);
    expect(status.connections.heartland.configured).toBe(false);
    expect(status.connections.heartland.message).toMatch(/HEARTLAND_BASE_URL is not set/);
    const settings = (await main({ __ow_method: 'get', __ow_path: '/settings', __ow_headers: { authorization: 'Bearer t', 'x-gw-ims-org-id': 'o' } })) as { error: { statusCode: number } };
    expect(settings.error.statusCode).toBe(503);
  });
});

describe('status and metrics', () => {
  it('status counts the last 24 hours per flow, with DLQ depth and live connection checks', async () => {
    const res = await h.call('GET', '/status');
    expect(res.status).toBe(200);
    const status = expectShape(statusResponse, res.body);
    const flow = status.flows.find((f) => f.name === 'order')!;
    expect(flow).toMatchObject({ label: 'Web orders to Heartland', direction: 'commerce-to-heartland', enabled: true });
    expect(flow.counts.done).toBeGreaterThanOrEqual(2);
    expect(flow.counts.deadLettered).toBeGreaterThanOrEqual(1);
    expect(flow.dlqDepth).toBe(status.dlqDepth);
    expect(flow.steps.map((s) => s.name)).toEqual(['trigger', 'filters', 'mapping', 'target']);
    expect(flow.steps[0].count).toBe(flow.counts.done + flow.counts.skipped + flow.counts.retryScheduled + flow.counts.deadLettered);
    expect(flow.lastRunAt).not.toBeNull();
    expect(status.connections.heartland).toMatchObject({ configured: true, ok: true });
    expect(status.connections.commerce).toMatchObject({ configured: true, ok: true });
  });

  it('metrics: one point per flow and hour with the contract outcome names', async () => {
    const res = await h.call('GET', '/metrics', { query: { flow: 'order' } });
    const { series } = expectShape(metricsResponse, res.body);
    expect(series).toHaveLength(25);
    const total = series.reduce((n, p) => n + p.done, 0);
    expect(total).toBeGreaterThanOrEqual(2);
    expect(series.some((p) => p.deadLettered > 0)).toBe(true);
  });

  it('metrics: bad bounds and unknown flows are named', async () => {
    expect((await h.call('GET', '/metrics', { query: { from: 'yesterday' } })).body.error.field).toBe('from');
    const long = await h.call('GET', '/metrics', { query: { from: '2026-01-01', to: '2026-06-01' } });
    expect(long.status).toBe(400);
    expect(long.body.error.field).toBe('from');
    const unknown = await h.call('GET', '/metrics', { query: { flow: 'nope' } });
    expect(unknown.status).toBe(404);
  });
});

describe('activity', () => {
  it('lists units newest first with refs, filters by outcome and entity, pages', async () => {
    const all = expectShape(activityResponse, (await h.call('GET', '/activity')).body);
    expect(all.total).toBeGreaterThanOrEqual(3);
    const done = all.items.find((i) => i.key === '100001')!;
    expect(done).toMatchObject({ outcome: 'done', sourceRef: { system: 'commerce', id: '100001' }, targetRef: { system: 'heartland', id: 'T-100001' } });
    const failed = expectShape(activityResponse, (await h.call('GET', '/activity', { query: { outcome: 'deadLettered' } })).body);
    expect(failed.items.every((i) => i.outcome === 'deadLettered')).toBe(true);
    expect(failed.items[0].error).toMatchObject({ field: 'lines.0.sku' });
    const one = expectShape(activityResponse, (await h.call('GET', '/activity', { query: { entityId: '100002' } })).body);
    expect(one.items.map((i) => i.key)).toEqual(['100002']);
    const paged = expectShape(activityResponse, (await h.call('GET', '/activity', { query: { perPage: '1', page: '2' } })).body);
    expect(paged).toMatchObject({ page: 2, pages: all.total });
    expect(paged.items).toHaveLength(1);
  });

  it('rejects a bad outcome, page size and an over-long search', async () => {
    expect((await h.call('GET', '/activity', { query: { outcome: 'exploded' } })).body.error.field).toBe('outcome');
    expect((await h.call('GET', '/activity', { query: { perPage: '500' } })).body.error.field).toBe('perPage');
    const long = await h.call('GET', '/activity', { query: { from: '2026-01-01T00:00:00Z', to: '2026-02-15T00:00:00Z' } });
    expect(long.status).toBe(400);
    expect(long.body.error.field).toBe('from');
  });
});

describe('dead letters', () => {
  it('lists, opens, refuses bad discards, replays to done once the SKU exists, discards', async () => {
    const list = expectShape(deadLettersResponse, (await h.call('GET', '/dead-letters', { query: { status: 'open' } })).body);
    const letter = list.items.find((d) => d.key === '100003')!;
    expect(letter).toMatchObject({ flow: 'order', field: 'lines.0.sku', status: 'open' });
    const detail = expectShape(deadLetterDetail, (await h.call('GET', `/dead-letters/${encodeURIComponent(letter.id)}`)).body);
    expect(detail.sourcePayload).toMatchObject({ increment_id: '100003' });
    expect(detail.error.message).toMatch(/NOPE-9/);

    const short = await h.call('POST', `/dead-letters/${letter.id}/discard`, { body: { reason: 'x' } });
    expect(short.status).toBe(400);
    expect(short.body.error.field).toBe('reason');
    expect((await h.call('POST', '/dead-letters/replay', { body: {} })).body.error.field).toBe('ids');
    expect((await h.call('POST', '/dead-letters/replay', { body: { ids: ['order.0123456789abcdef0123'] } })).status).toBe(404);

    const stillBad = expectShape(replayResponse, (await h.call('POST', '/dead-letters/replay', { body: { ids: [letter.id] } })).body);
    expect(stillBad.results[0]).toMatchObject({ id: letter.id, outcome: 'deadLettered' });
    // The payload file lives as long as the dead letter is open, and goes once it is settled.
    const payloadOf = async (id: string) => h.platform.files.read(`dlq/${id.replace('.', '/')}.json`);
    expect(await payloadOf(letter.id)).toBeDefined();
    knownSkus.add('NOPE-9');
    const replayed = expectShape(replayResponse, (await h.call('POST', '/dead-letters/replay', { body: { ids: [letter.id] } })).body);
    expect(replayed.results[0]).toMatchObject({ id: letter.id, outcome: 'done' });
    expect(written).toContain('100003');
    const after = expectShape(deadLettersResponse, (await h.call('GET', '/dead-letters', { query: { status: 'replayed' } })).body);
    expect(after.items.map((d) => d.id)).toContain(letter.id);
    expect(await payloadOf(letter.id)).toBeUndefined();

    order('100004', ['GONE-1']);
    await runOrders(['100004']);
    const all = expectShape(replayResponse, (await h.call('POST', '/dead-letters/replay', { body: { all: true } })).body);
    expect(all.results.find((r) => r.id.startsWith('order.'))?.outcome).toBe('deadLettered');
    const open = expectShape(deadLettersResponse, (await h.call('GET', '/dead-letters', { query: { status: 'open' } })).body);
    const gone = open.items.find((d) => d.key === '100004')!;
    expect(await payloadOf(gone.id)).toBeDefined(); // replayed and failed again: kept
    const discarded = expectShape(discardResponse, (await h.call('POST', `/dead-letters/${gone.id}/discard`, { body: { reason: 'test order, SKU retired' } })).body);
    expect(discarded).toEqual({ id: gone.id, status: 'discarded' });
    expect(await payloadOf(gone.id)).toBeUndefined();
    // The summary stays (90 days) with the error; only the payload is gone.
    const detailAfter = expectShape(deadLetterDetail, (await h.call('GET', `/dead-letters/${gone.id}`)).body);
    expect(detailAfter).toMatchObject({ summary: { status: 'discarded' }, sourcePayload: null });
    expect(detailAfter.error.message).toMatch(/GONE-1/);
  });

  it('a malformed id or status is a 400 naming the field', async () => {
    expect((await h.call('GET', '/dead-letters/not-an-id')).body.error.field).toBe('id');
    expect((await h.call('GET', '/dead-letters', { query: { status: 'lost' } })).body.error.field).toBe('status');
  });
});

describe('anomalies', () => {
  it('lists open anomalies, approves and rejects, refuses a second decision', async () => {
    const repo = createAnomalyRepository({ state: h.platform.state, files: h.platform.files, clock: h.platform.clock });
    const a = await repo.record({ kind: 'order_total', flow: 'order', summary: 'order 100009 is 40x the median', details: { total: 4000 } });
    const b = await repo.record({ kind: 'fraud', flow: 'order', summary: 'billing and shipping countries differ', details: { score: 0.8 } });
    const list = expectShape(anomaliesResponse, (await h.call('GET', '/anomalies', { query: { status: 'open' } })).body);
    expect(list.items.map((x) => x.id)).toEqual(expect.arrayContaining([a.id, b.id]));
    expect(list.items.find((x) => x.id === a.id)?.kind).toBe('order-total');
    const approved = expectShape(anomalyDecisionResponse, (await h.call('POST', `/anomalies/${a.id}/approve`, { body: { reason: 'wholesale order, expected' } })).body);
    expect(approved).toEqual({ id: a.id, status: 'approved' });
    expect((await repo.get(a.id))?.decidedBy).toBe('panel (test-org@AdobeOrg)');
    expect(expectShape(anomalyDecisionResponse, (await h.call('POST', `/anomalies/${b.id}/reject`, {})).body).status).toBe('rejected');
    expect((await h.call('POST', `/anomalies/${a.id}/reject`, {})).status).toBe(409);
    expect((await h.call('POST', '/anomalies/20260101000000-abcdefgh/approve', {})).status).toBe(404);
    expect((await h.call('GET', '/anomalies', { query: { status: 'maybe' } })).body.error.field).toBe('status');
  });

  it('approving a held stock batch goes through the inventory area', async () => {
    const calls: string[] = [];
    const { createAdminApiHandler } = await import('../../lib/admin/router');
    const { defineWebAction } = await import('../../lib/runtime');
    const repo = createAnomalyRepository({ state: h.platform.state, files: h.platform.files, clock: h.platform.clock });
    const held = await repo.record({ kind: 'stock_wipe', flow: 'inventory', summary: '80% of SKUs drop to zero', details: {}, hold: true, payload: { itemIds: [1] } });
    const main = defineWebAction({
      name: 'connector/admin-api',
      handle: createAdminApiHandler({
        platform: h.platform,
        areas: [testArea],
        env: {},
        hooks: { applyHeldBatch: async (id, _deps, by) => { calls.push(`${id} by ${by}`); await repo.approve(id, { by }); } },
      }),
    });
    const result = (await main({ ...h.inputs, __ow_method: 'post', __ow_path: `/anomalies/${held.id}/approve`, __ow_headers: { authorization: 'Bearer t', 'x-gw-ims-org-id': 'org' } })) as { body: unknown };
    expect(expectShape(anomalyDecisionResponse, result.body)).toEqual({ id: held.id, status: 'approved' });
    expect(calls).toEqual([`${held.id} by panel (org)`]);
  });

  it('approving an order held for fraud review sends it through the orders area', async () => {
    const calls: string[] = [];
    const { createAdminApiHandler } = await import('../../lib/admin/router');
    const { defineWebAction } = await import('../../lib/runtime');
    const repo = createAnomalyRepository({ state: h.platform.state, files: h.platform.files, clock: h.platform.clock });
    const held = await repo.record({ kind: 'fraud', flow: 'order', summary: 'order 000000031 scores 75', details: {}, hold: true });
    const main = defineWebAction({
      name: 'connector/admin-api',
      handle: createAdminApiHandler({
        platform: h.platform,
        areas: [testArea],
        env: {},
        hooks: { releaseHeldOrder: async (id, _deps, decision) => { calls.push(`${id} by ${decision.by}: ${decision.note}`); await repo.approve(id, decision); } },
      }),
    });
    const result = (await main({ ...h.inputs, reason: 'known customer', __ow_method: 'post', __ow_path: `/anomalies/${held.id}/approve`, __ow_headers: { authorization: 'Bearer t', 'x-gw-ims-org-id': 'org' } })) as { body: unknown };
    expect(expectShape(anomalyDecisionResponse, result.body)).toEqual({ id: held.id, status: 'approved' });
    expect(calls).toEqual([`${held.id} by panel (org): known customer`]);
  });

  it('approving a held price change writes it through the products area; without that hook it is only approved (the feed writes it)', async () => {
    const calls: string[] = [];
    const { createAdminApiHandler } = await import('../../lib/admin/router');
    const { defineWebAction } = await import('../../lib/runtime');
    const repo = createAnomalyRepository({ state: h.platform.state, files: h.platform.files, clock: h.platform.clock });
    const handler = (hooks: AdminHooks) =>
      defineWebAction({ name: 'connector/admin-api', handle: createAdminApiHandler({ platform: h.platform, areas: [testArea], env: {}, hooks }) });
    const approve = (main: ReturnType<typeof handler>, id: string) =>
      main({ ...h.inputs, reason: 'new season price', __ow_method: 'post', __ow_path: `/anomalies/${id}/approve`, __ow_headers: { authorization: 'Bearer t', 'x-gw-ims-org-id': 'org' } }) as Promise<{ body: unknown }>;

    const held = await repo.record({ kind: 'price_change', flow: 'product', summary: 'SKU-1 price 20 → 200', details: { itemId: '100001' }, hold: true });
    const withHook = handler({ releaseHeldPriceChange: async (id, _deps, decision) => { calls.push(`${id} by ${decision.by}: ${decision.note}`); await repo.approve(id, decision); } });
    expect(expectShape(anomalyDecisionResponse, (await approve(withHook, held.id)).body)).toEqual({ id: held.id, status: 'approved' });
    expect(calls).toEqual([`${held.id} by panel (org): new season price`]);

    const other = await repo.record({ kind: 'price_change', flow: 'product', summary: 'SKU-2 price 10 → 1', details: { itemId: '100002' }, hold: true });
    expect(expectShape(anomalyDecisionResponse, (await approve(handler({}), other.id)).body)).toEqual({ id: other.id, status: 'approved' });
    expect(calls).toHaveLength(1);
  });
});

describe('sync now', () => {
  it('runs given ids as manual units, polls the feed, starts the full job; unknown flow 404', async () => {
    order('100010', ['SKU-2']);
    const ids = expectShape(syncResponse, (await h.call('POST', '/sync/order', { body: { ids: ['100010'] } })).body);
    expect(ids.started).toBe(true);
    expect(written).toContain('100010');
    order('100011', ['SKU-1']);
    expectShape(syncResponse, (await h.call('POST', '/sync/order', { body: {} })).body);
    expect(written).toContain('100011');
    const full = expectShape(syncResponse, (await h.call('POST', '/sync/order', { body: { full: true } })).body);
    expect(full.jobId).toMatch(/^order-full-/);
    expect((await h.call('POST', '/sync/nope', { body: {} })).status).toBe(404);
    expect((await h.call('POST', '/sync/order', { body: { ids: [] } })).body.error.field).toBe('ids');
  });

  it('the order resend hook receives the mass action ids', async () => {
    const { createAdminApiHandler } = await import('../../lib/admin/router');
    const { defineWebAction } = await import('../../lib/runtime');
    const seen: string[][] = [];
    const main = defineWebAction({
      name: 'connector/admin-api',
      handle: createAdminApiHandler({ platform: h.platform, areas: [testArea], env: {}, hooks: { resendOrders: async (ids) => { seen.push(ids); return []; } } }),
    });
    const result = (await main({ ...h.inputs, ids: ['7', '8'], __ow_method: 'post', __ow_path: '/sync/order', __ow_headers: { authorization: 'Bearer t', 'x-gw-ims-org-id': 'org' } })) as { body: unknown };
    expect(expectShape(syncResponse, result.body).jobId).toMatch(/^resend-order-/);
    expect(seen).toEqual([['7', '8']]);
  });
});

describe('malformed bodies', () => {
  it('answer 400 naming the field on every kind of route, never 500', async () => {
    const cases: Array<[string, string, Record<string, unknown>, string]> = [
      ['POST', '/dead-letters/replay', { ids: 'order.1' }, 'ids'],
      ['POST', '/mappings', { document: 5 }, 'document'],
      ['POST', '/mappings/validate', { document: { entities: [{ entity: 'order' }] } }, 'document.entities.0.direction'],
      ['POST', '/mappings/preview', { entity: 'order', direction: 'commerce-to-heartland', sample: [1, 2] }, 'sample'],
      ['POST', '/connections/test', {}, 'system'],
      ['PUT', '/settings', { stationId: 5 }, 'stationId'],
      ['PUT', '/settings', { locationToSource: [{ locationId: '1' }] }, 'locationToSource.0.sourceCode'],
      ['POST', '/flows/order/filters/preview', { conditions: 'status=paid' }, 'conditions'],
      ['POST', '/sync/order', { full: 'yes' }, 'full'],
      ['POST', '/anomalies/20260101000000-abcdefgh/approve', { reason: 42 }, 'reason'],
    ];
    for (const [method, path, body, field] of cases) {
      const res = await h.call(method, path, { body });
      expect(res.status, `${method} ${path}`).toBe(400);
      expect(res.body.error.field, `${method} ${path}`).toBe(field);
      expect(res.body.error.message.startsWith(field), res.body.error.message).toBe(true);
    }
  });

  it('a full inventory run goes through the inventory area', async () => {
    const { createAdminApiHandler } = await import('../../lib/admin/router');
    const { defineWebAction } = await import('../../lib/runtime');
    const { defineArea } = await import('../../lib/flows/area');
    const { defineFlow } = await import('../../lib/sync');
    const inventory = defineFlow({ name: 'inventory', entity: 'stock', direction: 'heartland-to-commerce', upstreams: ['heartland'], load: async () => undefined, version: () => undefined, map: (x) => x, write: async () => ({ targetId: 'x', action: 'unchanged' as const }) });
    let started = 0;
    const main = defineWebAction({
      name: 'connector/admin-api',
      handle: createAdminApiHandler({ platform: h.platform, env: {}, areas: [testArea, defineArea({ name: 'inv', flows: [inventory] })], hooks: { startInventoryReconciliation: async () => ({ jobId: `inventory-reconcile-${++started}` }) } }),
    });
    const result = (await main({ ...h.inputs, full: true, __ow_method: 'post', __ow_path: '/sync/inventory', __ow_headers: { authorization: 'Bearer t', 'x-gw-ims-org-id': 'org' } })) as { body: unknown };
    expect(expectShape(syncResponse, result.body)).toEqual({ started: true, jobId: 'inventory-reconcile-1' });
  });
});

describe('settled hours', () => {
  it('come from the scheduler aggregate, not from their run records', async () => {
    const { metricsKey } = await import('../../lib/sync/metrics');
    const { runRecordKey, hourLabel, hourStart } = await import('../../lib/sync');
    const at = hourStart(Date.now()) - 3 * 3_600_000;
    const hour = hourLabel(at);
    const run = { runId: 'r-settled', unitId: 'u', flow: 'order', key: '900001', trigger: 'event', attempt: 1, tries: 1, correlationId: 'c', outcome: 'done', eventAt: at, startedAt: at + 10, endedAt: at + 20, steps: {} };
    await h.platform.state.put(runRecordKey('order', at + 20, 'r-settled'), run, { ttlSeconds: 3600 * 24 });
    const counts = { done: 7, skipped: 1, 'retry-scheduled': 0, 'dead-lettered': 0 };
    await h.platform.state.put(metricsKey('order', hour), { flow: 'order', hour, hourStart: new Date(at).toISOString(), counts, skipped: { filtered: 1 }, p50Ms: 5, p95Ms: 9, p99Ms: 9, retries: 0, inInvocationRetries: 0, dlqDepth: 0, final: true, computedAt: at }, { ttlSeconds: 3600 * 24 });
    const { series } = expectShape(metricsResponse, (await h.call('GET', '/metrics', { query: { flow: 'order' } })).body);
    expect(series.find((p) => p.hour === new Date(at).toISOString())).toMatchObject({ done: 7, skipped: 1, p50Ms: 5 });
  });
});

describe('status for the Overview', () => {
  it('carries the 24 hours of all flows summed, equal to the metrics series', async () => {
    const status = expectShape(statusResponse, (await h.call('GET', '/status')).body);
    const { series } = expectShape(metricsResponse, (await h.call('GET', '/metrics', { query: { from: new Date(Date.now() - 23 * 3_600_000).toISOString() } })).body);
    expect(status.hourly).toHaveLength(24);
    const hours = status.hourly!.map((p) => p.hour);
    expect(hours).toEqual([...hours].sort());
    for (const point of status.hourly!) {
      const same = series.filter((p) => p.hour === point.hour);
      expect(point.done).toBe(same.reduce((n, p) => n + p.done, 0));
      expect(point.deadLettered).toBe(same.reduce((n, p) => n + p.deadLettered, 0));
      expect(point.p95Ms).toBe(same.some((p) => p.p95Ms !== null) ? Math.max(...same.map((p) => p.p95Ms ?? 0)) : null);
    }
    const total = status.flows.reduce((n, f) => n + f.counts.done, 0);
    expect(status.hourly!.reduce((n, p) => n + p.done, 0)).toBe(total);
  });

  it('a warm container answers status from memory until a change made through the panel clears it', async () => {
    const { createAdminApiHandler } = await import('../../lib/admin/router');
    const { defineWebAction } = await import('../../lib/runtime');
    const { recordDeadLetter } = await import('../../lib/sync/dead-letters');
    const main = defineWebAction({ name: 'connector/admin-api', handle: createAdminApiHandler({ platform: h.platform, areas: [testArea], env: {}, statusCacheMs: 60_000 }) });
    const call = async (method: string, path: string, fields: Record<string, unknown> = {}) =>
      (await main({ ...h.inputs, ...fields, __ow_method: method, __ow_path: path, __ow_headers: { authorization: 'Bearer t', 'x-gw-ims-org-id': 'org' } })) as { statusCode?: number; body: any };
    const depth = async () => expectShape(statusResponse, (await call('get', '/status')).body).dlqDepth;
    const before = await depth();
    // Two orders dead-lettered by other activations (units of work, not the panel).
    for (const unitId of ['cace0001', 'cace0002']) {
      await recordDeadLetter(h.platform, {
        unit: { flow: 'order', key: `cache-${unitId}`, trigger: 'event', attempt: 1, correlationId: 'c-cache', eventAt: Date.now() },
        unitId,
        error: { message: 'refused', retryable: false, reason: 'validation' },
        source: {},
        mapped: null,
        now: Date.now(),
      });
    }
    expect(await depth()).toBe(before); // within the TTL: the remembered answer
    expect((await call('post', '/dead-letters/order.cace0001/discard', { reason: 'cache test' })).body).toMatchObject({ status: 'discarded' });
    expect(await depth()).toBe(before + 1); // the discard cleared it: the other new one shows
    await call('post', '/dead-letters/order.cace0002/discard', { reason: 'cache test' });
    expect(await depth()).toBe(before);
  });
});
