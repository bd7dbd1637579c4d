/**
 * The simulator's store: everything a Magento database would hold for the endpoints we serve, kept
 * in memory and written as a durable JSON snapshot (temp file + rename) when a data directory is
 * given, so a sandbox restart keeps orders, stock and the event journal.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// Entities are stored in their REST shape; the simulator validates what it accepts at the edges.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Rec = Record<string, any>;

export interface Reservation {
  reservation_id: number;
  stock_id: number;
  sku: string;
  quantity: number;
  metadata: string;
}

export interface JournalEntry {
  position: number;
  event: Rec;
}

export interface SimState {
  seq: Record<string, number>;
  orders: Record<string, Rec>;
  invoices: Record<string, Rec>;
  shipments: Record<string, Rec>;
  creditmemos: Record<string, Rec>;
  customers: Record<string, Rec>;
  products: Record<string, Rec>;
  sources: Record<string, Rec>;
  /** Keyed `sku \u0000 source_code`. */
  sourceItems: Record<string, Rec>;
  stocks: Record<string, Rec>;
  reservations: Reservation[];
  bulks: Record<string, Rec>;
  giftcards: Record<string, Rec>;
  journal: JournalEntry[];
  /** Journal positions whose delivery had not finished; re-dispatched after a restart (at least once). */
  undelivered: number[];
  /** Subscriptions made through `/V1/eventing/eventSubscribe`, by name (see eventing.ts). */
  eventSubscriptions?: Record<string, Rec>;
  /** `/V1/eventing/updateConfiguration` values. */
  eventingConfig?: Rec;
}

export function emptyState(): SimState {
  return {
    seq: {},
    orders: {},
    invoices: {},
    shipments: {},
    creditmemos: {},
    customers: {},
    products: {},
    sources: {
      default: { source_code: 'default', name: 'Default Source', enabled: true, description: 'Default Source', country_id: 'US', postcode: '00000' },
    },
    sourceItems: {},
    // ASSUMED: like a fresh Magento, stock 1 ("Default Stock") sells from every source; the sandbox links new sources to it.
    stocks: { '1': { stock_id: 1, name: 'Default Stock', sales_channels: [{ type: 'website', code: 'base' }] } },
    reservations: [],
    bulks: {},
    giftcards: {},
    journal: [],
    undelivered: [],
  };
}

export const sourceItemKey = (sku: string, sourceCode: string) => `${sku}\u0000${sourceCode}`;

export class Store {
  state: SimState;
  private readonly file?: string;
  private timer?: NodeJS.Timeout;
  private dirty = false;
  /** Grows with the snapshot's cost so a 300k-row catalog is not re-serialised every 200 ms. */
  private flushDelayMs = 200;
  /** sku → sum of reservation quantities (negative while orders are unshipped). */
  private reserved = new Map<string, number>();
  /** sku → keys of its source items, so per-SKU lookups do not scan 100k+ rows. */
  private itemsBySku = new Map<string, Set<string>>();

  constructor(dataDir?: string) {
    if (dataDir) {
      mkdirSync(dataDir, { recursive: true });
      this.file = join(dataDir, 'commerce-simulator.json');
    }
    this.state = this.file && existsSync(this.file) ? { ...emptyState(), ...(JSON.parse(readFileSync(this.file, 'utf8')) as SimState) } : emptyState();
    this.reindex();
  }

  reindex(): void {
    this.reserved.clear();
    for (const r of this.state.reservations) this.reserved.set(r.sku, (this.reserved.get(r.sku) ?? 0) + r.quantity);
    this.itemsBySku.clear();
    for (const [key, item] of Object.entries(this.state.sourceItems)) this.indexItem(key, item.sku);
  }

  private indexItem(key: string, sku: string) {
    let set = this.itemsBySku.get(sku);
    if (!set) this.itemsBySku.set(sku, (set = new Set()));
    set.add(key);
  }

  next(name: string): number {
    const value = (this.state.seq[name] ?? 0) + 1;
    this.state.seq[name] = value;
    return value;
  }

  reset(): void {
    this.state = emptyState();
    this.reindex();
    this.changed();
  }

  // ------------------------------------------------ MSI helpers

  putSourceItem(item: Rec): void {
    const key = sourceItemKey(item.sku, item.source_code);
    this.state.sourceItems[key] = item;
    this.indexItem(key, item.sku);
  }

  deleteSourceItem(sku: string, sourceCode: string): void {
    const key = sourceItemKey(sku, sourceCode);
    delete this.state.sourceItems[key];
    this.itemsBySku.get(sku)?.delete(key);
  }

  sourceItemsOf(sku: string): Rec[] {
    return [...(this.itemsBySku.get(sku) ?? [])].map((k) => this.state.sourceItems[k]!).filter(Boolean);
  }

  reserve(stockId: number, sku: string, quantity: number, metadata: Rec): void {
    if (quantity === 0) return;
    this.state.reservations.push({ reservation_id: this.next('reservation'), stock_id: stockId, sku, quantity, metadata: JSON.stringify(metadata) });
    this.reserved.set(sku, (this.reserved.get(sku) ?? 0) + quantity);
  }

  reservedQty(sku: string): number {
    return this.reserved.get(sku) ?? 0;
  }

  // ------------------------------------------------ persistence

  /** Marks the state changed; the snapshot is written shortly after (coalescing bursts of writes). */
  changed(): void {
    if (!this.file) return;
    this.dirty = true;
    if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), this.flushDelayMs);
      this.timer.unref?.();
    }
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.file || !this.dirty) return;
    this.dirty = false;
    const started = Date.now();
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.state));
    renameSync(tmp, this.file);
    this.flushDelayMs = Math.max(200, (Date.now() - started) * 10);
  }
}

/** Magento's `YYYY-MM-DD HH:MM:SS` (UTC). */
export function magentoTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
}

/** Rounds money to cents the way Magento's price currency does. */
export const money = (n: number) => Math.round(n * 100) / 100;
