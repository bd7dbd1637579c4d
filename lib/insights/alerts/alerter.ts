/**
 * Alerts to a person: a webhook (generic JSON whose `text` field Slack, Teams workflows and most
 * chat tools display as is) and/or an HTTP mail endpoint. One alert per kind and subject within a
 * window (a state key with that TTL), so a connection that stays down does not page every minute.
 *
 * Delivery is one attempt with a timeout. A failed delivery leaves no dedup key behind, so the
 * next check (the scheduler runs every minute) sends it again: no retry loop inside a check.
 */
import type { Clock, Logger, StateStore } from '../../platform/ports';
import { systemClock } from '../../platform/ports';
import { stateKey } from '../../platform/state-key';

export const ALERT_KINDS = ['dlq_growth', 'anomaly', 'connection_down', 'registration_unhealthy', 'no_events'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];
export type AlertSeverity = 'info' | 'warning' | 'critical';

export type AlertInput =
  | { kind: 'dlq_growth'; flow: string; depth: number; previousDepth: number; windowMinutes: number }
  | { kind: 'anomaly'; anomalyId: string; flow: string; summary: string; holds: boolean }
  | { kind: 'connection_down'; system: 'heartland' | 'commerce' | 'state' | 'files'; error: string; since?: string }
  | { kind: 'registration_unhealthy'; registration: string; status: string; detail?: string }
  | { kind: 'no_events'; flow: string; silentMinutes: number; usualGapMinutes: number };

export interface AlertPayload {
  /** Slack-compatible one-paragraph message. */
  text: string;
  kind: AlertKind;
  severity: AlertSeverity;
  /** What the alert is about (`order`, `heartland`, an anomaly id): the de-duplication subject. */
  subject: string;
  details: Record<string, unknown>;
  /** ISO-8601 UTC. */
  at: string;
  source: 'heartland-commerce-connector';
}

export type AlertResult =
  | { status: 'sent'; payload: AlertPayload; channels: Array<'webhook' | 'mail'> }
  | { status: 'suppressed'; payload: AlertPayload; reason: string }
  | { status: 'failed'; payload: AlertPayload; errors: string[]; channels: Array<'webhook' | 'mail'> }
  | { status: 'not_configured'; payload: AlertPayload };

export interface AlerterOptions {
  /** Receives `POST` with the AlertPayload as JSON. */
  webhookUrl?: string;
  /**
   * ASSUMED generic HTTP mail API: receives `POST {to, subject, text, alert}` as JSON. Mail
   * providers differ; a small relay (or the provider's JSON API) is put behind this URL.
   */
  mailEndpoint?: string;
  mailTo?: string[];
  /** Extra headers for the mail endpoint (an API key). */
  mailHeaders?: Record<string, string>;
  fetch?: typeof fetch;
  /** Where the de-duplication keys live; without it, de-duplication is per process. */
  state?: StateStore;
  clock?: Clock;
  logger?: Logger;
  /** One alert per kind and subject within this many seconds (default 3600). */
  dedupWindowSeconds?: number;
  /** Per-delivery timeout (default 10 s). */
  timeoutMs?: number;
  /** Link to the panel, appended to the text when set. */
  panelUrl?: string;
}

function describe(alert: AlertInput): { text: string; severity: AlertSeverity; subject: string } {
  switch (alert.kind) {
    case 'dlq_growth':
      return {
        severity: alert.depth - alert.previousDepth >= 50 ? 'critical' : 'warning',
        subject: alert.flow,
        text: `Dead letters for the ${alert.flow} flow grew from ${alert.previousDepth} to ${alert.depth} in ${alert.windowMinutes} minutes. Open Dead letters to see the errors and replay after a fix.`,
      };
    case 'anomaly':
      return {
        severity: alert.holds ? 'critical' : 'warning',
        subject: alert.anomalyId,
        text: `${alert.holds ? 'Held for your approval' : 'Anomaly'} in the ${alert.flow} flow: ${alert.summary}.${alert.holds ? ' Nothing is sent until someone approves or rejects it on the Anomalies page.' : ''}`,
      };
    case 'connection_down':
      return { severity: 'critical', subject: alert.system, text: `The connection to ${alert.system} is down${alert.since ? ` since ${alert.since}` : ''}: ${alert.error}. Syncs wait and retry; check the credentials and the service status.` };
    case 'registration_unhealthy':
      return { severity: 'critical', subject: alert.registration, text: `The Adobe I/O Events registration ${alert.registration} is ${alert.status}${alert.detail ? ` (${alert.detail})` : ''}. Commerce events are not reaching the connector; the polling safety net keeps orders flowing, later.` };
    case 'no_events':
      return { severity: 'warning', subject: alert.flow, text: `No ${alert.flow} events for ${alert.silentMinutes} minutes; usually one arrives every ${alert.usualGapMinutes} minutes. Check the event registration and the source system.` };
  }
}

export function alertPayload(alert: AlertInput, at: string, panelUrl?: string): AlertPayload {
  if (!alert || !(ALERT_KINDS as readonly string[]).includes((alert as { kind?: string }).kind ?? '')) {
    throw new TypeError(`alert kind must be one of ${ALERT_KINDS.join(', ')}, not ${JSON.stringify((alert as { kind?: unknown })?.kind)}`);
  }
  const { text, severity, subject } = describe(alert);
  const { kind, ...details } = alert;
  return { text: panelUrl ? `${text} ${panelUrl}` : text, kind, severity, subject, details, at, source: 'heartland-commerce-connector' };
}

export function createAlerter(options: AlerterOptions) {
  const doFetch = options.fetch ?? fetch;
  const clock = options.clock ?? systemClock;
  const windowSeconds = options.dedupWindowSeconds ?? 3600;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const localSent = new Map<string, number>();
  for (const [name, url] of [['webhookUrl', options.webhookUrl], ['mailEndpoint', options.mailEndpoint]] as const) {
    if (url !== undefined && !/^https?:\/\/[^\s]+$/.test(url)) throw new TypeError(`alerts: ${name} must be an http(s) URL, not "${url}"`);
  }
  if (options.mailEndpoint && !(options.mailTo && options.mailTo.length)) throw new TypeError('alerts: mailEndpoint needs mailTo (who receives the email)');

  const dedupKey = (payload: AlertPayload) => stateKey('alert', 'sent', payload.kind, payload.subject);

  async function alreadySent(payload: AlertPayload): Promise<string | undefined> {
    if (options.state) return (await options.state.get<string>(dedupKey(payload))) ?? undefined;
    const at = localSent.get(dedupKey(payload));
    return at !== undefined && clock.now() - at < windowSeconds * 1000 ? new Date(at).toISOString() : undefined;
  }

  async function remember(payload: AlertPayload): Promise<void> {
    if (options.state) await options.state.put(dedupKey(payload), payload.at, { ttlSeconds: windowSeconds });
    else localSent.set(dedupKey(payload), clock.now());
  }

  async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<void> {
    const response = await doFetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body), signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) {
      const text = await response.text().catch(() => '');
      throw new Error(`HTTP ${response.status}${text ? `: ${text.slice(0, 200)}` : ''}`);
    }
  }

  return {
    /** Builds, de-duplicates and delivers one alert. Never throws for delivery problems: see the result. */
    async send(alert: AlertInput): Promise<AlertResult> {
      const payload = alertPayload(alert, new Date(clock.now()).toISOString(), options.panelUrl);
      if (!options.webhookUrl && !options.mailEndpoint) return { status: 'not_configured', payload };
      const previous = await alreadySent(payload);
      if (previous) return { status: 'suppressed', payload, reason: `a ${payload.kind} alert about ${payload.subject} was sent at ${previous}; one per ${Math.round(windowSeconds / 60)} minutes` };
      const channels: Array<'webhook' | 'mail'> = [];
      const errors: string[] = [];
      if (options.webhookUrl) {
        try {
          await post(options.webhookUrl, payload);
          channels.push('webhook');
        } catch (error) {
          errors.push(`webhook: ${(error as Error).message}`);
        }
      }
      if (options.mailEndpoint) {
        try {
          await post(options.mailEndpoint, { to: options.mailTo, subject: `[${payload.severity}] Heartland–Commerce connector: ${payload.kind.replace(/_/g, ' ')} (${payload.subject})`, text: payload.text, alert: payload }, options.mailHeaders);
          channels.push('mail');
        } catch (error) {
          errors.push(`mail: ${(error as Error).message}`);
        }
      }
      if (channels.length > 0) await remember(payload);
      if (errors.length > 0) {
        options.logger?.warn('alert delivery failed', { kind: payload.kind, subject: payload.subject, errors });
        return { status: 'failed', payload, errors, channels };
      }
      return { status: 'sent', payload, channels };
    },
  };
}

export type Alerter = ReturnType<typeof createAlerter>;
