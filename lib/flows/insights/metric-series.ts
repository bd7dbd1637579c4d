/**
 * Anomaly scan over the flows' own hourly metrics (`metrics.<flow>.<yyyymmddhh>`, written by the
 * scheduler): order rate (the `order` flow's done units per hour), error rate (dead-lettered or
 * retry-scheduled per unit run) and latency (p95, event to done) per flow. Each settled hour is
 * judged once against the hours before it (median/MAD, lib/insights SERIES_DEFAULTS) and an
 * unusual value is recorded as an anomaly that does not hold anything.
 *
 * The history lives in one FileStore file (`insights/metric-series.json`) so a pass costs one get
 * per flow per new hour, never a `list`. The scheduler's lease makes this pass its single writer.
 *
 * Order totals are not scanned here: every order's total is judged before it is sent, by the fraud
 * score's `total_outlier` signal with the same detector (lib/flows/orders/fraud-hold.ts).
 */
import { createAnomalyRepository, judgeValue, SERIES_DEFAULTS, type Anomaly, type SeriesKind } from '../../insights';
import type { Clock, FileStore, StateStore } from '../../platform/ports';
import { stateKey } from '../../platform/state-key';
import { hourLabel, hourStart, metricsKey, type FlowHourMetrics } from '../../sync';

export const METRIC_SERIES_PATH = 'insights/metric-series.json';
const HOUR_MS = 3_600_000;
/** The scheduler marks an hour final ten minutes after it ends (lib/sync/metrics.ts). */
const SETTLE_MS = 10 * 60_000;
/** On the first pass, and after a long outage, at most this many hours are read. */
export const MAX_HOURS_PER_SCAN = 48;
/** Hourly unit counts kept per flow for the silence check (a week). */
const ACTIVITY_HOURS = 168;

type ScannedKind = Extract<SeriesKind, 'order_rate' | 'error_rate' | 'latency'>;

export interface FlowSeries {
  order_rate?: number[];
  error_rate?: number[];
  latency?: number[];
  /** [hour start ms, units run] for hours with runs, for "no events for an unusual time". */
  activity?: Array<[number, number]>;
  /** Open dead letters at the last hour that had a metrics record. */
  dlqDepth?: number;
}

export interface MetricSeriesFile {
  /** Start (epoch ms) of the last hour judged. */
  scannedThrough?: number;
  flows: Record<string, FlowSeries>;
}

export async function readMetricSeries(files: FileStore): Promise<MetricSeriesFile> {
  const data = await files.read(METRIC_SERIES_PATH);
  if (!data) return { flows: {} };
  try {
    const parsed = JSON.parse(data.toString('utf8')) as MetricSeriesFile;
    return parsed && typeof parsed === 'object' && parsed.flows ? parsed : { flows: {} };
  } catch {
    return { flows: {} };
  }
}

/** The values one flow-hour adds to each series (undefined: nothing to judge that hour). */
export function seriesValues(flow: string, metrics: FlowHourMetrics | undefined): Partial<Record<ScannedKind, number>> {
  const values: Partial<Record<ScannedKind, number>> = {};
  // An hour without a record had no runs: zero orders is exactly what an order-rate stop looks like.
  if (flow === 'order') values.order_rate = metrics?.counts.done ?? 0;
  if (metrics) {
    const total = Object.values(metrics.counts).reduce((a, b) => a + b, 0);
    if (total > 0) values.error_rate = (metrics.counts['dead-lettered'] + metrics.counts['retry-scheduled']) / total;
    if (metrics.p95Ms !== null) values.latency = metrics.p95Ms;
  }
  return values;
}

const KIND_WORDS: Record<ScannedKind, string> = { order_rate: 'orders sent per hour', error_rate: 'share of failed units', latency: 'p95 latency (ms)' };

export interface ScanInput {
  state: StateStore;
  files: FileStore;
  clock: Clock;
  /** Flow names to scan (every registered flow). */
  flows: readonly string[];
}

export interface ScanResult {
  hours: number;
  anomalies: Anomaly[];
  scannedThrough?: number;
}

/** Judges every settled hour not judged yet; records unusual values as (non-holding) anomalies. */
export async function scanMetricSeries(input: ScanInput): Promise<ScanResult> {
  const { state, files, clock } = input;
  const now = clock.now();
  const lastSettled = hourStart(now - SETTLE_MS) - HOUR_MS;
  const series = await readMetricSeries(files);
  const from = Math.max(series.scannedThrough !== undefined ? series.scannedThrough + HOUR_MS : -Infinity, lastSettled - (MAX_HOURS_PER_SCAN - 1) * HOUR_MS);
  const result: ScanResult = { hours: 0, anomalies: [], scannedThrough: series.scannedThrough };
  if (from > lastSettled) return result;
  const repo = createAnomalyRepository({ state, files, clock });
  for (let h = from; h <= lastSettled; h += HOUR_MS) {
    const label = hourLabel(h);
    for (const flow of input.flows) {
      const metrics = await state.get<FlowHourMetrics>(metricsKey(flow, label));
      const kept = (series.flows[flow] ??= {});
      if (metrics) {
        const total = Object.values(metrics.counts).reduce((a, b) => a + b, 0);
        kept.activity = [...(kept.activity ?? []), [h, total] as [number, number]].slice(-ACTIVITY_HOURS);
        kept.dlqDepth = metrics.dlqDepth;
      }
      for (const [kind, value] of Object.entries(seriesValues(flow, metrics)) as Array<[ScannedKind, number]>) {
        const history = kept[kind] ?? [];
        // Before the flow's first run (a new install) empty hours say nothing about the order rate.
        if (!metrics && history.length === 0) continue;
        const options = SERIES_DEFAULTS[kind];
        const verdict = judgeValue(history, value, options);
        if (verdict.anomalous) {
          // The hour is judged once (the file moves on), but a pass that died before writing the
          // file judges it again: the marker keeps that from recording it twice.
          const marker = stateKey('insights', 'scan', kind, flow, label);
          if (!(await state.get(marker))) {
            const anomaly = await repo.record({
              kind,
              flow,
              summary: `${KIND_WORDS[kind]} for the ${flow} flow in the hour from ${new Date(h).toISOString().slice(0, 13)}:00 UTC: ${verdict.explanation}`,
              details: { hour: label, value, score: verdict.score, baseline: verdict.baseline, explanation: verdict.explanation },
            });
            await state.put(marker, anomaly.id, { ttlSeconds: 3 * 86_400 });
            result.anomalies.push(anomaly);
          }
        }
        kept[kind] = [...history, value].slice(-options.window);
      }
    }
    series.scannedThrough = h;
    result.hours++;
  }
  await files.write(METRIC_SERIES_PATH, JSON.stringify(series));
  result.scannedThrough = series.scannedThrough;
  return result;
}
