/**
 * The insights area's per-minute pass, as a feed the scheduler polls every pass. It produces no
 * units: it judges newly settled hours of the flows' metrics (once per hour) and runs the alert
 * checks. Its cursor remembers the last anomaly alerted, so each new anomaly is announced once,
 * and when Magento was last asked about orders without Commerce events (events-health.ts).
 */
import { loadConnectorSettings } from '../../config/connector-settings';
import { defineFeed, type FeedDefinition } from '../../sync';
import { alerterFromSettings, runAlertChecks } from './alerts-watch';
import { CHECK_EVERY_MS, checkCommerceEvents } from './events-health';
import { scanMetricSeries } from './metric-series';

export const INSIGHTS_WATCH_FEED = 'insights-watch';

interface WatchCursor {
  anomaliesAfter?: string;
  /** When Magento was last asked whether orders arrive without Commerce events (epoch ms). */
  eventsAskedAt?: number;
}

function parseCursor(cursor: string | undefined): WatchCursor {
  if (!cursor) return {};
  try {
    const parsed = JSON.parse(cursor) as WatchCursor;
    return typeof parsed === 'object' && parsed ? parsed : {};
  } catch {
    // A cursor from an older format: start from now's view of open anomalies.
    return {};
  }
}

/** `flows()` names the flows to watch (every registered flow), read at each pass. */
export function createInsightsWatchFeed(flows: () => readonly string[]): FeedDefinition {
  return defineFeed({
    name: INSIGHTS_WATCH_FEED,
    async poll(cursor, ctx) {
      const settings = await loadConnectorSettings(ctx.state);
      const watched = flows();
      if (settings.anomalies.scanEnabled) {
        const scan = await scanMetricSeries({ state: ctx.state, files: ctx.files, clock: ctx.clock, flows: watched });
        if (scan.anomalies.length) ctx.logger.warn('anomalies in the flows\' metrics', { ids: scan.anomalies.map((a) => a.id) });
      }
      // On the very first pass, anomalies already on the page are not news: start from now.
      const since = parseCursor(cursor).anomaliesAfter ?? (cursor === undefined ? new Date(ctx.clock.now() - 5 * 60_000).toISOString() : undefined);
      const watch = await runAlertChecks({ state: ctx.state, files: ctx.files, clock: ctx.clock, logger: ctx.logger, settings, flows: watched, anomaliesAfter: since });
      for (const alert of watch.alerts) if (alert.status === 'failed') ctx.logger.warn('alert not delivered', { kind: alert.payload.kind, errors: alert.errors });

      // Commerce events silent while Magento has new orders: the I/O Events registration is not delivering.
      let eventsAskedAt = parseCursor(cursor).eventsAskedAt;
      if (eventsAskedAt === undefined || ctx.clock.now() - eventsAskedAt >= CHECK_EVERY_MS) {
        try {
          const events = await checkCommerceEvents({ state: ctx.state, clock: ctx.clock, logger: ctx.logger, commerce: ctx.client('commerce') });
          if (events.asked) eventsAskedAt = ctx.clock.now();
          const alerter = events.alert ? alerterFromSettings(settings, { state: ctx.state, clock: ctx.clock, logger: ctx.logger }) : undefined;
          if (alerter && events.alert) {
            const sent = await alerter.send(events.alert);
            if (sent.status === 'failed') ctx.logger.warn('alert not delivered', { kind: sent.payload.kind, errors: sent.errors });
          }
        } catch (error) {
          // Commerce unreachable: the breaker's connection-down alert says so; ask again next pass.
          ctx.logger.warn('could not check Commerce event delivery', { error: (error as Error).message });
        }
      }
      return { units: [], nextCursor: JSON.stringify({ anomaliesAfter: watch.anomaliesAfter, ...(eventsAskedAt !== undefined ? { eventsAskedAt } : {}) } satisfies WatchCursor) };
    },
  });
}
