/**
 * The Commerce events the connector consumes, subscribed through the eventing REST API
 * (`POST /V1/eventing/eventSubscribe`, commerce.md §2.13), idempotently: existing subscriptions are
 * read first (`GET /V1/eventing/getEventSubscriptions`) and only missing ones are created, so a
 * re-run changes nothing. The list must equal the `event_codes` of the I/O Events registration in
 * app.config.yaml (a test holds them together).
 */
import { describeNetworkCode } from './probe';
import { magentoMessage, type CommerceRequester } from './commerce';

/** Commerce event names (the I/O event code is `com.adobe.commerce.<name>`). */
export const CONNECTOR_COMMERCE_EVENTS = [
  'observer.sales_order_save_commit_after',
  'observer.customer_save_commit_after',
  'observer.sales_order_creditmemo_save_after',
  'observer.sales_order_shipment_save_after',
  // ASSUMED (as in app.config.yaml): the GiftCardAccount model's save-commit observer event.
  'observer.magento_giftcardaccount_save_commit_after',
] as const;

/** Gift card account events only exist where the module does. */
export function eventsFor(modules: { giftCardAccounts: boolean }): string[] {
  return CONNECTOR_COMMERCE_EVENTS.filter((e) => modules.giftCardAccounts || !e.includes('giftcardaccount'));
}

export interface SubscriptionResult {
  created: string[];
  unchanged: string[];
}

export class EventSubscriptionError extends Error {
  constructor(
    readonly event: string,
    message: string,
  ) {
    super(message);
    this.name = 'EventSubscriptionError';
  }
}

/**
 * Every field (`*`): flows re-read the entity over REST (DESIGN.md §1.1), so the payload is a hint;
 * `*` keeps whatever an area reads from it. Events over 64 KB are not created by Commerce
 * (commerce.md §3.3); the scheduler's polling picks those entities up.
 */
const ALL_FIELDS = [{ name: '*' }];

export async function listEventSubscriptions(request: CommerceRequester): Promise<string[]> {
  const r = await request({ path: 'eventing/getEventSubscriptions' });
  if (r.kind === 'network') throw new EventSubscriptionError('', `GET /V1/eventing/getEventSubscriptions: ${describeNetworkCode(r.code)}`);
  if (r.status >= 400) throw new EventSubscriptionError('', `GET /V1/eventing/getEventSubscriptions answered ${r.status}: ${magentoMessage(r)}`);
  const list = Array.isArray(r.body) ? r.body : [];
  return list.map((s) => (s && typeof s === 'object' ? String((s as { name?: unknown }).name ?? '') : '')).filter(Boolean);
}

/** Creates the subscriptions that are missing; `dryRun` only reports what would be created. */
export async function ensureEventSubscriptions(request: CommerceRequester, events: readonly string[], options: { dryRun?: boolean } = {}): Promise<SubscriptionResult> {
  const existing = new Set(await listEventSubscriptions(request));
  const result: SubscriptionResult = { created: [], unchanged: [] };
  for (const name of events) {
    if (existing.has(name)) {
      result.unchanged.push(name);
      continue;
    }
    if (!options.dryRun) {
      const r = await request({ method: 'POST', path: 'eventing/eventSubscribe', body: { event: { name, fields: ALL_FIELDS }, force: false } });
      if (r.kind === 'network') throw new EventSubscriptionError(name, `subscribing ${name}: ${describeNetworkCode(r.code)}`);
      if (r.status >= 400) throw new EventSubscriptionError(name, `subscribing ${name} answered ${r.status}: ${magentoMessage(r)}`);
    }
    result.created.push(name);
  }
  return result;
}
