/**
 * The admin-api contract: every route the panel calls, its query, request body and response, as
 * zod schemas with inferred types. The admin-api action validates its inputs with the request
 * schemas; the panel validates every response with the response schemas, so a drift between the
 * two fails loudly in tests instead of rendering half a page. docs/admin-api.md lists the routes.
 *
 * Imported by web-src too, so this module must stay browser-safe: zod only, no node: imports.
 */
import { z } from 'zod';

// ---------------------------------------------------------------------------------------------
// Shared pieces

/** Flows the connector runs (DESIGN.md §4). Flow fields stay strings so a new flow needs no contract change. */
export const FLOW_NAMES = [
  'order',
  'order-status',
  'shipment',
  'inventory',
  'product',
  'customer',
  'refund',
  'gift-card',
  'payment',
  'reconciliation',
] as const;

export const flowName = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,63}$/, 'a flow name is lower-case letters, digits and dashes');

export const isoDateTime = z.iso.datetime({ offset: true });
export const isoDate = z.iso.date();
/** Query bounds accept a calendar day (`2026-11-01`) or an instant (`2026-11-01T10:00:00Z`). */
export const dateOrDateTime = z.union([isoDate, isoDateTime]);

/** Units of work end in exactly one of these (DESIGN.md §1.4). */
export const outcome = z.enum(['done', 'skipped', 'retryScheduled', 'deadLettered']);
export type Outcome = z.infer<typeof outcome>;

export const flowDirection = z.enum(['commerce-to-heartland', 'heartland-to-commerce', 'both', 'report']);
export type FlowDirection = z.infer<typeof flowDirection>;

export const mappingDirection = z.enum(['commerce-to-heartland', 'heartland-to-commerce']);
export type MappingDirection = z.infer<typeof mappingDirection>;

export const system = z.enum(['heartland', 'commerce']);
export type System = z.infer<typeof system>;

const money = z.number().finite();
const count = z.number().int().nonnegative();

/** Query strings arrive as text; page numbers are coerced, everything else stays a string. */
const pageNumber = z.coerce.number().int().min(1);

export const errorBody = z.object({
  error: z.object({
    code: z.string().min(1),
    message: z.string().min(1),
    field: z.string().optional(),
    correlationId: z.string().optional(),
  }),
});
export type ErrorBody = z.infer<typeof errorBody>;

// ---------------------------------------------------------------------------------------------
// GET status

export const connectionStatus = z.object({
  configured: z.boolean(),
  ok: z.boolean(),
  checkedAt: isoDateTime.nullable(),
  message: z.string(),
});
export type ConnectionStatus = z.infer<typeof connectionStatus>;

export const outcomeCounts = z.object({
  done: count,
  skipped: count,
  retryScheduled: count,
  deadLettered: count,
});
export type OutcomeCounts = z.infer<typeof outcomeCounts>;

export const flowStepName = z.enum(['trigger', 'filters', 'mapping', 'target']);
export type FlowStepName = z.infer<typeof flowStepName>;

export const flowStatus = z.object({
  name: flowName,
  label: z.string().min(1),
  direction: flowDirection,
  enabled: z.boolean(),
  lastRunAt: isoDateTime.nullable(),
  lastOutcome: outcome.nullable(),
  /** Units of work that ended in the last 24 hours, by outcome. */
  counts: outcomeCounts,
  dlqDepth: count,
  /** How many units reached each step in the last 24 hours, in pipeline order. */
  steps: z.array(z.object({ name: flowStepName, count })),
});
export type FlowStatus = z.infer<typeof flowStatus>;

/** One hour of all flows together: what the Overview charts, so it needs no second request. */
export const statusHour = z.object({
  /** Start of the hour, UTC. */
  hour: isoDateTime,
  done: count,
  skipped: count,
  retryScheduled: count,
  deadLettered: count,
  /** The slowest flow's p95 in that hour; null when no unit ran. */
  p95Ms: z.number().nonnegative().nullable(),
});
export type StatusHour = z.infer<typeof statusHour>;

export const statusResponse = z.object({
  connections: z.object({ heartland: connectionStatus, commerce: connectionStatus }),
  flows: z.array(flowStatus),
  dlqDepth: count,
  anomaliesOpen: count,
  /** The 24 hours ending with the current one, oldest first (absent while unconfigured). */
  hourly: z.array(statusHour).optional(),
});
export type StatusResponse = z.infer<typeof statusResponse>;

// ---------------------------------------------------------------------------------------------
// GET metrics

export const metricsQuery = z.object({
  flow: flowName.optional(),
  from: dateOrDateTime.optional(),
  to: dateOrDateTime.optional(),
});
export type MetricsQuery = z.infer<typeof metricsQuery>;

export const metricsPoint = z.object({
  /** Start of the hour, UTC. */
  hour: isoDateTime,
  flow: flowName,
  done: count,
  skipped: count,
  retryScheduled: count,
  deadLettered: count,
  p50Ms: z.number().nonnegative().nullable(),
  p95Ms: z.number().nonnegative().nullable(),
  p99Ms: z.number().nonnegative().nullable(),
});
export type MetricsPoint = z.infer<typeof metricsPoint>;

export const metricsResponse = z.object({ series: z.array(metricsPoint) });
export type MetricsResponse = z.infer<typeof metricsResponse>;

// ---------------------------------------------------------------------------------------------
// GET activity

export const activityQuery = z.object({
  flow: flowName.optional(),
  outcome: outcome.optional(),
  entityId: z.string().min(1).max(200).optional(),
  from: dateOrDateTime.optional(),
  to: dateOrDateTime.optional(),
  page: pageNumber.default(1),
  perPage: pageNumber.max(200).default(50),
});
export type ActivityQuery = z.input<typeof activityQuery>;

export const errorDetail = z.object({
  message: z.string(),
  field: z.string().optional(),
  system: system.optional(),
  status: z.number().int().optional(),
});
export type ErrorDetail = z.infer<typeof errorDetail>;

/** A link to the record on either side, for the Activity page's source and target columns. */
export const recordRef = z.object({
  system,
  id: z.string(),
  label: z.string().optional(),
  url: z.url().optional(),
});
export type RecordRef = z.infer<typeof recordRef>;

export const activityItem = z.object({
  id: z.string().min(1),
  flow: flowName,
  key: z.string().min(1),
  entityId: z.string(),
  outcome,
  reason: z.string().optional(),
  attempts: z.number().int().min(1),
  startedAt: isoDateTime,
  finishedAt: isoDateTime.nullable(),
  durationMs: z.number().nonnegative().nullable(),
  correlationId: z.string(),
  error: errorDetail.optional(),
  sourceRef: recordRef.optional(),
  targetRef: recordRef.optional(),
});
export type ActivityItem = z.infer<typeof activityItem>;

export const activityResponse = z.object({
  items: z.array(activityItem),
  total: count,
  page: z.number().int().min(1),
  pages: count,
});
export type ActivityResponse = z.infer<typeof activityResponse>;

// ---------------------------------------------------------------------------------------------
// Dead letters

export const deadLetterStatus = z.enum(['open', 'replayed', 'discarded']);
export type DeadLetterStatus = z.infer<typeof deadLetterStatus>;

export const deadLettersQuery = z.object({
  flow: flowName.optional(),
  status: deadLetterStatus.optional(),
});
export type DeadLettersQuery = z.infer<typeof deadLettersQuery>;

export const deadLetterSummary = z.object({
  id: z.string().min(1),
  flow: flowName,
  key: z.string().min(1),
  entityId: z.string(),
  error: z.string(),
  field: z.string().optional(),
  attempts: z.number().int().min(1),
  firstSeen: isoDateTime,
  lastSeen: isoDateTime,
  status: deadLetterStatus,
});
export type DeadLetterSummary = z.infer<typeof deadLetterSummary>;

export const deadLettersResponse = z.object({ items: z.array(deadLetterSummary) });
export type DeadLettersResponse = z.infer<typeof deadLettersResponse>;

export const deadLetterDetail = z.object({
  summary: deadLetterSummary,
  /** What the source system said, PAN-redacted before storage (DESIGN.md §1.6). */
  sourcePayload: z.unknown(),
  /** What the connector tried to write; null when mapping itself failed. */
  mappedPayload: z.unknown().nullable(),
  error: errorDetail,
});
export type DeadLetterDetail = z.infer<typeof deadLetterDetail>;

export const replayRequest = z
  .object({
    ids: z.array(z.string().min(1)).min(1).max(500).optional(),
    flow: flowName.optional(),
    all: z.boolean().optional(),
  })
  .refine((body) => body.ids !== undefined || body.flow !== undefined || body.all === true, {
    message: 'name the dead letters to replay: ids, flow, or all: true',
    path: ['ids'],
  });
export type ReplayRequest = z.infer<typeof replayRequest>;

export const replayResult = z.object({
  id: z.string(),
  outcome,
  message: z.string().optional(),
});
export const replayResponse = z.object({ results: z.array(replayResult) });
export type ReplayResponse = z.infer<typeof replayResponse>;

export const discardRequest = z.object({
  reason: z.string().trim().min(3, 'say in a few words why this is discarded').max(500),
});
export type DiscardRequest = z.infer<typeof discardRequest>;

export const discardResponse = z.object({ id: z.string(), status: z.literal('discarded') });
export type DiscardResponse = z.infer<typeof discardResponse>;

// ---------------------------------------------------------------------------------------------
// Mappings
//
// ASSUMED: the mapping document shape below is what lib/mapping stores (cfg.mapping.<version>).
// Rules and entity blocks are loose objects so the engine can add options (transforms, conditions)
// without breaking the panel; the panel only relies on the fields named here.

export const mappingRule = z.looseObject({
  /** Dotted field path on the target side, e.g. `payment.payment_type_id`. */
  target: z.string().min(1),
  /** Dotted field path on the source side; absent for constant rules. */
  source: z.string().min(1).optional(),
  /** Name of a value map applied to the source value. */
  valueMap: z.string().min(1).optional(),
  default: z.union([z.string(), z.number(), z.boolean(), z.null()]).optional(),
  transform: z.string().min(1).optional(),
});
export type MappingRule = z.infer<typeof mappingRule>;

export const entityMapping = z.looseObject({
  entity: z.string().min(1),
  direction: mappingDirection,
  rules: z.array(mappingRule),
  /** name -> (source value -> target value), e.g. payment methods `checkmo -> 12`. */
  valueMaps: z.record(z.string(), z.record(z.string(), z.union([z.string(), z.number()]))),
});
export type EntityMapping = z.infer<typeof entityMapping>;

export const mappingDocument = z.looseObject({ entities: z.array(entityMapping) });
export type MappingDocument = z.infer<typeof mappingDocument>;

export const mappingHistoryEntry = z.object({
  version: z.number().int().min(1),
  savedAt: isoDateTime,
  savedBy: z.string().optional(),
  note: z.string().optional(),
});
export type MappingHistoryEntry = z.infer<typeof mappingHistoryEntry>;

export const mappingsResponse = z.object({
  version: z.number().int().min(1),
  document: mappingDocument,
  history: z.array(mappingHistoryEntry),
});
export type MappingsResponse = z.infer<typeof mappingsResponse>;

export const validateMappingRequest = z.object({ document: mappingDocument });
export type ValidateMappingRequest = z.infer<typeof validateMappingRequest>;

export const mappingProblem = z.object({ path: z.string(), message: z.string() });
export type MappingProblem = z.infer<typeof mappingProblem>;

export const validateMappingResponse = z.object({ valid: z.boolean(), errors: z.array(mappingProblem) });
export type ValidateMappingResponse = z.infer<typeof validateMappingResponse>;

export const saveMappingRequest = z.object({
  document: mappingDocument,
  note: z.string().max(500).optional(),
});
export type SaveMappingRequest = z.infer<typeof saveMappingRequest>;

export const saveMappingResponse = z.object({ version: z.number().int().min(1) });
export type SaveMappingResponse = z.infer<typeof saveMappingResponse>;

export const rollbackMappingRequest = z.object({ version: z.number().int().min(1) });
export type RollbackMappingRequest = z.infer<typeof rollbackMappingRequest>;

/** Rolling back saves the old document as a new version, so history only grows. */
export const rollbackMappingResponse = saveMappingResponse;

export const previewMappingRequest = z.object({
  entity: z.string().min(1),
  direction: mappingDirection,
  /** A source payload to map; without it the most recent real entity is used. */
  sample: z.record(z.string(), z.unknown()).optional(),
  /** Preview an unsaved document; without it the current version is used. */
  document: mappingDocument.optional(),
});
export type PreviewMappingRequest = z.infer<typeof previewMappingRequest>;

export const previewMappingResponse = z.object({
  output: z.unknown(),
  skipped: z.object({ reason: z.string() }).optional(),
  errors: z.array(mappingProblem).optional(),
});
export type PreviewMappingResponse = z.infer<typeof previewMappingResponse>;

export const suggestionsQuery = z.object({ entity: z.string().min(1), direction: mappingDirection });
export type SuggestionsQuery = z.infer<typeof suggestionsQuery>;

export const mappingSuggestion = z.object({
  source: z.string().min(1),
  target: z.string().min(1),
  confidence: z.number().min(0).max(1),
  reason: z.string(),
});
export type MappingSuggestion = z.infer<typeof mappingSuggestion>;

export const suggestionsResponse = z.array(mappingSuggestion);
export type SuggestionsResponse = z.infer<typeof suggestionsResponse>;

// ---------------------------------------------------------------------------------------------
// Anomalies

export const anomalyStatus = z.enum(['open', 'approved', 'rejected']);
export type AnomalyStatus = z.infer<typeof anomalyStatus>;

export const anomaliesQuery = z.object({ status: anomalyStatus.optional() });

export const anomaly = z.object({
  id: z.string().min(1),
  /** e.g. `wipe-guard`, `fraud-signal`, `pan-detected`. */
  kind: z.string().min(1),
  flow: flowName,
  detectedAt: isoDateTime,
  summary: z.string(),
  details: z.record(z.string(), z.unknown()),
  status: anomalyStatus,
});
export type Anomaly = z.infer<typeof anomaly>;

export const anomaliesResponse = z.object({ items: z.array(anomaly) });
export type AnomaliesResponse = z.infer<typeof anomaliesResponse>;

export const anomalyDecisionRequest = z.object({ reason: z.string().trim().max(500).optional() });
export type AnomalyDecisionRequest = z.infer<typeof anomalyDecisionRequest>;

export const anomalyDecisionResponse = z.object({ id: z.string(), status: anomalyStatus });
export type AnomalyDecisionResponse = z.infer<typeof anomalyDecisionResponse>;

// ---------------------------------------------------------------------------------------------
// Settings
//
// Secrets are write-only: a save takes a string, a read answers `{set}` only.

export const secretStatus = z.object({ set: z.boolean() });
/** On save: a new value, or null to clear it; leave the field out to keep what is stored. */
const secretInput = z.string().min(1).nullable();

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
const positiveNumber = z.number().positive();
const share = z.number().min(0).max(1);

export const commerceAuthKind = z.enum(['oauth1', 'bearer', 'ims']);

export const conditionOperator = z.enum(['equals', 'notEquals', 'in', 'notIn', 'contains', 'greaterThan', 'lessThan', 'exists']);
/** One filter condition a unit of work must pass to go on to mapping (all conditions must hold). */
export const filterCondition = z.object({
  field: z.string().min(1),
  op: conditionOperator,
  value: z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]).optional(),
});
export type FilterCondition = z.infer<typeof filterCondition>;

// Insight settings (issue 12): fraud review, where alerts go, anomaly checks. Ranges match
// lib/config/connector-settings.ts, so the contract refuses what the store would refuse, naming the field.
const score = z.number().min(0).max(100);
/** One address per recipient; the mail endpoint gets the list as is. */
const emailAddress = z.email({ error: 'must be an email address' });
const HTTP_URL_SHAPE = /^https?:\/\/\S+$/;
function isHttpUrl(value: string): boolean {
  if (!HTTP_URL_SHAPE.test(value)) return false;
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}
/** An alert destination on save: an http(s) URL, or "" / null for none. */
const optionalHttpUrlInput = z
  .string()
  .trim()
  .refine((v) => v === '' || isHttpUrl(v), { error: 'must be an http(s) URL (or empty for none)' })
  .nullable();

function settingsShape<S extends z.ZodType>(secret: S) {
  return {
    heartland: z.object({
      baseUrl: httpUrl,
      apiToken: secret,
      ratePerSecond: positiveNumber.max(100),
      webhookSecret: secret,
    }),
    commerce: z.object({
      baseUrl: httpUrl,
      authKind: commerceAuthKind,
      consumerKey: z.string(),
      consumerSecret: secret,
      accessToken: secret,
      accessTokenSecret: secret,
    }),
    /** Heartland station that web orders are rung up on. */
    stationId: z.string(),
    /** Heartland location web orders are fulfilled from unless the location map says otherwise. */
    sourceLocationId: z.string(),
    locationToSource: z.array(z.object({ locationId: z.string().min(1), sourceCode: z.string().min(1) })),
    paymentMethodMap: z.array(z.object({ magentoCode: z.string().min(1), paymentTypeId: z.string().min(1) })),
    shippingMethodMap: z.array(
      z.object({ magentoCode: z.string().min(1), heartlandShippingMethodId: z.string().min(1) }),
    ),
    orderTriggerStatuses: z.array(z.string().min(1)),
    safetyStock: z.number().min(0),
    outOfStockThreshold: z.number().min(0),
    wipeGuard: z.object({ maxSkuShare: share, maxUnitShare: share }),
    schedules: z.object({
      pollSeconds: z.number().int().min(30).max(86_400),
      nightlyHourUtc: z.number().int().min(0).max(23),
    }),
    flowsEnabled: z.record(flowName, z.boolean()),
    /** Per flow, the conditions a unit must pass before mapping; the Flows page edits them. */
    flowFilters: z.record(flowName, z.array(filterCondition)),
    customers: z.object({
      createInMagento: z.boolean(),
      conflictRule: z.enum(['newest-wins', 'commerce-wins', 'heartland-wins']),
    }),
    /** Fraud review of web orders before they are sent: at `holdAtScore` an order waits for approval, at `flagAtScore` it is sent and listed. */
    fraud: z.object({
      enabled: z.boolean(),
      holdAtScore: score,
      flagAtScore: score,
      /** Orders from one email (or address) within the window that start to look like a burst. */
      maxOrdersInWindow: z.number().int().min(1),
      windowMinutes: z.number().int().min(1).max(1440),
    }),
    /** Where alerts go: a webhook (generic JSON with a Slack-compatible `text`) and/or an HTTP mail endpoint. "" = none. */
    alerts: z.object({
      webhookUrl: z.string(),
      mailEndpoint: z.string(),
      mailTo: z.array(emailAddress).max(50, { error: 'at most 50 recipients' }),
      /** One alert per kind and subject within this many minutes. */
      dedupMinutes: z.number().int().min(1).max(10_080),
    }),
    /** Anomaly checks on the flows' own data. */
    anomalies: z.object({
      scanEnabled: z.boolean(),
      /** Dead letters added within an hour before DLQ growth is alerted. */
      dlqGrowthMin: z.number().int().min(1),
      /** Share of a price one change may move before it is flagged; 0 turns the check off. */
      maxPriceChangeShare: share,
      /** A price change beyond that share waits for approval (off: written and listed). */
      holdPriceChanges: z.boolean(),
    }),
  };
}

export const settings = z.object(settingsShape(secretStatus));
export type Settings = z.infer<typeof settings>;

const inputShape = settingsShape(secretInput);
/** PUT settings: any subset; nested objects are partial too, lists replace the stored list. */
export const settingsUpdate = z
  .object({
    heartland: inputShape.heartland.partial(),
    commerce: inputShape.commerce.partial(),
    stationId: inputShape.stationId,
    sourceLocationId: inputShape.sourceLocationId,
    locationToSource: inputShape.locationToSource,
    paymentMethodMap: inputShape.paymentMethodMap,
    shippingMethodMap: inputShape.shippingMethodMap,
    orderTriggerStatuses: inputShape.orderTriggerStatuses,
    safetyStock: inputShape.safetyStock,
    outOfStockThreshold: inputShape.outOfStockThreshold,
    wipeGuard: inputShape.wipeGuard.partial(),
    schedules: inputShape.schedules.partial(),
    flowsEnabled: inputShape.flowsEnabled,
    flowFilters: inputShape.flowFilters,
    customers: inputShape.customers.partial(),
    fraud: inputShape.fraud.partial().strict(),
    alerts: inputShape.alerts
      .extend({ webhookUrl: optionalHttpUrlInput, mailEndpoint: optionalHttpUrlInput })
      .partial()
      .strict(),
    anomalies: inputShape.anomalies.partial().strict(),
  })
  .partial()
  .strict();
export type SettingsUpdate = z.infer<typeof settingsUpdate>;

// ---------------------------------------------------------------------------------------------
// Flow filters preview (Flows page)

export const filterPreviewRequest = z.object({ conditions: z.array(filterCondition) });
export type FilterPreviewRequest = z.infer<typeof filterPreviewRequest>;

export const filterPreviewResponse = z.object({
  /** Recent units of the flow, re-evaluated against the proposed conditions. */
  items: z.array(
    z.object({
      entityId: z.string(),
      key: z.string(),
      passes: z.boolean(),
      /** The first condition that failed, as `field op value`. */
      failedCondition: z.string().optional(),
    }),
  ),
  evaluated: count,
  passed: count,
});
export type FilterPreviewResponse = z.infer<typeof filterPreviewResponse>;

// ---------------------------------------------------------------------------------------------
// Connections and sync

export const connectionTestRequest = z.object({ system });
export type ConnectionTestRequest = z.infer<typeof connectionTestRequest>;

export const connectionTestResponse = z.object({
  ok: z.boolean(),
  latencyMs: z.number().nonnegative(),
  message: z.string(),
});
export type ConnectionTestResponse = z.infer<typeof connectionTestResponse>;

export const syncRequest = z.object({
  /** Re-read everything instead of only what changed since the cursor. */
  full: z.boolean().optional(),
  /**
   * Only these source entities (e.g. Magento order ids from the order-grid mass action
   * "Resend to Heartland"); without it the whole flow runs.
   */
  ids: z.array(z.string().min(1)).min(1).max(200).optional(),
});
export type SyncRequest = z.infer<typeof syncRequest>;

export const syncResponse = z.object({ started: z.literal(true), jobId: z.string().min(1) });
export type SyncResponse = z.infer<typeof syncResponse>;

// ---------------------------------------------------------------------------------------------
// Reports

export const reportFormat = z.enum(['json', 'csv']);

export const reconciliationQuery = z.object({
  from: dateOrDateTime.optional(),
  to: dateOrDateTime.optional(),
  format: reportFormat.default('json'),
});
export type ReconciliationQuery = z.input<typeof reconciliationQuery>;

export const reconciliationStatus = z.enum(['matched', 'missing_in_heartland', 'missing_in_magento', 'amount_mismatch']);
export type ReconciliationStatus = z.infer<typeof reconciliationStatus>;

export const reconciliationRow = z.object({
  kind: z.enum(['order', 'payment', 'refund']),
  magentoRef: z.string().nullable(),
  heartlandRef: z.string().nullable(),
  magentoAmount: money.nullable(),
  heartlandAmount: money.nullable(),
  status: reconciliationStatus,
});
export type ReconciliationRow = z.infer<typeof reconciliationRow>;

export const reconciliationResponse = z.object({
  rows: z.array(reconciliationRow),
  summary: z.object({
    from: dateOrDateTime,
    to: dateOrDateTime,
    total: count,
    matched: count,
    missingInHeartland: count,
    missingInMagento: count,
    amountMismatch: count,
  }),
});
export type ReconciliationResponse = z.infer<typeof reconciliationResponse>;

/** Column order of the reconciliation CSV (first line is this header). */
export const RECONCILIATION_CSV_COLUMNS = ['kind', 'magentoRef', 'heartlandRef', 'magentoAmount', 'heartlandAmount', 'status'] as const;

// ---------------------------------------------------------------------------------------------
// Stock drift (issue 8): Heartland's formula quantity vs Magento's source items, per SKU and source

/** Reconciliation run ids as the inventory area writes them (`run-<ms>`). */
export const driftRunId = z.string().regex(/^[a-z0-9-]{1,120}$/, 'a run id is lower-case letters, digits and dashes');

export const driftQuery = z.object({
  runId: driftRunId.optional(),
  format: reportFormat.default('json'),
});
export type DriftQuery = z.input<typeof driftQuery>;

export const driftRow = z.object({
  sku: z.string().min(1),
  /** MSI source code. */
  source: z.string().min(1),
  /** What the formula gives from Heartland (available + web commitments − safety stock). */
  heartland: z.number(),
  /** Magento's source item quantity; null when the source item does not exist. */
  magento: z.number().nullable(),
  /** What the connector last pushed; null when never. */
  lastPushed: z.number().nullable(),
  /** Σ qty_available at the mapped locations (for a sample of drifting SKUs). */
  heartlandAvailable: z.number().optional(),
  /** Magento's salable quantity before the fix (null: Magento did not answer). */
  magentoSalable: z.number().nullable().optional(),
});
export type DriftRowView = z.infer<typeof driftRow>;

export const driftResponse = z.object({
  runId: driftRunId,
  /** When the run started; null for an older run whose start is no longer recorded. */
  at: isoDateTime.nullable(),
  rows: z.array(driftRow),
  summary: z.object({
    /** Heartland items (SKUs) the run compared. */
    skus: count,
    /** Source items found different in Magento (the run pushed the formula over them). */
    drifting: count,
    missingInMagento: count,
    /** False while chunks of the run are still working. */
    complete: z.boolean(),
    /** Batches the wipe guard held (see anomalies). */
    held: z.array(z.object({ anomalyId: z.string(), reasons: z.array(z.string()) })),
  }),
});
export type DriftResponse = z.infer<typeof driftResponse>;

/** Column order of the drift CSV (first line is this header). */
export const DRIFT_CSV_COLUMNS = ['sku', 'source', 'heartland', 'magento', 'lastPushed', 'heartlandAvailable', 'magentoSalable'] as const;

export const driftFixRequest = z.object({
  skus: z.array(z.string().trim().min(1, 'a SKU is not empty')).min(1, 'skus needs at least one SKU').max(500, 'skus: at most 500 per fix; run a full reconciliation for more'),
});
export type DriftFixRequest = z.infer<typeof driftFixRequest>;

export const driftFixResponse = z.object({
  /** SKUs found in Heartland and pushed again. */
  fixed: count,
  /** SKUs Heartland does not know (nothing pushed for them). */
  unknownSkus: z.array(z.string()),
  /** Source items written to Magento. */
  sourceItems: count,
  writeCalls: count,
  /** Set when the wipe guard held the push instead of writing it. */
  held: z.object({ anomalyId: z.string(), reasons: z.array(z.string()) }).optional(),
});
export type DriftFixResponse = z.infer<typeof driftFixResponse>;

// ---------------------------------------------------------------------------------------------
// Insights (issue 15)

export const channel = z.enum(['web', 'store']);
export type Channel = z.infer<typeof channel>;

export const INSIGHTS_TABLES = ['days', 'topSkus', 'locations', 'stockouts'] as const;
export const insightsTable = z.enum(INSIGHTS_TABLES);
export type InsightsTable = z.infer<typeof insightsTable>;

export const insightsQuery = z
  .object({
    from: isoDate.optional(),
    to: isoDate.optional(),
    format: reportFormat.default('json'),
    table: insightsTable.optional(),
  })
  .refine((q) => q.format !== 'csv' || q.table !== undefined, {
    message: `format=csv needs table=${INSIGHTS_TABLES.join('|')}`,
    path: ['table'],
  })
  .refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, {
    message: 'from must not be after to',
    path: ['from'],
  });
export type InsightsQuery = z.input<typeof insightsQuery>;

export const channelDay = z.object({
  date: isoDate,
  channel,
  netSales: money,
  orders: count,
  units: z.number(),
  aov: money,
});
export type ChannelDay = z.infer<typeof channelDay>;

export const topSku = z.object({ sku: z.string().min(1), units: z.number(), netSales: money });
export type TopSku = z.infer<typeof topSku>;

export const locationInsight = z.object({
  locationId: z.string().min(1),
  name: z.string(),
  /** Units sold / (units sold + units on hand at the end), 0..1. */
  sellThrough: z.number().min(0).max(1),
  /** On hand / average daily units sold; null when nothing sold. */
  daysOfCover: z.number().nonnegative().nullable(),
});
export type LocationInsight = z.infer<typeof locationInsight>;

export const channelTotals = z.object({ netSales: money, orders: count, units: z.number(), aov: money });
export type ChannelTotals = z.infer<typeof channelTotals>;

export const insightsResponse = z.object({
  from: isoDate,
  to: isoDate,
  days: z.array(channelDay),
  topSkus: z.object({ web: z.array(topSku), store: z.array(topSku) }),
  locations: z.array(locationInsight),
  stockouts: z.array(z.object({ sku: z.string().min(1), ordersAffected: count })),
  customers: z.object({
    bothChannels: count,
    /** Share of total net sales from customers active in both channels, 0..1. */
    shareOfRevenue: z.number().min(0).max(1),
  }),
  totals: z.object({ web: channelTotals, store: channelTotals }),
});
export type InsightsResponse = z.infer<typeof insightsResponse>;

// ---------------------------------------------------------------------------------------------
// Route table: one place that says which schema guards which route, for the action's router,
// the docs and the tests. `path` segments starting with `:` are parameters.

export interface RouteSpec {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  query?: z.ZodType;
  body?: z.ZodType;
  /** JSON response schema; CSV variants are described in docs/admin-api.md. */
  response: z.ZodType;
  summary: string;
}

export const ADMIN_ROUTES = {
  status: { method: 'GET', path: 'status', response: statusResponse, summary: 'Connections, flows, DLQ depth, open anomalies' },
  metrics: { method: 'GET', path: 'metrics', query: metricsQuery, response: metricsResponse, summary: 'Hourly throughput and latency per flow' },
  activity: { method: 'GET', path: 'activity', query: activityQuery, response: activityResponse, summary: 'Units of work, filtered and paged' },
  deadLetters: { method: 'GET', path: 'dead-letters', query: deadLettersQuery, response: deadLettersResponse, summary: 'Dead letters' },
  deadLetter: { method: 'GET', path: 'dead-letters/:id', response: deadLetterDetail, summary: 'One dead letter with payloads and error' },
  replay: { method: 'POST', path: 'dead-letters/replay', body: replayRequest, response: replayResponse, summary: 'Replay dead letters by ids, flow or all' },
  discard: { method: 'POST', path: 'dead-letters/:id/discard', body: discardRequest, response: discardResponse, summary: 'Discard a dead letter with a reason' },
  mappings: { method: 'GET', path: 'mappings', response: mappingsResponse, summary: 'Current mapping document and history' },
  validateMapping: { method: 'POST', path: 'mappings/validate', body: validateMappingRequest, response: validateMappingResponse, summary: 'Validate a mapping document' },
  saveMapping: { method: 'POST', path: 'mappings', body: saveMappingRequest, response: saveMappingResponse, summary: 'Save a mapping document as a new version' },
  rollbackMapping: { method: 'POST', path: 'mappings/rollback', body: rollbackMappingRequest, response: rollbackMappingResponse, summary: 'Make an old version current (as a new version)' },
  previewMapping: { method: 'POST', path: 'mappings/preview', body: previewMappingRequest, response: previewMappingResponse, summary: 'Map a sample or recent entity' },
  suggestions: { method: 'GET', path: 'mappings/suggestions', query: suggestionsQuery, response: suggestionsResponse, summary: 'Suggested field mappings' },
  anomalies: { method: 'GET', path: 'anomalies', query: anomaliesQuery, response: anomaliesResponse, summary: 'Held batches and other anomalies' },
  approveAnomaly: { method: 'POST', path: 'anomalies/:id/approve', body: anomalyDecisionRequest, response: anomalyDecisionResponse, summary: 'Release a held batch' },
  rejectAnomaly: { method: 'POST', path: 'anomalies/:id/reject', body: anomalyDecisionRequest, response: anomalyDecisionResponse, summary: 'Drop a held batch' },
  getSettings: { method: 'GET', path: 'settings', response: settings, summary: 'Settings, secrets as {set}' },
  putSettings: { method: 'PUT', path: 'settings', body: settingsUpdate, response: settings, summary: 'Save part of the settings' },
  testConnection: { method: 'POST', path: 'connections/test', body: connectionTestRequest, response: connectionTestResponse, summary: 'Call Heartland or Commerce now' },
  filterPreview: { method: 'POST', path: 'flows/:flow/filters/preview', body: filterPreviewRequest, response: filterPreviewResponse, summary: 'Which recent units would pass these filter conditions' },
  sync: { method: 'POST', path: 'sync/:flow', body: syncRequest, response: syncResponse, summary: 'Run a flow now' },
  reconciliation: { method: 'GET', path: 'reports/reconciliation', query: reconciliationQuery, response: reconciliationResponse, summary: 'Orders, payments and refunds matched across both sides (JSON or CSV)' },
  insights: { method: 'GET', path: 'insights/channels', query: insightsQuery, response: insightsResponse, summary: 'Web vs store sales, stock and customers (JSON or CSV per table)' },
  drift: { method: 'GET', path: 'reports/drift', query: driftQuery, response: driftResponse, summary: 'Stock drift of the latest (or a given) full reconciliation (JSON or CSV)' },
  fixDrift: { method: 'POST', path: 'reports/drift/fix', body: driftFixRequest, response: driftFixResponse, summary: 'Push these SKUs from Heartland to Magento again' },
} as const satisfies Record<string, RouteSpec>;

export type AdminRouteName = keyof typeof ADMIN_ROUTES;
