/** Anomaly detection on the flows' own data, and the records people approve or reject. */
export { median, medianAbsoluteDeviation, robustBaseline, modifiedZScore, type RobustBaseline } from './robust';
export { judgeValue, judgeAgainstBaseline, createSeriesMonitor, scanSeries, countPerBucket, SERIES_KINDS, SERIES_DEFAULTS, type SeriesKind, type SeriesOptions, type SeriesVerdict } from './series';
export { evaluateStockBatch, stockKey, splitStockKey, DEFAULT_WIPE_THRESHOLDS, type StockBatchInput, type StockBatchVerdict, type StockBatchEvidence, type WipeGuardThresholds } from './wipe-guard';
export { evaluatePriceChanges, type PriceChange, type PriceChangeFinding, type PriceChangeOptions } from './price-change';
export {
  createAnomalyRepository,
  AnomalyNotFoundError,
  AnomalyAlreadyDecidedError,
  ANOMALY_KINDS,
  ANOMALY_TTL_SECONDS,
  type Anomaly,
  type AnomalyKind,
  type AnomalyStatus,
  type AnomalyRepository,
  type RecordAnomalyInput,
  type DecideInput,
} from './repository';
