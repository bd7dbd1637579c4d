/** Default pipeline tunables; callers override any of them through `SyncDeps.options`. */
import type { SyncDeps, SyncOptions } from './types';

export const DEFAULT_SYNC_OPTIONS: SyncOptions = {
  // Few tries: the HTTP client already retries each request; these cover a whole load→write pass.
  triesPerAttempt: 3,
  backoffBaseMs: 500,
  backoffCapMs: 8_000,
  minTryBudgetMs: 5_000,
  // Blocking and web invocations are cut at 60 s (appbuilder.md §2.5); leave room to record.
  defaultBudgetMs: 50_000,
  leaseSettleMs: 150,
  busyRetryMs: 60_000,
  breakerThreshold: 5,
  breakerOpenMs: 60_000,
  // ASSUMED: the app.config.yaml package is named `connector` (the example in platform/ports.ts).
  workerAction: 'connector/worker',
  schedulerConcurrency: 4,
  metricsRefreshMs: 5 * 60_000,
};

export function syncOptions(deps: Pick<SyncDeps, 'options'>): SyncOptions {
  return { ...DEFAULT_SYNC_OPTIONS, ...deps.options };
}
