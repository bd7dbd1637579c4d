/**
 * Persisted retries `retry.<dueEpochSeconds>.<unitId>-<attempt>`: a unit that still fails after
 * its in-invocation tries comes back on the schedule 1 m, 5 m, 15 m, 1 h, 4 h, 12 h, 24 h
 * (DESIGN.md §6), then goes to dead letters.
 *
 * The scheduler must find due retries without a slow, eventually consistent `list` over all
 * keys every minute, so each retry is also indexed in the FileStore under its due minute
 * (`sync/retry-index/<minuteEpoch>/<retryKey>`): the scheduler lists only the minutes that became
 * due since its last pass. An hourly `list('retry.*')` sweep catches a retry whose index write
 * was lost. Each retry key is written once by one activation; there is no shared index value to
 * read-modify-write (DESIGN.md §1.3).
 */
import { redactSecrets } from '../platform/redact';
import type { FileStore, StateStore } from '../platform/ports';
import { stateKey, parseStateKey } from '../platform/state-key';
import type { ErrorInfo, Unit } from './types';

const MINUTE = 60_000;
export const RETRY_SCHEDULE_MS: readonly number[] = [1, 5, 15, 60, 240, 720, 1440].map((m) => m * MINUTE);
/** Persisted attempts before dead letters: the first delivery plus one per schedule step. */
export const MAX_ATTEMPTS = RETRY_SCHEDULE_MS.length + 1;
const RETRY_INDEX_ROOT = 'sync/retry-index/';
/** Hints above this are dropped from retry records: `load` re-reads the source anyway. */
const MAX_HINT_BYTES = 64 * 1024;

export interface RetryRecord {
  unit: Unit;
  unitId: string;
  dueAt: number;
  scheduledAt: number;
  reason: string;
  error?: ErrorInfo;
}

/**
 * Delay before the next persisted attempt after attempt `failedAttempt` failed, or undefined when
 * the schedule is exhausted. Up to +10% jitter spreads units that failed together (an outage).
 */
export function persistedRetryDelay(failedAttempt: number, random: () => number = Math.random): number | undefined {
  const base = RETRY_SCHEDULE_MS[failedAttempt - 1];
  if (base === undefined) return undefined;
  return base + Math.floor(random() * base * 0.1);
}

export function retryKey(dueAt: number, unitId: string, attempt: number): string {
  return stateKey('retry', Math.floor(dueAt / 1000), `${unitId}-${attempt}`);
}

export function dueSecondsOf(key: string): number {
  const parts = parseStateKey(key);
  return Number(parts[1]);
}

function minuteOf(epochMs: number): number {
  return Math.floor(epochMs / MINUTE) * MINUTE;
}

function indexPath(dueAt: number, key: string): string {
  return `${RETRY_INDEX_ROOT}${minuteOf(dueAt)}/${key}`;
}

function withoutLargeHint(unit: Unit): Unit {
  if (unit.payloadHint === undefined) return unit;
  const size = Buffer.byteLength(JSON.stringify(unit.payloadHint) ?? '', 'utf8');
  if (size <= MAX_HINT_BYTES) return unit;
  const { payloadHint: _dropped, ...rest } = unit;
  return rest as Unit;
}

export async function scheduleRetry(
  store: { state: StateStore; files: FileStore },
  input: { unit: Unit; unitId: string; dueAt: number; now: number; reason: string; error?: ErrorInfo },
): Promise<string> {
  const key = retryKey(input.dueAt, input.unitId, input.unit.attempt);
  const record: RetryRecord = {
    // Retry records outlive the invocation: card numbers and credentials in the hint are masked first (issue 11).
    unit: redactSecrets(withoutLargeHint(input.unit)),
    unitId: input.unitId,
    dueAt: input.dueAt,
    scheduledAt: input.now,
    reason: input.reason,
    error: input.error,
  };
  const ttlSeconds = Math.ceil((input.dueAt - input.now) / 1000) + 24 * 3600;
  await store.state.put(key, record, { ttlSeconds: Math.min(ttlSeconds, 365 * 24 * 3600) });
  await store.files.write(indexPath(input.dueAt, key), key);
  return key;
}

/** Removes a handled retry and its index entry. */
export async function clearRetry(store: { state: StateStore; files: FileStore }, key: string): Promise<void> {
  await store.state.delete(key);
  await store.files.delete(indexPath(dueSecondsOf(key) * 1000, key));
}

/** Retry keys indexed under one due minute. */
export async function indexedRetryKeys(files: FileStore, minuteEpochMs: number): Promise<string[]> {
  const paths = await files.list(`${RETRY_INDEX_ROOT}${minuteOf(minuteEpochMs)}/`);
  return paths.map((p) => p.slice(p.lastIndexOf('/') + 1));
}

/** Minutes (epoch ms) from `fromMinute` to the one containing `now`, at most `limit` of them. */
export function minutesToScan(fromMinute: number, now: number, limit: number): number[] {
  const out: number[] = [];
  for (let m = minuteOf(fromMinute); m <= minuteOf(now) && out.length < limit; m += MINUTE) out.push(m);
  return out;
}

/** The slow safety net: every retry key due by `now`, from `list` (scheduler only, hourly). */
export async function sweepDueRetryKeys(state: StateStore, now: number): Promise<string[]> {
  const keys: string[] = [];
  for await (const key of state.list('retry.*')) {
    try {
      if (dueSecondsOf(key) * 1000 <= now) keys.push(key);
    } catch {
      // A key that is not ours (malformed part): leave it alone.
    }
  }
  return [...new Set(keys)];
}
