/**
 * Big jobs (nightly reconciliation, full inventory push) fanned out to `worker` invocations, one
 * chunk each, because one activation cannot do 50,000 SKUs in 60 s and Runtime runs many workers
 * in parallel. State:
 *   `job.<jobId>`                 the job (name, chunk count, status), written by the scheduler
 *   `job.<jobId>.<i>`             chunk dispatch record (attempts, dispatchedAt), scheduler only
 *   `job.<jobId>.<i>.done`        chunk completion, written once by the worker
 *   files `jobs/<jobId>/<i>.json` chunk parameters (can exceed what fits in invoke params)
 *   files `jobs/active/<jobId>`   marker of unfinished jobs, so the scheduler finds them by prefix
 * Dispatch and completion live in different keys so the scheduler and a worker never write the
 * same key (DESIGN.md §1.3). A chunk with no completion one lease after dispatch is presumed dead
 * (the worker was killed or timed out) and dispatched again; chunks must therefore be idempotent.
 */
import { z } from 'zod';
import { stateKey } from '../platform/state-key';
import { classifyError } from './classify';
import { acquireLease, leaseKey } from './lease';
import { syncOptions } from './options';
import type { JobDefinition } from './registry';
import { UnitInputError } from './run-unit';
import { createTaskContext } from './task-context';
import { dayLabel } from './time-keys';
import type { ErrorInfo, SyncDeps } from './types';

export const JOB_TTL_SECONDS = 30 * 24 * 3600;
const DEFAULT_CHUNK_LEASE_MS = 15 * 60_000;
const DEFAULT_MAX_CHUNK_ATTEMPTS = 3;
const DEFAULT_PARALLEL_CHUNKS = 20;
const ACTIVE_PREFIX = 'jobs/active/';

export type JobStatus = 'running' | 'done' | 'failed';

export interface JobRecord {
  jobId: string;
  name: string;
  chunkCount: number;
  status: JobStatus;
  createdAt: number;
  finishedAt?: number;
  chunksDone?: number;
  chunksFailed?: number;
}

export interface ChunkDispatch {
  index: number;
  status: 'pending' | 'dispatched' | 'failed';
  attempts: number;
  dispatchedAt?: number;
  activationId?: string;
  lastError?: string;
}

export interface ChunkCompletion {
  ok: boolean;
  at: number;
  result?: unknown;
  error?: ErrorInfo;
}

export const jobKey = (jobId: string) => stateKey('job', jobId);
export const chunkKey = (jobId: string, index: number) => stateKey('job', jobId, index);
export const chunkDoneKey = (jobId: string, index: number) => stateKey('job', jobId, index, 'done');
const chunkParamsPath = (jobId: string, index: number) => `jobs/${jobId}/${index}.json`;

/** Job ids become key parts and file names: keep them to safe characters. */
const JOB_ID = /^[a-z0-9][a-z0-9-]{0,120}$/;

/** Plans a job and records its chunks; the scheduler (or `superviseJob` right away) dispatches them. */
export async function startJob(name: string, deps: SyncDeps, input: { jobId?: string; deadlineMs?: number } = {}): Promise<JobRecord> {
  const { state, files, clock } = deps.platform;
  const job = deps.registry.job(name);
  const jobId = input.jobId ?? `${name}-${clock.now()}`;
  if (!JOB_ID.test(jobId)) throw new UnitInputError(`jobId "${jobId}": lower-case letters, digits and dashes`, 'jobId');
  const existing = await state.get<JobRecord>(jobKey(jobId));
  if (existing) return existing;
  const ctx = createTaskContext(deps, { owner: `job ${name}`, deadlineMs: input.deadlineMs ?? clock.now() + 50_000 });
  const chunks = await job.plan(ctx);
  for (let i = 0; i < chunks.length; i++) {
    await files.write(chunkParamsPath(jobId, i), JSON.stringify(chunks[i] ?? null));
    await state.put(chunkKey(jobId, i), { index: i, status: 'pending', attempts: 0 } satisfies ChunkDispatch, { ttlSeconds: JOB_TTL_SECONDS });
  }
  const record: JobRecord = { jobId, name, chunkCount: chunks.length, status: chunks.length === 0 ? 'done' : 'running', createdAt: clock.now() };
  if (chunks.length === 0) record.finishedAt = clock.now();
  // The job record is written last: it is what marks the job as planned (nightly start checks it).
  await state.put(jobKey(jobId), record, { ttlSeconds: JOB_TTL_SECONDS });
  if (chunks.length > 0) await files.write(`${ACTIVE_PREFIX}${jobId}`, name);
  ctx.logger.info('job planned', { jobId, chunks: chunks.length });
  return record;
}

/** Nightly jobs due now (at or after their UTC hour, not yet started today). */
export async function startDueNightlyJobs(deps: SyncDeps, now: number): Promise<string[]> {
  const started: string[] = [];
  const hour = new Date(now).getUTCHours();
  for (const job of deps.registry.jobs()) {
    const dueHour = (job.hourFromSettings ? await job.hourFromSettings(deps.platform.state).catch(() => undefined) : undefined) ?? job.hour;
    if (dueHour === undefined || hour < dueHour) continue;
    const jobId = `${job.name}-${dayLabel(now)}`;
    if (await deps.platform.state.get(jobKey(jobId))) continue;
    await startJob(job.name, deps, { jobId });
    started.push(jobId);
  }
  return started;
}

export interface JobProgress {
  jobId: string;
  status: JobStatus;
  done: number;
  failed: number;
  inFlight: number;
  dispatched: number;
  redispatched: number;
}

/** One supervision pass: dispatch pending chunks, re-dispatch dead ones, close the job when all ended. */
export async function superviseJob(jobId: string, deps: SyncDeps): Promise<JobProgress | undefined> {
  const { state, files, clock, invoker, logger } = deps.platform;
  const options = syncOptions(deps);
  const job = await state.get<JobRecord>(jobKey(jobId));
  if (!job) {
    await files.delete(`${ACTIVE_PREFIX}${jobId}`);
    return undefined;
  }
  const definition = deps.registry.job(job.name);
  const leaseMs = definition.chunkLeaseMs ?? DEFAULT_CHUNK_LEASE_MS;
  const maxAttempts = definition.maxChunkAttempts ?? DEFAULT_MAX_CHUNK_ATTEMPTS;
  const parallel = definition.parallelChunks ?? DEFAULT_PARALLEL_CHUNKS;
  const progress: JobProgress = { jobId, status: job.status, done: 0, failed: 0, inFlight: 0, dispatched: 0, redispatched: 0 };
  const now = clock.now();
  const toDispatch: Array<{ chunk: ChunkDispatch; again: boolean }> = [];

  for (let i = 0; i < job.chunkCount; i++) {
    const completion = await state.get<ChunkCompletion>(chunkDoneKey(jobId, i));
    if (completion) {
      if (completion.ok) progress.done++;
      else progress.failed++;
      continue;
    }
    const chunk = (await state.get<ChunkDispatch>(chunkKey(jobId, i))) ?? { index: i, status: 'pending', attempts: 0 };
    if (chunk.status === 'failed') {
      progress.failed++;
    } else if (chunk.status === 'dispatched' && chunk.dispatchedAt !== undefined && now < chunk.dispatchedAt + leaseMs) {
      progress.inFlight++;
    } else if (chunk.status === 'dispatched') {
      // No completion within the lease: the worker died or timed out.
      if (chunk.attempts >= maxAttempts) {
        await state.put(chunkKey(jobId, i), { ...chunk, status: 'failed', lastError: `no completion after ${chunk.attempts} dispatches` }, { ttlSeconds: JOB_TTL_SECONDS });
        logger.error('job chunk failed: workers never completed it', { jobId, chunk: i, attempts: chunk.attempts });
        progress.failed++;
      } else {
        toDispatch.push({ chunk, again: true });
      }
    } else {
      toDispatch.push({ chunk, again: false });
    }
  }

  for (const { chunk, again } of toDispatch) {
    if (progress.inFlight >= parallel) break;
    const record: ChunkDispatch = { ...chunk, status: 'dispatched', attempts: chunk.attempts + 1, dispatchedAt: now };
    // Recorded before the invoke: if we die right after invoking, the lease still brings it back.
    await state.put(chunkKey(jobId, chunk.index), record, { ttlSeconds: JOB_TTL_SECONDS });
    try {
      const { activationId } = await invoker.invoke(options.workerAction, { jobId, chunk: chunk.index }, { blocking: false });
      await state.put(chunkKey(jobId, chunk.index), { ...record, activationId }, { ttlSeconds: JOB_TTL_SECONDS });
      progress.inFlight++;
      if (again) progress.redispatched++;
      else progress.dispatched++;
    } catch (error) {
      logger.warn('could not dispatch job chunk', { jobId, chunk: chunk.index, error: (error as Error).message });
      await state.put(chunkKey(jobId, chunk.index), { ...chunk, lastError: (error as Error).message }, { ttlSeconds: JOB_TTL_SECONDS });
    }
  }

  if (progress.done + progress.failed === job.chunkCount) {
    const status: JobStatus = progress.failed > 0 ? 'failed' : 'done';
    await state.put(jobKey(jobId), { ...job, status, finishedAt: now, chunksDone: progress.done, chunksFailed: progress.failed } satisfies JobRecord, { ttlSeconds: JOB_TTL_SECONDS });
    await files.delete(`${ACTIVE_PREFIX}${jobId}`);
    progress.status = status;
    logger.info('job finished', { jobId, status, done: progress.done, failed: progress.failed });
  }
  return progress;
}

/** Supervises every unfinished job (found by the FileStore markers, not by a state `list`). */
export async function superviseJobs(deps: SyncDeps): Promise<JobProgress[]> {
  const markers = await deps.platform.files.list(ACTIVE_PREFIX);
  const out: JobProgress[] = [];
  for (const path of markers) {
    const progress = await superviseJob(path.slice(ACTIVE_PREFIX.length), deps);
    if (progress) out.push(progress);
  }
  return out;
}

export const workerChunkParams = z.object({
  jobId: z.string().regex(JOB_ID, 'jobId: lower-case letters, digits and dashes'),
  chunk: z.coerce.number().int().min(0),
});

export type WorkerChunkResult =
  | { status: 'done'; jobId: string; chunk: number; result: unknown }
  | { status: 'already-done' | 'busy'; jobId: string; chunk: number }
  | { status: 'failed'; jobId: string; chunk: number; error: ErrorInfo };

/**
 * The `worker` action's body: run one chunk and record its completion. A retryable failure leaves
 * no completion, so the scheduler re-dispatches the chunk after its lease; a terminal one is
 * recorded as failed so it is not retried forever.
 */
export async function runWorkerChunk(params: unknown, deps: SyncDeps): Promise<WorkerChunkResult> {
  const parsed = workerChunkParams.safeParse(params);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UnitInputError(`worker params: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`, issue?.path.join('.'));
  }
  const { jobId, chunk } = parsed.data;
  const { state, files, clock } = deps.platform;
  const job = await state.get<JobRecord>(jobKey(jobId));
  if (!job) throw new UnitInputError(`job "${jobId}" does not exist`, 'jobId');
  if (chunk >= job.chunkCount) throw new UnitInputError(`job "${jobId}" has ${job.chunkCount} chunks; chunk ${chunk} does not exist`, 'chunk');
  if (await state.get(chunkDoneKey(jobId, chunk))) return { status: 'already-done', jobId, chunk };

  const definition: JobDefinition<unknown> = deps.registry.job(job.name);
  const leaseMs = definition.chunkLeaseMs ?? DEFAULT_CHUNK_LEASE_MS;
  const deadlineMs = deps.deadlineMs ?? clock.now() + leaseMs;
  // A re-dispatched chunk whose first worker is merely slow: do not run it twice at once.
  const lease = await acquireLease(state, clock, leaseKey('job', jobId, chunk), { ttlMs: leaseMs, settleMs: syncOptions(deps).leaseSettleMs });
  if (!lease) return { status: 'busy', jobId, chunk };
  const ctx = createTaskContext(deps, { owner: `job ${job.name} chunk ${chunk}`, deadlineMs });
  try {
    const bytes = await files.read(chunkParamsPath(jobId, chunk));
    if (!bytes) throw new UnitInputError(`job "${jobId}" chunk ${chunk} has no parameters file`, 'chunk');
    let input: unknown = JSON.parse(bytes.toString('utf8'));
    if (definition.chunkSchema) input = definition.chunkSchema.parse(input);
    const result = await definition.runChunk(input, ctx);
    await state.put(chunkDoneKey(jobId, chunk), { ok: true, at: clock.now(), result } satisfies ChunkCompletion, { ttlSeconds: JOB_TTL_SECONDS });
    ctx.logger.info('job chunk done', { jobId, chunk });
    return { status: 'done', jobId, chunk, result };
  } catch (error) {
    const info = classifyError(error);
    ctx.logger.error('job chunk failed', { jobId, chunk, error: info });
    if (!info.retryable) await state.put(chunkDoneKey(jobId, chunk), { ok: false, at: clock.now(), error: info } satisfies ChunkCompletion, { ttlSeconds: JOB_TTL_SECONDS });
    return { status: 'failed', jobId, chunk, error: info };
  } finally {
    await lease.release().catch(() => undefined);
  }
}
