/**
 * Anomalies in the flows' own series: order totals, order rate, stock deltas per batch, error
 * rates and latency. Each new value is compared with a rolling window of the values before it
 * (median/MAD, modified z-score). A value is only flagged when it is both statistically far out
 * and materially different (a minimum absolute change), so a quiet store going from 0 to 1 error
 * is not an incident.
 */
import { modifiedZScore, robustBaseline, type RobustBaseline } from './robust';

export const SERIES_KINDS = ['order_total', 'order_rate', 'stock_delta', 'error_rate', 'latency'] as const;
export type SeriesKind = (typeof SERIES_KINDS)[number];

export interface SeriesOptions {
  /** Values kept as the baseline (the most recent ones). */
  window: number;
  /** Below this many baseline values nothing is flagged: too little to know what is normal. */
  minSamples: number;
  /** Modified z-score beyond which a value is unusual (3.5 is the textbook cut-off). */
  threshold: number;
  /** Which side matters: a latency drop is good news, an order-rate drop is not. */
  direction: 'high' | 'low' | 'both';
  /** The value must also differ from the median by at least this much (in the series' unit). */
  minAbsoluteChange: number;
  /** …and by at least this multiple of the median (0 = no ratio test). */
  minRatio: number;
}

/** Defaults per series, chosen so that ordinary demo traffic stays quiet. */
export const SERIES_DEFAULTS: Record<SeriesKind, SeriesOptions> = {
  // Order totals are skewed (a few big baskets are normal), so the cut-off is wide and a ratio applies.
  order_total: { window: 200, minSamples: 20, threshold: 8, direction: 'high', minAbsoluteChange: 50, minRatio: 8 },
  // Orders per bucket (e.g. per 5 minutes): both a surge and a stop are worth a look.
  order_rate: { window: 288, minSamples: 24, threshold: 3.5, direction: 'both', minAbsoluteChange: 5, minRatio: 0 },
  // Units moved per inventory batch.
  stock_delta: { window: 100, minSamples: 20, threshold: 6, direction: 'both', minAbsoluteChange: 50, minRatio: 0 },
  // Share of failed units per bucket (0..1).
  error_rate: { window: 288, minSamples: 24, threshold: 5, direction: 'high', minAbsoluteChange: 0.1, minRatio: 0 },
  // Milliseconds per upstream call.
  latency: { window: 500, minSamples: 30, threshold: 6, direction: 'high', minAbsoluteChange: 500, minRatio: 2 },
};

export interface SeriesVerdict {
  anomalous: boolean;
  /** The modified z-score (±Infinity for a change in a flat series); null while warming up. */
  score: number | null;
  baseline: RobustBaseline | null;
  /** One line a person can read: why flagged, or why not. */
  explanation: string;
}

const round = (n: number, digits = 2) => (Number.isFinite(n) ? Math.round(n * 10 ** digits) / 10 ** digits : n);

/** Judges one value against the values before it (only the last `window` of them count). */
export function judgeValue(history: readonly number[], value: number, options: SeriesOptions): SeriesVerdict {
  if (!Number.isFinite(value)) return { anomalous: false, score: null, baseline: null, explanation: `value ${value} is not a number` };
  const recent = history.filter(Number.isFinite).slice(-options.window);
  if (recent.length < options.minSamples) {
    return { anomalous: false, score: null, baseline: null, explanation: `warming up: ${recent.length}/${options.minSamples} values seen` };
  }
  return judgeAgainstBaseline(robustBaseline(recent), value, options);
}

/** Judges one value against a baseline computed elsewhere (e.g. kept by the scheduler). */
export function judgeAgainstBaseline(baseline: RobustBaseline, value: number, options: SeriesOptions): SeriesVerdict {
  if (baseline.count < options.minSamples) {
    return { anomalous: false, score: null, baseline, explanation: `warming up: ${baseline.count}/${options.minSamples} values seen` };
  }
  const score = modifiedZScore(value, baseline);
  const change = value - baseline.median;
  const sideOk = options.direction === 'both' || (options.direction === 'high' ? change > 0 : change < 0);
  const far = Math.abs(score) > options.threshold;
  const material = Math.abs(change) >= options.minAbsoluteChange;
  const ratioOk = options.minRatio <= 0 || (baseline.median > 0 ? (change > 0 ? value / baseline.median : baseline.median / Math.max(value, Number.EPSILON)) >= options.minRatio : true);
  const anomalous = sideOk && far && material && ratioOk;
  const times = baseline.median !== 0 ? ` (${round(value / baseline.median, 1)}× the median)` : '';
  const explanation = `${round(value)} vs median ${round(baseline.median)}${times}, MAD ${round(baseline.mad)}, modified z ${round(score)} over ${baseline.count} values; ${anomalous ? 'unusual' : 'within normal range'}`;
  return { anomalous, score: Number.isFinite(score) ? round(score) : score, baseline, explanation };
}

/** A rolling window for one series in one process (e.g. a scheduler run over the last day's orders). */
export function createSeriesMonitor(kind: SeriesKind, overrides: Partial<SeriesOptions> = {}) {
  const options = { ...SERIES_DEFAULTS[kind], ...overrides };
  const history: number[] = [];
  return {
    kind,
    options,
    /** Judges the value, then adds it to the window (outliers too: the median shrugs them off). */
    observe(value: number): SeriesVerdict {
      const verdict = judgeValue(history, value, options);
      if (Number.isFinite(value)) {
        history.push(value);
        if (history.length > options.window) history.shift();
      }
      return verdict;
    },
    values(): readonly number[] {
      return history;
    },
  };
}

/** Runs a whole series through a monitor and returns the positions flagged, with their verdicts. */
export function scanSeries(kind: SeriesKind, values: readonly number[], overrides: Partial<SeriesOptions> = {}): Array<{ index: number; value: number; verdict: SeriesVerdict }> {
  const monitor = createSeriesMonitor(kind, overrides);
  const flagged: Array<{ index: number; value: number; verdict: SeriesVerdict }> = [];
  values.forEach((value, index) => {
    const verdict = monitor.observe(value);
    if (verdict.anomalous) flagged.push({ index, value, verdict });
  });
  return flagged;
}

/** Counts events per fixed bucket (for order rate): empty buckets count as 0, which is the point. */
export function countPerBucket(timestampsMs: readonly number[], fromMs: number, toMs: number, bucketMs: number): number[] {
  if (!(bucketMs > 0)) throw new RangeError('bucketMs must be positive');
  if (toMs < fromMs) throw new RangeError('toMs is before fromMs');
  const buckets = new Array<number>(Math.max(1, Math.ceil((toMs - fromMs) / bucketMs))).fill(0);
  for (const t of timestampsMs) {
    if (t < fromMs || t >= toMs) continue;
    buckets[Math.floor((t - fromMs) / bucketMs)] += 1;
  }
  return buckets;
}
