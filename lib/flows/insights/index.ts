/**
 * Insights wired into the running connector (issue 12): the anomaly scan over the flows' own
 * metrics and the alert checks (a feed the scheduler polls each minute), and the nightly order
 * reconciliation with the anomaly index rebuild (a job at `schedules.nightlyHourUtc`), and the
 * Commerce event delivery check (events-health.ts). Fraud holds
 * live in the order flow (lib/flows/orders/fraud-hold.ts); the wipe guard in the inventory flow.
 */
import { defineArea, type FlowArea } from '../area';
import { reconciliationJob } from './reconciliation';
import { createInsightsWatchFeed } from './watch-feed';
import { noteCommerceOrderEvent } from './events-health';

/**
 * `areas()` returns every area of the connector (lib/connector/areas.ts passes its own list), so
 * the scan watches each registered flow without this area importing the others.
 */
export function createInsightsArea(areas: () => readonly FlowArea[]): FlowArea {
  return defineArea({
    name: 'insights',
    flows: [],
    feeds: [createInsightsWatchFeed(() => areas().flatMap((a) => a.flows.map((f) => f.name)))],
    jobs: [reconciliationJob],
    // No units: remembers when Commerce order events last arrived (the registration health check).
    unitsForCommerceEvent: noteCommerceOrderEvent,
  });
}

export { runOrderReconciliation, reconciliationJob, previousDay, RECONCILIATION_JOB, MAX_RECORDS, type ReconciliationRange, type ReconciliationRun } from './reconciliation';
export { scanMetricSeries, readMetricSeries, seriesValues, METRIC_SERIES_PATH, type ScanResult } from './metric-series';
export { runAlertChecks, alerterFromSettings, DLQ_SAMPLES_PATH, type WatchResult } from './alerts-watch';
export { createInsightsWatchFeed, INSIGHTS_WATCH_FEED } from './watch-feed';
export { checkCommerceEvents, noteCommerceOrderEvent, COMMERCE_EVENT_SEEN_KEY, type EventsCheckResult, type CommerceEventSeen } from './events-health';
