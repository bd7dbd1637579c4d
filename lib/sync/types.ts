/**
 * The vocabulary of the sync pipeline: a unit of work, how it ends, and what a flow declares.
 * Flows (lib/flows) are written against these types only; the pipeline (run-unit.ts) runs them.
 */
import { z } from 'zod';
import type { ZodType } from 'zod';
import type { Clock, FileStore, Logger, Platform, StateStore } from '../platform/ports';
import type { SyncRegistry } from './registry';
import type { CircuitBreakers } from './breaker';

/** Upstream systems a flow reads from or writes to; each gets its own circuit breaker. */
export type Upstream = 'heartland' | 'commerce';
export const UPSTREAMS: readonly Upstream[] = ['heartland', 'commerce'];

export type Direction = 'heartland-to-commerce' | 'commerce-to-heartland';

export function sourceSystemOf(direction: Direction): Upstream {
  return direction === 'heartland-to-commerce' ? 'heartland' : 'commerce';
}
export function targetSystemOf(direction: Direction): Upstream {
  return direction === 'heartland-to-commerce' ? 'commerce' : 'heartland';
}

export const unitTriggers = ['event', 'poll', 'retry', 'replay', 'manual'] as const;
export type UnitTrigger = (typeof unitTriggers)[number];

/** Flow names become state key parts and dead letter ids (`<flow>.<unitId>`), so no dots. */
export const FLOW_NAME_PATTERN = /^[a-z][a-z0-9-]{0,63}$/;

/**
 * One unit of work: "entity `key` of `flow` may have changed". Events are hints (DESIGN.md §1.1):
 * `payloadHint` is never trusted as the truth, the flow re-reads the source in `load`.
 */
export const unitSchema = z.object({
  flow: z.string().regex(FLOW_NAME_PATTERN, 'flow: lower-case letters, digits and dashes'),
  /** The entity id in the source system (Magento order increment id, Heartland item id, SKU...). */
  key: z.string().min(1, 'key: the source entity id is required').max(400),
  /** The source version the hint announced (updated_at or ledger id), for the cheap stale check. */
  version: z.union([z.string(), z.number()]).optional(),
  trigger: z.enum(unitTriggers),
  /** Delivery id of the event (CloudEvent id, webhook id), for duplicate suppression. */
  eventId: z.string().min(1).max(300).optional(),
  /** 1 on first delivery; counts persisted attempts only (in-invocation retries stay inside one attempt). */
  attempt: z.number().int().min(1).default(1),
  correlationId: z.string().min(1).max(200).optional(),
  /** When the change happened or was first seen (epoch ms); latency is measured from here. */
  eventAt: z.number().int().nonnegative().optional(),
  payloadHint: z.unknown().optional(),
});
export type UnitInput = z.input<typeof unitSchema>;
/** A unit after `runUnit` filled in its defaults. */
export type Unit = z.output<typeof unitSchema> & { correlationId: string; eventAt: number };

export type SkipReason = 'duplicate' | 'stale' | 'echo' | 'filtered' | 'not-found' | 'held';

/** What went wrong, in words a merchant can act on, with the field and system at fault. */
export interface ErrorInfo {
  message: string;
  retryable: boolean;
  /** Short machine reason: 'upstream', 'validation', 'mapping', 'circuit-open', 'timeout', 'unexpected'... */
  reason: string;
  field?: string;
  value?: unknown;
  system?: string;
  status?: number;
  code?: string;
  retryAfterMs?: number;
}

export type StepName = 'dedup' | 'lease' | 'load' | 'filter' | 'map' | 'validate' | 'guard' | 'write' | 'link';
export type StepTimings = Partial<Record<StepName, number>>;

interface OutcomeBase {
  runId: string;
  unitId: string;
  flow: string;
  key: string;
  correlationId: string;
  attempt: number;
}

/** How a unit of work ended: exactly one of these, always recorded (DESIGN.md §1.4). */
export type UnitOutcome =
  | (OutcomeBase & { outcome: 'done'; targetId?: string; action?: WriteAction; version?: string | number })
  | (OutcomeBase & { outcome: 'skipped'; reason: SkipReason; detail?: string })
  | (OutcomeBase & { outcome: 'retry-scheduled'; reason: string; dueAt: number; nextAttempt: number; retryKey: string; error?: ErrorInfo })
  | (OutcomeBase & { outcome: 'dead-lettered'; deadLetterId: string; error: ErrorInfo });

export type OutcomeName = UnitOutcome['outcome'];
export const OUTCOMES: readonly OutcomeName[] = ['done', 'skipped', 'retry-scheduled', 'dead-lettered'];

/** The `run.<flow>.<yyyymmddhh>.<runId>` record. */
export interface RunRecord {
  runId: string;
  unitId: string;
  flow: string;
  key: string;
  trigger: UnitTrigger;
  eventId?: string;
  attempt: number;
  /** In-invocation tries of this attempt (1 when the first try ended it). */
  tries: number;
  correlationId: string;
  outcome: OutcomeName;
  reason?: string;
  detail?: string;
  error?: ErrorInfo;
  targetId?: string;
  version?: string | number;
  dueAt?: number;
  deadLetterId?: string;
  eventAt: number;
  startedAt: number;
  endedAt: number;
  steps: StepTimings;
}

export type WriteAction = 'created' | 'updated' | 'unchanged';

/** What `write` reports. `targetId` feeds the link records; `echo` is what echo suppression compares. */
export interface WriteResult {
  targetId: string;
  action: WriteAction;
  /**
   * The values as the target will show them when its own change event comes back (same shape the
   * reverse flow's `echo(source)` returns). Defaults to the mapped payload.
   */
  echo?: unknown;
}

/** `guard` may hold a unit back (wipe guard, anomaly): it is recorded as skipped with the reason. */
export type GuardVerdict = { skip: SkipReason; detail: string } | undefined | void;

/**
 * Clients per upstream, typed by augmentation so lib/sync does not import lib/heartland:
 *   declare module '../sync/types' { interface UpstreamClients { heartland: HeartlandClient } }
 */
export interface UpstreamClients {}
export type ClientOf<U extends Upstream> = U extends keyof UpstreamClients ? UpstreamClients[U] : unknown;

/** Per-unit scope handed to a client factory so each request carries the unit's correlation id. */
export interface ClientScope {
  correlationId: string;
  logger: Logger;
}
export type ClientFactories = { [U in Upstream]?: (scope: ClientScope) => ClientOf<U> };

export interface LinkRecord {
  /** The system the id lives in. */
  system: Upstream;
  id: string;
  /** Fingerprint of what the connector last wrote into the system this link key belongs to (echo suppression). */
  fingerprint?: string;
  /** Fingerprint of the mapped payload last sent from this record to the other system (redelivery skip). */
  sent?: string;
  at: number;
}

export interface LinkStore {
  get(entity: string, system: Upstream, id: string): Promise<LinkRecord | undefined>;
  put(entity: string, system: Upstream, id: string, link: Omit<LinkRecord, 'at'>): Promise<void>;
}

/** What a flow's steps receive. */
export interface FlowContext {
  unit: Unit;
  unitId: string;
  correlationId: string;
  /** Carries correlationId, flow, key and attempt on every line. */
  logger: Logger;
  clock: Clock;
  state: StateStore;
  files: FileStore;
  /** Upstream clients behind their circuit breakers; a missing factory is a configuration error. */
  client<U extends Upstream>(upstream: U): ClientOf<U>;
  links: LinkStore;
  /** Milliseconds left before the invocation's deadline. */
  remainingMs(): number;
}

export interface FlowDefinition<Source = unknown, Mapped = unknown> {
  name: string;
  /**
   * Entity name shared by both directions (`customer`), used in `link.*` keys so echo suppression
   * sees what the reverse flow wrote. Flows of one entity must write the same target record;
   * `ver.*` is kept per flow.
   */
  entity: string;
  direction: Direction;
  /** Upstreams this flow calls; while one's breaker is open the unit is scheduled, not tried. */
  upstreams: Upstream[];
  /** Re-read the entity from its source. `undefined` = it no longer exists (skipped: not-found). */
  load(unit: Unit, ctx: FlowContext): Promise<Source | undefined>;
  /** Source version (updated_at or ledger id) for the stale guard; undefined disables it. */
  version(source: Source): string | number | undefined;
  /** Compare two versions (negative when a is older). Default: numbers numerically, ISO dates by time, else text. */
  compareVersions?(a: string | number, b: string | number): number;
  /** A reason string skips the unit as filtered (e.g. "POS order, not a web order"). */
  filter?(source: Source, ctx: FlowContext): string | false | undefined | Promise<string | false | undefined>;
  /**
   * Echo suppression for two-way entities: the part of the source to compare with the fingerprint
   * of what the reverse flow last wrote into this system. Equal → our own write came back.
   */
  echo?(source: Source): unknown;
  map(source: Source, ctx: FlowContext): Mapped | Promise<Mapped>;
  /** A zod schema or a function that throws; failures are terminal with the field path. */
  validate?: ZodType<Mapped> | ((mapped: Mapped) => void);
  guard?(mapped: Mapped, ctx: FlowContext, source: Source): GuardVerdict | Promise<GuardVerdict>;
  /** Must be idempotent: look the record up by its external reference before creating it. */
  write(mapped: Mapped, ctx: FlowContext, source: Source): Promise<WriteResult>;
  /** After links are stored: confirm on the source side (e.g. a comment on the Magento order). */
  link?(written: WriteResult, ctx: FlowContext, step: { source: Source; mapped: Mapped }): Promise<void>;
  /** Override the default classification; undefined falls back to it. */
  classify?(error: unknown): 'retryable' | 'terminal' | undefined;
}

/** A flow as registered: `defineFlow` checks the definition once. */
export type Flow<Source = unknown, Mapped = unknown> = Readonly<FlowDefinition<Source, Mapped>> & { readonly sourceSystem: Upstream; readonly targetSystem: Upstream };

/** Tunables; defaults in options.ts. */
export interface SyncOptions {
  /** Tries per attempt inside one invocation (first included). */
  triesPerAttempt: number;
  backoffBaseMs: number;
  backoffCapMs: number;
  /** Do not start another try when less than this is left before the deadline. */
  minTryBudgetMs: number;
  /** Default time budget when the caller gives no deadline. */
  defaultBudgetMs: number;
  /** Wait between writing a lease and re-reading it (see lease.ts). */
  leaseSettleMs: number;
  /** When another activation holds a unit's lease, try again this much later. */
  busyRetryMs: number;
  breakerThreshold: number;
  breakerOpenMs: number;
  /** `<package>/<action>` the scheduler invokes for job chunks. */
  workerAction: string;
  /** Units run at once by the scheduler (due retries, feed pages). */
  schedulerConcurrency: number;
  /** How often the current (unfinished) hour's metrics are recomputed. */
  metricsRefreshMs: number;
}

export interface SyncDeps {
  platform: Platform;
  registry: SyncRegistry;
  clients?: ClientFactories;
  /** Defaults to the container's breakers for this state store (sharedCircuitBreakers), so failures accumulate across units. */
  breakers?: CircuitBreakers;
  /** Epoch ms by which this invocation must end (Runtime: `process.env.__OW_DEADLINE`). */
  deadlineMs?: number;
  options?: Partial<SyncOptions>;
  /** Randomness for jitter (tests pass a seeded one). */
  random?: () => number;
}
