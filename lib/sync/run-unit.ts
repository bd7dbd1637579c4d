/**
 * Runs one unit of work: dedup → breaker check → unit lease → load → filter → stale/echo guards →
 * map → validate → guard → write → link → record. It ends as exactly one of done, skipped,
 * retry-scheduled or dead-lettered, and that outcome is always written as a run record before
 * this function returns (DESIGN.md §1.4).
 *
 * Delivery is at least once (I/O Events, webhooks, polling overlap, retries, replays), so the
 * effects must be exactly once. No single guard can promise that without compare-and-set; the
 * layers below each narrow the window and the last one (target lookup by external reference in
 * every flow's `write`) closes it.
 *
 * runUnit throws only when the outcome itself cannot be recorded (state store down): the caller
 * must then answer with a 5xx so the delivery is retried.
 */
import { randomUUID } from 'node:crypto';
import pLimit, { type LimitFunction } from 'p-limit';
import { ZodError } from 'zod';
import { HttpError } from '../runtime/http-error';
import { encodeKeyPart } from '../platform/state-key';
import { classifyError } from './classify';
import { createClientAccessor } from './clients';
import { breakersOf } from './task-context';
import { recordDeadLetter } from './dead-letters';
import { CircuitOpenError } from './errors';
import { markSeen, wasSeen } from './event-dedup';
import { fingerprint, unitIdOf } from './fingerprint';
import { TriesExhaustedError, withInvocationRetries } from './invocation-retry';
import { acquireLease, leaseKey, type Lease } from './lease';
import { createLinkStore } from './links';
import { syncOptions } from './options';
import { persistedRetryDelay, scheduleRetry } from './retry-schedule';
import { writeRunRecord } from './run-records';
import { appliedVersion, compareVersions as defaultCompare, recordAppliedVersion, type AppliedVersion } from './version-guard';
import type { ErrorInfo, Flow, FlowContext, RunRecord, SkipReason, StepName, StepTimings, SyncDeps, Unit, UnitInput, UnitOutcome, WriteResult } from './types';
import { unitSchema } from './types';

/** The unit handed to runUnit is malformed (caller bug or bad event): answer 400, do not retry. */
export class UnitInputError extends HttpError {
  constructor(message: string, field?: string) {
    super(400, 'invalid_unit', message, field);
    this.name = 'UnitInputError';
  }
}

/**
 * A unit holds its lease for its invocation's remaining time, capped so a unit whose activation
 * died is free again within minutes rather than blocking it until a 60-minute deadline.
 */
const UNIT_LEASE_MAX_MS = 5 * 60_000;
/** Longest encoded id part; leaves room for prefixes, entity and flow names within 1,024. */
const MAX_ENCODED_ID = 600;

type PassResult =
  | { kind: 'done'; written: WriteResult; version?: string | number }
  | { kind: 'skip'; reason: SkipReason; detail: string };

/** Parses and completes a unit (correlation id, event time); exported for actions that build units. */
export function prepareUnit(input: UnitInput, now: number): Unit {
  const parsed = unitSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.map(String).join('.') || undefined;
    throw new UnitInputError(`invalid unit of work: ${field ? `${field}: ` : ''}${issue?.message ?? 'malformed'}`, field);
  }
  // Ids become state key parts (`link.*`, `ver.*`, `seen.*`), where every unusual byte takes three
  // characters and a key holds 1,024: refuse here, with the field, rather than fail mid-unit.
  for (const field of ['key', 'eventId'] as const) {
    const value = parsed.data[field];
    if (value !== undefined && encodeKeyPart(value).length > MAX_ENCODED_ID) {
      throw new UnitInputError(`invalid unit of work: ${field}: too long once encoded for a state key (${encodeKeyPart(value).length} > ${MAX_ENCODED_ID})`, field);
    }
  }
  return { ...parsed.data, correlationId: parsed.data.correlationId ?? randomUUID(), eventAt: parsed.data.eventAt ?? now };
}

/** What the caller knows about this run that the unit does not. */
export interface RunUnitControl {
  /**
   * Postpone without trying (recorded as retry-scheduled with this reason, attempt not used):
   * the caller knows the unit cannot run now, e.g. its activation's time ran out while it waited.
   */
  postponeBecause?: string;
}

export async function runUnit<Source, Mapped>(flow: Flow<Source, Mapped>, input: UnitInput, deps: SyncDeps, control: RunUnitControl = {}): Promise<UnitOutcome> {
  const { state, files, clock } = deps.platform;
  const options = syncOptions(deps);
  const random = deps.random ?? Math.random;
  const startedAt = clock.now();
  const unit = prepareUnit(input, startedAt);
  if (unit.flow !== flow.name) throw new UnitInputError(`unit is for flow "${unit.flow}" but was run with flow "${flow.name}"`, 'flow');
  const unitId = unitIdOf(flow.name, unit.key);
  const runId = randomUUID();
  const deadlineMs = deps.deadlineMs ?? startedAt + options.defaultBudgetMs;
  const logger = deps.platform.logger.child({ correlationId: unit.correlationId, flow: flow.name, key: unit.key, unitId, attempt: unit.attempt, trigger: unit.trigger });
  const breakers = breakersOf(deps);
  const compare = flow.compareVersions ?? defaultCompare;
  const steps: StepTimings = {};
  const base = { runId, unitId, flow: flow.name, key: unit.key, correlationId: unit.correlationId, attempt: unit.attempt };
  let tries = 0;
  let lastSource: unknown;
  let lastMapped: unknown;

  async function timed<T>(step: StepName, fn: () => T | Promise<T>): Promise<T> {
    const t0 = clock.now();
    try {
      return await fn();
    } finally {
      steps[step] = (steps[step] ?? 0) + (clock.now() - t0);
    }
  }

  /**
   * Records the outcome. `markDelivered` writes the dedup mark: not for postponed units (circuit
   * open, busy), which keep their event trigger and must still run when they come back.
   */
  async function finish(outcome: UnitOutcome, markDelivered: boolean, extra: Partial<RunRecord> = {}): Promise<UnitOutcome> {
    const endedAt = clock.now();
    const record: RunRecord = {
      runId,
      unitId,
      flow: flow.name,
      key: unit.key,
      trigger: unit.trigger,
      eventId: unit.eventId,
      attempt: unit.attempt,
      tries,
      correlationId: unit.correlationId,
      outcome: outcome.outcome,
      eventAt: unit.eventAt,
      startedAt,
      endedAt,
      steps,
      ...extra,
    };
    await writeRunRecord(state, record);
    if (markDelivered && unit.trigger === 'event' && unit.eventId) await markSeen(state, flow.sourceSystem, unit.eventId, flow.name, endedAt);
    const fields = { outcome: outcome.outcome, reason: record.reason, durationMs: endedAt - startedAt, tries };
    if (outcome.outcome === 'dead-lettered') logger.error('unit dead-lettered', { ...fields, error: outcome.error });
    else if (outcome.outcome === 'retry-scheduled') logger.warn('unit retry scheduled', { ...fields, dueAt: new Date(outcome.dueAt).toISOString(), error: outcome.error });
    else logger.info(`unit ${outcome.outcome}`, fields);
    return outcome;
  }

  function skipped(reason: SkipReason, detail: string): Promise<UnitOutcome> {
    return finish({ ...base, outcome: 'skipped', reason, detail }, true, { reason, detail });
  }

  /** Same attempt again later: the unit was not tried (breaker open, another activation busy with it). */
  async function postpone(dueAt: number, reason: string): Promise<UnitOutcome> {
    const retryKey = await scheduleRetry({ state, files }, { unit, unitId, dueAt, now: clock.now(), reason });
    return finish({ ...base, outcome: 'retry-scheduled', reason, dueAt, nextAttempt: unit.attempt, retryKey }, false, { reason, dueAt });
  }

  async function deadLetter(error: ErrorInfo): Promise<UnitOutcome> {
    const deadLetterId = await recordDeadLetter({ state, files }, { unit, unitId, error, source: lastSource, mapped: lastMapped, now: clock.now() });
    return finish({ ...base, outcome: 'dead-lettered', deadLetterId, error }, true, { reason: error.reason, error, deadLetterId });
  }

  if (control.postponeBecause) return postpone(clock.now() + options.busyRetryMs, control.postponeBecause);

  // 1. Event dedup: the cheap path for the common redelivery (see event-dedup.ts for why it is not enough).
  if (unit.trigger === 'event' && unit.eventId) {
    const seen = await timed('dedup', () => wasSeen(state, flow.sourceSystem, unit.eventId!, flow.name));
    if (seen) return skipped('duplicate', `event ${unit.eventId} was already handled`);
  }

  // 2. Circuit breakers: while an upstream is down, postpone without trying (and without using an attempt).
  for (const upstream of flow.upstreams) {
    const openUntil = await breakers.openUntil(upstream);
    if (openUntil !== undefined) return postpone(openUntil + Math.floor(random() * 5_000), `circuit open: ${upstream}`);
  }

  // 3. Unit lease: two activations holding copies of the same change (duplicate delivery, an event
  //    racing the poll) would both pass every read-only check and both create the target record.
  //    The lease serialises them; the loser comes back later and then finds the work done.
  let lease: Lease | undefined;
  try {
    lease = await timed('lease', () =>
      acquireLease(state, clock, leaseKey('unit', flow.name, unitId), { ttlMs: Math.min(Math.max(deadlineMs - clock.now(), 30_000), UNIT_LEASE_MAX_MS), settleMs: options.leaseSettleMs }),
    );
    if (!lease) return await postpone(clock.now() + options.busyRetryMs, 'in progress in another activation');

    // 4. Stale guard, cheap form: the hint announces a version older than the applied one, so no
    //    source read is needed. Only strictly older: Magento's updated_at has one-second
    //    granularity, so an equal version can be a second change within the same second.
    let applied: AppliedVersion | undefined;
    const guardVersions = unit.trigger !== 'manual'; // a person asked for a resend: do it
    if (guardVersions) applied = await appliedVersion(state, flow.name, flow.sourceSystem, unit.key);
    if (guardVersions && applied && unit.version !== undefined && compare(unit.version, applied.version) < 0) {
      return await skipped('stale', `version ${unit.version} is older than applied ${applied.version}`);
    }

    const links = createLinkStore(state, clock);
    const ctx: FlowContext = {
      unit,
      unitId,
      correlationId: unit.correlationId,
      logger,
      clock,
      state,
      files,
      links,
      client: createClientAccessor({ factories: deps.clients, breakers, correlationId: unit.correlationId, logger, declared: flow.upstreams, owner: `flow ${flow.name}` }),
      remainingMs: () => Math.max(0, deadlineMs - clock.now()),
    };

    const pass = async (): Promise<PassResult> => {
      lastMapped = undefined;
      const source = await timed('load', () => flow.load(unit, ctx));
      lastSource = source;
      if (source === undefined || source === null) return { kind: 'skip', reason: 'not-found', detail: `${flow.sourceSystem} has no ${flow.entity} ${unit.key}` };

      const filtered = await timed('filter', () => flow.filter?.(source, ctx));
      if (filtered) return { kind: 'skip', reason: 'filtered', detail: filtered };

      // Stale guard, full form: the source as read now is older than what was applied
      // (a slow activation must not push an older version over a newer one).
      const version = flow.version(source);
      if (guardVersions && applied && version !== undefined && compare(version, applied.version) < 0) {
        return { kind: 'skip', reason: 'stale', detail: `source version ${version} is older than applied ${applied.version}` };
      }
      const sameVersion = guardVersions && applied !== undefined && version !== undefined && compare(version, applied.version) === 0;
      const sourceLink = flow.echo || sameVersion ? await links.get(flow.entity, flow.sourceSystem, unit.key) : undefined;

      // Echo suppression: a two-way entity whose current values are exactly what the reverse
      // flow last wrote here is our own write coming back, not a change to send anywhere.
      if (flow.echo) {
        const link = sourceLink;
        if (link?.fingerprint && link.fingerprint === fingerprint(flow.echo(source))) {
          return { kind: 'skip', reason: 'echo', detail: `${flow.entity} ${unit.key} holds what the connector last wrote` };
        }
      }

      let mapped = await timed('map', () => flow.map(source, ctx));
      lastMapped = mapped;
      if (flow.validate) {
        const validate = flow.validate;
        mapped = await timed('validate', () => {
          if (typeof validate === 'function') {
            validate(mapped);
            return mapped;
          }
          const result = validate.safeParse(mapped);
          if (!result.success) throw new ZodError(result.error.issues);
          return result.data;
        });
        lastMapped = mapped;
      }

      // Same version and the very payload we already sent: a redelivery under another event id
      // (event and poll for one change). Skipping saves the target call; the write would be
      // harmless anyway because it is idempotent.
      const sent = fingerprint(mapped);
      if (sameVersion && sourceLink?.sent === sent) {
        return { kind: 'skip', reason: 'duplicate', detail: `version ${version} was already written with identical content` };
      }

      const verdict = await timed('guard', () => flow.guard?.(mapped, ctx, source));
      if (verdict && verdict.skip) return { kind: 'skip', reason: verdict.skip, detail: verdict.detail };

      // Idempotent by contract: the flow looks the record up by its external reference first.
      const written = await timed('write', () => flow.write(mapped, ctx, source));

      await timed('link', async () => {
        await links.put(flow.entity, flow.sourceSystem, unit.key, { system: flow.targetSystem, id: written.targetId, sent });
        await links.put(flow.entity, flow.targetSystem, written.targetId, {
          system: flow.sourceSystem,
          id: unit.key,
          fingerprint: fingerprint(written.echo !== undefined ? written.echo : mapped),
        });
        await flow.link?.(written, ctx, { source, mapped });
      });
      return { kind: 'done', written, version };
    };

    let result: PassResult;
    try {
      const run = await withInvocationRetries(pass, (error) => classifyError(error, flow.classify), {
        clock,
        deadlineMs,
        maxTries: options.triesPerAttempt,
        baseMs: options.backoffBaseMs,
        capMs: options.backoffCapMs,
        minTryBudgetMs: options.minTryBudgetMs,
        random,
      });
      tries = run.tries;
      result = run.value;
    } catch (failure) {
      const cause = failure instanceof TriesExhaustedError ? failure.cause : failure;
      tries = failure instanceof TriesExhaustedError ? failure.tries : tries;
      const info = classifyError(cause, flow.classify);
      if (cause instanceof CircuitOpenError) return await postpone(cause.openUntil + Math.floor(random() * 5_000), `circuit open: ${cause.upstream}`);
      if (info.reason === 'circuit-open') return await postpone(clock.now() + options.breakerOpenMs, 'circuit open');
      if (!info.retryable) return await deadLetter(info);
      const delay = persistedRetryDelay(unit.attempt, random);
      if (delay === undefined) {
        return await deadLetter({ ...info, retryable: false, message: `gave up after ${unit.attempt} attempts: ${info.message}` });
      }
      const dueAt = clock.now() + Math.max(delay, info.retryAfterMs ?? 0);
      const next: Unit = { ...unit, trigger: 'retry', attempt: unit.attempt + 1 };
      const retryKey = await scheduleRetry({ state, files }, { unit: next, unitId, dueAt, now: clock.now(), reason: info.message, error: info });
      return await finish({ ...base, outcome: 'retry-scheduled', reason: info.reason, dueAt, nextAttempt: next.attempt, retryKey, error: info }, true, {
        reason: info.reason,
        error: info,
        dueAt,
      });
    }

    if (result.kind === 'skip') return await skipped(result.reason, result.detail);
    if (result.version !== undefined) await recordAppliedVersion(state, flow.name, flow.sourceSystem, unit.key, result.version, clock.now());
    return await finish({ ...base, outcome: 'done', targetId: result.written.targetId, action: result.written.action, version: result.version }, true, {
      targetId: result.written.targetId,
      version: result.version,
      reason: result.written.action,
    });
  } finally {
    await lease?.release().catch((error) => logger.warn('could not release unit lease', { error: String(error) }));
  }
}

/** Runs a unit through the flow registered under `unit.flow` (what event and feed actions call). */
export async function runRegisteredUnit(input: UnitInput, deps: SyncDeps, control: RunUnitControl = {}): Promise<UnitOutcome> {
  if (!input || typeof input !== 'object' || typeof input.flow !== 'string') throw new UnitInputError('invalid unit of work: flow: required', 'flow');
  return runUnit(deps.registry.flow(input.flow), input, deps, control);
}

/** Reason recorded for a unit whose activation ran out of time while it waited for a gate slot. */
export const GATE_WAIT_EXPIRED = 'the activation ran out of time waiting for a slot in this container';

export interface RunUnitsOptions {
  /** Units of this batch at once (default: the scheduler's concurrency). */
  concurrency?: number;
  /**
   * A gate shared beyond this batch (units-in-flight.ts: the container's cap across concurrent
   * activations); each unit also waits for a slot there.
   */
  gate?: LimitFunction;
}

/**
 * Runs many units (a webhook batch, a page of hints) a few at a time. Each unit's outcome is
 * recorded independently; the call throws only if some outcome could not be recorded.
 */
export async function runRegisteredUnits(inputs: UnitInput[], deps: SyncDeps, options: RunUnitsOptions = {}): Promise<UnitOutcome[]> {
  const settings = syncOptions(deps);
  const limit = pLimit(options.concurrency ?? settings.schedulerConcurrency);
  const gate = options.gate;
  // A unit that waited at the gate until too little of its activation is left would be cut off
  // mid-write by Runtime; it is scheduled for later instead (the scheduler runs it).
  const gated = (input: UnitInput) => {
    const late = deps.deadlineMs !== undefined && deps.platform.clock.now() + settings.minTryBudgetMs > deps.deadlineMs;
    return runRegisteredUnit(input, deps, late ? { postponeBecause: GATE_WAIT_EXPIRED } : {});
  };
  return Promise.all(inputs.map((input) => limit(() => (gate ? gate(() => gated(input)) : runRegisteredUnit(input, deps)))));
}
