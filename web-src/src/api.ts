/**
 * Typed client for admin-api. Every answer is checked against the contract schema before a page
 * sees it, so a backend drift shows as a clear error state instead of a half-rendered page.
 */
import type { z } from 'zod';
import {
  activityResponse,
  anomaliesResponse,
  anomalyDecisionResponse,
  connectionTestResponse,
  deadLetterDetail,
  deadLettersResponse,
  discardResponse,
  driftFixResponse,
  driftResponse,
  errorBody,
  filterPreviewResponse,
  insightsResponse,
  mappingsResponse,
  metricsResponse,
  previewMappingResponse,
  reconciliationResponse,
  replayResponse,
  saveMappingResponse,
  settings,
  statusResponse,
  suggestionsResponse,
  syncResponse,
  validateMappingResponse,
  type ActivityQuery,
  type AnomalyStatus,
  type DeadLettersQuery,
  type FilterCondition,
  type InsightsTable,
  type MappingDirection,
  type MappingDocument,
  type MetricsQuery,
  type ReplayRequest,
  type SettingsUpdate,
  type System,
} from '../../lib/admin/contract';

/** What admin-api said went wrong, with the field at fault when it named one. */
export class AdminApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field?: string;
  constructor(status: number, code: string, message: string, field?: string) {
    super(message);
    this.name = 'AdminApiError';
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

export interface AdminApiOptions {
  /** Absolute or same-origin URL of the admin-api action, without a trailing slash. */
  baseUrl: string;
  token: string;
  orgId: string;
  fetch?: typeof fetch;
}

type Query = Record<string, string | number | boolean | undefined>;

function queryString(query: Query | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(key, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}

export function createAdminApi(options: AdminApiOptions) {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const headers = { authorization: `Bearer ${options.token}`, 'x-gw-ims-org-id': options.orgId };

  async function send(method: string, route: string, query?: Query, body?: unknown, accept = 'application/json'): Promise<Response> {
    let response: Response;
    try {
      response = await doFetch(`${options.baseUrl}/${route}${queryString(query)}`, {
        method,
        headers: { ...headers, accept, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      throw new AdminApiError(0, 'network_error', `The connector could not be reached (${(error as Error).message}).`);
    }
    if (!response.ok) {
      const text = await response.text();
      let parsed: unknown;
      try { parsed = JSON.parse(text); } catch { parsed = undefined; }
      const error = errorBody.safeParse(parsed);
      if (error.success) throw new AdminApiError(response.status, error.data.error.code, error.data.error.message, error.data.error.field);
      throw new AdminApiError(response.status, 'http_error', `The connector answered ${response.status} ${response.statusText}`.trim());
    }
    return response;
  }

  async function call<S extends z.ZodType>(schema: S, method: string, route: string, query?: Query, body?: unknown): Promise<z.infer<S>> {
    const response = await send(method, route, query, body);
    const parsed = schema.safeParse(await response.json().catch(() => undefined));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? issue.path.join('.') : 'the answer';
      throw new AdminApiError(response.status, 'contract_mismatch', `Unexpected answer from ${route}: ${where}: ${issue?.message ?? 'invalid'}`);
    }
    return parsed.data;
  }

  async function csv(route: string, query: Query): Promise<Blob> {
    const response = await send('GET', route, { ...query, format: 'csv' }, undefined, 'text/csv');
    return new Blob([await response.text()], { type: 'text/csv' });
  }

  const id = encodeURIComponent;
  return {
    status: () => call(statusResponse, 'GET', 'status'),
    metrics: (query: MetricsQuery = {}) => call(metricsResponse, 'GET', 'metrics', query),
    activity: (query: ActivityQuery) => call(activityResponse, 'GET', 'activity', query as Query),
    deadLetters: (query: DeadLettersQuery = {}) => call(deadLettersResponse, 'GET', 'dead-letters', query),
    deadLetter: (dlqId: string) => call(deadLetterDetail, 'GET', `dead-letters/${id(dlqId)}`),
    replay: (body: ReplayRequest) => call(replayResponse, 'POST', 'dead-letters/replay', undefined, body),
    discard: (dlqId: string, reason: string) => call(discardResponse, 'POST', `dead-letters/${id(dlqId)}/discard`, undefined, { reason }),
    mappings: () => call(mappingsResponse, 'GET', 'mappings'),
    validateMapping: (document: MappingDocument) => call(validateMappingResponse, 'POST', 'mappings/validate', undefined, { document }),
    saveMapping: (document: MappingDocument, note?: string) => call(saveMappingResponse, 'POST', 'mappings', undefined, { document, note }),
    rollbackMapping: (version: number) => call(saveMappingResponse, 'POST', 'mappings/rollback', undefined, { version }),
    previewMapping: (body: { entity: string; direction: MappingDirection; sample?: Record<string, unknown>; document?: MappingDocument }) =>
      call(previewMappingResponse, 'POST', 'mappings/preview', undefined, body),
    suggestions: (entity: string, direction: MappingDirection) => call(suggestionsResponse, 'GET', 'mappings/suggestions', { entity, direction }),
    anomalies: (status?: AnomalyStatus) => call(anomaliesResponse, 'GET', 'anomalies', { status }),
    decideAnomaly: (anomalyId: string, decision: 'approve' | 'reject', reason?: string) =>
      call(anomalyDecisionResponse, 'POST', `anomalies/${id(anomalyId)}/${decision}`, undefined, reason ? { reason } : {}),
    settings: () => call(settings, 'GET', 'settings'),
    saveSettings: (update: SettingsUpdate) => call(settings, 'PUT', 'settings', undefined, update),
    testConnection: (system: System) => call(connectionTestResponse, 'POST', 'connections/test', undefined, { system }),
    previewFilters: (flow: string, conditions: FilterCondition[]) => call(filterPreviewResponse, 'POST', `flows/${id(flow)}/filters/preview`, undefined, { conditions }),
    syncNow: (flow: string, options: { full?: boolean; ids?: string[] } = {}) => call(syncResponse, 'POST', `sync/${id(flow)}`, undefined, options),
    reconciliation: (from?: string, to?: string) => call(reconciliationResponse, 'GET', 'reports/reconciliation', { from, to }),
    reconciliationCsv: (from?: string, to?: string) => csv('reports/reconciliation', { from, to }),
    /** The latest stock drift report, or null before any full reconciliation has run (admin-api answers 404). */
    drift: async (runId?: string) => {
      try {
        return await call(driftResponse, 'GET', 'reports/drift', { runId });
      } catch (error) {
        if (error instanceof AdminApiError && error.code === 'no_reconciliation') return null;
        throw error;
      }
    },
    driftCsv: (runId?: string) => csv('reports/drift', { runId }),
    fixDrift: (skus: string[]) => call(driftFixResponse, 'POST', 'reports/drift/fix', undefined, { skus }),
    insights: (from: string, to: string) => call(insightsResponse, 'GET', 'insights/channels', { from, to }),
    insightsCsv: (from: string, to: string, table: InsightsTable) => csv('insights/channels', { from, to, table }),
  };
}

export type AdminApi = ReturnType<typeof createAdminApi>;

/**
 * Where admin-api lives. `?api=` wins (tests, pointing a built panel at another host), then the
 * build-time VITE_ADMIN_API_URL (Runtime: the action URL on adobeioruntime.net), then the same
 * origin path the sandbox host serves.
 */
export function adminApiUrl(location: Location = window.location): string {
  const fromQuery = new URLSearchParams(location.search).get('api');
  const configured = fromQuery ?? (import.meta.env.VITE_ADMIN_API_URL as string | undefined);
  return (configured ?? '/api/v1/web/connector/admin-api').replace(/\/+$/, '');
}
