import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  ADMIN_ROUTES,
  activityQuery,
  activityResponse,
  anomaliesResponse,
  anomalyDecisionRequest,
  connectionTestRequest,
  deadLetterDetail,
  deadLettersResponse,
  discardRequest,
  errorBody,
  filterPreviewRequest,
  insightsQuery,
  insightsResponse,
  mappingsResponse,
  metricsQuery,
  metricsResponse,
  previewMappingRequest,
  reconciliationQuery,
  reconciliationResponse,
  replayRequest,
  rollbackMappingRequest,
  saveMappingRequest,
  settings,
  settingsUpdate,
  statusResponse,
  suggestionsQuery,
  suggestionsResponse,
  syncRequest,
  validateMappingRequest,
} from '../../lib/admin/contract';
import {
  activityItemsFixture,
  anomaliesFixture,
  deadLetterDetailFixture,
  deadLettersFixture,
  insightsFixture,
  mappingsFixture,
  metricsFixture,
  reconciliationFixture,
  settingsFixture,
  statusFixture,
  suggestionsFixture,
} from '../../e2e/support/admin-fixtures';

/** The dotted path of the first issue, the way admin-api reports `field`. */
function firstIssuePath(schema: z.ZodType, value: unknown): string | undefined {
  const result = schema.safeParse(value);
  if (result.success) return undefined;
  return result.error.issues[0]?.path.map(String).join('.');
}

describe('admin-api contract: the fake admin-api fixtures are valid responses', () => {
  it.each([
    ['status', statusResponse, statusFixture],
    ['metrics', metricsResponse, metricsFixture],
    ['activity', activityResponse, { items: activityItemsFixture.slice(0, 10), total: 57, page: 1, pages: 6 }],
    ['dead-letters', deadLettersResponse, deadLettersFixture],
    ['dead-letters/:id', deadLetterDetail, deadLetterDetailFixture('dlq-order-1203')],
    ['mappings', mappingsResponse, mappingsFixture],
    ['mappings/suggestions', suggestionsResponse, suggestionsFixture],
    ['anomalies', anomaliesResponse, anomaliesFixture],
    ['settings', settings, settingsFixture],
    ['reports/reconciliation', reconciliationResponse, reconciliationFixture],
    ['insights/channels', insightsResponse, insightsFixture('2026-11-01', '2026-11-07')],
  ])('%s fixture parses', (_route, schema, value) => {
    const result = schema.safeParse(value);
    expect(result.error?.issues ?? []).toEqual([]);
  });

  it('insights fixture totals equal the sum of its days per channel', () => {
    const data = insightsFixture('2026-11-01', '2026-11-07');
    const webSum = data.days.filter((d) => d.channel === 'web').reduce((s, d) => s + d.netSales, 0);
    expect(data.totals.web.netSales).toBe(webSum);
    expect(data.days).toHaveLength(14);
  });
});

describe('admin-api contract: bad responses fail with the field path', () => {
  it('status: a flow step with an unknown name', () => {
    const bad = structuredClone(statusFixture);
    (bad.flows[0]!.steps[1] as { name: string }).name = 'guard';
    expect(firstIssuePath(statusResponse, bad)).toBe('flows.0.steps.1.name');
  });

  it('status: negative count', () => {
    const bad = structuredClone(statusFixture);
    bad.flows[2]!.counts.done = -1;
    expect(firstIssuePath(statusResponse, bad)).toBe('flows.2.counts.done');
  });

  it('activity: outcome outside the four outcomes', () => {
    const bad = { items: [{ ...activityItemsFixture[0], outcome: 'failed' }], total: 1, page: 1, pages: 1 };
    expect(firstIssuePath(activityResponse, bad)).toBe('items.0.outcome');
  });

  it('metrics: hour that is not an ISO instant', () => {
    const bad = { series: [{ ...metricsFixture.series[0], hour: 'yesterday' }] };
    expect(firstIssuePath(metricsResponse, bad)).toBe('series.0.hour');
  });

  it('settings: a secret leaked as its value instead of {set}', () => {
    const bad = structuredClone(settingsFixture) as unknown as { heartland: { apiToken: unknown } };
    bad.heartland.apiToken = 'sandbox-heartland-token';
    expect(firstIssuePath(settings, bad)).toBe('heartland.apiToken');
  });

  it('insights: sell-through above 1', () => {
    const bad = insightsFixture('2026-11-01', '2026-11-02');
    bad.locations[0]!.sellThrough = 1.4;
    expect(firstIssuePath(insightsResponse, bad)).toBe('locations.0.sellThrough');
  });

  it('reconciliation: unknown status', () => {
    const bad = structuredClone(reconciliationFixture);
    (bad.rows[1] as { status: string }).status = 'lost';
    expect(firstIssuePath(reconciliationResponse, bad)).toBe('rows.1.status');
  });

  it('mappings: a rule without a target', () => {
    const bad = structuredClone(mappingsFixture) as unknown as { document: { entities: Array<{ rules: unknown[] }> } };
    bad.document.entities[0]!.rules[0] = { source: 'increment_id' };
    expect(firstIssuePath(mappingsResponse, bad)).toBe('document.entities.0.rules.0.target');
  });

  it('error body needs code and message', () => {
    expect(errorBody.safeParse({ error: { code: 'invalid_request', message: 'safetyStock: too small', field: 'safetyStock' } }).success).toBe(true);
    expect(firstIssuePath(errorBody, { error: { code: 'x' } })).toBe('error.message');
  });
});

describe('admin-api contract: request bodies', () => {
  it('settings update: accepts a partial nested update and secrets as strings or null', () => {
    const ok = settingsUpdate.safeParse({ heartland: { apiToken: 'new-token' }, commerce: { accessToken: null }, safetyStock: 3, wipeGuard: { maxSkuShare: 0.3 } });
    expect(ok.success).toBe(true);
  });

  it.each([
    [{ safetyStock: -1 }, 'safetyStock'],
    [{ wipeGuard: { maxSkuShare: 1.5 } }, 'wipeGuard.maxSkuShare'],
    [{ schedules: { nightlyHourUtc: 24 } }, 'schedules.nightlyHourUtc'],
    [{ heartland: { baseUrl: 'ftp://x' } }, 'heartland.baseUrl'],
    [{ heartland: { apiToken: { set: true } } }, 'heartland.apiToken'],
    [{ locationToSource: [{ locationId: '100', sourceCode: '' }] }, 'locationToSource.0.sourceCode'],
    [{ paymentMethodMap: [{ magentoCode: 'checkmo' }] }, 'paymentMethodMap.0.paymentTypeId'],
    [{ flowsEnabled: { Order: true } }, 'flowsEnabled.Order'],
    [{ customers: { conflictRule: 'whoever' } }, 'customers.conflictRule'],
    [{ flowFilters: { order: [{ field: 'status', op: 'like' }] } }, 'flowFilters.order.0.op'],
    [{ fraud: { flagAtScore: -1 } }, 'fraud.flagAtScore'],
    [{ alerts: { webhookUrl: 'javascript:alert(1)' } }, 'alerts.webhookUrl'],
    [{ alerts: { mailTo: ['ops'] } }, 'alerts.mailTo.0'],
    [{ anomalies: { maxPriceChangeShare: -0.1 } }, 'anomalies.maxPriceChangeShare'],
  ])('settings update %j fails at %s', (body, path) => {
    expect(firstIssuePath(settingsUpdate, body)).toBe(path);
  });

  it('settings update: unknown top-level key is rejected, not ignored', () => {
    const result = settingsUpdate.safeParse({ safetyStok: 2 });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.code).toBe('unrecognized_keys');
  });

  it('replay: needs ids, a flow or all', () => {
    expect(replayRequest.safeParse({ ids: ['dlq-1'] }).success).toBe(true);
    expect(replayRequest.safeParse({ flow: 'order' }).success).toBe(true);
    expect(replayRequest.safeParse({ all: true }).success).toBe(true);
    expect(firstIssuePath(replayRequest, {})).toBe('ids');
    expect(firstIssuePath(replayRequest, { ids: [] })).toBe('ids');
    expect(firstIssuePath(replayRequest, { ids: [''] })).toBe('ids.0');
  });

  it('discard: reason of at least 3 characters', () => {
    expect(discardRequest.safeParse({ reason: 'test order' }).success).toBe(true);
    expect(firstIssuePath(discardRequest, { reason: ' x ' })).toBe('reason');
    expect(firstIssuePath(discardRequest, {})).toBe('reason');
  });

  it('mapping bodies', () => {
    expect(validateMappingRequest.safeParse({ document: mappingsFixture.document }).success).toBe(true);
    expect(saveMappingRequest.safeParse({ document: mappingsFixture.document, note: 'klarna' }).success).toBe(true);
    expect(firstIssuePath(saveMappingRequest, { document: { entities: [{ entity: 'order', direction: 'sideways', rules: [], valueMaps: {} }] } })).toBe('document.entities.0.direction');
    expect(firstIssuePath(rollbackMappingRequest, { version: 0 })).toBe('version');
    expect(previewMappingRequest.safeParse({ entity: 'order', direction: 'commerce-to-heartland', sample: { increment_id: '1' } }).success).toBe(true);
    expect(firstIssuePath(previewMappingRequest, { entity: 'order', direction: 'commerce-to-heartland', sample: [1] })).toBe('sample');
    expect(firstIssuePath(suggestionsQuery, { entity: 'order' })).toBe('direction');
  });

  it('other bodies', () => {
    expect(connectionTestRequest.safeParse({ system: 'heartland' }).success).toBe(true);
    expect(firstIssuePath(connectionTestRequest, { system: 'shopify' })).toBe('system');
    expect(syncRequest.safeParse({}).success).toBe(true);
    expect(firstIssuePath(syncRequest, { full: 'yes' })).toBe('full');
    expect(syncRequest.safeParse({ ids: ['000000123'] }).success).toBe(true);
    expect(firstIssuePath(syncRequest, { ids: [] })).toBe('ids');
    expect(anomalyDecisionRequest.safeParse({}).success).toBe(true);
    expect(filterPreviewRequest.safeParse({ conditions: [{ field: 'grand_total', op: 'greaterThan', value: 0 }] }).success).toBe(true);
  });
});

describe('admin-api contract: queries arrive as strings', () => {
  it('activity coerces page numbers and applies defaults', () => {
    expect(activityQuery.parse({ page: '3' })).toEqual({ page: 3, perPage: 50 });
    expect(firstIssuePath(activityQuery, { perPage: '1000' })).toBe('perPage');
    expect(firstIssuePath(activityQuery, { page: 'two' })).toBe('page');
    expect(firstIssuePath(activityQuery, { outcome: 'failed' })).toBe('outcome');
  });

  it('date bounds take a day or an instant', () => {
    expect(metricsQuery.safeParse({ from: '2026-11-01', to: '2026-11-02T10:00:00Z' }).success).toBe(true);
    expect(firstIssuePath(metricsQuery, { from: '11/01/2026' })).toBe('from');
  });

  it('reconciliation format defaults to json', () => {
    expect(reconciliationQuery.parse({}).format).toBe('json');
    expect(firstIssuePath(reconciliationQuery, { format: 'xlsx' })).toBe('format');
  });

  it('insights csv needs a table, and from must not be after to', () => {
    expect(insightsQuery.safeParse({ from: '2026-11-01', to: '2026-11-07', format: 'csv', table: 'days' }).success).toBe(true);
    expect(firstIssuePath(insightsQuery, { format: 'csv' })).toBe('table');
    expect(firstIssuePath(insightsQuery, { from: '2026-11-08', to: '2026-11-07' })).toBe('from');
  });
});

describe('admin-api contract: route table', () => {
  it('has one entry per method and path, every POST/PUT with a body schema', () => {
    const routes = Object.values(ADMIN_ROUTES);
    const keys = routes.map((r) => `${r.method} ${r.path}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const route of routes) {
      if (route.method !== 'GET') expect('body' in route, `${route.method} ${route.path}`).toBe(true);
    }
    expect(keys).toContain('POST dead-letters/:id/discard');
    expect(keys).toContain('GET insights/channels');
  });
});
