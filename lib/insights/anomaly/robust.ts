/**
 * Robust statistics for the connector's own numbers. The median and the median absolute
 * deviation (MAD) ignore the very outliers we are looking for, so one huge order does not hide
 * the next; the modified z-score (Iglewicz & Hoaglin) says how far a value sits from the median
 * in MAD units, and 3.5 is their usual cut-off.
 */

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of an empty list');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function medianAbsoluteDeviation(values: readonly number[], center = median(values)): number {
  return median(values.map((v) => Math.abs(v - center)));
}

export interface RobustBaseline {
  median: number;
  mad: number;
  /** Mean absolute deviation from the median: the fallback scale when more than half the values are equal (MAD = 0). */
  meanAbsoluteDeviation: number;
  count: number;
}

export function robustBaseline(values: readonly number[]): RobustBaseline {
  const center = median(values);
  const deviations = values.map((v) => Math.abs(v - center));
  return {
    median: center,
    mad: median(deviations),
    meanAbsoluteDeviation: deviations.reduce((a, b) => a + b, 0) / values.length,
    count: values.length,
  };
}

/**
 * Modified z-score of `value` against a baseline: 0.6745·(x − median)/MAD. When MAD is 0 (a flat
 * series), the mean absolute deviation scaled by 1.2533 stands in (IBM SPSS / Iglewicz-Hoaglin
 * convention); when that is 0 too, any difference is infinitely unusual.
 */
export function modifiedZScore(value: number, baseline: RobustBaseline): number {
  const diff = value - baseline.median;
  if (baseline.mad > 0) return (0.6745 * diff) / baseline.mad;
  if (baseline.meanAbsoluteDeviation > 0) return diff / (1.2533 * baseline.meanAbsoluteDeviation);
  return diff === 0 ? 0 : diff > 0 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
}
