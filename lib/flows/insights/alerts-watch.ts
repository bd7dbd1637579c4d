/**
 * The alert checks the scheduler runs each pass (every minute): new anomalies, dead letters
 * growing, a connection down (an upstream's circuit breaker open), and a flow silent for far longer
 * than it usually is. The alerter (lib/insights) de-duplicates per kind and subject within
 * `settings.alerts.dedupMinutes`, so a connection that stays down pages once per window.
 *
 * Nothing here calls Heartland or Commerce: every input is already in state or the FileStore
 * (anomaly records, breaker records, hourly metrics), so a check costs a few gets.
 */
import type { ConnectorSettings } from '../../config/connector-settings';
import { createAlerter, createAnomalyRepository, dlqGrowthAlert, unusualSilenceAlert, type AlertInput, type AlertResult, type Alerter } from '../../insights';
import type { Clock, FileStore, Logger, StateStore } from '../../platform/ports';
import { breakerKey, hourLabel, hourStart, metricsKey, UPSTREAMS, type BreakerRecord, type FlowHourMetrics } from '../../sync';
import { readMetricSeries } from './metric-series';

/** Dead-letter depth samples per flow (the growth window), one small file. */
export const DLQ_SAMPLES_PATH = 'insights/dlq-samples.json';
const DLQ_WINDOW_MS = 60 * 60_000;

export interface WatchInput {
  state: StateStore;
  files: FileStore;
  clock: Clock;
  logger: Logger;
  settings: ConnectorSettings;
  flows: readonly string[];
  /** Anomalies detected after this time (ISO) are new; the feed cursor keeps it. */
  anomaliesAfter?: string;
  /** Tests pass a fetch that records the deliveries. */
  fetch?: typeof fetch;
}

export interface WatchResult {
  /** Alerts built this pass, with what became of each. */
  alerts: AlertResult[];
  /** The new `anomaliesAfter`: the last anomaly alerted (or found while alerts are not configured). */
  anomaliesAfter?: string;
}

/** The alerter the settings describe, or undefined when neither a webhook nor a mail endpoint is set. */
export function alerterFromSettings(settings: ConnectorSettings, deps: { state: StateStore; clock: Clock; logger: Logger; fetch?: typeof fetch }): Alerter | undefined {
  const { webhookUrl, mailEndpoint, mailTo, dedupMinutes } = settings.alerts;
  if (!webhookUrl && !mailEndpoint) return undefined;
  // A mail endpoint without recipients cannot send mail: use the webhook alone rather than nothing.
  const mail = mailEndpoint && mailTo.length ? { mailEndpoint, mailTo } : {};
  if (!webhookUrl && !mail.mailEndpoint) return undefined;
  return createAlerter({ webhookUrl, ...mail, state: deps.state, clock: deps.clock, logger: deps.logger, dedupWindowSeconds: dedupMinutes * 60, fetch: deps.fetch });
}

type DlqSamples = Record<string, Array<[number, number]>>;

async function readSamples(files: FileStore): Promise<DlqSamples> {
  const data = await files.read(DLQ_SAMPLES_PATH);
  if (!data) return {};
  try {
    return JSON.parse(data.toString('utf8')) as DlqSamples;
  } catch {
    return {};
  }
}

/** Dead-letter growth per flow over the last hour, from the current hour's metrics record. */
async function dlqAlerts(input: WatchInput, now: number): Promise<AlertInput[]> {
  const samples = await readSamples(input.files);
  const alerts: AlertInput[] = [];
  const label = hourLabel(hourStart(now));
  for (const flow of input.flows) {
    const metrics = await input.state.get<FlowHourMetrics>(metricsKey(flow, label));
    const kept = (samples[flow] ?? []).filter(([at]) => now - at <= DLQ_WINDOW_MS);
    // No runs this hour: the depth is what it was at the last sample.
    const depth = metrics?.dlqDepth ?? kept[kept.length - 1]?.[1];
    if (depth === undefined) continue;
    kept.push([now, depth]);
    samples[flow] = kept;
    const [oldestAt, previousDepth] = kept[0];
    const alert = dlqGrowthAlert({ flow, previousDepth, depth, windowMinutes: Math.max(1, Math.round((now - oldestAt) / 60_000)), minIncrease: input.settings.anomalies.dlqGrowthMin });
    if (alert) alerts.push(alert);
  }
  await input.files.write(DLQ_SAMPLES_PATH, JSON.stringify(samples));
  return alerts;
}

async function connectionAlerts(input: WatchInput, now: number): Promise<AlertInput[]> {
  const alerts: AlertInput[] = [];
  for (const upstream of UPSTREAMS) {
    const record = await input.state.get<BreakerRecord>(breakerKey(upstream));
    if (record && record.openUntil > now) alerts.push({ kind: 'connection_down', system: upstream, error: record.reason, since: new Date(record.openedAt).toISOString() });
  }
  return alerts;
}

/** Silence beyond what each flow usually has, from the hourly activity the metric scan keeps. */
async function silenceAlerts(input: WatchInput, now: number): Promise<AlertInput[]> {
  const series = await readMetricSeries(input.files);
  const alerts: AlertInput[] = [];
  for (const flow of input.flows) {
    const activity = series.flows[flow]?.activity ?? [];
    // Metrics are hourly: the units of an hour are spread evenly over it (a labelled approximation).
    const arrivals = activity.flatMap(([start, n]) => Array.from({ length: Math.min(n, 60) }, (_, i) => start + Math.floor(((i + 0.5) * 3_600_000) / Math.min(n, 60))));
    const alert = unusualSilenceAlert({ flow, arrivalsMs: arrivals, now });
    if (alert) alerts.push(alert);
  }
  return alerts;
}

export async function runAlertChecks(input: WatchInput): Promise<WatchResult> {
  const now = input.clock.now();
  const alerter = alerterFromSettings(input.settings, input);
  const repo = createAnomalyRepository({ state: input.state, files: input.files, clock: input.clock });
  const fresh = (await repo.listRecent({ days: 2, status: 'open' })).filter((a) => !input.anomaliesAfter || a.detectedAt > input.anomaliesAfter).sort((a, b) => a.id.localeCompare(b.id));
  const result: WatchResult = { alerts: [], anomaliesAfter: input.anomaliesAfter };
  // DLQ samples are kept even while alerts are off, so turning alerts on judges a full hour.
  const dlq = await dlqAlerts(input, now);
  if (!alerter) {
    result.anomaliesAfter = fresh[fresh.length - 1]?.detectedAt ?? input.anomaliesAfter;
    return result;
  }
  for (const anomaly of fresh) {
    const sent = await alerter.send({ kind: 'anomaly', anomalyId: anomaly.id, flow: anomaly.flow, summary: anomaly.summary, holds: anomaly.holds });
    result.alerts.push(sent);
    // A failed delivery is tried again next pass: the cursor stops before it.
    if (sent.status === 'failed') break;
    result.anomaliesAfter = anomaly.detectedAt;
  }
  for (const alert of [...dlq, ...(await connectionAlerts(input, now)), ...(await silenceAlerts(input, now))]) result.alerts.push(await alerter.send(alert));
  return result;
}
