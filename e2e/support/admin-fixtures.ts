/**
 * TEST DOUBLE DATA: contract-valid admin-api answers for the panel browser test and the contract
 * test. The numbers are fixed so the browser test can look for them on screen; nothing here is
 * used by the connector itself.
 */
import type {
  ActivityItem,
  AnomaliesResponse,
  DeadLetterDetail,
  DeadLettersResponse,
  DriftResponse,
  InsightsResponse,
  MappingsResponse,
  MetricsResponse,
  ReconciliationResponse,
  Settings,
  StatusResponse,
  SuggestionsResponse,
} from '../../lib/admin/contract';

export const FIXTURE_NOW = '2026-11-28T09:00:00.000Z';

function hoursAgo(h: number): string {
  return new Date(Date.parse(FIXTURE_NOW) - h * 3_600_000).toISOString();
}

export const statusFixture: StatusResponse = {
  connections: {
    heartland: { configured: true, ok: true, checkedAt: hoursAgo(0.1), message: 'Heartland answered in 84 ms' },
    commerce: { configured: true, ok: false, checkedAt: hoursAgo(0.1), message: 'Commerce answered 401: consumer is not authorized' },
  },
  flows: [
    {
      name: 'order', label: 'Web orders to Heartland', direction: 'commerce-to-heartland', enabled: true,
      lastRunAt: hoursAgo(0.2), lastOutcome: 'done',
      counts: { done: 412, skipped: 9, retryScheduled: 3, deadLettered: 2 }, dlqDepth: 2,
      steps: [ { name: 'trigger', count: 426 }, { name: 'filters', count: 417 }, { name: 'mapping', count: 415 }, { name: 'target', count: 412 } ],
    },
    {
      name: 'inventory', label: 'Stock to Commerce', direction: 'heartland-to-commerce', enabled: true,
      lastRunAt: hoursAgo(0.05), lastOutcome: 'done',
      counts: { done: 1893, skipped: 240, retryScheduled: 0, deadLettered: 0 }, dlqDepth: 0,
      steps: [ { name: 'trigger', count: 2133 }, { name: 'filters', count: 1893 }, { name: 'mapping', count: 1893 }, { name: 'target', count: 1893 } ],
    },
    {
      name: 'shipment', label: 'Shipments to Commerce', direction: 'heartland-to-commerce', enabled: false,
      lastRunAt: hoursAgo(5), lastOutcome: 'deadLettered',
      counts: { done: 57, skipped: 1, retryScheduled: 0, deadLettered: 1 }, dlqDepth: 1,
      steps: [ { name: 'trigger', count: 59 }, { name: 'filters', count: 58 }, { name: 'mapping', count: 58 }, { name: 'target', count: 57 } ],
    },
  ],
  dlqDepth: 3,
  anomaliesOpen: 1,
};

export const metricsFixture: MetricsResponse = {
  series: Array.from({ length: 24 }, (_, i) => 23 - i).flatMap((h) => [
    { hour: hoursAgo(h + 1), flow: 'order', done: 10 + ((h * 7) % 13), skipped: h % 3, retryScheduled: h % 5 === 0 ? 1 : 0, deadLettered: h === 6 || h === 14 ? 1 : 0, p50Ms: 420 + h * 3, p95Ms: 980 + h * 5, p99Ms: 1500 + h * 7 },
    { hour: hoursAgo(h + 1), flow: 'inventory', done: 60 + ((h * 11) % 40), skipped: 10, retryScheduled: 0, deadLettered: 0, p50Ms: 120, p95Ms: 340, p99Ms: 610 },
  ]),
};

// The Overview charts the status's own hourly points: the metrics series summed per hour, as admin-api does.
statusFixture.hourly = [...new Set(metricsFixture.series.map((p) => p.hour))].map((hour) => {
  const same = metricsFixture.series.filter((p) => p.hour === hour);
  const sum = (pick: (p: (typeof same)[number]) => number) => same.reduce((n, p) => n + pick(p), 0);
  return { hour, done: sum((p) => p.done), skipped: sum((p) => p.skipped), retryScheduled: sum((p) => p.retryScheduled), deadLettered: sum((p) => p.deadLettered), p95Ms: Math.max(...same.map((p) => p.p95Ms ?? 0)) };
});

export const activityItemsFixture: ActivityItem[] = Array.from({ length: 57 }, (_, i): ActivityItem => {
  const failed = i === 3;
  const orderNo = `000000${String(1200 + i)}`;
  return {
    id: `run-${i + 1}`,
    flow: i % 4 === 1 ? 'inventory' : 'order',
    key: i % 4 === 1 ? `heartland:item:${5000 + i}` : `commerce:order:${orderNo}`,
    entityId: i % 4 === 1 ? `SKU-${5000 + i}` : orderNo,
    outcome: failed ? 'deadLettered' : i % 9 === 8 ? 'skipped' : 'done',
    reason: i % 9 === 8 ? 'duplicate' : undefined,
    attempts: failed ? 3 : 1,
    startedAt: hoursAgo(i * 0.3),
    finishedAt: hoursAgo(i * 0.3 - 0.001),
    durationMs: 300 + i * 11,
    correlationId: `corr-${i + 1}`,
    error: failed ? { message: 'Unknown SKU WIDGET-RED-XL in Heartland', field: 'lines.0.sku', system: 'heartland', status: 422 } : undefined,
    sourceRef: { system: 'commerce', id: orderNo, label: `Order #${orderNo}` },
    targetRef: failed ? undefined : { system: 'heartland', id: String(880 + i), label: `Sales order ${880 + i}` },
  };
});

export const deadLettersFixture: DeadLettersResponse = {
  items: [
    { id: 'dlq-order-1203', flow: 'order', key: 'commerce:order:0000001203', entityId: '0000001203', error: 'Unknown SKU WIDGET-RED-XL in Heartland', field: 'lines.0.sku', attempts: 3, firstSeen: hoursAgo(8), lastSeen: hoursAgo(2), status: 'open' },
    { id: 'dlq-order-1188', flow: 'order', key: 'commerce:order:0000001188', entityId: '0000001188', error: 'No Heartland payment type for Magento method "klarna"', field: 'payment.method', attempts: 1, firstSeen: hoursAgo(20), lastSeen: hoursAgo(20), status: 'open' },
    { id: 'dlq-shipment-77', flow: 'shipment', key: 'heartland:invoice:77', entityId: '77', error: 'Order 0000001150 has no item with SKU GIFT-BOX', field: 'items.1.sku', attempts: 2, firstSeen: hoursAgo(30), lastSeen: hoursAgo(5), status: 'open' },
  ],
};

export function deadLetterDetailFixture(id: string): DeadLetterDetail | undefined {
  const summary = deadLettersFixture.items.find((d) => d.id === id);
  if (!summary) return undefined;
  return {
    summary,
    sourcePayload: { increment_id: summary.entityId, items: [{ sku: 'WIDGET-RED-XL', qty_ordered: 2, price: 19.5 }], payment: { method: 'checkmo' } },
    mappedPayload: { custom: { ecommerce_number: summary.entityId }, lines: [{ item_public_id: 'WIDGET-RED-XL', qty: 2, unit_price: 19.5 }] },
    error: { message: summary.error, field: summary.field, system: 'heartland', status: 422 },
  };
}

export const mappingsFixture: MappingsResponse = {
  version: 4,
  document: {
    entities: [
      {
        entity: 'order', direction: 'commerce-to-heartland',
        rules: [
          { target: 'custom.ecommerce_number', source: 'increment_id' },
          { target: 'customer.email', source: 'customer_email' },
          { target: 'payment.payment_type_id', source: 'payment.method', valueMap: 'paymentMethods' },
          { target: 'station_id', default: '1' },
        ],
        valueMaps: { paymentMethods: { checkmo: '12', banktransfer: '14', braintree: '3' } },
      },
      {
        entity: 'product', direction: 'heartland-to-commerce',
        rules: [ { target: 'sku', source: 'public_id' }, { target: 'name', source: 'description' }, { target: 'price', source: 'price' } ],
        valueMaps: {},
      },
    ],
  },
  history: [
    { version: 4, savedAt: hoursAgo(26), savedBy: 'ops@example.com', note: 'Braintree payment type' },
    { version: 3, savedAt: hoursAgo(200), savedBy: 'ops@example.com', note: 'Station default' },
    { version: 2, savedAt: hoursAgo(400) },
    { version: 1, savedAt: hoursAgo(800), note: 'Initial' },
  ],
};

export const suggestionsFixture: SuggestionsResponse = [
  { source: 'customer_firstname', target: 'customer.first_name', confidence: 0.92, reason: 'same words after splitting camel and snake case' },
  { source: 'shipping_description', target: 'shipping.description', confidence: 0.71, reason: 'same leaf name, different parent' },
];

export const anomaliesFixture: AnomaliesResponse = {
  items: [
    { id: 'anom-1', kind: 'wipe-guard', flow: 'inventory', detectedAt: hoursAgo(1), summary: 'Batch would zero 38% of SKUs at source "main-store"', details: { skusAffected: 412, skusTotal: 1084, source: 'main-store' }, status: 'open' },
    { id: 'anom-0', kind: 'pan-detected', flow: 'order', detectedAt: hoursAgo(90), summary: 'Card-like number redacted from order comment', details: { orderNumber: '0000001001' }, status: 'approved' },
  ],
};

export const settingsFixture: Settings = {
  heartland: { baseUrl: 'http://localhost:9081/api', apiToken: { set: true }, ratePerSecond: 5, webhookSecret: { set: false } },
  commerce: { baseUrl: 'http://localhost:9082/rest', authKind: 'oauth1', consumerKey: 'sandbox-consumer-key', consumerSecret: { set: true }, accessToken: { set: true }, accessTokenSecret: { set: true } },
  stationId: '1',
  sourceLocationId: '100',
  locationToSource: [ { locationId: '100', sourceCode: 'main-store' }, { locationId: '101', sourceCode: 'warehouse' } ],
  paymentMethodMap: [ { magentoCode: 'checkmo', paymentTypeId: '12' } ],
  shippingMethodMap: [ { magentoCode: 'flatrate_flatrate', heartlandShippingMethodId: '2' } ],
  orderTriggerStatuses: ['processing'],
  safetyStock: 2,
  outOfStockThreshold: 0,
  wipeGuard: { maxSkuShare: 0.2, maxUnitShare: 0.5 },
  schedules: { pollSeconds: 60, nightlyHourUtc: 3 },
  flowsEnabled: { order: true, inventory: true, shipment: false },
  flowFilters: { order: [ { field: 'status', op: 'in', value: ['processing'] } ] },
  customers: { createInMagento: false, conflictRule: 'newest-wins' },
  fraud: { enabled: true, holdAtScore: 60, flagAtScore: 30, maxOrdersInWindow: 3, windowMinutes: 60 },
  alerts: { webhookUrl: 'https://hooks.slack.example/services/T000/B000/demo', mailEndpoint: '', mailTo: [], dedupMinutes: 60 },
  anomalies: { scanEnabled: true, dlqGrowthMin: 5, maxPriceChangeShare: 0.5, holdPriceChanges: true },
};

export const reconciliationFixture: ReconciliationResponse = {
  rows: [
    { kind: 'order', magentoRef: '0000001201', heartlandRef: '881', magentoAmount: 58.5, heartlandAmount: 58.5, status: 'matched' },
    { kind: 'order', magentoRef: '0000001203', heartlandRef: null, magentoAmount: 39, heartlandAmount: null, status: 'missing_in_heartland' },
    { kind: 'payment', magentoRef: '0000001201', heartlandRef: '881', magentoAmount: 58.5, heartlandAmount: 58.5, status: 'matched' },
    { kind: 'refund', magentoRef: 'CM-17', heartlandRef: 'R-9', magentoAmount: 20, heartlandAmount: 19.5, status: 'amount_mismatch' },
  ],
  summary: { from: '2026-11-21', to: '2026-11-28', total: 4, matched: 2, missingInHeartland: 1, missingInMagento: 0, amountMismatch: 1 },
};

/** Stock drift of one full reconciliation: two SKUs changed in Magento, one SKU Heartland no longer has. */
export const driftFixture: DriftResponse = {
  runId: 'run-1764320400000',
  at: '2026-11-28T08:00:00.000Z',
  rows: [
    { sku: 'WB-100-BLK', source: 'main-store', heartland: 12, magento: 40, lastPushed: 12, heartlandAvailable: 14, magentoSalable: 42 },
    { sku: 'WB-100-BLK', source: 'outlet', heartland: 3, magento: 0, lastPushed: 3 },
    { sku: 'TEE-M-RED', source: 'main-store', heartland: 7, magento: null, lastPushed: null },
    { sku: 'WB-RETIRED', source: 'main-store', heartland: 0, magento: 5, lastPushed: 0, heartlandAvailable: 0, magentoSalable: 5 },
  ],
  summary: { skus: 1240, drifting: 4, missingInMagento: 1, complete: true, held: [] },
};

/** SKUs of the drift fixture the fake Heartland side no longer has: a fix names them as unknown. */
export const DRIFT_UNKNOWN_SKUS = ['WB-RETIRED'];

/** Insights for a date range: one row per channel per day, deterministic in the date. */
export function insightsFixture(from: string, to: string): InsightsResponse {
  const days: InsightsResponse['days'] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
    const date = new Date(t).toISOString().slice(0, 10);
    const d = new Date(t).getUTCDate();
    const webOrders = 10 + (d % 5);
    const storeOrders = 20 + (d % 7);
    days.push({ date, channel: 'web', netSales: webOrders * 50, orders: webOrders, units: webOrders * 2, aov: 50 });
    days.push({ date, channel: 'store', netSales: storeOrders * 25, orders: storeOrders, units: storeOrders * 3, aov: 25 });
  }
  const total = (c: 'web' | 'store') => {
    const rows = days.filter((r) => r.channel === c);
    const netSales = rows.reduce((s, r) => s + r.netSales, 0);
    const orders = rows.reduce((s, r) => s + r.orders, 0);
    return { netSales, orders, units: rows.reduce((s, r) => s + r.units, 0), aov: orders ? Math.round((netSales / orders) * 100) / 100 : 0 };
  };
  return {
    from, to, days,
    topSkus: {
      web: [ { sku: 'WIDGET-BLUE', units: 44, netSales: 858 }, { sku: 'WIDGET-RED', units: 30, netSales: 585 } ],
      store: [ { sku: 'MUG-CLASSIC', units: 120, netSales: 960 }, { sku: 'WIDGET-BLUE', units: 41, netSales: 799.5 } ],
    },
    locations: [
      { locationId: '100', name: 'Main Street store', sellThrough: 0.42, daysOfCover: 18.5 },
      { locationId: '101', name: 'Warehouse', sellThrough: 0.17, daysOfCover: null },
    ],
    stockouts: [ { sku: 'WIDGET-RED-XL', ordersAffected: 3 } ],
    customers: { bothChannels: 37, shareOfRevenue: 0.21 },
    totals: { web: total('web'), store: total('store') },
  };
}
