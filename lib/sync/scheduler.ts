/**
 * The scheduler pass, run by the `scheduler` action on a one-minute alarm (DESIGN.md §3). Under
 * the `lease.scheduler` lease it: runs due retries, polls the feeds, starts nightly jobs and
 * supervises running ones (re-dispatching chunks whose worker died), and compacts run records
 * into hourly metrics. Each phase is isolated: one failing phase is reported, the others still run.
 */
import pLimit from 'p-limit';
import { recordDeadLetter } from './dead-letters';
import { pollFeed, readCursor, writeCursor, type FeedPollSummary } from './feeds';
import { unitIdOf } from './fingerprint';
import { startDueNightlyJobs, superviseJobs, type JobProgress } from './jobs';
import { acquireLease, leaseKey } from './lease';
import { compactMetrics, type CompactionSummary } from './metrics';
import { syncOptions } from './options';
import { clearRetry, indexedRetryKeys, minutesToScan, sweepDueRetryKeys, type RetryRecord } from './retry-schedule';
import { runUnit } from './run-unit';
import type { OutcomeName, SyncDeps } from './types';

const MINUTE = 60_000;
const RETRY_INDEX_CURSOR = 'retry-index';
const RETRY_SWEEP_CURSOR = 'retry-sweep';
const SWEEP_EVERY_MS = 60 * MINUTE;
const MAX_MINUTES_PER_PASS = 120;
/** When no deadline is given: the alarm fires every minute, leave the next pass its turn. */
const DEFAULT_PASS_MS = 55_000;

export interface DueRetrySummary {
  found: number;
  ran: number;
  outcomes: Partial<Record<OutcomeName, number>>;
  swept: boolean;
}

export interface SchedulerSummary {
  ran: boolean;
  reason?: string;
  retries?: DueRetrySummary;
  feeds?: FeedPollSummary[];
  jobsStarted?: string[];
  jobs?: JobProgress[];
  metrics?: CompactionSummary;
  errors: Array<{ phase: string; message: string }>;
  durationMs: number;
}

/** Runs every retry due by now: from the minute index since the last pass, plus an hourly `list` sweep. */
export async function runDueRetries(deps: SyncDeps, deadlineMs: number): Promise<DueRetrySummary> {
  const { state, files, clock, logger } = deps.platform;
  const options = syncOptions(deps);
  const now = clock.now();
  const summary: DueRetrySummary = { found: 0, ran: 0, outcomes: {}, swept: false };
  const storedFrom = await readCursor(state, RETRY_INDEX_CURSOR);
  const from = storedFrom !== undefined ? Number(storedFrom) : now - 60 * MINUTE;
  const minutes = minutesToScan(from, now, MAX_MINUTES_PER_PASS);

  const byMinute = new Map<number, string[]>();
  for (const minute of minutes) byMinute.set(minute, await indexedRetryKeys(files, minute));
  const sweepAt = await readCursor(state, RETRY_SWEEP_CURSOR);
  let swept: string[] = [];
  if (sweepAt === undefined || now - Number(sweepAt) >= SWEEP_EVERY_MS) {
    swept = await sweepDueRetryKeys(state, now);
    summary.swept = true;
  }
  const keys = [...new Set([...[...byMinute.values()].flat(), ...swept])];
  summary.found = keys.length;

  const limit = pLimit(options.schedulerConcurrency);
  const failedMinutes = new Set<number>();
  let outOfTime = false;
  await Promise.all(
    keys.map((key) =>
      limit(async () => {
        const minute = Math.floor((Number(key.split('.')[1]) * 1000) / MINUTE) * MINUTE;
        if (deadlineMs - clock.now() < options.minTryBudgetMs) {
          outOfTime = true;
          failedMinutes.add(minute);
          return;
        }
        try {
          const record = await state.get<RetryRecord>(key);
          if (!record) {
            await clearRetry({ state, files }, key); // already handled, or expired: drop the index entry
            return;
          }
          if (record.dueAt > clock.now()) {
            failedMinutes.add(minute); // due later in this minute: keep the minute for the next pass
            return;
          }
          let outcomeKey: string | undefined;
          try {
            const flow = deps.registry.flow(record.unit.flow);
            const outcome = await runUnit(flow, record.unit, { ...deps, deadlineMs });
            summary.ran++;
            summary.outcomes[outcome.outcome] = (summary.outcomes[outcome.outcome] ?? 0) + 1;
            if (outcome.outcome === 'retry-scheduled') outcomeKey = outcome.retryKey;
          } catch (error) {
            if ((error as Error).name !== 'UnknownFlowError') throw error;
            // The flow was removed from the app: keep the unit visible rather than dropping it.
            await recordDeadLetter({ state, files }, {
              unit: record.unit,
              unitId: unitIdOf(record.unit.flow, record.unit.key),
              error: { message: (error as Error).message, retryable: false, reason: 'unknown-flow' },
              source: null,
              mapped: null,
              now: clock.now(),
            });
          }
          // The outcome is recorded, so the pointer can go (unless the unit was rescheduled onto the same key).
          if (outcomeKey !== key) await clearRetry({ state, files }, key);
        } catch (error) {
          failedMinutes.add(minute);
          logger.error('due retry could not run', { key, error: (error as Error).message });
        }
      }),
    ),
  );

  // Advance the index cursor past every fully handled minute before the current one.
  let next = minutes[0] ?? from;
  for (const minute of minutes) {
    if (failedMinutes.has(minute) || minute >= Math.floor(now / MINUTE) * MINUTE) break;
    next = minute + MINUTE;
  }
  if (String(next) !== storedFrom) await writeCursor(state, RETRY_INDEX_CURSOR, String(next), now);
  if (summary.swept && !outOfTime) await writeCursor(state, RETRY_SWEEP_CURSOR, String(now), now);
  return summary;
}

export async function runScheduler(deps: SyncDeps): Promise<SchedulerSummary> {
  const { state, clock, logger } = deps.platform;
  const startedAt = clock.now();
  const deadlineMs = deps.deadlineMs ?? startedAt + DEFAULT_PASS_MS;
  const summary: SchedulerSummary = { ran: false, errors: [], durationMs: 0 };
  const lease = await acquireLease(state, clock, leaseKey('scheduler'), { ttlMs: deadlineMs - startedAt + 30_000, settleMs: syncOptions(deps).leaseSettleMs });
  if (!lease) {
    summary.reason = 'another scheduler pass holds lease.scheduler';
    summary.durationMs = clock.now() - startedAt;
    return summary;
  }
  summary.ran = true;
  const phaseDeps: SyncDeps = { ...deps, deadlineMs };
  const phase = async <T>(name: string, run: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await run();
    } catch (error) {
      summary.errors.push({ phase: name, message: (error as Error).message });
      logger.error('scheduler phase failed', { phase: name, error: (error as Error).message });
      return undefined;
    }
  };
  try {
    summary.retries = await phase('retries', () => runDueRetries(phaseDeps, deadlineMs));
    summary.feeds = [];
    for (const feed of deps.registry.feeds()) {
      if (deadlineMs - clock.now() < syncOptions(deps).minTryBudgetMs * 2) break;
      const result = await phase(`feed ${feed.name}`, () => pollFeed(feed, phaseDeps, deadlineMs));
      if (result) summary.feeds.push(result);
    }
    summary.jobsStarted = await phase('nightly jobs', () => startDueNightlyJobs(phaseDeps, clock.now()));
    summary.jobs = await phase('jobs', () => superviseJobs(phaseDeps));
    summary.metrics = await phase('metrics', () => compactMetrics(phaseDeps));
  } finally {
    await lease.release().catch(() => undefined);
  }
  summary.durationMs = clock.now() - startedAt;
  logger.info('scheduler pass', { durationMs: summary.durationMs, retries: summary.retries?.ran, errors: summary.errors.length });
  return summary;
}
