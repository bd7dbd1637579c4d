/**
 * When to alert: small pure checks the scheduler runs each minute over numbers it already has
 * (dead-letter depth, event arrival times, connection checks). Each returns the alert to send, or
 * undefined; the alerter de-duplicates.
 */
import type { AlertInput } from './alerter';
import { median } from '../anomaly/robust';

export interface DlqGrowthInput {
  flow: string;
  /** Dead letters open at the start of the window. */
  previousDepth: number;
  depth: number;
  windowMinutes: number;
  /** Growth below this many dead letters is noise (default 5). */
  minIncrease?: number;
}

export function dlqGrowthAlert(input: DlqGrowthInput): AlertInput | undefined {
  const minIncrease = input.minIncrease ?? 5;
  if (input.depth - input.previousDepth < minIncrease) return undefined;
  return { kind: 'dlq_growth', flow: input.flow, depth: input.depth, previousDepth: input.previousDepth, windowMinutes: input.windowMinutes };
}

export interface SilenceInput {
  flow: string;
  /** Recent event arrival times (epoch ms), e.g. the last day's. */
  arrivalsMs: readonly number[];
  now: number;
  /** Never alert for less than this (default 30 minutes). */
  minSilentMinutes?: number;
  /** Silence beyond this multiple of the usual (median) gap is unusual (default 8), and it must
   *  also exceed 1.5× the longest recent gap, so a normal quiet night is not an alert. */
  gapMultiple?: number;
  /** Fewer arrivals than this (default 10) say nothing about what is usual. */
  minArrivals?: number;
}

/** "No events for a flow in an unusual time": silence far beyond the gaps this flow usually has. */
export function unusualSilenceAlert(input: SilenceInput): AlertInput | undefined {
  const arrivals = [...input.arrivalsMs].filter((t) => t <= input.now).sort((a, b) => a - b);
  if (arrivals.length < (input.minArrivals ?? 10)) return undefined;
  const gaps = arrivals.slice(1).map((t, i) => t - arrivals[i]);
  const usualGap = median(gaps);
  const longestGap = Math.max(...gaps);
  const silent = input.now - arrivals[arrivals.length - 1];
  const threshold = Math.max((input.minSilentMinutes ?? 30) * 60_000, usualGap * (input.gapMultiple ?? 8), longestGap * 1.5);
  if (silent <= threshold) return undefined;
  return { kind: 'no_events', flow: input.flow, silentMinutes: Math.round(silent / 60_000), usualGapMinutes: Math.max(1, Math.round(usualGap / 60_000)) };
}
