/**
 * The admin-api request handler: checks the Adobe headers, builds the connector from the action
 * inputs, validates every query and body with the contract's schemas (lib/admin/contract.ts
 * ADMIN_ROUTES) and dispatches to the route modules. Bad input is a 400 naming the field (zod
 * errors are mapped by lib/runtime), unknown routes 404, wrong methods 405, never a stack trace.
 */
import { z } from 'zod';
import { ADMIN_ROUTES, DRIFT_CSV_COLUMNS, RECONCILIATION_CSV_COLUMNS, type StatusResponse } from './contract';
import { createConnector, type Connector } from '../connector/connector';
import type { ClientTuning } from '../connector/clients';
import { connectionStatuses } from '../config/connection-status';
import type { FlowArea } from '../flows/area';
import type { Platform } from '../platform/ports';
import { HttpError } from '../runtime/http-error';
import { createRouter, type Router } from '../runtime/router';
import type { ActionContext } from '../runtime/action';
import type { WebRequest } from '../runtime/request';
import { jsonResponse } from '../runtime/response';
import { searchActivity } from './activity';
import { decideAnomaly, listAnomalies } from './anomalies';
import { requireAdobeHeaders } from './auth';
import { channelInsights, insightsTable } from './channel-insights';
import { testConnection } from './connections';
import type { AdminContext, AdminHooks } from './context';
import { csvResponse, toCsv } from './csv';
import { driftReport, fixStockDrift } from './drift';
import { deadLetterDetail, discard, listDeadLetterSummaries, replay } from './dead-letters';
import { previewFlowFilters } from './flow-filters';
import { getMappings, previewMapping, rollbackMapping, saveMapping, suggestionsFor, validateMapping } from './mappings';
import { reconciliationReport } from './reconciliation';
import { createResponseCache, type ResponseCache } from './response-cache';
import { readSettings, updateSettings } from './settings';
import { buildMetrics, buildStatus } from './status';
import { syncNow } from './sync-now';

export interface AdminApiOptions {
  /** Platform adapters; default: the real ones from the environment (tests pass memory ones). */
  platform?: Platform;
  areas?: FlowArea[];
  hooks?: AdminHooks;
  tuning?: ClientTuning;
  env?: Record<string, string | undefined>;
  /** How long a warm container reuses its `GET status` answer (default STATUS_CACHE_MS; 0: never). */
  statusCacheMs?: number;
}

/**
 * The Overview and Flows pages read `GET status` on every load and refresh; computing it lists
 * dead letters, anomalies and run records from state. Ten seconds behind is fine for a dashboard,
 * and the panel's own changes (any POST or PUT) clear it at once (lib/admin/response-cache.ts).
 */
export const STATUS_CACHE_MS = 10_000;

/** Calls the panel waits on: one try, a short timeout, so a dead upstream answers in seconds. */
const INTERACTIVE_TUNING: ClientTuning = { maxAttempts: 1, timeoutMs: 5_000 };

type Handler = (request: WebRequest, params: Record<string, string>, ctx: AdminContext) => Promise<unknown>;

const R = ADMIN_ROUTES;
const query = <S extends z.ZodType>(schema: S, request: WebRequest): z.infer<S> => schema.parse(request.query);
const body = <S extends z.ZodType>(schema: S, request: WebRequest): z.infer<S> => schema.parse(request.fields);
const json = (value: unknown) => jsonResponse(value);

/** Contract paths (`dead-letters/:id`) as router patterns, so the table stays the one source of truth. */
function route(router: Router<AdminContext>, spec: { method: string; path: string }, handler: Handler) {
  router.on(spec.method.toLowerCase() as 'get' | 'post' | 'put', `/${spec.path}`, (request, params, ctx) => handler(request, params, ctx));
}

function buildRouter(cache: ResponseCache): Router<AdminContext> {
  const router = createRouter<AdminContext>();
  route(router, R.status, async (_r, _p, ctx) => json(await cache.get('status', ctx.deps.platform.clock.now(), () => buildStatus(ctx))));
  route(router, R.metrics, async (r, _p, ctx) => json(await buildMetrics(query(R.metrics.query, r), ctx)));
  route(router, R.activity, async (r, _p, ctx) => json(await searchActivity(r.query, ctx)));
  route(router, R.deadLetters, async (r, _p, ctx) => json({ items: await listDeadLetterSummaries(query(R.deadLetters.query, r), ctx) }));
  route(router, R.replay, async (r, _p, ctx) => json(await replay(body(R.replay.body, r), ctx)));
  route(router, R.deadLetter, async (_r, p, ctx) => json(await deadLetterDetail(p.id, ctx)));
  route(router, R.discard, async (r, p, ctx) => json(await discard(p.id, body(R.discard.body, r).reason, ctx)));
  route(router, R.mappings, async (_r, _p, ctx) => json(await getMappings(ctx)));
  route(router, R.validateMapping, async (r, _p, ctx) => json(await validateMapping(body(R.validateMapping.body, r).document, ctx)));
  route(router, R.saveMapping, async (r, _p, ctx) => {
    const request = body(R.saveMapping.body, r);
    return json(await saveMapping(request.document, request.note, ctx));
  });
  route(router, R.rollbackMapping, async (r, _p, ctx) => json(await rollbackMapping(body(R.rollbackMapping.body, r).version, ctx)));
  route(router, R.previewMapping, async (r, _p, ctx) => json(await previewMapping(body(R.previewMapping.body, r), ctx)));
  route(router, R.suggestions, async (r, _p, ctx) => {
    const q = query(R.suggestions.query, r);
    return json(await suggestionsFor(q.entity, q.direction, ctx));
  });
  route(router, R.anomalies, async (r, _p, ctx) => json({ items: await listAnomalies(query(R.anomalies.query, r).status, ctx) }));
  route(router, R.approveAnomaly, async (r, p, ctx) => json(await decideAnomaly(p.id, 'approve', body(R.approveAnomaly.body, r).reason, ctx)));
  route(router, R.rejectAnomaly, async (r, p, ctx) => json(await decideAnomaly(p.id, 'reject', body(R.rejectAnomaly.body, r).reason, ctx)));
  route(router, R.getSettings, async (_r, _p, ctx) => json(await readSettings(ctx)));
  route(router, R.putSettings, async (r, _p, ctx) => json(await updateSettings(r.fields, ctx)));
  route(router, R.testConnection, async (r, _p, ctx) => json(await testConnection(body(R.testConnection.body, r).system, ctx)));
  route(router, R.filterPreview, async (r, p, ctx) => json(await previewFlowFilters(p.flow, body(R.filterPreview.body, r).conditions, ctx)));
  route(router, R.sync, async (r, p, ctx) => json(await syncNow(p.flow, body(R.sync.body, r), ctx)));
  route(router, R.reconciliation, async (r, _p, ctx) => {
    const q = query(R.reconciliation.query, r);
    const report = await reconciliationReport(q, ctx);
    if (q.format === 'csv') return csvResponse(toCsv(RECONCILIATION_CSV_COLUMNS, report.rows), 'reconciliation.csv');
    return json(report);
  });
  route(router, R.drift, async (r, _p, ctx) => {
    const q = query(R.drift.query, r);
    const report = await driftReport(q, ctx);
    if (q.format === 'csv') return csvResponse(toCsv(DRIFT_CSV_COLUMNS, report.rows), `stock-drift-${report.runId}.csv`);
    return json(report);
  });
  route(router, R.fixDrift, async (r, _p, ctx) => json(await fixStockDrift(body(R.fixDrift.body, r).skus, ctx)));
  route(router, R.insights, async (r, _p, ctx) => {
    const q = query(R.insights.query, r);
    const data = await channelInsights(q, ctx);
    if (q.format === 'csv' && q.table) {
      const table = insightsTable(data, q.table);
      return csvResponse(toCsv(table.columns, table.rows), `insights-${q.table}-${data.from}-${data.to}.csv`);
    }
    return json(data);
  });
  return router;
}

/** What GET status says when the connection inputs are incomplete: which ones, and nothing else. */
function unconfiguredStatus(inputs: Record<string, string>): StatusResponse {
  return { connections: connectionStatuses(inputs), flows: [], dlqDepth: 0, anomaliesOpen: 0 };
}

export function createAdminApiHandler(options: AdminApiOptions = {}) {
  const cache = createResponseCache({ ttlMs: options.statusCacheMs ?? STATUS_CACHE_MS });
  const router = buildRouter(cache);
  return async (request: WebRequest, context: ActionContext): Promise<unknown> => {
    const { orgId } = requireAdobeHeaders(request.headers);
    let connector: Connector;
    try {
      connector = createConnector({ inputs: request.inputs, platform: options.platform, areas: options.areas, tuning: options.tuning, env: options.env });
    } catch (error) {
      if (error instanceof HttpError && error.code === 'not_configured' && request.method === 'get' && request.path === '/status') {
        return jsonResponse(unconfiguredStatus(request.inputs));
      }
      throw error;
    }
    const ctx: AdminContext = {
      connector,
      deps: connector.deps,
      inputs: request.inputs,
      actor: `panel (${orgId})`,
      correlationId: context.correlationId,
      logger: context.logger,
      hooks: options.hooks ?? {},
      interactiveTuning: INTERACTIVE_TUNING,
    };
    if (request.method === 'get') return router.dispatch(request, ctx);
    // A change made through the panel shows on the next read, not after the cache expires.
    cache.clear();
    try {
      return await router.dispatch(request, ctx);
    } finally {
      cache.clear();
    }
  };
}
