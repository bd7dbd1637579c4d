/**
 * TEST DOUBLE: a tiny HTTP server that serves a built panel directory and a fake admin-api at
 * the sandbox path `/api/v1/web/connector/admin-api/<route>`. It answers from the fixtures in
 * admin-fixtures.ts, validates every query and body with the real contract schemas (so a 400
 * names the field exactly as admin-api will), and requires the two auth headers like
 * `require-adobe-auth`. It is for browser tests of the panel only; the real admin-api is the
 * `connector/admin-api` action.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { z } from 'zod';
import {
  ADMIN_ROUTES,
  DRIFT_CSV_COLUMNS,
  RECONCILIATION_CSV_COLUMNS,
  type DriftResponse,
  type InsightsResponse,
  type InsightsTable,
  type Settings,
  type SettingsUpdate,
} from '../../lib/admin/contract';
import {
  activityItemsFixture,
  anomaliesFixture,
  deadLetterDetailFixture,
  deadLettersFixture,
  DRIFT_UNKNOWN_SKUS,
  driftFixture,
  FIXTURE_NOW,
  insightsFixture,
  mappingsFixture,
  metricsFixture,
  reconciliationFixture,
  settingsFixture,
  statusFixture,
  suggestionsFixture,
} from './admin-fixtures';

export const ADMIN_API_PATH = '/api/v1/web/connector/admin-api';

export interface FakeAdminApi {
  url: string;
  /** Every admin-api call received, for assertions on what the panel sent. */
  calls: Array<{ method: string; route: string; body?: unknown }>;
  /** Routes (e.g. `GET anomalies`) that answer 503 until removed, to show the panel's error states. */
  failing: Set<string>;
  /** Routes that answer 200 with a body breaking the contract, to show the panel's drift check. */
  malformed: Set<string>;
  /** The stock drift report GET reports/drift answers (null: 404, no reconciliation yet). POST sync/inventory {full} sets the fixture. */
  drift: { report: DriftResponse | null };
  close(): Promise<void>;
}

class Reply extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly field?: string) {
    super(message);
  }
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.json': 'application/json', '.png': 'image/png', '.woff2': 'font/woff2',
};

function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : undefined;
  throw new Reply(400, 'invalid_request', `${field ?? 'request'}: ${issue?.message ?? 'invalid'}`, field);
}

function csvCell(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csv(columns: readonly string[], rows: Array<Record<string, unknown>>): string {
  return [columns.join(','), ...rows.map((r) => columns.map((c) => csvCell(r[c])).join(','))].join('\n') + '\n';
}

function insightsCsv(data: InsightsResponse, table: InsightsTable): string {
  switch (table) {
    case 'days': return csv(['date', 'channel', 'netSales', 'orders', 'units', 'aov'], data.days);
    case 'topSkus': return csv(['channel', 'sku', 'units', 'netSales'], (['web', 'store'] as const).flatMap((channel) => data.topSkus[channel].map((s) => ({ channel, ...s }))));
    case 'locations': return csv(['locationId', 'name', 'sellThrough', 'daysOfCover'], data.locations);
    case 'stockouts': return csv(['sku', 'ordersAffected'], data.stockouts);
  }
}

/** Applies a validated partial update the way admin-api does: nested objects merge, lists replace, secrets become {set}. */
function applySettings(current: Settings, update: SettingsUpdate): Settings {
  const secret = (value: string | null | undefined, was: { set: boolean }) => (value === undefined ? was : { set: value !== null });
  const next: Settings = structuredClone(current);
  if (update.heartland) {
    const { apiToken, webhookSecret, ...plain } = update.heartland;
    next.heartland = { ...next.heartland, ...plain, apiToken: secret(apiToken, next.heartland.apiToken), webhookSecret: secret(webhookSecret, next.heartland.webhookSecret) };
  }
  if (update.commerce) {
    const { consumerSecret, accessToken, accessTokenSecret, ...plain } = update.commerce;
    next.commerce = {
      ...next.commerce, ...plain,
      consumerSecret: secret(consumerSecret, next.commerce.consumerSecret),
      accessToken: secret(accessToken, next.commerce.accessToken),
      accessTokenSecret: secret(accessTokenSecret, next.commerce.accessTokenSecret),
    };
  }
  const { heartland: _h, commerce: _c, wipeGuard, schedules, customers, flowsEnabled, flowFilters, fraud, alerts, anomalies, ...rest } = update;
  Object.assign(next, Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)));
  if (wipeGuard) next.wipeGuard = { ...next.wipeGuard, ...wipeGuard };
  if (schedules) next.schedules = { ...next.schedules, ...schedules };
  if (customers) next.customers = { ...next.customers, ...customers };
  if (flowsEnabled) next.flowsEnabled = { ...next.flowsEnabled, ...flowsEnabled };
  if (flowFilters) next.flowFilters = { ...next.flowFilters, ...flowFilters };
  if (fraud) next.fraud = { ...next.fraud, ...fraud };
  if (anomalies) next.anomalies = { ...next.anomalies, ...anomalies };
  if (alerts) {
    // "" or null clears a destination, as admin-api does.
    const { webhookUrl, mailEndpoint, ...plainAlerts } = alerts;
    next.alerts = { ...next.alerts, ...plainAlerts };
    if (webhookUrl !== undefined) next.alerts.webhookUrl = webhookUrl ?? '';
    if (mailEndpoint !== undefined) next.alerts.mailEndpoint = mailEndpoint ?? '';
  }
  return next;
}

export async function startFakeAdminApi(options: { staticDir: string }): Promise<FakeAdminApi> {
  const staticRoot = resolve(options.staticDir);
  const calls: FakeAdminApi['calls'] = [];
  const failing = new Set<string>();
  const malformed = new Set<string>();
  let settingsState = structuredClone(settingsFixture);
  const deadLetters = structuredClone(deadLettersFixture.items);
  const anomalies = structuredClone(anomaliesFixture.items);
  let mappings = structuredClone(mappingsFixture);
  const drift: FakeAdminApi['drift'] = { report: null };

  async function readJson(req: IncomingMessage): Promise<unknown> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    if (text.trim() === '') return {};
    try {
      return JSON.parse(text);
    } catch {
      throw new Reply(400, 'invalid_request', 'the body is not valid JSON');
    }
  }

  async function api(method: string, route: string, query: Record<string, string>, body: unknown): Promise<{ status?: number; json?: unknown; csv?: string }> {
    const R = ADMIN_ROUTES;
    const parts = route.split('/');
    const key = `${method} ${route}`;
    if (failing.has(key)) throw new Reply(503, 'upstream_unavailable', 'the state service did not answer (injected by the test)');
    if (malformed.has(key)) return { json: { items: [{ id: 'x', status: 'pending' }] } };
    if (key === 'GET status') return { json: { ...statusFixture, flows: statusFixture.flows.map((f) => ({ ...f, enabled: settingsState.flowsEnabled[f.name] ?? f.enabled })), dlqDepth: deadLetters.filter((d) => d.status === 'open').length } };
    if (key === 'GET metrics') {
      const q = parseWith(R.metrics.query, query);
      return { json: { series: metricsFixture.series.filter((p) => !q.flow || p.flow === q.flow) } };
    }
    if (key === 'GET activity') {
      const q = parseWith(R.activity.query, query);
      const items = activityItemsFixture.filter((i) => (!q.flow || i.flow === q.flow) && (!q.outcome || i.outcome === q.outcome) && (!q.entityId || i.entityId.includes(q.entityId)));
      const pages = Math.ceil(items.length / q.perPage);
      return { json: { items: items.slice((q.page - 1) * q.perPage, q.page * q.perPage), total: items.length, page: q.page, pages } };
    }
    if (key === 'GET dead-letters') {
      const q = parseWith(R.deadLetters.query, query);
      return { json: { items: deadLetters.filter((d) => (!q.flow || d.flow === q.flow) && (!q.status || d.status === q.status)) } };
    }
    if (key === 'POST dead-letters/replay') {
      const b = parseWith(R.replay.body, body);
      const chosen = deadLetters.filter((d) => d.status === 'open' && (b.all || (b.ids?.includes(d.id) ?? false) || (b.flow !== undefined && d.flow === b.flow)));
      for (const d of chosen) d.status = 'replayed';
      return { json: { results: chosen.map((d) => ({ id: d.id, outcome: 'done' })) } };
    }
    if (method === 'GET' && parts[0] === 'dead-letters' && parts.length === 2) {
      const detail = deadLetterDetailFixture(parts[1]!);
      if (!detail) throw new Reply(404, 'not_found', `no dead letter ${parts[1]}`);
      return { json: { ...detail, summary: deadLetters.find((d) => d.id === parts[1]) ?? detail.summary } };
    }
    if (method === 'POST' && parts[0] === 'dead-letters' && parts[2] === 'discard' && parts.length === 3) {
      parseWith(R.discard.body, body);
      const d = deadLetters.find((x) => x.id === parts[1]);
      if (!d) throw new Reply(404, 'not_found', `no dead letter ${parts[1]}`);
      d.status = 'discarded';
      return { json: { id: d.id, status: 'discarded' } };
    }
    if (key === 'GET mappings') return { json: mappings };
    if (key === 'POST mappings/validate') {
      const b = parseWith(R.validateMapping.body, body);
      const errors = b.document.entities.flatMap((e, i) => e.rules.flatMap((r, j) => (r.target.trim() === '' ? [{ path: `entities.${i}.rules.${j}.target`, message: 'a rule needs a target field' }] : [])));
      return { json: { valid: errors.length === 0, errors } };
    }
    if (key === 'POST mappings') {
      const b = parseWith(R.saveMapping.body, body);
      const version = mappings.version + 1;
      mappings = { version, document: b.document, history: [{ version, savedAt: FIXTURE_NOW, savedBy: 'panel-test', note: b.note }, ...mappings.history] };
      return { json: { version } };
    }
    if (key === 'POST mappings/rollback') {
      const b = parseWith(R.rollbackMapping.body, body);
      if (!mappings.history.some((h) => h.version === b.version)) throw new Reply(404, 'not_found', `no mapping version ${b.version}`, 'version');
      const version = mappings.version + 1;
      mappings = { ...mappings, version, history: [{ version, savedAt: FIXTURE_NOW, note: `rollback to v${b.version}` }, ...mappings.history] };
      return { json: { version } };
    }
    if (key === 'POST mappings/preview') {
      const b = parseWith(R.previewMapping.body, body);
      const doc = b.document ?? mappings.document;
      const entity = doc.entities.find((e) => e.entity === b.entity && e.direction === b.direction);
      if (!entity) throw new Reply(404, 'not_found', `no mapping for ${b.entity} ${b.direction}`, 'entity');
      const sample = b.sample ?? (deadLetterDetailFixture('dlq-order-1203')!.sourcePayload as Record<string, unknown>);
      const read = (path: string) => path.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), sample);
      const output: Record<string, unknown> = {};
      for (const rule of entity.rules) {
        let value = rule.source ? read(rule.source) : undefined;
        if (rule.valueMap && value !== undefined) value = entity.valueMaps[rule.valueMap]?.[String(value)];
        output[rule.target] = value ?? rule.default ?? null;
      }
      return { json: { output } };
    }
    if (key === 'GET mappings/suggestions') {
      parseWith(R.suggestions.query, query);
      return { json: suggestionsFixture };
    }
    if (key === 'GET anomalies') {
      const q = parseWith(R.anomalies.query, query);
      return { json: { items: anomalies.filter((a) => !q.status || a.status === q.status) } };
    }
    if (method === 'POST' && parts[0] === 'anomalies' && parts.length === 3 && (parts[2] === 'approve' || parts[2] === 'reject')) {
      parseWith(R.approveAnomaly.body, body);
      const a = anomalies.find((x) => x.id === parts[1]);
      if (!a) throw new Reply(404, 'not_found', `no anomaly ${parts[1]}`);
      a.status = parts[2] === 'approve' ? 'approved' : 'rejected';
      return { json: { id: a.id, status: a.status } };
    }
    if (key === 'GET settings') return { json: settingsState };
    if (key === 'PUT settings') {
      settingsState = applySettings(settingsState, parseWith(R.putSettings.body, body));
      return { json: settingsState };
    }
    if (key === 'POST connections/test') {
      const b = parseWith(R.testConnection.body, body);
      return { json: b.system === 'heartland' ? { ok: true, latencyMs: 84, message: 'Heartland answered' } : { ok: false, latencyMs: 120, message: 'Commerce answered 401: consumer is not authorized' } };
    }
    if (method === 'POST' && parts[0] === 'flows' && parts[2] === 'filters' && parts[3] === 'preview') {
      const b = parseWith(R.filterPreview.body, body);
      const recent = activityItemsFixture.filter((i) => i.flow === parts[1]).slice(0, 5);
      const items = recent.map((i, n) => {
        const failing = b.conditions.length > 0 && n % 2 === 1 ? b.conditions[0] : undefined;
        return { entityId: i.entityId, key: i.key, passes: !failing, failedCondition: failing ? `${failing.field} ${failing.op} ${JSON.stringify(failing.value ?? '')}` : undefined };
      });
      return { json: { items, evaluated: items.length, passed: items.filter((i) => i.passes).length } };
    }
    if (method === 'POST' && parts[0] === 'sync' && parts.length === 2) {
      parseWith(R.sync.body, body);
      if (!statusFixture.flows.some((f) => f.name === parts[1])) throw new Reply(404, 'not_found', `no flow ${parts[1]}`, 'flow');
      // A full stock reconciliation "finishes" at once here: its drift report is there on the next GET.
      if (parts[1] === 'inventory' && (body as { full?: boolean }).full) drift.report = structuredClone(driftFixture);
      return { json: { started: true, jobId: `job-${parts[1]}-1` } };
    }
    if (key === 'GET reports/reconciliation') {
      const q = parseWith(R.reconciliation.query, query);
      if (q.format === 'csv') return { csv: csv(RECONCILIATION_CSV_COLUMNS, reconciliationFixture.rows) };
      return { json: reconciliationFixture };
    }
    if (key === 'GET reports/drift') {
      const q = parseWith(R.drift.query, query);
      if (!drift.report) throw new Reply(404, 'no_reconciliation', 'no stock reconciliation has run yet; start one with POST sync/inventory {"full": true}');
      if (q.runId && q.runId !== drift.report.runId) throw new Reply(404, 'unknown_run', `runId: no stock reconciliation run "${q.runId}"`, 'runId');
      if (q.format === 'csv') return { csv: csv(DRIFT_CSV_COLUMNS, drift.report.rows) };
      return { json: drift.report };
    }
    if (key === 'POST reports/drift/fix') {
      const b = parseWith(R.fixDrift.body, body);
      const skus = [...new Set(b.skus)];
      const unknownSkus = skus.filter((s) => DRIFT_UNKNOWN_SKUS.includes(s));
      const known = skus.length - unknownSkus.length;
      const sourceItems = (drift.report?.rows ?? []).filter((r) => skus.includes(r.sku) && !unknownSkus.includes(r.sku)).length;
      return { json: { fixed: known, unknownSkus, sourceItems, writeCalls: known ? 1 : 0 } };
    }
    if (key === 'GET insights/channels') {
      const q = parseWith(R.insights.query, query);
      const to = q.to ?? FIXTURE_NOW.slice(0, 10);
      const from = q.from ?? new Date(Date.parse(to) - 13 * 86_400_000).toISOString().slice(0, 10);
      const data = insightsFixture(from, to);
      if (q.format === 'csv') return { csv: insightsCsv(data, q.table!) };
      return { json: data };
    }
    throw new Reply(404, 'not_found', `no route ${method} ${route}`);
  }

  async function serveStatic(pathname: string, res: ServerResponse): Promise<void> {
    const file = normalize(join(staticRoot, pathname === '/' ? 'index.html' : decodeURIComponent(pathname)));
    if (!file.startsWith(staticRoot)) {
      res.writeHead(403).end();
      return;
    }
    try {
      if (!(await stat(file)).isFile()) throw new Error('not a file');
      res.writeHead(200, { 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(await readFile(file));
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  }

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!url.pathname.startsWith(`${ADMIN_API_PATH}/`)) {
      void serveStatic(url.pathname, res);
      return;
    }
    const route = url.pathname.slice(ADMIN_API_PATH.length + 1).replace(/\/+$/, '');
    const method = req.method ?? 'GET';
    const send = (status: number, json: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
    void (async () => {
      try {
        // Same rule as require-adobe-auth in the local host: both headers, any value.
        if (!req.headers.authorization?.startsWith('Bearer ') || !req.headers['x-gw-ims-org-id']) {
          throw new Reply(401, 'unauthorized', 'missing authorization or x-gw-ims-org-id header');
        }
        const body = method === 'GET' ? undefined : await readJson(req);
        calls.push({ method, route, body });
        const answer = await api(method, route, Object.fromEntries(url.searchParams), body);
        if (answer.csv !== undefined) res.writeHead(200, { 'content-type': 'text/csv; charset=utf-8' }).end(answer.csv);
        else send(answer.status ?? 200, answer.json);
      } catch (error) {
        if (error instanceof Reply) send(error.status, { error: { code: error.code, message: error.message, ...(error.field ? { field: error.field } : {}) } });
        else send(500, { error: { code: 'internal_error', message: (error as Error).message } });
      }
    })();
  });
  await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    failing,
    malformed,
    drift,
    close: () => new Promise<void>((resolveClose) => server.close(() => resolveClose())),
  };
}
