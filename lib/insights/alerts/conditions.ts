/**
 * When to alert: small pure checks the scheduler runs each minute over numbers it already has
 * (dead-letter depth, event arrival times, connection checks). Each returns the alert to send, or
 * undefined; the alerter de-duplicates.
 */
import type { AlertInput } from './alerter';
import { median } from '../anomaly/robust';

export interface DlqGrowthInput {
  flow: string;
  /** Dead letters open at the start of the window. */
  previousDepth: number;
  depth: number;
  windowMinutes: number;
  /** Growth below this many dead letters is noise (default 5). */
  minIncrease?: number;
}

export function dlqGrowthAlert(input: DlqGrowthInput): AlertInput | undefined {
  const minIncrease = input.minIncrease ?? 5;
  if (input.depth - input.previousDepth < minIncrease) return undefined;
  return { kind: 'dlq_growth', flow: input.flow, depth: input.depth, previousDepth: input.previousDepth, windowMinutes: input.windowMinutes };
}

export interface SilenceInput {
  flow: string;
  /** Recent event arrival times (epoch ms), e.g. the last day's. */
  arrivalsMs: readonly number[];
  now: number;
  /** Never alert for less than this (default 30 minutes). */
  minSilentMinutes?: number;
  /** Silence beyond this multiple of the usual (median) gap is unusual (default 8), and it must
   *  also exceed 1.5× the longest recent gap, so a normal quiet night is not an alert. */
  gapMultiple?: number;
  /** Fewer arrivals than this (default 10) say nothing about what is usual. */
  minArrivals?: number;
}

/** "No events for a flow in an unusual time": silence far beyond the gaps this flow usually has. */
export function unusualSilenceAlert(input: SilenceInput): AlertInput | undefined {
  const arrivals = [...input.arrivalsMs].filter((t) => t <= input.now).sort((a, b) => a - b);
  if (arrivals.length < (input.minArrivals ?? 10)) return undefined;
  const gaps = arrivals.slice(1).map((t, i) => t - arrivals[i]);
  const usualGap = median(gaps);
  const longestGap = Math.max(...gaps);
  const silent = input.now - arrivals[arrivals.length - 1];
  const threshold = Math.max((input.minSilentMinutes ?? 30) * 60_000, usualGap * (input.gapMultiple ?? 8), longestGap * 1.5);
  if (silent <= threshold) return undefined;
  return { kind: 'no_events', flow: input.flow, silentMinutes: Math.round(silent / 60_000), usualGapMinutes: Math.max(1, Math.round(usualGap / 60_000)) };
}

export interface EventsRegistrationInput {
  /** When the connector last received a Commerce event (epoch ms); undefined: never, as far as it knows. */
  lastEventAt?: number;
  /** Magento orders created after `lastEventAt` (and before the delivery grace): what should have produced events. */
  ordersWithoutEvents: number;
  /** The first moment of the counted range (epoch ms), for the message. */
  countedFrom: number;
  now: number;
  /** Fewer orders than this say nothing: one order's event can simply be late (default 3). */
  minOrders?: number;
  /** How the registration is named in the alert (the de-duplication subject). */
  registration?: string;
}

/**
 * "Adobe I/O Events registration unhealthy (where detectable)". The connector cannot read the
 * registration's status (no I/O Management call for it in the API facts, commerce.md §3.7), but it
 * sees the effect: Magento keeps creating orders (the orders poll reads them) while no Commerce
 * event reaches the `commerce-events` action. I/O Events marks a registration UNSTABLE, then
 * DISABLED, when most deliveries fail, and stops delivering; Commerce eventing switched off looks
 * the same from here. ASSUMED: every new order fires a subscribed order event (DESIGN.md §3).
 */
export function eventsRegistrationAlert(input: EventsRegistrationInput): AlertInput | undefined {
  if (input.ordersWithoutEvents < (input.minOrders ?? 3)) return undefined;
  const since = input.lastEventAt === undefined ? 'none received yet' : `the last one arrived ${Math.round((input.now - input.lastEventAt) / 60_000)} minutes ago`;
  return {
    kind: 'registration_unhealthy',
    registration: input.registration ?? 'Commerce events',
    status: 'not delivering (ASSUMED UNSTABLE or DISABLED, or Commerce eventing off)',
    detail: `${input.ordersWithoutEvents} Magento orders created since ${new Date(input.countedFrom).toISOString()} and no Commerce event for them (${since}); check the registration in the Developer Console`,
  };
}
