/**
 * The registry of what the pipeline can run: flows, polling feeds and scheduled jobs. Each flow
 * module exports its definition; the action's start-up code registers them (no module globals,
 * so tests build their own registry).
 */
import type { z } from 'zod';
import { HttpError } from '../runtime/http-error';
import type { Clock, FileStore, Logger, StateStore } from '../platform/ports';
import type { ClientOf, Flow, FlowDefinition, Upstream, UnitInput } from './types';
import { FLOW_NAME_PATTERN, UPSTREAMS, sourceSystemOf, targetSystemOf } from './types';

/** What a feed's `poll` and a job's `plan`/`runChunk` receive. */
export interface TaskContext {
  logger: Logger;
  clock: Clock;
  state: StateStore;
  files: FileStore;
  /** Upstream client behind its circuit breaker. */
  client<U extends Upstream>(upstream: U): ClientOf<U>;
  correlationId: string;
  remainingMs(): number;
}

export interface FeedPage {
  /** Units to run; `trigger` defaults to 'poll'. */
  units: Array<Omit<UnitInput, 'trigger'> & { trigger?: UnitInput['trigger'] }>;
  /** Stored as `cursor.<feed>` once every unit of the page is recorded. */
  nextCursor: string;
  /** True when more changes are waiting: the scheduler polls again while time allows. */
  more?: boolean;
}

/** A polling feed, the safety net under events (DESIGN.md §3): changes since the cursor. */
export interface FeedDefinition {
  name: string;
  /** Keep pages small enough to run inline in one scheduler pass; big backfills are jobs. */
  poll(cursor: string | undefined, ctx: TaskContext): Promise<FeedPage>;
}

/** A big job run in chunks by `worker` invocations (nightly reconciliation, full inventory). */
export interface JobDefinition<Chunk = unknown> {
  name: string;
  /** UTC hour (0-23) at which it starts once per day; omit for on-demand jobs only. */
  hour?: number;
  /**
   * The merchant's hour when it lives in settings (e.g. `schedules.nightlyHourUtc`): read at each
   * scheduler pass and used instead of `hour`; undefined falls back to `hour`.
   */
  hourFromSettings?(state: StateStore): Promise<number | undefined>;
  plan(ctx: TaskContext): Promise<Chunk[]>;
  runChunk(chunk: Chunk, ctx: TaskContext): Promise<unknown>;
  /** A chunk not completed this long after dispatch is presumed dead and dispatched again. */
  chunkLeaseMs?: number;
  maxChunkAttempts?: number;
  /** Chunks dispatched at once (Runtime allows 100 concurrent activations per namespace). */
  parallelChunks?: number;
  /** Optional schema for chunk parameters (checked in the worker). */
  chunkSchema?: z.ZodType<Chunk>;
}

export class UnknownFlowError extends HttpError {
  constructor(kind: 'flow' | 'feed' | 'job', name: string, known: string[]) {
    super(404, `unknown_${kind}`, `unknown ${kind} "${name}"; registered: ${known.join(', ') || 'none'}`, kind);
    this.name = 'UnknownFlowError';
  }
}

export class FlowDefinitionError extends Error {
  constructor(name: string, field: string, message: string) {
    super(`flow definition "${name}": ${field} ${message}`);
    this.name = 'FlowDefinitionError';
  }
}

export function defineFlow<Source, Mapped>(definition: FlowDefinition<Source, Mapped>): Flow<Source, Mapped> {
  const name = String(definition.name);
  if (!FLOW_NAME_PATTERN.test(name)) throw new FlowDefinitionError(name, 'name', 'must be lower-case letters, digits and dashes');
  if (!FLOW_NAME_PATTERN.test(definition.entity)) throw new FlowDefinitionError(name, 'entity', 'must be lower-case letters, digits and dashes');
  if (definition.direction !== 'heartland-to-commerce' && definition.direction !== 'commerce-to-heartland') {
    throw new FlowDefinitionError(name, 'direction', 'must be heartland-to-commerce or commerce-to-heartland');
  }
  if (!Array.isArray(definition.upstreams) || definition.upstreams.length === 0 || definition.upstreams.some((u) => !UPSTREAMS.includes(u))) {
    throw new FlowDefinitionError(name, 'upstreams', `must list at least one of ${UPSTREAMS.join(', ')}`);
  }
  for (const step of ['load', 'version', 'map', 'write'] as const) {
    if (typeof definition[step] !== 'function') throw new FlowDefinitionError(name, step, 'must be a function');
  }
  return Object.freeze({ ...definition, sourceSystem: sourceSystemOf(definition.direction), targetSystem: targetSystemOf(definition.direction) });
}

/** Cursor names the pipeline uses for itself (`cursor.<name>`); a feed must not take them over. */
export const RESERVED_CURSOR_NAMES: readonly string[] = ['retry-index', 'retry-sweep', 'metrics-compaction'];

export function defineFeed(definition: FeedDefinition): FeedDefinition {
  if (!FLOW_NAME_PATTERN.test(definition.name)) throw new FlowDefinitionError(definition.name, 'name', 'of a feed must be lower-case letters, digits and dashes');
  if (RESERVED_CURSOR_NAMES.includes(definition.name)) throw new FlowDefinitionError(definition.name, 'name', 'is reserved for the pipeline\'s own cursors');
  if (typeof definition.poll !== 'function') throw new FlowDefinitionError(definition.name, 'poll', 'must be a function');
  return Object.freeze({ ...definition });
}

export function defineJob<Chunk>(definition: JobDefinition<Chunk>): JobDefinition<Chunk> {
  if (!FLOW_NAME_PATTERN.test(definition.name)) throw new FlowDefinitionError(definition.name, 'name', 'of a job must be lower-case letters, digits and dashes');
  if (typeof definition.plan !== 'function' || typeof definition.runChunk !== 'function') throw new FlowDefinitionError(definition.name, 'plan/runChunk', 'must be functions');
  if (definition.hour !== undefined && !(Number.isInteger(definition.hour) && definition.hour >= 0 && definition.hour <= 23)) {
    throw new FlowDefinitionError(definition.name, 'hour', 'must be a UTC hour from 0 to 23');
  }
  return Object.freeze({ ...definition });
}

export interface SyncRegistry {
  registerFlow(flow: Flow<any, any>): void;
  registerFeed(feed: FeedDefinition): void;
  registerJob(job: JobDefinition<any>): void;
  flow(name: string): Flow<unknown, unknown>;
  feed(name: string): FeedDefinition;
  job(name: string): JobDefinition<unknown>;
  flows(): Flow<unknown, unknown>[];
  feeds(): FeedDefinition[];
  jobs(): JobDefinition<unknown>[];
}

export function createSyncRegistry(init: { flows?: Flow<any, any>[]; feeds?: FeedDefinition[]; jobs?: JobDefinition<any>[] } = {}): SyncRegistry {
  const flows = new Map<string, Flow<unknown, unknown>>();
  const feeds = new Map<string, FeedDefinition>();
  const jobs = new Map<string, JobDefinition<unknown>>();
  const add = <T extends { name: string }>(map: Map<string, T>, kind: string, item: T) => {
    if (map.has(item.name)) throw new FlowDefinitionError(item.name, 'name', `is already registered as a ${kind}`);
    map.set(item.name, item);
  };
  const registry: SyncRegistry = {
    registerFlow: (flow) => add(flows, 'flow', flow),
    registerFeed: (feed) => add(feeds, 'feed', defineFeed(feed)),
    registerJob: (job) => add(jobs, 'job', defineJob(job)),
    flow(name) {
      const flow = flows.get(name);
      if (!flow) throw new UnknownFlowError('flow', name, [...flows.keys()]);
      return flow;
    },
    feed(name) {
      const feed = feeds.get(name);
      if (!feed) throw new UnknownFlowError('feed', name, [...feeds.keys()]);
      return feed;
    },
    job(name) {
      const job = jobs.get(name);
      if (!job) throw new UnknownFlowError('job', name, [...jobs.keys()]);
      return job;
    },
    flows: () => [...flows.values()],
    feeds: () => [...feeds.values()],
    jobs: () => [...jobs.values()],
  };
  init.flows?.forEach((f) => registry.registerFlow(f));
  init.feeds?.forEach((f) => registry.registerFeed(f));
  init.jobs?.forEach((j) => registry.registerJob(j));
  return registry;
}
