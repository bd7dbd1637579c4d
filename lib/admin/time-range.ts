/**
 * Query bounds `from`/`to` (a day `2026-11-01` or an instant) turned into epoch ms. A day as `to`
 * means the whole day (up to its end); ranges are checked against a per-route maximum so one
 * request never reads months of records.
 */
import { HttpError } from '../runtime/http-error';

const DAY_MS = 86_400_000;
const isDay = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value);

export interface TimeRange {
  fromMs: number;
  /** Exclusive. */
  toMs: number;
}

function bound(value: string, field: string, end: boolean): number {
  const ms = isDay(value) ? Date.parse(`${value}T00:00:00.000Z`) + (end ? DAY_MS : 0) : Date.parse(value);
  if (Number.isNaN(ms)) throw new HttpError(400, 'invalid_request', `${field}: not a date or time`, field);
  return ms;
}

export function parseTimeRange(
  query: { from?: string; to?: string },
  options: { now: number; defaultMs: number; maxMs: number; what: string },
): TimeRange {
  const toMs = query.to !== undefined ? bound(query.to, 'to', true) : options.now;
  const fromMs = query.from !== undefined ? bound(query.from, 'from', false) : toMs - options.defaultMs;
  if (fromMs >= toMs) throw new HttpError(400, 'invalid_request', 'from: must be before to', 'from');
  if (toMs - fromMs > options.maxMs) {
    const days = Math.round(options.maxMs / DAY_MS);
    const limit = days >= 1 ? `${days} day(s)` : `${Math.round(options.maxMs / 3_600_000)} hours`;
    throw new HttpError(400, 'invalid_request', `from: ${options.what} covers at most ${limit} per request; choose a shorter range`, 'from');
  }
  return { fromMs, toMs };
}

export { DAY_MS };
