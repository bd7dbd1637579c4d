/**
 * "Adobe I/O Events registration unhealthy (where detectable)" (issue 12). The connector has no
 * call that reads a registration's status (the API facts name none, commerce.md §3.7), so it
 * watches the effect instead: I/O Events stops delivering when a registration goes UNSTABLE or
 * DISABLED, and then Magento keeps creating orders that never arrive as events (the orders poll
 * still sends them, a minute or more later).
 *
 * - `noteCommerceOrderEvent` is the insights area's `unitsForCommerceEvent` hook: it produces no
 *   unit, it remembers when an order event last arrived (`insights.commerce-events.seen`), written
 *   at most once a minute per container so the event path pays one put a minute, not one per event.
 * - `checkCommerceEvents` (the watch feed, at most every `CHECK_EVERY_MS`): while order events
 *   arrived in the last `SILENCE_MS` it costs one get. After that, one Magento search counts the
 *   orders created since the last event (page size 1, `total_count`); `eventsRegistrationAlert`
 *   decides whether that many orders without an event is a registration not delivering.
 */
import type { CommerceClient } from '../../commerce/client';
import type { ParsedCommerceEvent } from '../../commerce/events';
import { searchCriteria } from '../../commerce/search-criteria';
import { eventsRegistrationAlert, type AlertInput } from '../../insights';
import type { Clock, Logger, StateStore } from '../../platform/ports';
import type { UnitInput } from '../../sync';
import type { AreaContext } from '../area';

export const COMMERCE_EVENT_SEEN_KEY = 'insights.commerce-events.seen';
const SEEN_TTL_SECONDS = 30 * 24 * 3600;
/** The heartbeat is written at most this often per container (so it may be this much older than the last event). */
export const SEEN_WRITE_EVERY_MS = 60_000;
/** Order events within this long: healthy, no Magento call. */
export const SILENCE_MS = 30 * 60_000;
/** Orders of the last few minutes are not counted: their events may still be on the way (I/O retries after 1 min). */
export const DELIVERY_GRACE_MS = 5 * 60_000;
/** Without any heartbeat (a fresh install, or events never set up), orders of this long are counted. */
export const FIRST_LOOK_BACK_MS = 2 * 3_600_000;
/** The watch feed asks Magento at most this often while events are silent. */
export const CHECK_EVERY_MS = 15 * 60_000;

export interface CommerceEventSeen {
  at: number;
  event: string;
}

const lastWrite = new WeakMap<StateStore, number>();

/** Remembers that an order event arrived; never fails the event (a lost heartbeat only delays nothing). */
export async function noteCommerceOrderEvent(event: ParsedCommerceEvent, ctx: AreaContext): Promise<UnitInput[]> {
  if (event.kind !== 'order') return [];
  const { state, clock, logger } = ctx.deps.platform;
  const now = clock.now();
  const last = lastWrite.get(state);
  if (last !== undefined && now - last < SEEN_WRITE_EVERY_MS) return [];
  lastWrite.set(state, now);
  try {
    await state.put(COMMERCE_EVENT_SEEN_KEY, { at: now, event: event.name } satisfies CommerceEventSeen, { ttlSeconds: SEEN_TTL_SECONDS });
  } catch (error) {
    lastWrite.delete(state);
    logger.warn('could not note the Commerce event arrival', { error: (error as Error).message });
  }
  return [];
}

/** Magento's `created_at` format: UTC without a zone. */
const magentoTime = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

export interface EventsCheckInput {
  state: StateStore;
  clock: Clock;
  logger: Logger;
  commerce: CommerceClient;
  /** Orders without events before this is a registration not delivering (default 3). */
  minOrders?: number;
}

export interface EventsCheckResult {
  /** True when Magento was asked (events silent for longer than `SILENCE_MS`). */
  asked: boolean;
  lastEventAt?: number;
  ordersWithoutEvents?: number;
  alert?: AlertInput;
}

export async function checkCommerceEvents(input: EventsCheckInput): Promise<EventsCheckResult> {
  const now = input.clock.now();
  const seen = await input.state.get<CommerceEventSeen>(COMMERCE_EVENT_SEEN_KEY);
  if (seen && now - seen.at < SILENCE_MS) return { asked: false, lastEventAt: seen.at };
  // The heartbeat may lag the last event by up to a write interval: count only orders after that.
  const from = Math.max(seen ? seen.at + SEEN_WRITE_EVERY_MS : now - FIRST_LOOK_BACK_MS, now - 24 * 3_600_000);
  const to = now - DELIVERY_GRACE_MS;
  if (to <= from) return { asked: false, lastEventAt: seen?.at };
  const found = await input.commerce.orders.search(searchCriteria().where('created_at', magentoTime(from), 'gt').where('created_at', magentoTime(to), 'lteq').page(1, 1));
  const ordersWithoutEvents = found.total_count;
  const alert = eventsRegistrationAlert({ lastEventAt: seen?.at, ordersWithoutEvents, countedFrom: from, now, minOrders: input.minOrders });
  if (alert) input.logger.warn('Magento orders arrive without Commerce events', { ordersWithoutEvents, lastEventAt: seen ? new Date(seen.at).toISOString() : null });
  return { asked: true, lastEventAt: seen?.at, ordersWithoutEvents, ...(alert ? { alert } : {}) };
}
