/**
 * The I/O Events side of the simulator (commerce.md §3.4–3.9): observer events become CloudEvents
 * with DB-typed `data.value`, are journaled with increasing positions (kept across restarts), and
 * are POSTed to the consumer the way I/O Events invokes a Runtime action: the CloudEvent is the JSON
 * body (the action's params). Delivery is at least once: 429 and 5xx (except 505) and network
 * errors are retried on the I/O schedule (1m, 2m, 4m, 8m, then every 15m for 24h), scaled by
 * `timeScale` so tests run in milliseconds; duplicates and reordering can be switched on.
 */
import { generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import { listSubscriptions, rulesHold, selectFields } from './eventing';
import type { JournalEntry, Rec, Store } from './state';

export interface EventDeliverySettings {
  /** Where events go; without a target events are only journaled. */
  target?: { url: string; authorization?: string };
  /** Commerce event names to emit (`observer.…`). */
  subscriptions: string[];
  /** Namespace between `com.adobe.commerce.` and the event name (App Management app id or EVENT_PREFIX), '' for none. */
  namespace: string;
  /** Chance (0..1) that an event is delivered twice. */
  duplicateRate: number;
  /** Chance (0..1) that an event's first attempt is held back so later events overtake it. */
  reorderRate: number;
  /** Longest hold-back for a reordered event, in real milliseconds. */
  reorderMaxDelayMs: number;
  /** Multiplier on the retry schedule and the 24 h retry window (1 = real time; 0.0001 makes 1 min ≈ 6 ms). */
  timeScale: number;
  /** Per-attempt timeout (I/O: 60 s for Runtime actions), real milliseconds. */
  timeoutMs: number;
  /** `data.source`: `<merchant_id>.<environment_id>`. */
  merchantSource: string;
  providerId: string;
  recipientClientId: string;
  /**
   * Webhook-URL delivery as I/O Events does it (commerce.md §3.8): two RSA-SHA256 signatures of the
   * exact body in `x-adobe-digital-signature-1/2`, and the paths of their public keys
   * (`x-adobe-public-key1-path/2-path`), served by this simulator under `/__sim/static`.
   */
  signing: boolean;
}

/** The two signing keys of a simulated I/O Events environment; public halves served as PEM. */
export class SigningKeys {
  private pairs?: { id: string; privateKey: KeyObject; publicPem: string }[];

  private ensure() {
    // Generated on first use only: RSA key generation costs tens of milliseconds.
    this.pairs ??= [0, 1].map(() => {
      const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      return { id: randomUUID(), privateKey, publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
    });
    return this.pairs;
  }

  /** `/prod/keys/pub-key-<uuid>.pem`, the path form Adobe uses, relative to the static base URL. */
  paths(): [string, string] {
    const [a, b] = this.ensure();
    return [`/prod/keys/pub-key-${a!.id}.pem`, `/prod/keys/pub-key-${b!.id}.pem`];
  }

  publicPem(path: string): string | undefined {
    return this.ensure().find((p) => `/prod/keys/pub-key-${p.id}.pem` === path)?.publicPem;
  }

  /** The signature headers for these exact bytes. */
  headersFor(body: string | Buffer): Record<string, string> {
    const [a, b] = this.ensure();
    const [pathA, pathB] = this.paths();
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    return {
      'x-adobe-digital-signature-1': sign('RSA-SHA256', bytes, a!.privateKey).toString('base64'),
      'x-adobe-digital-signature-2': sign('RSA-SHA256', bytes, b!.privateKey).toString('base64'),
      'x-adobe-public-key1-path': pathA,
      'x-adobe-public-key2-path': pathB,
    };
  }
}

export const DEFAULT_SUBSCRIPTIONS = [
  'observer.sales_order_save_commit_after',
  'observer.sales_order_invoice_save_after',
  'observer.sales_order_shipment_save_after',
  'observer.sales_order_creditmemo_save_after',
  'observer.customer_save_commit_after',
  'observer.customer_delete_commit_after',
  'observer.magento_giftcardaccount_save_commit_after',
  'observer.catalog_product_save_commit_after',
];

export function defaultDeliverySettings(): EventDeliverySettings {
  return {
    subscriptions: [...DEFAULT_SUBSCRIPTIONS],
    namespace: '',
    duplicateRate: 0,
    reorderRate: 0,
    reorderMaxDelayMs: 200,
    timeScale: 1,
    timeoutMs: 60_000,
    merchantSource: 'sandbox.local',
    providerId: 'b6f3b7f2-6c1b-4a3e-9d3e-0c0ffee5a11d',
    recipientClientId: 'sandbox-connector-client',
    signing: false,
  };
}

/** I/O Events retry schedule (§3.7): 1m, 2m, 4m, 8m, then 15m steps, within 24 h. */
const RETRY_STEPS_MS = [60_000, 120_000, 240_000, 480_000];
const RETRY_STEADY_MS = 900_000;
const RETRY_WINDOW_MS = 24 * 3_600_000;
/** Commerce does not create events above 64 KB (§3.3). */
const MAX_EVENT_BYTES = 64 * 1024;
const JOURNAL_CAP = 200_000;

export const isRetryableDeliveryStatus = (status: number) => status === 429 || (status >= 500 && status !== 505);

const DECIMAL_KEY = /(amount|total|price|qty|weight|balance|subtotal|refunded|paid|invoiced|due|adjustment|percent|cost|canceled|quantity)/;

/** REST-typed values → the strings a Magento observer payload carries ("42", "165.0000", "1"). */
export function dbTyped(value: unknown, key = ''): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'number') {
    const decimal = DECIMAL_KEY.test(key) && !key.endsWith('_id') && !key.endsWith('_count');
    return decimal ? value.toFixed(4) : Number.isInteger(value) ? String(value) : String(value);
  }
  if (Array.isArray(value)) return value.map((v) => dbTyped(v, key));
  if (typeof value === 'object') {
    const out: Rec = {};
    for (const [k, v] of Object.entries(value as Rec)) out[k] = dbTyped(v, k);
    return out;
  }
  return value;
}

/** The observer payload of an entity: its DB columns plus the related rows Magento serialises. */
function observerValue(eventName: string, entity: Rec): Rec {
  if (eventName.startsWith('observer.sales_order_save')) {
    const { extension_attributes: ext, billing_address: billing, ...columns } = entity;
    const shipping = ext?.shipping_assignments?.[0]?.shipping?.address;
    return { ...columns, real_order_id: entity.increment_id, addresses: [billing, shipping].filter(Boolean), shipping_method: ext?.shipping_assignments?.[0]?.shipping?.method ?? null };
  }
  if (eventName.startsWith('observer.customer_')) {
    const { id, ...rest } = entity;
    return { entity_id: id, ...rest };
  }
  return entity;
}

export interface DeliveryRecord {
  position: number;
  eventid: string;
  copy: number;
  attempts: number;
  status: 'pending' | 'delivered' | 'failed' | 'expired';
  lastStatus?: number;
  lastError?: string;
  deliveredAt?: string;
}

export class EventHub {
  settings: EventDeliverySettings;
  suppressed = false;
  readonly deliveries: DeliveryRecord[] = [];
  readonly keys = new SigningKeys();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly controllers = new Set<AbortController>();
  private closed = false;

  constructor(
    private readonly store: Store,
    private readonly now: () => number,
    private readonly random: () => number,
    settings?: Partial<EventDeliverySettings>,
  ) {
    this.settings = { ...defaultDeliverySettings(), ...settings };
    // Deliveries cut short by a restart start again (their retry clocks restart too).
    const pending = new Set(store.state.undelivered ?? []);
    store.state.undelivered = [];
    for (const entry of store.state.journal) if (pending.has(entry.position)) this.dispatch(entry);
  }

  private inFlight = new Map<number, number>();

  private track(position: number, delta: 1 | -1) {
    const n = (this.inFlight.get(position) ?? 0) + delta;
    if (n > 0) this.inFlight.set(position, n);
    else this.inFlight.delete(position);
    this.store.state.undelivered = [...this.inFlight.keys()];
    this.store.changed();
  }

  typeOf(eventName: string): string {
    const ns = this.settings.namespace ? `${this.settings.namespace}.` : '';
    return `com.adobe.commerce.${ns}${eventName}`;
  }

  /**
   * Subscriptions that fire for an observer event: the settings' list (all fields) plus those made
   * through `/V1/eventing/eventSubscribe` (their fields and rules; a conditional event fires for its parent).
   */
  private subscriptionsFor(eventName: string): { type: string; fields: { name: string }[]; rules: { field: string; operator: string; value: string }[] }[] {
    const byType = new Map<string, { type: string; fields: { name: string }[]; rules: { field: string; operator: string; value: string }[] }>();
    if (this.settings.subscriptions.includes(eventName)) byType.set(this.typeOf(eventName), { type: this.typeOf(eventName), fields: [{ name: '*' }], rules: [] });
    for (const sub of listSubscriptions({ store: this.store, now: this.now, emit: () => {} })) {
      if ((sub.parent ?? sub.name) !== eventName && sub.name !== eventName) continue;
      const type = `com.adobe.commerce.${sub.name}`;
      byType.set(type, { type, fields: sub.fields, rules: sub.rules });
    }
    return [...byType.values()];
  }

  /** Called by resources on every save; only subscribed events are created. */
  emit(eventName: string, entity: Rec): JournalEntry[] {
    if (this.suppressed) return [];
    const entries: JournalEntry[] = [];
    for (const sub of this.subscriptionsFor(eventName)) {
      const full = dbTyped(observerValue(eventName, entity)) as Rec;
      if (!rulesHold(full, sub.rules)) continue; // a false conditional event is neither stored nor sent
      const entry = this.record(sub.type, selectFields(full, sub.fields));
      if (entry) entries.push(entry);
    }
    return entries;
  }

  private record(type: string, value: Rec): JournalEntry | undefined {
    const id = randomUUID();
    const event: Rec = {
      specversion: '1.0',
      id,
      source: `urn:uuid:${this.settings.providerId}`,
      type,
      datacontenttype: 'application/json',
      time: new Date(this.now()).toISOString(),
      eventid: id,
      event_id: id,
      recipientclientid: this.settings.recipientClientId,
      recipient_client_id: this.settings.recipientClientId,
      data: {
        key: randomUUID(),
        value,
        source: this.settings.merchantSource,
        _metadata: { commerceEdition: 'Adobe Commerce', commerceVersion: '2.4.8', eventsClientVersion: '1.12.1', storeId: '1', websiteId: '1', storeGroupId: '1' },
      },
    };
    if (Buffer.byteLength(JSON.stringify(event)) > MAX_EVENT_BYTES) return undefined;
    const journal = this.store.state.journal;
    const position = (journal.at(-1)?.position ?? this.store.state.seq.journal ?? 0) + 1;
    this.store.state.seq.journal = position;
    const entry = { position, event };
    journal.push(entry);
    if (journal.length > JOURNAL_CAP) journal.splice(0, journal.length - JOURNAL_CAP);
    this.store.changed();
    this.dispatch(entry);
    return entry;
  }

  /** Starts delivery of one journaled event (and its duplicate, if the dice say so). */
  dispatch(entry: JournalEntry): void {
    if (!this.settings.target || this.closed) return;
    const copies = this.random() < this.settings.duplicateRate ? 2 : 1;
    for (let copy = 0; copy < copies; copy++) {
      const record: DeliveryRecord = { position: entry.position, eventid: entry.event.eventid, copy, attempts: 0, status: 'pending' };
      this.deliveries.push(record);
      this.track(entry.position, 1);
      if (this.deliveries.length > 50_000) this.deliveries.splice(0, 10_000);
      const holdBack = this.random() < this.settings.reorderRate ? Math.floor(this.random() * this.settings.reorderMaxDelayMs) : 0;
      this.later(holdBack, () => this.attempt(entry, record, this.now()));
    }
  }

  /** Re-delivers journaled events after `since` (exclusive), up to `until` (inclusive). */
  replay(since: number, until = Number.POSITIVE_INFINITY): number {
    const entries = this.store.state.journal.filter((e) => e.position > since && e.position <= until);
    for (const e of entries) this.dispatch(e);
    return entries.length;
  }

  /** Journal page as I/O's journaling API shapes it (§3.7): `since` is exclusive. */
  journal(since: number, limit: number): { events: JournalEntry[]; last?: number } {
    const journal = this.store.state.journal;
    let lo = 0;
    let hi = journal.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (journal[mid]!.position <= since) lo = mid + 1;
      else hi = mid;
    }
    const events = journal.slice(lo, lo + limit);
    return { events, last: events.at(-1)?.position };
  }

  private later(ms: number, fn: () => void) {
    if (this.closed) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, Math.max(0, ms));
    this.timers.add(timer);
  }

  private async attempt(entry: JournalEntry, record: DeliveryRecord, firstAt: number): Promise<void> {
    const target = this.settings.target;
    if (!target || this.closed) return;
    const retryCount = record.attempts;
    record.attempts++;
    const headers: Record<string, string> = {
      'content-type': 'application/json; charset=utf-8',
      'user-agent': 'Adobe/1.0',
      'x-adobe-delivery-id': randomUUID(),
      'x-adobe-event-code': entry.event.type,
      'x-adobe-event-id': entry.event.eventid,
      'x-adobe-provider': this.settings.providerId,
    };
    if (retryCount > 0) headers['x-adobe-retry-count'] = String(retryCount);
    if (target.authorization) headers.authorization = target.authorization;
    const body = JSON.stringify(entry.event);
    if (this.settings.signing) Object.assign(headers, this.keys.headersFor(body));
    const controller = new AbortController();
    this.controllers.add(controller);
    const timer = setTimeout(() => controller.abort(), this.settings.timeoutMs);
    let status = 0;
    try {
      const res = await fetch(target.url, { method: 'POST', headers, body, signal: controller.signal });
      status = res.status;
      await res.arrayBuffer().catch(() => undefined);
      record.lastError = undefined;
    } catch (err) {
      record.lastError = (err as Error).message;
    } finally {
      clearTimeout(timer);
      this.controllers.delete(controller);
    }
    if (this.closed) return;
    record.lastStatus = status;
    if (status >= 200 && status < 300) {
      record.status = 'delivered';
      record.deliveredAt = new Date(this.now()).toISOString();
      this.track(entry.position, -1);
      return;
    }
    if (status !== 0 && !isRetryableDeliveryStatus(status)) {
      record.status = 'failed'; // I/O does not retry other statuses; the event stays in the journal
      this.track(entry.position, -1);
      return;
    }
    const scale = this.settings.timeScale;
    const step = RETRY_STEPS_MS[retryCount] ?? RETRY_STEADY_MS;
    if (this.now() - firstAt + step * scale > RETRY_WINDOW_MS * scale) {
      record.status = 'expired';
      this.track(entry.position, -1);
      return;
    }
    this.later(step * scale, () => void this.attempt(entry, record, firstAt));
  }

  /**
   * The registration handshake (§3.8): GET `<target>?challenge=<uuid>`; the target passes when it
   * answers 200 with the bare value or `{"challenge":"<uuid>"}`.
   */
  async challenge(): Promise<{ ok: boolean; status: number; challenge: string }> {
    const target = this.settings.target;
    if (!target) throw new Error('no event target is configured');
    const challenge = randomUUID();
    const url = new URL(target.url);
    url.searchParams.set('challenge', challenge);
    const headers: Record<string, string> = { 'user-agent': 'Adobe/1.0' };
    if (target.authorization) headers.authorization = target.authorization;
    let status = 0;
    let text = '';
    try {
      const res = await fetch(url, { headers, signal: AbortSignal.timeout(this.settings.timeoutMs) });
      status = res.status;
      text = await res.text();
    } catch {
      return { ok: false, status: 0, challenge };
    }
    let echoed = text.trim() === challenge;
    if (!echoed) {
      try {
        echoed = (JSON.parse(text) as { challenge?: unknown }).challenge === challenge;
      } catch {
        echoed = false;
      }
    }
    return { ok: status === 200 && echoed, status, challenge };
  }

  /** Pending deliveries are dropped on close; the journal keeps every event for replay. */
  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const c of this.controllers) c.abort();
  }
}
