/**
 * The simulator's data: in-memory tables (fast enough to page 100,000 inventory rows in a few
 * seconds) with durable snapshots under `dataDir` so an account survives restarts. Snapshots are
 * written one file per table (keeps each JSON string far below V8's string limit), atomically
 * (write to .tmp, rename), debounced after changes and flushed on close. A crash loses at most the
 * debounce window — acceptable for a sandbox, and stated here so nobody relies on more.
 */
import { mkdirSync, readFileSync, existsSync, renameSync, writeFileSync, readdirSync } from 'node:fs';
import { writeFile, rename } from 'node:fs/promises';
import { join } from 'node:path';

export type Rec = Record<string, unknown> & { id: number };

/** Hidden link from a record to its table, so an in-place update marks only that table dirty. */
const TABLE_OF = Symbol('table');

export class Table {
  readonly rows = new Map<number, Rec>();
  private cache: Rec[] | undefined;
  /** Changed since the last snapshot (only dirty tables are re-serialised: 100k items take ~0.5 s). */
  dirty = false;
  constructor(readonly name: string) {}

  get(id: number): Rec | undefined {
    return this.rows.get(id);
  }
  /** Rows in ascending id order (ids only ever grow, so insertion order is id order). */
  all(): Rec[] {
    return (this.cache ??= [...this.rows.values()]);
  }
  put(row: Rec): void {
    if (!this.rows.has(row.id)) this.cache = undefined;
    Object.defineProperty(row, TABLE_OF, { value: this.name, enumerable: false, configurable: true });
    this.rows.set(row.id, row);
    this.dirty = true;
  }
  delete(id: number): boolean {
    this.cache = undefined;
    this.dirty = true;
    return this.rows.delete(id);
  }
  clear(): void {
    this.rows.clear();
    this.cache = undefined;
    this.dirty = true;
  }
}

/** Inventory per item × location, kept apart from tables: it is keyed by a pair, not an id. */
export interface StockRow {
  item_id: number;
  location_id: number;
  /** Maintained alongside on-hand so filters and pages need no per-request copies. */
  qty: number;
  qty_on_hand: number;
  qty_committed: number;
  qty_available: number;
  qty_on_po: number;
  qty_in_transit: number;
  unit_cost: number;
}

export const TABLES = [
  'locations', 'stations', 'customers', 'addresses', 'items', 'item_grids', 'custom_fields', 'settings',
  'inventory_transactions', 'adjustment_sets', 'adjustment_set_lines', 'reason_codes', 'payment_types',
  'shipping_methods', 'orders', 'order_lines', 'order_taxes', 'order_discounts', 'payments', 'invoices',
  'invoice_lines', 'tickets', 'ticket_lines', 'gift_cards', 'gift_card_adjustments', 'users',
] as const;
export type TableName = (typeof TABLES)[number];

export class Store {
  readonly tables: Record<TableName, Table>;
  stock = new Map<string, StockRow>();
  private stockSorted: StockRow[] | undefined;
  /** One id sequence per table, starting at 100001 (§1.1 [I]). */
  seq: Record<string, number> = {};
  /** Simulator settings that must survive restarts (payment webhooks, notification targets). */
  meta: Record<string, unknown> = {};
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private dirty = false;
  private stockDirty = false;

  constructor(private readonly dataDir?: string, private readonly debounceMs = 300) {
    this.tables = Object.fromEntries(TABLES.map((t) => [t, new Table(t)])) as Record<TableName, Table>;
    if (dataDir) {
      mkdirSync(dataDir, { recursive: true });
      this.load();
    }
  }

  nextId(table: string): number {
    const next = (this.seq[table] ?? 100000) + 1;
    this.seq[table] = next;
    return next;
  }

  stockKey(itemId: number, locationId: number): string {
    return `${itemId}:${locationId}`;
  }

  stockRow(itemId: number, locationId: number): StockRow {
    const key = this.stockKey(itemId, locationId);
    let row = this.stock.get(key);
    if (!row) {
      row = { item_id: itemId, location_id: locationId, qty: 0, qty_on_hand: 0, qty_committed: 0, qty_available: 0, qty_on_po: 0, qty_in_transit: 0, unit_cost: 0 };
      this.stock.set(key, row);
      this.stockSorted = undefined;
    }
    return row;
  }

  /** Stock rows ordered by item_id then location_id (the order keyset readers rely on). */
  stockRows(): StockRow[] {
    return (this.stockSorted ??= [...this.stock.values()].sort((a, b) => a.item_id - b.item_id || a.location_id - b.location_id));
  }

  reset(): void {
    for (const t of Object.values(this.tables)) t.clear();
    this.stock.clear();
    this.stockSorted = undefined;
    this.seq = {};
    this.meta = {};
    this.changed();
  }

  /**
   * Marks data as changed; a snapshot follows after the debounce window. Pass the record that
   * changed in place (or `'stock'`) so only its table is rewritten; no argument marks everything.
   */
  changed(what?: Rec | 'stock' | 'meta'): void {
    if (!this.dataDir) return;
    if (what === 'stock') this.stockDirty = true;
    else if (what === 'meta') { /* meta.json is part of every snapshot */ }
    else if (what && typeof (what as Record<symbol, unknown>)[TABLE_OF] === 'string') this.tables[(what as Record<symbol, unknown>)[TABLE_OF] as TableName].dirty = true;
    else {
      this.stockDirty = true;
      for (const t of Object.values(this.tables)) t.dirty = true;
    }
    this.dirty = true;
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.snapshot();
    }, this.debounceMs);
    this.timer.unref();
  }

  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.dirty) await this.snapshot();
    await this.writing;
  }

  private snapshot(): Promise<void> {
    if (!this.dataDir) return Promise.resolve();
    const dir = this.dataDir;
    this.dirty = false;
    // Serialize synchronously (a consistent cut), write asynchronously one file at a time.
    const files: Array<[string, string]> = [];
    for (const t of TABLES) {
      if (!this.tables[t].dirty) continue;
      this.tables[t].dirty = false;
      files.push([`${t}.json`, JSON.stringify([...this.tables[t].rows.values()])]);
    }
    if (this.stockDirty) files.push(['stock.json', JSON.stringify([...this.stock.values()])]);
    this.stockDirty = false;
    files.push(['meta.json', JSON.stringify({ seq: this.seq, meta: this.meta })]);
    this.writing = this.writing.then(async () => {
      for (const [name, text] of files) {
        const path = join(dir, name);
        await writeFile(path + '.tmp', text);
        await rename(path + '.tmp', path);
      }
    }).catch((err) => {
      process.stderr.write(`heartland simulator: snapshot failed: ${(err as Error).message}\n`);
    });
    return this.writing;
  }

  private load(): void {
    const dir = this.dataDir!;
    if (!existsSync(join(dir, 'meta.json'))) return;
    try {
      const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as { seq: Record<string, number>; meta: Record<string, unknown> };
      this.seq = meta.seq ?? {};
      this.meta = meta.meta ?? {};
      for (const t of TABLES) {
        const path = join(dir, `${t}.json`);
        if (!existsSync(path)) continue;
        for (const row of JSON.parse(readFileSync(path, 'utf8')) as Rec[]) this.tables[t].put(row);
      }
      const stockPath = join(dir, 'stock.json');
      if (existsSync(stockPath)) for (const row of JSON.parse(readFileSync(stockPath, 'utf8')) as StockRow[]) this.stock.set(this.stockKey(row.item_id, row.location_id), row);
      for (const t of Object.values(this.tables)) t.dirty = false;
    } catch (err) {
      // A corrupt snapshot must not take the sandbox down: keep it aside and start empty.
      const aside = join(dir, `corrupt-${Date.now()}`);
      mkdirSync(aside, { recursive: true });
      for (const f of readdirSync(dir)) if (f.endsWith('.json')) renameSync(join(dir, f), join(aside, f));
      writeFileSync(join(aside, 'reason.txt'), String((err as Error).message));
      this.reset();
    }
  }
}
