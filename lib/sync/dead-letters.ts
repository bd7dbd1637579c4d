/**
 * Dead letters: units that failed terminally or ran out of retries. Nothing is lost silently
 * (DESIGN.md §1.4): the summary `dlq.<flow>.<unitId>` (90 days) is what the panel lists; the source
 * payload, the mapped payload and the error go to the FileStore (`dlq/<flow>/<unitId>.json`),
 * card numbers and credentials redacted. One dead letter per entity: repeated failures of the same
 * order update it (lastSeen, attempts) instead of piling up.
 *
 * Replay re-runs the unit through the current flow code and mapping. It cannot duplicate what
 * already reached the target because every flow's write looks its record up by external
 * reference first, and links remember the target id.
 */
import pLimit from 'p-limit';
import { HttpError } from '../runtime/http-error';
import { redactSecrets } from '../platform/redact';
import { stateKey } from '../platform/state-key';
import type { FileStore, StateStore } from '../platform/ports';
import type { ErrorInfo, SyncDeps, Unit, UnitOutcome } from './types';
import { FLOW_NAME_PATTERN } from './types';
import { runUnit } from './run-unit';

export const DLQ_TTL_SECONDS = 90 * 24 * 3600;

export type DeadLetterStatus = 'open' | 'replayed' | 'discarded';

export interface DeadLetter {
  /** `<flow>.<unitId>`: what the panel, the CLI and `replayDeadLetter` use. */
  id: string;
  flow: string;
  key: string;
  unitId: string;
  error: string;
  reason: string;
  field?: string;
  system?: string;
  status: DeadLetterStatus;
  httpStatus?: number;
  attempts: number;
  firstSeen: string;
  lastSeen: string;
  correlationId: string;
  /** The unit as it last ran, so a replay knows what to re-read. */
  unit: Unit;
  payloadPath: string;
  discardReason?: string;
  replayedAt?: string;
  replayOutcome?: UnitOutcome['outcome'];
}

export interface DeadLetterPayload {
  unit: Unit;
  source: unknown;
  mapped: unknown;
  error: ErrorInfo;
  at: string;
}

export class DeadLetterNotFoundError extends HttpError {
  readonly id: string;
  constructor(id: string) {
    super(404, 'not_found', `dead letter "${id}" does not exist (or expired after 90 days)`, 'id');
    this.name = 'DeadLetterNotFoundError';
    this.id = id;
  }
}

export class DeadLetterInputError extends HttpError {
  constructor(field: string, message: string) {
    super(400, 'invalid_request', `${field}: ${message}`, field);
    this.name = 'DeadLetterInputError';
  }
}

export function deadLetterId(flow: string, unitId: string): string {
  return `${flow}.${unitId}`;
}

function parseDeadLetterId(id: unknown): { flow: string; unitId: string } {
  if (typeof id !== 'string') throw new DeadLetterInputError('id', 'must be a string like "order.1a2b3c..."');
  const dot = id.indexOf('.');
  const flow = id.slice(0, dot);
  const unitId = id.slice(dot + 1);
  if (dot < 1 || !FLOW_NAME_PATTERN.test(flow) || !/^[0-9a-f]{8,64}$/.test(unitId)) {
    throw new DeadLetterInputError('id', `"${String(id).slice(0, 80)}" is not a dead letter id (<flow>.<hex id>)`);
  }
  return { flow, unitId };
}

export function deadLetterKey(flow: string, unitId: string): string {
  return stateKey('dlq', flow, unitId);
}

export function deadLetterPayloadPath(flow: string, unitId: string): string {
  return `dlq/${flow}/${unitId}.json`;
}

export async function recordDeadLetter(
  store: { state: StateStore; files: FileStore },
  input: { unit: Unit; unitId: string; error: ErrorInfo; source: unknown; mapped: unknown; now: number },
): Promise<string> {
  const { unit, unitId, error, now } = input;
  const key = deadLetterKey(unit.flow, unitId);
  const payloadPath = deadLetterPayloadPath(unit.flow, unitId);
  const payload: DeadLetterPayload = redactSecrets({ unit, source: input.source ?? null, mapped: input.mapped ?? null, error, at: new Date(now).toISOString() });
  // Payload first: a summary that points at a missing payload would be worse than an orphan file.
  await store.files.write(payloadPath, JSON.stringify(payload));
  // Read-modify-write of one entity's own dead letter: only concurrent failures of the same entity
  // can race, and the loser's write still leaves a correct open dead letter.
  const previous = await store.state.get<DeadLetter>(key);
  const summary: DeadLetter = {
    id: deadLetterId(unit.flow, unitId),
    flow: unit.flow,
    key: unit.key,
    unitId,
    error: error.message,
    reason: error.reason,
    field: error.field,
    system: error.system,
    httpStatus: error.status,
    status: 'open',
    attempts: unit.attempt + (previous && previous.status !== 'open' ? previous.attempts : 0),
    firstSeen: previous?.firstSeen ?? new Date(unit.eventAt).toISOString(),
    lastSeen: new Date(now).toISOString(),
    correlationId: unit.correlationId,
    // The hint stays in the payload file: summaries must stay small (the panel lists them).
    unit: redactSecrets({ ...unit, payloadHint: undefined }),
    payloadPath,
  };
  await store.state.put(key, summary, { ttlSeconds: DLQ_TTL_SECONDS });
  return summary.id;
}

export async function getDeadLetter(id: string, deps: Pick<SyncDeps, 'platform'>): Promise<{ summary: DeadLetter; payload?: DeadLetterPayload }> {
  const { flow, unitId } = parseDeadLetterId(id);
  const summary = await deps.platform.state.get<DeadLetter>(deadLetterKey(flow, unitId));
  if (!summary) throw new DeadLetterNotFoundError(id);
  const bytes = await deps.platform.files.read(summary.payloadPath);
  return { summary, payload: bytes ? (JSON.parse(bytes.toString('utf8')) as DeadLetterPayload) : undefined };
}

/**
 * Dead letters, newest first. Uses `list`, which is slow and eventually consistent: fine for the
 * panel and the CLI, never called from a unit of work.
 */
export async function listDeadLetters(query: { flow?: string; status?: DeadLetterStatus }, deps: Pick<SyncDeps, 'platform'>): Promise<DeadLetter[]> {
  if (query.flow !== undefined && !FLOW_NAME_PATTERN.test(query.flow)) throw new DeadLetterInputError('flow', `"${query.flow}" is not a flow name`);
  if (query.status !== undefined && !['open', 'replayed', 'discarded'].includes(query.status)) {
    throw new DeadLetterInputError('status', 'must be open, replayed or discarded');
  }
  const match = query.flow ? `${stateKey('dlq', query.flow)}.*` : 'dlq.*';
  const seen = new Set<string>();
  const out: DeadLetter[] = [];
  for await (const key of deps.platform.state.list(match)) {
    if (seen.has(key)) continue; // list may repeat keys across pages
    seen.add(key);
    const summary = await deps.platform.state.get<DeadLetter>(key);
    if (summary && (!query.status || summary.status === query.status)) out.push(summary);
  }
  return out.sort((a, b) => b.lastSeen.localeCompare(a.lastSeen));
}

/** Open dead letters of a flow: the DLQ depth the metrics show. */
export async function countOpenDeadLetters(flow: string, deps: Pick<SyncDeps, 'platform'>): Promise<number> {
  return (await listDeadLetters({ flow, status: 'open' }, deps)).length;
}

async function markDeadLetter(deps: Pick<SyncDeps, 'platform'>, summary: DeadLetter, patch: Partial<DeadLetter>): Promise<DeadLetter> {
  const updated = { ...summary, ...patch };
  await deps.platform.state.put(deadLetterKey(summary.flow, summary.unitId), updated, { ttlSeconds: DLQ_TTL_SECONDS });
  return updated;
}

/**
 * Runs the dead letter's unit again, through the flow as it is now registered. A unit that
 * fails again is dead-lettered again (status back to open, lastSeen updated).
 */
export async function replayDeadLetter(id: string, deps: SyncDeps): Promise<UnitOutcome> {
  const { summary } = await getDeadLetter(id, deps);
  if (summary.status === 'discarded') throw new DeadLetterInputError('id', `dead letter "${id}" was discarded (${summary.discardReason ?? 'no reason'}); it cannot be replayed`);
  const flow = deps.registry.flow(summary.flow);
  const outcome = await runUnit(flow, { ...summary.unit, trigger: 'replay', attempt: 1, eventId: undefined }, deps);
  if (outcome.outcome !== 'dead-lettered') {
    await markDeadLetter(deps, summary, { status: 'replayed', replayedAt: new Date(deps.platform.clock.now()).toISOString(), replayOutcome: outcome.outcome });
  }
  return outcome;
}

export interface ReplayResult {
  id: string;
  outcome?: UnitOutcome['outcome'];
  message?: string;
}

/** Replays every open dead letter (of a flow, matching a filter), a few at a time, within the deadline. */
export async function replayAll(
  query: { flow?: string; filter?: (deadLetter: DeadLetter) => boolean; concurrency?: number },
  deps: SyncDeps,
): Promise<{ results: ReplayResult[]; notAttempted: string[] }> {
  const open = (await listDeadLetters({ flow: query.flow, status: 'open' }, deps)).filter((d) => !query.filter || query.filter(d));
  const limit = pLimit(query.concurrency ?? 4);
  const deadline = deps.deadlineMs;
  const notAttempted: string[] = [];
  const results = await Promise.all(
    open.map((deadLetter) =>
      limit(async (): Promise<ReplayResult | undefined> => {
        if (deadline !== undefined && deps.platform.clock.now() > deadline - 5_000) {
          notAttempted.push(deadLetter.id);
          return undefined;
        }
        try {
          const outcome = await replayDeadLetter(deadLetter.id, deps);
          return { id: deadLetter.id, outcome: outcome.outcome, message: 'error' in outcome && outcome.error ? outcome.error.message : undefined };
        } catch (error) {
          return { id: deadLetter.id, message: (error as Error).message };
        }
      }),
    ),
  );
  return { results: results.filter((r): r is ReplayResult => r !== undefined), notAttempted };
}

export async function discardDeadLetter(id: string, reason: string, deps: Pick<SyncDeps, 'platform'>): Promise<DeadLetter> {
  if (typeof reason !== 'string' || reason.trim().length < 3) throw new DeadLetterInputError('reason', 'say in a few words why this is discarded');
  const { summary } = await getDeadLetter(id, deps);
  return markDeadLetter(deps, summary, { status: 'discarded', discardReason: reason.trim().slice(0, 500) });
}
