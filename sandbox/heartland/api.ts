/**
 * The Heartland Retail REST resources the connector needs, with their business rules, written
 * from ../shared/api/heartland.md (section numbers in comments). Facts marked [I] in the document
 * are simulator choices; each is labelled ASSUMED where it is made.
 *
 * Handlers are synchronous over the in-memory store except where Heartland itself would wait on
 * the outside world (payment-type capture webhooks).
 */
import { z } from 'zod';
import { SimError, notFound, validationError } from './errors';
import { listCollection, parseQuery, compileFilter, type CollectionSpec, type ParsedQuery, type Row } from './query';
import type { Rec, Store, StockRow, TableName } from './store';
import { parseBody, id, money, text, nonBlank, custom, mergeFlatCustom, isEmail } from './validate';
import type { Outbound } from './outbound';

export interface Ctx {
  method: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
}
export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}
export type Handler = (ctx: Ctx) => Reply | Promise<Reply>;
export interface Route {
  method: string;
  pattern: RegExp;
  keys: string[];
  handler: Handler;
}

export interface ApiConfig {
  /** PUT answers with the updated resource (200) unless this is set: then 200 with an empty body (§2.4 "may have an empty body"). */
  putEmptyBody: boolean;
  /** ASSUMED: the order cancel status is unknown (§4); configurable, default `canceled`. */
  cancelStatus: string;
}

const now = () => new Date().toISOString();

// ---- collection specs (which fields are filterable: anything else is a 400, §2.2) ------------

const TS = ['created_at', 'updated_at'];
const SPECS = {
  locations: { filterable: ['id', 'public_id', 'name', 'active', ...TS], custom: true, searchable: ['name', 'public_id'] },
  stations: { filterable: ['id', 'location_id', 'name', 'active', ...TS], custom: false, plainFilters: ['location_id'] },
  customers: { filterable: ['id', 'public_id', 'first_name', 'last_name', 'email', 'active', ...TS], custom: true, searchable: ['first_name', 'last_name', 'email', 'public_id'] },
  addresses: { filterable: ['id', 'customer_id', 'first_name', 'last_name', 'city', 'state', 'postal_code', 'country', ...TS], custom: false },
  items: { filterable: ['id', 'public_id', 'description', 'active', 'grid_id', 'price', 'cost', 'original_price', 'primary_vendor_id', ...TS], custom: true, searchable: ['description', 'public_id', 'long_description'] },
  item_grids: { filterable: ['id', 'item_description', ...TS], custom: true, searchable: ['item_description'] },
  custom_fields: { filterable: ['id', 'key', 'group_id', 'required', 'unique', 'name'], custom: false },
  reason_codes: { filterable: ['id', 'name', ...TS], custom: false, searchable: ['name'] },
  payment_types: { filterable: ['id', 'name', 'active', ...TS], custom: false, searchable: ['name'] },
  shipping_methods: { filterable: ['id', 'name', 'active', ...TS], custom: false, searchable: ['name'] },
  inventory_values: { filterable: ['item_id', 'location_id', 'qty', 'qty_on_hand', 'qty_committed', 'qty_available', 'qty_on_po', 'qty_in_transit'], custom: false, plainFilters: ['item_id', 'location_id'] },
  inventory_transactions: { filterable: ['id', 'item_id', 'location_id', 'delta_qty_on_hand', 'delta_qty_committed', 'delta_qty_available', 'source_type', 'source_id', 'created_at'], custom: false, plainFilters: ['item_id', 'location_id'] },
  adjustment_sets: { filterable: ['id', 'location_id', 'adjustment_reason_id', 'status', ...TS], custom: false },
  adjustment_set_lines: { filterable: ['id', 'item_id'], custom: false },
  orders: { filterable: ['id', 'public_id', 'status', 'customer_id', 'source_location_id', 'station_id', 'shipping_method_id', ...TS], custom: true, plainFilters: ['status'] },
  order_lines: { filterable: ['id', 'item_id', 'ship_from_location_id', 'order_id'], custom: true },
  order_taxes: { filterable: ['id'], custom: false },
  order_discounts: { filterable: ['id'], custom: false },
  // §2.2: filtering /payments by location_id returned 400 invalid_request in the wild.
  payments: { filterable: ['id', 'type', 'status', 'payment_type_id', 'order_id', 'ticket_id', 'completed_at', 'local_completed_at', 'deposit', ...TS], custom: true },
  invoices: { filterable: ['id', 'public_id', 'status', 'order_id', 'customer_id', 'source_location_id', 'station_id', 'completed_at', ...TS], custom: true },
  invoice_lines: { filterable: ['id', 'item_id', 'order_line_id'], custom: false },
  // §2.2: filtering tickets on `completed?` / `voided?` returned 400 in the wild.
  tickets: { filterable: ['id', 'public_id', 'type', 'status', 'customer_id', 'station_id', 'source_location_id', 'parent_transaction_id', 'completed_at', 'local_completed_at', ...TS], custom: true },
  ticket_lines: { filterable: ['id', 'item_id', 'type'], custom: false },
  gift_cards: { filterable: ['id', 'number', 'balance', 'customer_id', 'import_set_id', ...TS], custom: false },
  gift_card_adjustments: { filterable: ['id', 'gift_card_id', 'reason_id', 'created_at'], custom: false },
  users: { filterable: ['id', 'login', 'first_name', 'last_name', 'active'], custom: false },
} satisfies Record<string, CollectionSpec>;

// ---- request schemas -------------------------------------------------------------------------

const optId = id.nullable().optional();
const optText = text.nullable().optional();
const bool = z.boolean({ error: 'must be true or false' });

const LocationBody = z.object({ name: nonBlank, public_id: optText, active: bool.optional(), custom: custom.optional() });
const StationBody = z.object({ location_id: id, name: nonBlank, active: bool.optional() });
const CustomerBody = z.object({
  first_name: nonBlank, last_name: nonBlank, email: optText, public_id: optText, active: bool.optional(), custom: custom.optional(),
});
const AddressBody = z.object({
  first_name: nonBlank, last_name: nonBlank, company: optText, line_1: optText, line_2: optText, city: optText,
  state: optText, postal_code: optText, country: optText, phone: optText,
});
const ItemBody = z.object({
  description: nonBlank, cost: money, price: money, public_id: optText, original_price: money.nullable().optional(),
  long_description: optText, active: bool.optional(), grid_id: optId, primary_vendor_id: optId, default_lookup_id: z.union([id, text]).nullable().optional(),
  weight: money.nullable().optional(), width: money.nullable().optional(), height: money.nullable().optional(), depth: money.nullable().optional(),
  prompt_for_price: bool.optional(), custom: custom.optional(),
});
const GridBody = z.object({
  item_description: nonBlank, long_description: optText, item_price: money.nullable().optional(), item_cost: money.nullable().optional(),
  item_primary_vendor_id: optId, custom: custom.optional(),
});
const CustomFieldBody = z.object({
  key: z.string().regex(/^[a-z0-9_]+$/, 'must be lowercase letters, digits and underscores'), group_id: z.enum(['item', 'customer', 'sales.transaction', 'sales.transaction.line_item'], { error: 'must be item, customer, sales.transaction or sales.transaction.line_item' }),
  name: optText, type: optText, required: bool.optional(), unique: bool.optional(),
});
const NamedBody = z.object({ name: nonBlank, description: optText, active: bool.optional() });
const OrderLineBody = z.object({
  item_id: id.optional(), item_lookup: text.optional(), qty: z.number({ error: 'must be a number' }).positive('must be greater than 0'),
  original_unit_price: money.optional(), adjusted_unit_price: money.optional(), unit_price: money.optional(),
  ship_from_location_id: optId, total_tax: money.optional(), description: optText, custom: custom.optional(),
});
const OrderBody = z.object({
  customer_id: optId, billing_address_id: optId, shipping_address_id: optId, shipping_charge: money.optional(),
  shipping_method_id: optId, status: text.optional(), sales_rep: optText, source_location_id: id, station_id: id,
  public_id: optText, custom: custom.optional(), created_at: text.optional(), updated_at: text.optional(),
  lines: z.array(OrderLineBody).optional(),
});
const TaxBody = z.object({ description: optText, value: money });
const DiscountBody = z.object({ description: optText, amount: money });
const PaymentBody = z.object({
  type: text.default('CustomPayment'), payment_type_id: id, amount: money, deposit: bool.optional(), description: optText,
  completed_at: text.optional(), custom: custom.optional(), number: text.optional(),
});
const InvoiceLineBody = z.object({ type: z.literal('ItemLine', { error: 'must be ItemLine' }).default('ItemLine'), item_id: id, qty: z.number({ error: 'must be a number' }).positive('must be greater than 0'), order_line_id: optId, unit_price: money.optional(), description: optText });
const InvoiceBody = z.object({
  order_id: id, customer_id: optId, source_location_id: id, station_id: id, total: money.optional(), type: z.literal('Invoice').optional(),
  public_id: optText, custom: custom.optional(), lines: z.array(InvoiceLineBody).optional(),
});
const TicketLineBody = z.object({
  type: z.enum(['ItemLine', 'TaxLine', 'ShippingLine'], { error: 'must be ItemLine, TaxLine or ShippingLine' }).default('ItemLine'), item_id: optId,
  qty: z.number({ error: 'must be a number' }).optional(), unit_price: money.optional(), original_unit_price: money.optional(),
  adjusted_unit_price: money.optional(), unit_cost: money.optional(), value: money.optional(), description: optText,
});
const TicketBody = z.object({
  type: z.enum(['Ticket', 'Return'], { error: 'must be Ticket or Return' }).default('Ticket'), public_id: optText, station_id: id, source_location_id: optId,
  customer_id: optId, sales_rep: optText, status: z.enum(['pending', 'complete'], { error: 'must be pending or complete' }).optional(),
  affect_inventory: bool.optional(), recalculate: bool.optional(), parent_transaction_id: optId,
  created_at: text.optional(), completed_at: text.optional(), local_completed_at: text.optional(),
  item_lines: z.array(TicketLineBody).optional(), tax_lines: z.array(TicketLineBody).optional(), lines: z.array(TicketLineBody).optional(),
  payments: z.array(PaymentBody).optional(), custom: custom.optional(),
});
const AdjustmentSetBody = z.object({ location_id: id, adjustment_reason_id: id, description: optText });
const AdjustmentLineBody = z.object({ item_id: id, qty: z.number({ error: 'must be a number' }).refine((n) => n !== 0, "can't be 0"), unit_cost: money.optional() });
const GiftCardBody = z.object({
  number: z.string({ error: 'must be a string' }).regex(/^[A-Za-z0-9]+$/, 'must be letters and digits only'), balance: money.min(0, 'must not be negative'),
  reason_id: optId, customer_id: optId, import_set_id: optId,
});
const GiftCardAdjustmentBody = z.object({ gift_card_id: id, reason_id: optId, delta_balance: money.refine((n) => n !== 0, "can't be 0") });
// [U] S6's alternative path and body.
const GiftCardAdjustmentAltBody = z.object({ gift_card_number: text, reason_id: optId, amount: money.refine((n) => n !== 0, "can't be 0") });

// ---- the API ---------------------------------------------------------------------------------

export class HeartlandApi {
  readonly routes: Route[] = [];

  constructor(
    private readonly store: Store,
    private readonly out: Outbound,
    private readonly config: ApiConfig,
  ) {
    this.register();
  }

  private t(name: TableName) {
    return this.store.tables[name];
  }

  private route(method: string, path: string, handler: Handler): void {
    const keys: string[] = [];
    const pattern = new RegExp('^' + path.replace(/:(\w+)/g, (_, k: string) => { keys.push(k); return '([^/]+)'; }) + '/?$');
    this.routes.push({ method, pattern, keys, handler });
  }

  // ---- helpers -------------------------------------------------------------------------------

  private must(table: TableName, raw: string | number, what: string): Rec {
    const n = typeof raw === 'number' ? raw : /^\d+$/.test(raw) ? Number(raw) : NaN;
    const row = Number.isNaN(n) ? undefined : this.t(table).get(n);
    if (!row) throw notFound(`${what} ${raw}`);
    return row;
  }

  /** For references inside a body: a missing target is a validation error on that field. */
  private ref(table: TableName, value: unknown, field: string, details: Record<string, string[]>): Rec | undefined {
    if (value === undefined || value === null) return undefined;
    const row = this.t(table).get(value as number);
    if (!row) (details[field] ??= []).push('does not exist');
    return row;
  }

  private created(path: string, rec?: Rec): Reply {
    // §2.4: 201, empty body, Location with the new resource's URL.
    return { status: 201, headers: rec ? { location: `/api/${path}/${rec.id}` } : {} };
  }

  private updated(row: Row): Reply {
    return this.config.putEmptyBody ? { status: 200 } : { status: 200, body: row };
  }

  private insert(table: TableName, data: Record<string, unknown>): Rec {
    const ts = now();
    const rec = { id: this.store.nextId(table), created_at: ts, updated_at: ts, ...data } as Rec;
    this.t(table).put(rec);
    this.store.changed(rec);
    return rec;
  }

  private touch(rec: Rec, patch: Record<string, unknown>): void {
    Object.assign(rec, patch, { updated_at: now() });
    this.store.changed(rec);
  }

  private list(table: TableName, spec: CollectionSpec, q: ParsedQuery, opts: { scope?: (r: Rec) => boolean; present?: (r: Rec) => Row; includes?: Record<string, (r: Row) => void> } = {}): Reply {
    for (const inc of q.include) if (!opts.includes?.[inc]) throw new SimError(400, 'invalid_request', `Unknown include "${inc}"`, { _include: [`${inc} is not available here`] });
    const rows = opts.scope ? this.t(table).all().filter(opts.scope) : this.t(table).all();
    const present = (r: Row) => {
      const out = opts.present ? opts.present(r as Rec) : { ...r };
      for (const inc of q.include) opts.includes![inc](out);
      return out;
    };
    return { status: 200, body: listCollection({ rows, spec, query: q, present }) };
  }

  private one(row: Row, q: URLSearchParams, present: (r: Rec) => Row, includes: Record<string, (r: Row) => void> = {}): Reply {
    const parsed = parseQuery(q);
    const out = present(row as Rec);
    for (const inc of parsed.include) {
      if (!includes[inc]) throw new SimError(400, 'invalid_request', `Unknown include "${inc}"`, { _include: [`${inc} is not available here`] });
      includes[inc](out);
    }
    return { status: 200, body: parsed.only ? Object.fromEntries(Object.entries(out).filter(([k]) => parsed.only!.includes(k))) : out };
  }

  private plain = (r: Rec): Row => {
    const out: Row = {};
    for (const [k, v] of Object.entries(r)) if (!k.startsWith('_')) out[k] = v;
    return out;
  };

  /** Required and unique custom fields (§3.3 "unique custom fields act as alternate lookup keys"). */
  private checkCustom(group: string, table: TableName, values: Record<string, unknown> | undefined, selfId: number | undefined, details: Record<string, string[]>, creating: boolean): void {
    for (const def of this.t('custom_fields').all()) {
      if (def.group_id !== group) continue;
      const key = def.key as string;
      const v = values?.[key];
      if (def.required && creating && (v === undefined || v === null || v === '')) (details[`custom@${key}`] ??= []).push("can't be blank");
      if (def.unique && v !== undefined && v !== null && v !== '') {
        const clash = this.t(table).all().some((r) => r.id !== selfId && (r.custom as Row | undefined)?.[key] === v);
        if (clash) (details[`custom@${key}`] ??= []).push('has already been taken');
      }
    }
  }

  private uniqueField(table: TableName, field: string, value: unknown, selfId: number | undefined, details: Record<string, string[]>): void {
    if (value === undefined || value === null || value === '') return;
    if (this.t(table).all().some((r) => r.id !== selfId && r[field] === value)) (details[field] ??= []).push('has already been taken');
  }

  private fail(details: Record<string, string[]>): void {
    if (Object.keys(details).length) throw validationError(details);
  }

  // ---- inventory ledger (§3.4) ---------------------------------------------------------------

  /** Every stock change goes through here: value row, ledger row with a new increasing id, hint. */
  moveStock(itemId: number, locationId: number, delta: { onHand?: number; committed?: number }, source: { type: string; id: number }): void {
    const dOnHand = delta.onHand ?? 0;
    const dCommitted = delta.committed ?? 0;
    if (dOnHand === 0 && dCommitted === 0) return;
    const row = this.store.stockRow(itemId, locationId);
    row.qty_on_hand += dOnHand;
    row.qty = row.qty_on_hand;
    row.qty_committed += dCommitted;
    row.qty_available = row.qty_on_hand - row.qty_committed;
    this.store.changed('stock');
    this.insert('inventory_transactions', {
      item_id: itemId, location_id: locationId,
      delta_qty_on_hand: dOnHand || null, delta_qty_committed: dCommitted || null, delta_qty_available: dOnHand - dCommitted || null,
      source_type: source.type, source_id: source.id,
    });
    this.out.notify('inventory.updated', 'inventory', itemId, { item_id: itemId, location_id: locationId });
  }

  private presentStock = (r: StockRow, includes: string[]): Row => {
    const out: Row = { ...r };
    if (includes.includes('item')) { const item = this.t('items').get(r.item_id); out.item = item ? this.plain(item) : null; }
    if (includes.includes('location')) { const loc = this.t('locations').get(r.location_id); out.location = loc ? this.plain(loc) : null; }
    return out;
  };

  private inventoryValues(q: URLSearchParams): Reply {
    const parsed = parseQuery(q);
    for (const inc of parsed.include) if (inc !== 'item' && inc !== 'location') throw new SimError(400, 'invalid_request', `Unknown include "${inc}"`, { _include: [`${inc} is not available here`] });
    const group = parsed.group;
    for (const g of group) if (g !== 'item_id' && g !== 'location_id') throw new SimError(400, 'invalid_request', `Cannot group by "${g}"`, { group: [`${g} is not a grouping`] });
    let rows: Row[] = this.store.stockRows() as unknown as Row[];
    if (q.get('exclude_empty_locations') === 'true') rows = rows.filter((r) => r.qty_on_hand !== 0 || r.qty_committed !== 0 || r.qty_on_po !== 0 || r.qty_in_transit !== 0);
    const spec = SPECS.inventory_values;
    const includes = parsed.include;
    if (group.includes('item_id') && group.includes('location_id')) {
      return { status: 200, body: listCollection({ rows, spec, query: parsed, naturalKey: 'item_id', present: (r) => this.presentStock(r as unknown as StockRow, includes) }) };
    }
    // Coarser groupings aggregate the rows that pass the filters first (a location filter then means
    // "stock of each item across these locations").
    const pre = { ...parsed, sort: [], page: 1, perPage: 'all' as const, only: undefined };
    const filtered = listCollection({ rows, spec, query: pre, naturalKey: 'item_id' }).results;
    const key = group.includes('item_id') ? 'item_id' : group.includes('location_id') ? 'location_id' : undefined;
    const sums = new Map<unknown, Row>();
    for (const r of filtered) {
      const k = key ? r[key] : 'all';
      let acc = sums.get(k);
      if (!acc) { acc = key ? { [key]: k } : {}; for (const f of ['qty', 'qty_on_hand', 'qty_committed', 'qty_available', 'qty_on_po', 'qty_in_transit']) acc[f] = 0; sums.set(k, acc); }
      for (const f of ['qty', 'qty_on_hand', 'qty_committed', 'qty_available', 'qty_on_po', 'qty_in_transit']) (acc[f] as number) += r[f] as number;
    }
    const aggregated = [...sums.values()];
    if (key) aggregated.sort((a, b) => (a[key] as number) - (b[key] as number));
    const post = { ...parsed, filters: [], plain: {} };
    return {
      status: 200,
      body: listCollection({
        rows: aggregated, spec, query: post, naturalKey: key ?? 'qty',
        present: (r) => { const o = { ...r }; if (key === 'item_id' && includes.includes('item')) o.item = this.t('items').get(r.item_id as number) ?? null; if (key === 'location_id' && includes.includes('location')) o.location = this.t('locations').get(r.location_id as number) ?? null; return o; },
      }),
    };
  }

  // ---- sales orders (§3.5) -------------------------------------------------------------------

  /** Open lines commit stock at their ship-from location; we keep what each line committed. */
  private syncLineCommit(line: Rec, order: Rec): void {
    const want = order.status === 'open' && line.ship_from_location_id ? Math.max(0, (line.qty as number) - ((line.qty_invoiced as number) ?? 0)) : 0;
    const wantLoc = want ? (line.ship_from_location_id as number) : undefined;
    const had = (line._committed as number) ?? 0;
    const hadLoc = line._committed_location_id as number | undefined;
    if (had === want && hadLoc === wantLoc) return;
    if (had && hadLoc) this.moveStock(line.item_id as number, hadLoc, { committed: -had }, { type: 'SalesOrder', id: order.id });
    if (want && wantLoc) this.moveStock(line.item_id as number, wantLoc, { committed: want }, { type: 'SalesOrder', id: order.id });
    line._committed = want;
    line._committed_location_id = wantLoc;
    this.store.changed(line);
  }

  private orderLines(orderId: number): Rec[] {
    return this.t('order_lines').all().filter((l) => l.order_id === orderId);
  }

  private presentOrder = (o: Rec): Row => {
    const lines = this.orderLines(o.id);
    const taxes = this.t('order_taxes').all().filter((x) => x.order_id === o.id);
    const discounts = this.t('order_discounts').all().filter((x) => x.order_id === o.id);
    const payments = this.t('payments').all().filter((x) => x.order_id === o.id && x.status === 'complete');
    const merch = lines.reduce((s, l) => s + (l.qty as number) * ((l.adjusted_unit_price ?? l.original_unit_price ?? 0) as number), 0);
    // Tax is the lines' `total_tax` (each the tax of the whole line) plus order-level taxes. The
    // §3.5 examples agree: a line of 2 × 45.00 with total_tax 7.43 and shipping 7.95 make the
    // order `total` 105.38. ASSUMED (the doc is silent): order discounts (sent negative) count
    // in the total, and `total_tax` on the order sums both kinds of tax like a ticket's.
    const tax = lines.reduce((s, l) => s + ((l.total_tax as number | null | undefined) ?? 0), 0) + taxes.reduce((s, x) => s + (x.value as number), 0);
    const total = round(merch + tax + discounts.reduce((s, x) => s + (x.amount as number), 0) + ((o.shipping_charge as number) ?? 0));
    const paid = payments.reduce((s, p) => s + (p.amount as number), 0);
    return { ...this.plain(o), total, total_tax: round(tax), balance: round(total - paid) };
  };

  private orderIncludes: Record<string, (r: Row) => void> = {
    customer: (r) => { r.customer = r.customer_id ? this.plainOrNull('customers', r.customer_id) : null; },
    location: (r) => { r.location = r.source_location_id ? this.plainOrNull('locations', r.source_location_id) : null; },
    lines: (r) => { r.lines = this.orderLines(r.id as number).map(this.plain); },
    taxes: (r) => { r.taxes = this.t('order_taxes').all().filter((x) => x.order_id === r.id).map(this.plain); },
    discounts: (r) => { r.discounts = this.t('order_discounts').all().filter((x) => x.order_id === r.id).map(this.plain); },
    payments: (r) => { r.payments = this.t('payments').all().filter((x) => x.order_id === r.id).map(this.plain); },
  };

  private plainOrNull(table: TableName, idv: unknown): Row | null {
    const r = this.t(table).get(idv as number);
    return r ? this.plain(r) : null;
  }

  private resolveItem(line: { item_id?: number; item_lookup?: string }, field: string, details: Record<string, string[]>): Rec | undefined {
    if (line.item_id !== undefined) return this.ref('items', line.item_id, `${field}item_id`, details);
    if (line.item_lookup !== undefined) {
      const item = this.t('items').all().find((i) => i.public_id === line.item_lookup);
      if (!item) (details[`${field}item_lookup`] ??= []).push(`no item with public_id ${line.item_lookup}`);
      return item;
    }
    (details[`${field}item_id`] ??= []).push("can't be blank");
    return undefined;
  }

  private addOrderLine(order: Rec, body: z.infer<typeof OrderLineBody>, field = ''): Rec | undefined {
    const details: Record<string, string[]> = {};
    const item = this.resolveItem(body, field, details);
    this.ref('locations', body.ship_from_location_id, `${field}ship_from_location_id`, details);
    this.checkCustom('sales.transaction.line_item', 'order_lines', body.custom, undefined, details, true);
    this.fail(details);
    const { item_lookup: _lookup, unit_price, ...rest } = body;
    const line = this.insert('order_lines', {
      ...rest, order_id: order.id, item_id: item!.id, qty_invoiced: 0,
      original_unit_price: body.original_unit_price ?? unit_price ?? item!.price,
      adjusted_unit_price: body.adjusted_unit_price ?? unit_price ?? body.original_unit_price ?? item!.price,
      description: body.description ?? item!.description, ship_from_location_id: body.ship_from_location_id ?? null, custom: body.custom ?? {},
    });
    this.syncLineCommit(line, order);
    return line;
  }

  private setOrderStatus(order: Rec, status: string): void {
    const from = order.status as string;
    if (from === status) return;
    const cancel = this.config.cancelStatus;
    const allowed: Record<string, string[]> = { pending: ['open', cancel], open: ['pending', 'closed', cancel], closed: [], [cancel]: [] };
    if (!(allowed[from] ?? []).includes(status)) {
      throw validationError({ status: [`cannot change from ${from} to ${status} (allowed: ${(allowed[from] ?? []).join(', ') || 'none'})`] });
    }
    if (status === 'open') {
      const details: Record<string, string[]> = {};
      if (this.orderLines(order.id).length === 0) details.lines = ['an order needs at least one line to be opened'];
      this.fail(details);
    }
    this.touch(order, { status });
    for (const line of this.orderLines(order.id)) this.syncLineCommit(line, order);
  }

  private orderPendingOrOpen(order: Rec): void {
    if (order.status !== 'pending' && order.status !== 'open') throw validationError({ status: [`order is ${order.status}; it cannot be changed`] });
  }

  // ---- payments & payment webhooks (§3.7, §3.9) ----------------------------------------------

  private async capture(body: z.infer<typeof PaymentBody>, owner: { order_id?: number; ticket_id?: number }, field = ''): Promise<Rec> {
    const details: Record<string, string[]> = {};
    this.ref('payment_types', body.payment_type_id, `${field}payment_type_id`, details);
    this.fail(details);
    const { number, ...rest } = body;
    const ts = now();
    const payment = this.insert('payments', {
      ...rest, ...owner, status: 'pending', deposit: body.deposit ?? false, custom: body.custom ?? {},
      completed_at: null, local_completed_at: null,
    });
    const url = this.out.paymentHookFor(body.payment_type_id, 'capture');
    if (url) {
      const res = await this.out.callPayment(url, { payment_id: String(payment.id), amount: body.amount.toFixed(2), ...(number ? { number } : {}) });
      if (!res.ok) {
        this.touch(payment, { status: 'failed' });
        const msg = res.body && typeof res.body === 'object' && 'message' in res.body ? String((res.body as Row).message) : res.error ?? `capture webhook answered ${res.status}`;
        throw new SimError(422, 'payment_error', `Payment was not captured: ${msg}`, { [`${field}amount`]: [msg] });
      }
    }
    this.touch(payment, { status: 'complete', completed_at: body.completed_at ?? ts, local_completed_at: (body.completed_at ?? ts).slice(0, 19) });
    return payment;
  }

  // ---- invoices (§3.5) -----------------------------------------------------------------------

  private invoiceLines(invoiceId: number): Rec[] {
    return this.t('invoice_lines').all().filter((l) => l.invoice_id === invoiceId);
  }

  /** Order-line quantity not yet on a completed or pending invoice. */
  private remaining(orderLine: Rec): number {
    const pending = this.t('invoice_lines').all().filter((l) => l.order_line_id === orderLine.id && this.t('invoices').get(l.invoice_id as number)?.status === 'pending').reduce((s, l) => s + (l.qty as number), 0);
    return (orderLine.qty as number) - ((orderLine.qty_invoiced as number) ?? 0) - pending;
  }

  private addInvoiceLine(invoice: Rec, body: z.infer<typeof InvoiceLineBody>, field = ''): Rec {
    const details: Record<string, string[]> = {};
    const item = this.ref('items', body.item_id, `${field}item_id`, details);
    this.fail(details);
    const lines = this.orderLines(invoice.order_id as number);
    let orderLine: Rec | undefined;
    if (body.order_line_id) {
      orderLine = lines.find((l) => l.id === body.order_line_id);
      if (!orderLine) throw validationError({ [`${field}order_line_id`]: ['is not a line of this order'] });
      if (orderLine.item_id !== item!.id) throw validationError({ [`${field}item_id`]: ['does not match the order line'] });
    } else {
      // ASSUMED: without order_line_id, the first order line for the item with quantity left is invoiced.
      orderLine = lines.find((l) => l.item_id === item!.id && this.remaining(l) > 0) ?? lines.find((l) => l.item_id === item!.id);
      if (!orderLine) throw validationError({ [`${field}item_id`]: ['is not on the order'] });
    }
    const left = this.remaining(orderLine);
    if (body.qty > left) throw validationError({ [`${field}qty`]: [`exceeds the quantity left to invoice (${left})`] });
    return this.insert('invoice_lines', {
      invoice_id: invoice.id, type: 'ItemLine', item_id: item!.id, qty: body.qty, order_line_id: orderLine.id,
      unit_price: body.unit_price ?? orderLine.adjusted_unit_price, description: body.description ?? orderLine.description,
    });
  }

  private completeInvoice(invoice: Rec): void {
    const lines = this.invoiceLines(invoice.id);
    if (!lines.length) throw validationError({ lines: ['an invoice needs at least one line to be completed'] });
    const order = this.must('orders', invoice.order_id as number, 'Sales order');
    if (order.status !== 'open') throw validationError({ order_id: [`order is ${order.status}; only open orders can be invoiced`] });
    for (const l of lines) {
      const orderLine = this.t('order_lines').get(l.order_line_id as number)!;
      // Stock leaves from where the line was distributed (§3.5 "signed into the location where the lines are distributed").
      const loc = (orderLine.ship_from_location_id as number) ?? (invoice.source_location_id as number);
      this.moveStock(l.item_id as number, loc, { onHand: -(l.qty as number) }, { type: 'Invoice', id: invoice.id });
      orderLine.qty_invoiced = ((orderLine.qty_invoiced as number) ?? 0) + (l.qty as number);
      this.syncLineCommit(orderLine, order);
    }
    const ts = now();
    this.touch(invoice, { status: 'complete', completed_at: ts, local_completed_at: ts.slice(0, 19) });
    if (this.orderLines(order.id).every((l) => (l.qty_invoiced as number) >= (l.qty as number))) this.setOrderStatus(order, 'closed');
    this.out.notify('invoice.completed', 'invoice', invoice.id, { order_id: order.id });
  }

  private presentInvoice = (i: Rec): Row => {
    const lines = this.invoiceLines(i.id);
    const merch = lines.reduce((s, l) => s + (l.qty as number) * ((l.unit_price as number) ?? 0), 0);
    return { type: 'Invoice', ...this.plain(i), total: i.total ?? round(merch + ((i.shipping_charge as number) ?? 0)) };
  };

  // ---- tickets (§3.6) ------------------------------------------------------------------------

  private ticketLines(ticketId: number): Rec[] {
    return this.t('ticket_lines').all().filter((l) => l.ticket_id === ticketId);
  }

  private validateTicketLine(ticket: { type: string }, line: z.infer<typeof TicketLineBody>, field: string, details: Record<string, string[]>): void {
    if (line.type === 'ItemLine') {
      if (line.item_id === undefined || line.item_id === null) (details[`${field}item_id`] ??= []).push("can't be blank");
      else this.ref('items', line.item_id, `${field}item_id`, details);
      if (line.qty === undefined || line.qty === 0) (details[`${field}qty`] ??= []).push("can't be blank or 0");
      else if (ticket.type === 'Return' && line.qty > 0) (details[`${field}qty`] ??= []).push('must be negative on a Return');
    } else if (line.value === undefined) (details[`${field}value`] ??= []).push("can't be blank");
  }

  private completeTicket(ticket: Rec): void {
    if (ticket.affect_inventory !== false) {
      for (const l of this.ticketLines(ticket.id)) {
        if (l.type !== 'ItemLine') continue;
        // A sale takes stock out; a Return's negative qty puts it back.
        this.moveStock(l.item_id as number, ticket.source_location_id as number, { onHand: -(l.qty as number) }, { type: ticket.type as string, id: ticket.id });
      }
    }
    const ts = (ticket.completed_at as string) ?? now();
    this.touch(ticket, { status: 'complete', completed_at: ts, local_completed_at: ts.slice(0, 19) });
    this.out.notify(ticket.type === 'Return' ? 'return.completed' : 'ticket.completed', 'ticket', ticket.id);
  }

  private presentTicket = (tk: Rec): Row => {
    const lines = this.ticketLines(tk.id);
    const items = lines.filter((l) => l.type === 'ItemLine').reduce((s, l) => s + (l.qty as number) * ((l.unit_price ?? l.adjusted_unit_price ?? l.original_unit_price ?? 0) as number), 0);
    const tax = lines.filter((l) => l.type === 'TaxLine').reduce((s, l) => s + ((l.value as number) ?? 0), 0);
    const ship = lines.filter((l) => l.type === 'ShippingLine').reduce((s, l) => s + ((l.value as number) ?? 0), 0);
    const customer = tk.customer_id ? this.t('customers').get(tk.customer_id as number) : undefined;
    return {
      ...this.plain(tk), total: round(items + tax + ship), total_tax: round(tax), total_discounts: 0,
      customer_name: customer ? `${customer.first_name} ${customer.last_name}` : null,
      'completed?': tk.status === 'complete', 'voided?': tk.status === 'void',
    };
  };

  // ---- gift cards (§3.8) ---------------------------------------------------------------------

  private giftCard(key: string): Rec {
    const byNumber = this.t('gift_cards').all().find((g) => g.number === key);
    if (byNumber) return byNumber;
    // ASSUMED: numeric path segments that are not a card number fall back to the id.
    if (/^\d+$/.test(key)) { const byId = this.t('gift_cards').get(Number(key)); if (byId) return byId; }
    throw notFound(`Gift card ${key}`);
  }

  private adjustGiftCard(card: Rec, delta: number, reasonId: number | null | undefined, field: string): Rec {
    const details: Record<string, string[]> = {};
    this.ref('reason_codes', reasonId, 'reason_id', details);
    const next = round((card.balance as number) + delta);
    if (next < 0) (details[field] ??= []).push(`would make the balance negative (balance ${card.balance})`);
    this.fail(details);
    this.touch(card, { balance: next });
    this.out.notify('gift_card.updated', 'gift_card', card.id, { number: card.number });
    return this.insert('gift_card_adjustments', { gift_card_id: card.id, reason_id: reasonId ?? null, delta_balance: delta });
  }

  // ---- simple collections --------------------------------------------------------------------

  private simple(opts: {
    path: string; table: TableName; spec: CollectionSpec; schema: z.ZodObject; what: string;
    present?: (r: Rec) => Row; includes?: Record<string, (r: Row) => void>; scope?: (ctx: Ctx) => (r: Rec) => boolean;
    check?: (body: Record<string, unknown>, self: Rec | undefined, details: Record<string, string[]>, ctx: Ctx) => void;
    defaults?: (body: Record<string, unknown>, ctx: Ctx) => Record<string, unknown>;
    afterCreate?: (rec: Rec) => void; afterUpdate?: (rec: Rec) => void;
    locationPath?: (ctx: Ctx) => string; noUpdate?: boolean;
  }): void {
    const present = opts.present ?? this.plain;
    const find = (ctx: Ctx) => {
      const rec = this.must(opts.table, ctx.params.id, opts.what);
      if (opts.scope && !opts.scope(ctx)(rec)) throw notFound(`${opts.what} ${ctx.params.id}`);
      return rec;
    };
    this.route('GET', opts.path, (ctx) => this.list(opts.table, opts.spec, parseQuery(ctx.query), { scope: opts.scope?.(ctx), present, includes: opts.includes }));
    this.route('POST', opts.path, (ctx) => {
      opts.scope?.(ctx); // a missing parent (e.g. the customer of an address) is a 404 first
      const body = parseBody(opts.schema, mergeFlatCustom(ctx.body)) as Record<string, unknown>;
      const details: Record<string, string[]> = {};
      opts.check?.(body, undefined, details, ctx);
      this.fail(details);
      const rec = this.insert(opts.table, { ...body, ...opts.defaults?.(body, ctx) });
      opts.afterCreate?.(rec);
      return this.created(opts.locationPath?.(ctx) ?? opts.path.replace(/^\//, ''), rec);
    });
    this.route('GET', `${opts.path}/:id`, (ctx) => this.one(find(ctx), ctx.query, present, opts.includes));
    if (!opts.noUpdate) {
      this.route('PUT', `${opts.path}/:id`, (ctx) => {
        const rec = find(ctx);
        const body = parseBody(opts.schema.partial(), mergeFlatCustom(ctx.body)) as Record<string, unknown>;
        const details: Record<string, string[]> = {};
        opts.check?.(body, rec, details, ctx);
        this.fail(details);
        if (body.custom) body.custom = { ...(rec.custom as Row), ...(body.custom as Row) };
        this.touch(rec, body);
        opts.afterUpdate?.(rec);
        return this.updated(present(rec));
      });
    }
  }

  // ---- routes --------------------------------------------------------------------------------

  private register(): void {
    const stationsOf = (locId: unknown) => this.t('stations').all().filter((s) => s.location_id === locId).map(this.plain);

    this.simple({
      path: '/locations', table: 'locations', spec: SPECS.locations, schema: LocationBody, what: 'Location',
      includes: { stations: (r) => { r.stations = stationsOf(r.id); } },
      check: (b, self, d) => this.uniqueField('locations', 'public_id', b.public_id, self?.id, d),
      defaults: (b) => ({ active: b.active ?? true, custom: b.custom ?? {} }),
      afterCreate: (rec) => { if (!rec.public_id) rec.public_id = String(rec.id); },
    });
    this.simple({
      path: '/stations', table: 'stations', spec: SPECS.stations, schema: StationBody, what: 'Station',
      check: (b, _s, d) => { this.ref('locations', b.location_id, 'location_id', d); },
      defaults: (b) => ({ active: b.active ?? true }),
    });
    this.simple({
      path: '/customers', table: 'customers', spec: SPECS.customers, schema: CustomerBody, what: 'Customer',
      includes: { addresses: (r) => { r.addresses = this.t('addresses').all().filter((a) => a.customer_id === r.id).map(this.plain); } },
      check: (b, self, d) => {
        if (typeof b.email === 'string' && b.email !== '' && !isEmail(b.email)) (d.email ??= []).push('must be a single valid email address');
        this.uniqueField('customers', 'public_id', b.public_id, self?.id, d);
        this.checkCustom('customer', 'customers', b.custom as Row | undefined, self?.id, d, !self);
      },
      defaults: (b) => ({ active: b.active ?? true, custom: b.custom ?? {} }),
      afterCreate: (rec) => { if (!rec.public_id) rec.public_id = String(rec.id); this.out.notify('customer.created', 'customer', rec.id); },
      afterUpdate: (rec) => this.out.notify('customer.updated', 'customer', rec.id),
    });
    this.simple({
      path: '/customers/:customer_id/addresses', table: 'addresses', spec: SPECS.addresses, schema: AddressBody, what: 'Address',
      scope: (ctx) => { const c = this.must('customers', ctx.params.customer_id, 'Customer'); return (a) => a.customer_id === c.id; },
      defaults: (_b, ctx) => ({ customer_id: Number(ctx.params.customer_id) }),
      locationPath: (ctx) => `customers/${ctx.params.customer_id}/addresses`,
    });
    this.simple({
      path: '/items', table: 'items', spec: SPECS.items, schema: ItemBody, what: 'Item',
      check: (b, self, d) => {
        this.uniqueField('items', 'public_id', b.public_id, self?.id, d);
        this.ref('item_grids', b.grid_id, 'grid_id', d);
        this.checkCustom('item', 'items', b.custom as Row | undefined, self?.id, d, !self);
      },
      defaults: (b) => ({ active: b.active ?? true, custom: b.custom ?? {}, grid_id: b.grid_id ?? null, original_price: b.original_price ?? null, long_description: b.long_description ?? null }),
      afterCreate: (rec) => { if (!rec.public_id) rec.public_id = String(rec.id); this.out.notify('item.created', 'item', rec.id); },
      afterUpdate: (rec) => this.out.notify('item.updated', 'item', rec.id),
    });
    this.simple({
      path: '/item_grids', table: 'item_grids', spec: SPECS.item_grids, schema: GridBody, what: 'Item grid',
      defaults: (b) => ({ custom: b.custom ?? {} }),
      includes: { items: (r) => { r.items = this.t('items').all().filter((i) => i.grid_id === r.id).map(this.plain); } },
    });
    this.simple({
      path: '/custom_fields', table: 'custom_fields', spec: SPECS.custom_fields, schema: CustomFieldBody, what: 'Custom field',
      check: (b, self, d) => { if (b.key && this.t('custom_fields').all().some((f) => f.id !== self?.id && f.key === b.key && f.group_id === (b.group_id ?? self?.group_id))) (d.key ??= []).push('has already been taken'); },
      defaults: (b) => ({ required: b.required ?? false, unique: b.unique ?? false, name: b.name ?? b.key, type: b.type ?? 'text' }),
    });
    for (const kind of ['inventory_adjustment_reasons', 'gift_card_adjustment_reasons']) {
      this.simple({
        path: `/reason_codes/${kind}`, table: 'reason_codes', spec: SPECS.reason_codes, schema: NamedBody, what: 'Reason code',
        scope: () => (r) => r.kind === kind, defaults: () => ({ kind }),
        present: (r) => { const { kind: _k, ...rest } = this.plain(r); return rest; },
      });
    }
    this.simple({ path: '/payment_types', table: 'payment_types', spec: SPECS.payment_types, schema: NamedBody, what: 'Payment type', defaults: (b) => ({ active: b.active ?? true }) });
    this.simple({ path: '/shipping_methods', table: 'shipping_methods', spec: SPECS.shipping_methods, schema: NamedBody, what: 'Shipping method', defaults: (b) => ({ active: b.active ?? true }) });

    this.route('GET', '/users', (ctx) => this.list('users', SPECS.users, parseQuery(ctx.query)));
    this.route('GET', '/settings/:key', (ctx) => {
      const s = this.t('settings').all().find((r) => r.key === ctx.params.key);
      if (!s) throw notFound(`Setting ${ctx.params.key}`);
      return { status: 200, body: { value: s.value } };
    });
    this.route('PUT', '/settings/:key', (ctx) => {
      const body = parseBody(z.object({ value: z.unknown() }).refine((b) => 'value' in b, { message: "can't be blank", path: ['value'] }), ctx.body);
      const s = this.t('settings').all().find((r) => r.key === ctx.params.key);
      if (s) this.touch(s, { value: body.value });
      else this.insert('settings', { key: ctx.params.key, value: body.value });
      return { status: 200, body: { value: body.value } };
    });

    // -- inventory
    this.route('GET', '/inventory/values', (ctx) => this.inventoryValues(ctx.query));
    this.route('GET', '/inventory/transactions', (ctx) => this.list('inventory_transactions', SPECS.inventory_transactions, parseQuery(ctx.query)));
    this.route('GET', '/inventory/transactions/:id', (ctx) => this.one(this.must('inventory_transactions', ctx.params.id, 'Inventory transaction'), ctx.query, this.plain));

    const adjLines = (setId: number) => this.t('adjustment_set_lines').all().filter((l) => l.adjustment_set_id === setId);
    this.route('GET', '/inventory/adjustment_sets', (ctx) => this.list('adjustment_sets', SPECS.adjustment_sets, parseQuery(ctx.query), { includes: { lines: (r) => { r.lines = adjLines(r.id as number).map(this.plain); } } }));
    this.route('GET', '/inventory/adjustment_sets/:id', (ctx) => this.one(this.must('adjustment_sets', ctx.params.id, 'Adjustment set'), ctx.query, this.plain, { lines: (r) => { r.lines = adjLines(r.id as number).map(this.plain); } }));
    this.route('POST', '/inventory/adjustment_sets', (ctx) => {
      const body = parseBody(AdjustmentSetBody, ctx.body);
      const d: Record<string, string[]> = {};
      this.ref('locations', body.location_id, 'location_id', d);
      const reason = this.ref('reason_codes', body.adjustment_reason_id, 'adjustment_reason_id', d);
      if (reason && reason.kind !== 'inventory_adjustment_reasons') (d.adjustment_reason_id ??= []).push('is not an inventory adjustment reason');
      this.fail(d);
      return this.created('inventory/adjustment_sets', this.insert('adjustment_sets', { ...body, status: 'pending', description: body.description ?? null }));
    });
    this.route('GET', '/inventory/adjustment_sets/:id/lines', (ctx) => {
      const set = this.must('adjustment_sets', ctx.params.id, 'Adjustment set');
      return this.list('adjustment_set_lines', SPECS.adjustment_set_lines, parseQuery(ctx.query), { scope: (l) => l.adjustment_set_id === set.id });
    });
    this.route('POST', '/inventory/adjustment_sets/:id/lines', (ctx) => {
      const set = this.must('adjustment_sets', ctx.params.id, 'Adjustment set');
      if (set.status !== 'pending') throw validationError({ status: [`adjustment set is ${set.status}; lines cannot be added`] });
      const body = parseBody(AdjustmentLineBody, ctx.body);
      const d: Record<string, string[]> = {};
      this.ref('items', body.item_id, 'item_id', d);
      this.fail(d);
      return this.created(`inventory/adjustment_sets/${set.id}/lines`, this.insert('adjustment_set_lines', { ...body, adjustment_set_id: set.id, unit_cost: body.unit_cost ?? null }));
    });
    this.route('PUT', '/inventory/adjustment_sets/:id', (ctx) => {
      const set = this.must('adjustment_sets', ctx.params.id, 'Adjustment set');
      const body = parseBody(z.object({ status: z.enum(['pending', 'complete'], { error: 'must be pending or complete' }).optional(), description: optText }), ctx.body);
      if (body.status === 'complete' && set.status !== 'complete') {
        const lines = adjLines(set.id);
        if (!lines.length) throw validationError({ lines: ['an adjustment set needs at least one line to be completed'] });
        for (const l of lines) this.moveStock(l.item_id as number, set.location_id as number, { onHand: l.qty as number }, { type: 'AdjustmentSet', id: set.id });
      } else if (body.status === 'pending' && set.status === 'complete') {
        throw validationError({ status: ['a completed adjustment set cannot be reopened'] });
      }
      this.touch(set, body);
      return this.updated(this.plain(set));
    });

    // Sub-resources are readable at the Location their create returned.
    const child = (path: string, parentTable: TableName, table: TableName, parentKey: string, what: string) =>
      this.route('GET', path, (ctx) => {
        const parent = this.must(parentTable, ctx.params.id, what);
        const row = this.must(table, ctx.params.child_id, what + ' line');
        if (row[parentKey] !== parent.id) throw notFound(`${what} line ${ctx.params.child_id}`);
        return this.one(row, ctx.query, this.plain);
      });
    child('/inventory/adjustment_sets/:id/lines/:child_id', 'adjustment_sets', 'adjustment_set_lines', 'adjustment_set_id', 'Adjustment set');
    child('/sales/invoices/:id/lines/:child_id', 'invoices', 'invoice_lines', 'invoice_id', 'Invoice');
    child('/sales/tickets/:id/lines/:child_id', 'tickets', 'ticket_lines', 'ticket_id', 'Ticket');
    child('/sales/tickets/:id/payments/:child_id', 'tickets', 'payments', 'ticket_id', 'Ticket');
    for (const path of ['/gift_card/adjustments/:id', '/gift_card_adjustments/:id']) {
      this.route('GET', path, (ctx) => this.one(this.must('gift_card_adjustments', ctx.params.id, 'Gift card adjustment'), ctx.query, this.plain));
    }

    // -- sales orders
    this.route('GET', '/sales/orders', (ctx) => this.list('orders', SPECS.orders, parseQuery(ctx.query), { present: this.presentOrder, includes: this.orderIncludes }));
    this.route('GET', '/sales/orders/:id', (ctx) => this.one(this.must('orders', ctx.params.id, 'Sales order'), ctx.query, this.presentOrder, this.orderIncludes));
    this.route('POST', '/sales/orders', (ctx) => {
      const body = parseBody(OrderBody, mergeFlatCustom(ctx.body));
      const d: Record<string, string[]> = {};
      const customer = this.ref('customers', body.customer_id, 'customer_id', d);
      for (const f of ['billing_address_id', 'shipping_address_id'] as const) {
        const a = this.ref('addresses', body[f], f, d);
        if (a && customer && a.customer_id !== customer.id) (d[f] ??= []).push("is not one of the customer's addresses");
      }
      this.ref('locations', body.source_location_id, 'source_location_id', d);
      this.ref('stations', body.station_id, 'station_id', d);
      this.ref('shipping_methods', body.shipping_method_id, 'shipping_method_id', d);
      if (body.status !== undefined && body.status !== 'pending' && body.status !== 'open') (d.status ??= []).push('must be pending or open on create');
      this.uniqueField('orders', 'public_id', body.public_id, undefined, d);
      this.checkCustom('sales.transaction', 'orders', body.custom, undefined, d, true);
      // Inline lines (§3.5 [O]) are validated like `POST …/lines` before anything is stored:
      // a refused line refuses the whole create (ASSUMED), so an order never exists half-made.
      body.lines?.forEach((l, i) => {
        this.resolveItem(l, `lines.${i}.`, d);
        this.ref('locations', l.ship_from_location_id, `lines.${i}.ship_from_location_id`, d);
        const lineDetails: Record<string, string[]> = {};
        this.checkCustom('sales.transaction.line_item', 'order_lines', l.custom, undefined, lineDetails, true);
        for (const [k, v] of Object.entries(lineDetails)) (d[`lines.${i}.${k}`] ??= []).push(...v);
      });
      this.fail(d);
      const { lines, status, ...header } = body;
      const order = this.insert('orders', { ...header, status: 'pending', custom: body.custom ?? {}, shipping_charge: body.shipping_charge ?? 0 });
      if (!order.public_id) order.public_id = String(order.id);
      lines?.forEach((l, i) => this.addOrderLine(order, l, `lines.${i}.`));
      if (status === 'open') this.setOrderStatus(order, 'open');
      return this.created('sales/orders', order);
    });
    this.route('PUT', '/sales/orders/:id', (ctx) => {
      const order = this.must('orders', ctx.params.id, 'Sales order');
      const body = parseBody(OrderBody.omit({ lines: true }).partial(), mergeFlatCustom(ctx.body));
      const d: Record<string, string[]> = {};
      for (const [f, table] of [['customer_id', 'customers'], ['billing_address_id', 'addresses'], ['shipping_address_id', 'addresses'], ['source_location_id', 'locations'], ['station_id', 'stations'], ['shipping_method_id', 'shipping_methods']] as const) this.ref(table, body[f], f, d);
      this.uniqueField('orders', 'public_id', body.public_id, order.id, d);
      this.checkCustom('sales.transaction', 'orders', body.custom, order.id, d, false);
      this.fail(d);
      const { status, ...rest } = body;
      const headerChanges = Object.keys(rest).filter((k) => k !== 'custom' && k !== 'updated_at');
      if (headerChanges.length && order.status !== 'pending' && order.status !== 'open') throw validationError({ status: [`order is ${order.status}; it cannot be changed`] });
      if (rest.custom) rest.custom = { ...(order.custom as Record<string, string>), ...rest.custom };
      this.touch(order, rest);
      if (status !== undefined) this.setOrderStatus(order, status);
      return this.updated(this.presentOrder(order));
    });
    this.route('GET', '/sales/orders/:id/lines', (ctx) => {
      const order = this.must('orders', ctx.params.id, 'Sales order');
      return this.list('order_lines', SPECS.order_lines, parseQuery(ctx.query), { scope: (l) => l.order_id === order.id });
    });
    this.route('GET', '/sales/orders/:id/lines/:line_id', (ctx) => {
      const order = this.must('orders', ctx.params.id, 'Sales order');
      const line = this.must('order_lines', ctx.params.line_id, 'Order line');
      if (line.order_id !== order.id) throw notFound(`Order line ${ctx.params.line_id}`);
      return this.one(line, ctx.query, this.plain);
    });
    this.route('POST', '/sales/orders/:id/lines', (ctx) => {
      const order = this.must('orders', ctx.params.id, 'Sales order');
      this.orderPendingOrOpen(order);
      const line = this.addOrderLine(order, parseBody(OrderLineBody, mergeFlatCustom(ctx.body)))!;
      this.touch(order, {});
      return this.created(`sales/orders/${order.id}/lines`, line);
    });
    this.route('PUT', '/sales/orders/:id/lines/:line_id', (ctx) => {
      const order = this.must('orders', ctx.params.id, 'Sales order');
      const line = this.must('order_lines', ctx.params.line_id, 'Order line');
      if (line.order_id !== order.id) throw notFound(`Order line ${ctx.params.line_id}`);
      this.orderPendingOrOpen(order);
      const body = parseBody(OrderLineBody.omit({ item_id: true, item_lookup: true }).partial(), mergeFlatCustom(ctx.body));
      const d: Record<string, string[]> = {};
      this.ref('locations', body.ship_from_location_id, 'ship_from_location_id', d);
      if (body.qty !== undefined && body.qty < ((line.qty_invoiced as number) ?? 0)) (d.qty ??= []).push(`cannot be less than the quantity already invoiced (${line.qty_invoiced})`);
      this.fail(d);
      if (body.custom) body.custom = { ...(line.custom as Record<string, string>), ...body.custom };
      this.touch(line, body);
      this.syncLineCommit(line, order);
      return this.updated(this.plain(line));
    });
    this.route('DELETE', '/sales/orders/:id/lines/:line_id', (ctx) => {
      const order = this.must('orders', ctx.params.id, 'Sales order');
      const line = this.must('order_lines', ctx.params.line_id, 'Order line');
      if (line.order_id !== order.id) throw notFound(`Order line ${ctx.params.line_id}`);
      this.orderPendingOrOpen(order);
      if (((line.qty_invoiced as number) ?? 0) > 0 || this.remaining(line) < (line.qty as number)) throw validationError({ base: ['a line that is (being) invoiced cannot be deleted'] });
      line.qty = 0;
      this.syncLineCommit(line, order);
      this.t('order_lines').delete(line.id);
      this.store.changed(order);
      return { status: 204 };
    });
    for (const [sub, table, schema] of [['taxes', 'order_taxes', TaxBody], ['discounts', 'order_discounts', DiscountBody]] as const) {
      this.route('GET', `/sales/orders/:id/${sub}`, (ctx) => {
        const order = this.must('orders', ctx.params.id, 'Sales order');
        return this.list(table, SPECS[table], parseQuery(ctx.query), { scope: (x) => x.order_id === order.id });
      });
      this.route('POST', `/sales/orders/:id/${sub}`, (ctx) => {
        const order = this.must('orders', ctx.params.id, 'Sales order');
        this.orderPendingOrOpen(order);
        const body = parseBody(schema, ctx.body);
        this.insert(table, { ...body, order_id: order.id, description: body.description ?? null });
        this.touch(order, {});
        // §2.4: some sub-resource POSTs (order taxes) answer without a Location; clients must cope.
        return this.created(`sales/orders/${order.id}/${sub}`);
      });
    }
    this.route('GET', '/sales/orders/:id/payments', (ctx) => {
      const order = this.must('orders', ctx.params.id, 'Sales order');
      return this.list('payments', SPECS.payments, parseQuery(ctx.query), { scope: (p) => p.order_id === order.id });
    });
    this.route('GET', '/sales/orders/:id/payments/:payment_id', (ctx) => {
      const order = this.must('orders', ctx.params.id, 'Sales order');
      const p = this.must('payments', ctx.params.payment_id, 'Payment');
      if (p.order_id !== order.id) throw notFound(`Payment ${ctx.params.payment_id}`);
      return this.one(p, ctx.query, this.plain);
    });
    this.route('POST', '/sales/orders/:id/payments', async (ctx) => {
      const order = this.must('orders', ctx.params.id, 'Sales order');
      this.orderPendingOrOpen(order);
      const payment = await this.capture(parseBody(PaymentBody, mergeFlatCustom(ctx.body)), { order_id: order.id });
      this.touch(order, {});
      return this.created(`sales/orders/${order.id}/payments`, payment);
    });
    this.route('GET', '/payments', (ctx) => this.list('payments', SPECS.payments, parseQuery(ctx.query)));
    this.route('GET', '/payments/:id', (ctx) => this.one(this.must('payments', ctx.params.id, 'Payment'), ctx.query, this.plain));

    // -- invoices
    const invoiceIncludes: Record<string, (r: Row) => void> = {
      lines: (r) => { r.lines = this.invoiceLines(r.id as number).map(this.plain); },
      order: (r) => { r.order = r.order_id ? this.presentOrder(this.t('orders').get(r.order_id as number)!) : null; },
      customer: (r) => { r.customer = r.customer_id ? this.plainOrNull('customers', r.customer_id) : null; },
    };
    this.route('GET', '/sales/invoices', (ctx) => this.list('invoices', SPECS.invoices, parseQuery(ctx.query), { present: this.presentInvoice, includes: invoiceIncludes }));
    this.route('GET', '/sales/invoices/:id', (ctx) => this.one(this.must('invoices', ctx.params.id, 'Invoice'), ctx.query, this.presentInvoice, invoiceIncludes));
    this.route('POST', '/sales/invoices', (ctx) => {
      const body = parseBody(InvoiceBody, mergeFlatCustom(ctx.body));
      const d: Record<string, string[]> = {};
      const order = this.ref('orders', body.order_id, 'order_id', d);
      if (order && order.status !== 'open') (d.order_id ??= []).push(`order is ${order.status}; only open orders can be invoiced`);
      this.ref('customers', body.customer_id, 'customer_id', d);
      this.ref('locations', body.source_location_id, 'source_location_id', d);
      this.ref('stations', body.station_id, 'station_id', d);
      this.fail(d);
      const { lines, type: _type, ...header } = body;
      // Shipping charges are carried onto invoices automatically (§3.5, S8); ASSUMED: onto the first invoice only.
      const firstInvoice = !this.t('invoices').all().some((i) => i.order_id === order!.id && i.status !== 'void');
      const invoice = this.insert('invoices', {
        ...header, customer_id: body.customer_id ?? order!.customer_id ?? null, status: 'pending', custom: body.custom ?? {},
        shipping_charge: firstInvoice ? order!.shipping_charge ?? 0 : 0, total: body.total ?? null, completed_at: null,
      });
      if (!invoice.public_id) invoice.public_id = String(invoice.id);
      try {
        lines?.forEach((l, i) => this.addInvoiceLine(invoice, l, `lines.${i}.`));
      } catch (err) {
        // All-or-nothing create: a bad inline line leaves no half invoice behind.
        for (const l of this.invoiceLines(invoice.id)) this.t('invoice_lines').delete(l.id);
        this.t('invoices').delete(invoice.id);
        throw err;
      }
      return this.created('sales/invoices', invoice);
    });
    this.route('PUT', '/sales/invoices/:id', (ctx) => {
      const invoice = this.must('invoices', ctx.params.id, 'Invoice');
      const body = parseBody(z.object({ status: z.enum(['pending', 'complete', 'void'], { error: 'must be pending, complete or void' }).optional(), custom: custom.optional(), public_id: optText }), mergeFlatCustom(ctx.body));
      if (body.custom) this.touch(invoice, { custom: { ...(invoice.custom as Row), ...body.custom } });
      if (body.public_id !== undefined) this.touch(invoice, { public_id: body.public_id });
      if (body.status && body.status !== invoice.status) {
        if (invoice.status !== 'pending') throw validationError({ status: [`invoice is ${invoice.status}; it cannot change to ${body.status}`] });
        if (body.status === 'complete') this.completeInvoice(invoice);
        else if (body.status === 'void') this.touch(invoice, { status: 'void' });
      }
      return this.updated(this.presentInvoice(invoice));
    });
    this.route('GET', '/sales/invoices/:id/lines', (ctx) => {
      const invoice = this.must('invoices', ctx.params.id, 'Invoice');
      return this.list('invoice_lines', SPECS.invoice_lines, parseQuery(ctx.query), { scope: (l) => l.invoice_id === invoice.id });
    });
    this.route('POST', '/sales/invoices/:id/lines', (ctx) => {
      const invoice = this.must('invoices', ctx.params.id, 'Invoice');
      if (invoice.status !== 'pending') throw validationError({ status: [`invoice is ${invoice.status}; lines cannot be added`] });
      const line = this.addInvoiceLine(invoice, parseBody(InvoiceLineBody, ctx.body));
      return this.created(`sales/invoices/${invoice.id}/lines`, line);
    });

    // -- tickets
    const ticketIncludes: Record<string, (r: Row) => void> = {
      lines: (r) => { r.lines = this.ticketLines(r.id as number).map(this.plain); },
      payments: (r) => { r.payments = this.t('payments').all().filter((p) => p.ticket_id === r.id).map(this.plain); },
      customer: (r) => { r.customer = r.customer_id ? this.plainOrNull('customers', r.customer_id) : null; },
    };
    this.route('GET', '/sales/tickets', (ctx) => this.list('tickets', SPECS.tickets, parseQuery(ctx.query), { present: this.presentTicket, includes: ticketIncludes }));
    this.route('GET', '/sales/tickets/:id', (ctx) => this.one(this.must('tickets', ctx.params.id, 'Ticket'), ctx.query, this.presentTicket, ticketIncludes));
    this.route('POST', '/sales/tickets', async (ctx) => {
      const body = parseBody(TicketBody, mergeFlatCustom(ctx.body));
      const d: Record<string, string[]> = {};
      const station = this.ref('stations', body.station_id, 'station_id', d);
      this.ref('locations', body.source_location_id, 'source_location_id', d);
      this.ref('customers', body.customer_id, 'customer_id', d);
      if (body.parent_transaction_id != null && !this.t('invoices').get(body.parent_transaction_id) && !this.t('tickets').get(body.parent_transaction_id)) {
        (d.parent_transaction_id ??= []).push('does not exist');
      }
      const lines = [...(body.item_lines ?? []), ...(body.tax_lines ?? []), ...(body.lines ?? [])];
      lines.forEach((l, i) => this.validateTicketLine(body, l, `lines.${i}.`, d));
      this.checkCustom('sales.transaction', 'tickets', body.custom, undefined, d, true);
      this.fail(d);
      const { item_lines: _a, tax_lines: _b, lines: _c, payments, status, ...header } = body;
      const ticket = this.insert('tickets', {
        ...header, status: 'pending', source_location_id: body.source_location_id ?? station!.location_id,
        affect_inventory: body.affect_inventory ?? true, parent_transaction_id: body.parent_transaction_id ?? null,
        customer_id: body.customer_id ?? null, custom: body.custom ?? {}, completed_at: body.completed_at ?? null,
      });
      if (!ticket.public_id) ticket.public_id = String(ticket.id);
      for (const l of lines) this.insert('ticket_lines', { ...l, ticket_id: ticket.id });
      try {
        for (const [i, p] of (payments ?? []).entries()) await this.capture(p, { ticket_id: ticket.id }, `payments.${i}.`);
      } catch (err) {
        for (const l of this.ticketLines(ticket.id)) this.t('ticket_lines').delete(l.id);
        this.t('tickets').delete(ticket.id);
        throw err;
      }
      // ASSUMED: a ticket posted without status stays pending (POS in progress) until PUT complete.
      if (status === 'complete') this.completeTicket(ticket);
      return this.created('sales/tickets', ticket);
    });
    this.route('PUT', '/sales/tickets/:id', (ctx) => {
      const ticket = this.must('tickets', ctx.params.id, 'Ticket');
      const body = parseBody(z.object({ status: z.enum(['pending', 'complete', 'void'], { error: 'must be pending, complete or void' }).optional(), custom: custom.optional(), sales_rep: optText, customer_id: optId }), mergeFlatCustom(ctx.body));
      const d: Record<string, string[]> = {};
      this.ref('customers', body.customer_id, 'customer_id', d);
      this.fail(d);
      const { status, ...rest } = body;
      if (rest.custom) rest.custom = { ...(ticket.custom as Record<string, string>), ...rest.custom };
      this.touch(ticket, rest);
      if (status && status !== ticket.status) {
        if (ticket.status !== 'pending') throw validationError({ status: [`ticket is ${ticket.status}; it cannot change to ${status}`] });
        if (status === 'complete') {
          if (!this.ticketLines(ticket.id).some((l) => l.type === 'ItemLine')) throw validationError({ lines: ['a ticket needs at least one item line to be completed'] });
          this.completeTicket(ticket);
        } else this.touch(ticket, { status });
      }
      return this.updated(this.presentTicket(ticket));
    });
    this.route('GET', '/sales/tickets/:id/lines', (ctx) => {
      const ticket = this.must('tickets', ctx.params.id, 'Ticket');
      return this.list('ticket_lines', SPECS.ticket_lines, parseQuery(ctx.query), { scope: (l) => l.ticket_id === ticket.id });
    });
    this.route('POST', '/sales/tickets/:id/lines', (ctx) => {
      const ticket = this.must('tickets', ctx.params.id, 'Ticket');
      if (ticket.status !== 'pending') throw validationError({ status: [`ticket is ${ticket.status}; lines cannot be added`] });
      const body = parseBody(TicketLineBody, ctx.body);
      const d: Record<string, string[]> = {};
      this.validateTicketLine(ticket as unknown as { type: string }, body, '', d);
      this.fail(d);
      return this.created(`sales/tickets/${ticket.id}/lines`, this.insert('ticket_lines', { ...body, ticket_id: ticket.id }));
    });
    this.route('POST', '/sales/tickets/:id/payments', async (ctx) => {
      const ticket = this.must('tickets', ctx.params.id, 'Ticket');
      const payment = await this.capture(parseBody(PaymentBody, mergeFlatCustom(ctx.body)), { ticket_id: ticket.id });
      return this.created(`sales/tickets/${ticket.id}/payments`, payment);
    });

    // -- gift cards
    this.route('GET', '/gift_cards', (ctx) => this.list('gift_cards', SPECS.gift_cards, parseQuery(ctx.query)));
    this.route('GET', '/gift_cards/:number', (ctx) => this.one(this.giftCard(ctx.params.number), ctx.query, this.plain));
    this.route('POST', '/gift_cards', (ctx) => {
      const body = parseBody(GiftCardBody, ctx.body);
      const d: Record<string, string[]> = {};
      this.uniqueField('gift_cards', 'number', body.number, undefined, d);
      this.ref('customers', body.customer_id, 'customer_id', d);
      this.ref('reason_codes', body.reason_id, 'reason_id', d);
      this.fail(d);
      const card = this.insert('gift_cards', { number: body.number, balance: 0, customer_id: body.customer_id ?? null, import_set_id: body.import_set_id ?? null });
      if (body.balance) this.adjustGiftCard(card, body.balance, body.reason_id, 'balance');
      return this.created('gift_cards', card);
    });
    this.route('PUT', '/gift_cards/:number', (ctx) => {
      const card = this.giftCard(ctx.params.number);
      const body = parseBody(z.object({ customer_id: optId, balance: z.never({ error: 'cannot be set directly; post a gift card adjustment' }).optional() }), ctx.body);
      const d: Record<string, string[]> = {};
      this.ref('customers', body.customer_id, 'customer_id', d);
      this.fail(d);
      if (body.customer_id !== undefined) this.touch(card, { customer_id: body.customer_id });
      return this.updated(this.plain(card));
    });
    // §3.8: the adjustment path is uncertain; both forms are accepted.
    this.route('GET', '/gift_card/adjustments', (ctx) => this.list('gift_card_adjustments', SPECS.gift_card_adjustments, parseQuery(ctx.query)));
    this.route('GET', '/gift_card_adjustments', (ctx) => this.list('gift_card_adjustments', SPECS.gift_card_adjustments, parseQuery(ctx.query)));
    this.route('POST', '/gift_card/adjustments', (ctx) => {
      const body = parseBody(GiftCardAdjustmentBody, ctx.body);
      const d: Record<string, string[]> = {};
      const card = this.ref('gift_cards', body.gift_card_id, 'gift_card_id', d);
      this.fail(d);
      return this.created('gift_card/adjustments', this.adjustGiftCard(card!, body.delta_balance, body.reason_id, 'delta_balance'));
    });
    this.route('POST', '/gift_card_adjustments', (ctx) => {
      const body = parseBody(GiftCardAdjustmentAltBody, ctx.body);
      const card = this.t('gift_cards').all().find((g) => g.number === body.gift_card_number);
      if (!card) throw validationError({ gift_card_number: ['does not exist'] });
      return this.created('gift_card_adjustments', this.adjustGiftCard(card, body.amount, body.reason_id, 'amount'));
    });
  }

  /** Used by the filter-validation path of control endpoints and tests. */
  static filterableFields(collection: keyof typeof SPECS): readonly string[] {
    return SPECS[collection].filterable;
  }
}

export { compileFilter };

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
