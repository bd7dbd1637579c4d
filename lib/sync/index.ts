/**
 * The sync pipeline's public surface. Flow modules use `defineFlow` and the error classes; actions
 * use `runUnit`, `runScheduler`, `runWorkerChunk` and the dead letter functions; the panel and the
 * CLI read `listDeadLetters` and `readMetrics`.
 */
export type {
  ClientFactories,
  ClientScope,
  Direction,
  ErrorInfo,
  Flow,
  FlowContext,
  FlowDefinition,
  GuardVerdict,
  LinkRecord,
  LinkStore,
  OutcomeName,
  RunRecord,
  SkipReason,
  StepTimings,
  SyncDeps,
  SyncOptions,
  Unit,
  UnitInput,
  UnitOutcome,
  UnitTrigger,
  Upstream,
  UpstreamClients,
  WriteAction,
  WriteResult,
} from './types';
export { unitSchema, OUTCOMES, UPSTREAMS } from './types';
export { defineFlow, defineFeed, defineJob, createSyncRegistry, UnknownFlowError, FlowDefinitionError } from './registry';
export type { SyncRegistry, FeedDefinition, FeedPage, JobDefinition, TaskContext } from './registry';
export { runUnit, runRegisteredUnit, runRegisteredUnits, prepareUnit, UnitInputError } from './run-unit';
export type { RunUnitsOptions, RunUnitControl } from './run-unit';
export { GATE_WAIT_EXPIRED } from './run-unit';
export { containerUnitGate, unitsInFlightFor, MIN_UNITS_IN_FLIGHT, MAX_UNITS_IN_FLIGHT } from './units-in-flight';
export { TerminalError, RetryableError, MappingError, CircuitOpenError } from './errors';
export { classifyError } from './classify';
export { fingerprint, stableStringify, unitIdOf } from './fingerprint';
export { createCircuitBreakers, sharedCircuitBreakers, breakerKey } from './breaker';
export type { CircuitBreakers, CircuitBreakerOptions, BreakerRecord } from './breaker';
export { acquireLease, leaseKey } from './lease';
export type { Lease, LeaseRecord } from './lease';
export { createLinkStore, linkKey } from './links';
export { compareVersions, versionKey } from './version-guard';
export { seenKey } from './event-dedup';
export { RETRY_SCHEDULE_MS, MAX_ATTEMPTS, persistedRetryDelay, retryKey } from './retry-schedule';
export {
  listDeadLetters,
  getDeadLetter,
  replayDeadLetter,
  replayAll,
  discardDeadLetter,
  deadLetterKey,
  DeadLetterNotFoundError,
  DeadLetterInputError,
} from './dead-letters';
export type { DeadLetter, DeadLetterPayload, DeadLetterStatus, ReplayResult } from './dead-letters';
export { cursorKey, readCursor, writeCursor, pollFeed } from './feeds';
export { startJob, superviseJob, runWorkerChunk, workerChunkParams } from './jobs';
export type { JobRecord, JobProgress, WorkerChunkResult } from './jobs';
export { readMetrics, compactMetrics, metricsKey, percentile, MetricsQueryError } from './metrics';
export type { FlowHourMetrics } from './metrics';
export { runScheduler, runDueRetries } from './scheduler';
export type { SchedulerSummary } from './scheduler';
export { runRecordKey, readRunRecords } from './run-records';
export { DEFAULT_SYNC_OPTIONS } from './options';
export { hourLabel, parseHourLabel, hourStart } from './time-keys';
