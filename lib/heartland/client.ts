/**
 * Heartland Retail API client (issue 3; heartland.md is the source of every convention used here).
 * Built on the shared transport (lib/platform/http): rate limit (default 5 req/s, DESIGN.md §6),
 * retries on 429/502/503/504 and network errors honouring Retry-After, timeouts, typed
 * `UpstreamError`s carrying Heartland's `error` code, message and field details.
 *
 * Conventions handled here once:
 * - create = POST → 201 with empty body + `Location`; the client GETs the Location (§2.4).
 *   Some sub-resources answer without Location (order taxes): those functions return nothing.
 * - collections: page iteration (`page`/`per_page`/`pages`) and id keyset iteration
 *   (`sort[]=id` + `{"id":{"$gt":last}}`, the stable pattern Heartland's own migration code uses).
 * - idempotency: there is no idempotency header (§1.4), so writes that must not repeat are sent
 *   once (no transport retry) and flows search by external reference before creating.
 */
import { z } from 'zod';
import { createHttpClient, fullJitterDelay, UpstreamError, type HttpClient, type HttpRequest } from '../platform/http';
import { systemClock } from '../platform/ports';
import type { Clock, Logger } from '../platform/ports';
import { parseHeartlandError, isNotFound } from './errors';
import { toSearchParams, customField, allOf, chunks, type CollectionQuery, type HeartlandFilter } from './filter';
import * as P from './payloads';

export interface HeartlandClientOptions {
  /** Account API base, e.g. `https://acme.retail.heartland.us/api/` (simulator: `http://localhost:9081/api/`). */
  baseUrl: string;
  /** API token (My Account → API Tokens) sent as `Authorization: Bearer`. */
  token?: string;
  /** OAuth access token source (authorization-code flow, see ./oauth); called per attempt. */
  oauth?: { getAccessToken: () => string | Promise<string> };
  /** Requests per rolling second. Default 5 (DESIGN.md §6; Heartland publishes no limit, §2.6). */
  ratePerSecond?: number;
  /**
   * Extra ms added to the 1 s rate window as a safety margin (default 100): the limiter counts when
   * requests leave, Heartland counts when they arrive, and transit jitter could otherwise push one
   * request over the limit in Heartland's window.
   */
  rateMarginMs?: number;
  concurrency?: number;
  maxAttempts?: number;
  timeoutMs?: number;
  backoffBaseMs?: number;
  backoffCapMs?: number;
  maxRetryAfterMs?: number;
  /** Page size for iterators. Default 500 (large pages are accepted, §2.1). */
  pageSize?: number;
  /** [U] §3.8: gift-card adjustments path; `gift_card/adjustments` (S4, production) by default. */
  giftCardAdjustmentPath?: 'gift_card/adjustments' | 'gift_card_adjustments';
  fetch?: typeof fetch;
  clock?: Clock;
  logger?: Logger;
  random?: () => number;
}

export interface PageOptions {
  filter?: HeartlandFilter;
  sort?: CollectionQuery['sort'];
  include?: string[];
  only?: string[];
  query?: string;
  perPage?: number;
  params?: CollectionQuery['params'];
}

export interface KeysetOptions {
  /** Start after this id (exclusive). */
  afterId?: number;
  filter?: HeartlandFilter;
  include?: string[];
  perPage?: number;
  params?: CollectionQuery['params'];
}

export interface ChangedSinceOptions extends KeysetOptions {
  /** Only rows with `updated_at` after this ISO timestamp. */
  updatedAfter?: string;
}

const DEFAULT_PAGE_SIZE = 500;

/** The id at the end of a `Location` header (absolute or relative). */
export function idFromLocation(location: string | null | undefined): number | undefined {
  if (!location) return undefined;
  const m = /\/(\d+)\/?(?:\?.*)?$/.exec(location);
  return m ? Number(m[1]) : undefined;
}

function enc(id: number | string): string {
  return encodeURIComponent(String(id));
}

export function createHeartlandClient(options: HeartlandClientOptions) {
  if (!options.token && !options.oauth) throw new Error('Heartland client needs an API token or an OAuth access token source');
  const baseUrl = options.baseUrl.endsWith('/') ? options.baseUrl : options.baseUrl + '/';
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  const clock = options.clock ?? systemClock;
  const http: HttpClient = createHttpClient({
    system: 'heartland',
    baseUrl,
    ratePerSecond: options.ratePerSecond ?? 5,
    rateWindowMs: 1000 + (options.rateMarginMs ?? 100),
    concurrency: options.concurrency,
    maxAttempts: options.maxAttempts,
    timeoutMs: options.timeoutMs,
    backoffBaseMs: options.backoffBaseMs,
    backoffCapMs: options.backoffCapMs,
    maxRetryAfterMs: options.maxRetryAfterMs,
    fetch: options.fetch,
    clock: options.clock,
    logger: options.logger,
    random: options.random,
    parseError: parseHeartlandError,
    // Synchronous for a static token: no extra turn of the event loop between the rate limiter
    // releasing a request and the request leaving, which keeps the measured rate within limits.
    authorize: options.oauth
      ? async (req) => {
          req.headers.authorization = `Bearer ${await options.oauth!.getAccessToken()}`;
        }
      : (req) => {
          req.headers.authorization = `Bearer ${options.token}`;
        },
  });

  // ---- generic operations ----------------------------------------------------------------------

  async function get<S extends z.ZodTypeAny>(path: string, schema: S, query?: CollectionQuery): Promise<z.infer<S>> {
    const res = await http.request({ method: 'GET', path, query: query ? toSearchParams(query) : undefined });
    return parseResponse(schema, res.body, `GET ${path}`);
  }

  /** GET that maps 404 to undefined (lookups by key). */
  async function find<S extends z.ZodTypeAny>(path: string, schema: S, query?: CollectionQuery): Promise<z.infer<S> | undefined> {
    try {
      return await get(path, schema, query);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  function parseResponse<S extends z.ZodTypeAny>(schema: S, body: unknown, what: string): z.infer<S> {
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`Heartland ${what}: unexpected response shape at ${issue.path.join('.') || '(root)'}: ${issue.message}`);
    }
    return parsed.data;
  }

  async function page<S extends z.ZodTypeAny>(path: string, schema: S, query: CollectionQuery = {}): Promise<P.CollectionPage<z.infer<S>>> {
    return get(path, P.Collection(schema), query) as Promise<P.CollectionPage<z.infer<S>>>;
  }

  /** Every row of a collection, page by page (`page=1..pages`, §2.1). Use `sort` for a stable order. */
  async function* iteratePages<S extends z.ZodTypeAny>(path: string, schema: S, opts: PageOptions = {}): AsyncGenerator<z.infer<S>[]> {
    const perPage = opts.perPage ?? pageSize;
    for (let n = 1; ; n++) {
      const res = await page(path, schema, { ...opts, page: n, perPage });
      if (res.results.length) yield res.results;
      if (n >= res.pages || res.results.length === 0) return;
    }
  }

  async function* iterate<S extends z.ZodTypeAny>(path: string, schema: S, opts: PageOptions = {}): AsyncGenerator<z.infer<S>> {
    for await (const rows of iteratePages(path, schema, opts)) yield* rows;
  }

  /** Id keyset iteration: `sort[]=id` + `{"id":{"$gt":last}}` (§2.1, Heartland's own pattern). Safe while rows are added. */
  async function* iterateById<S extends z.ZodTypeAny>(path: string, schema: S, opts: KeysetOptions = {}): AsyncGenerator<z.infer<S>> {
    const perPage = opts.perPage ?? pageSize;
    let after = opts.afterId;
    for (;;) {
      const filter = allOf(opts.filter, after !== undefined ? { id: { $gt: after } } : undefined);
      const res = await page(path, schema, { filter, sort: ['id'], perPage, page: 1, include: opts.include, params: opts.params });
      for (const row of res.results) {
        yield row;
        after = (row as { id: number }).id;
      }
      if (res.results.length < perPage) return;
    }
  }

  /** `total` of a filtered collection with one tiny request (§2.1 count trick). */
  async function count(path: string, filter?: HeartlandFilter, params?: CollectionQuery['params']): Promise<number> {
    const res = await page(path, z.unknown(), { filter, page: 1, perPage: 1, params });
    return res.total;
  }

  /** First match of a filter, or undefined. */
  async function findFirst<S extends z.ZodTypeAny>(path: string, schema: S, filter: HeartlandFilter, extra: Partial<CollectionQuery> = {}): Promise<z.infer<S> | undefined> {
    const res = await page(path, schema, { ...extra, filter, sort: ['id'], page: 1, perPage: 1 });
    return res.results[0];
  }

  /**
   * A POST is never retried on timeouts, network errors or 5xx (the write may have happened), but a
   * 429 means the request was turned away unprocessed, so that one is retried after Retry-After.
   */
  async function postOnce(path: string, body: unknown) {
    const attempts = options.maxAttempts ?? 4;
    for (let attempt = 1; ; attempt++) {
      try {
        return await http.request({ method: 'POST', path, body, maxAttempts: 1 });
      } catch (err) {
        const limited = err instanceof UpstreamError && err.status === 429;
        if (!limited || attempt >= attempts || (err.retryAfterMs ?? 0) > (options.maxRetryAfterMs ?? 30_000)) throw err;
        await clock.sleep(err.retryAfterMs ?? fullJitterDelay(attempt, options.backoffBaseMs ?? 200, options.backoffCapMs ?? 5_000, options.random));
      }
    }
  }

  /**
   * POST a new resource and read it back through `Location` (§2.4). Sent once: a lost answer to a
   * create must be resolved by the caller's search-before-create, not by a blind retry.
   */
  async function create<S extends z.ZodTypeAny>(path: string, body: unknown, schema: S): Promise<z.infer<S>> {
    const res = await postOnce(path, body);
    const location = res.headers.get('location');
    if (!location) throw new Error(`Heartland POST ${path} answered ${res.status} without a Location header`);
    if (res.body && typeof res.body === 'object') {
      const inline = schema.safeParse(res.body);
      if (inline.success) return inline.data;
    }
    return get(new URL(location, baseUrl).toString(), schema);
  }

  /** POST to a sub-resource that may answer without Location (order taxes/discounts, §2.4). */
  async function post(path: string, body: unknown): Promise<{ id?: number; location?: string }> {
    const res = await postOnce(path, body);
    const location = res.headers.get('location') ?? undefined;
    return { id: idFromLocation(location), location };
  }

  /** Partial PUT (§2.4). The body may be empty: then the resource is read back. */
  async function update<S extends z.ZodTypeAny>(path: string, body: unknown, schema: S): Promise<z.infer<S>> {
    // PUT of the same partial body is idempotent, so the transport may retry it.
    const res = await http.request({ method: 'PUT', path, body });
    if (res.body && typeof res.body === 'object') {
      const parsed = schema.safeParse(res.body);
      if (parsed.success) return parsed.data;
    }
    return get(path, schema);
  }

  /** HEAD: true on 2xx, false on 404 (§2.1). */
  async function exists(path: string): Promise<boolean> {
    try {
      await http.request({ method: 'HEAD', path });
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  async function request<T = unknown>(req: HttpRequest) {
    return http.request<T>(req);
  }

  const changedSince = (o: ChangedSinceOptions) => allOf(o.filter, o.updatedAfter ? { updated_at: { $gt: o.updatedAfter } } : undefined);

  // ---- locations & stations (§3.1) -------------------------------------------------------------

  const locations = {
    list: (opts: { includeStations?: boolean; filter?: HeartlandFilter } = {}) =>
      collect(iterate('locations', P.Location, { filter: opts.filter, sort: ['id'], include: opts.includeStations ? ['stations'] : undefined })),
    get: (id: number, opts: { includeStations?: boolean } = {}) => get(`locations/${enc(id)}`, P.Location, opts.includeStations ? { include: ['stations'] } : undefined),
    findByPublicId: (publicId: string) => findFirst('locations', P.Location, { public_id: publicId }),
    listStations: (locationId?: number) => collect(iterate('stations', P.Station, { filter: locationId ? { location_id: locationId } : undefined, sort: ['id'] })),
    createStation: (body: { location_id: number; name: string; active?: boolean }) => create('stations', body, P.Station),
  };

  // ---- customers & addresses (§3.2) ------------------------------------------------------------

  const customers = {
    get: (id: number) => get(`customers/${enc(id)}`, P.Customer),
    find: (id: number) => find(`customers/${enc(id)}`, P.Customer),
    findByEmail: (email: string) => findFirst('customers', P.Customer, { email }),
    findByPublicId: (publicId: string) => findFirst('customers', P.Customer, { public_id: publicId }),
    /** Lookup by a (unique) customer custom field, e.g. `magento_customer_id`. */
    findByCustom: (key: string, value: string | number) => findFirst('customers', P.Customer, { [customField(key)]: value }),
    search: (text: string, perPage = 20) => page('customers', P.Customer, { query: text, perPage, page: 1 }).then((r) => r.results),
    create: (body: P.CustomerCreate) => create('customers', P.CustomerCreate.parse(body), P.Customer),
    update: (id: number, patch: P.CustomerUpdate) => update(`customers/${enc(id)}`, P.CustomerUpdate.parse(patch), P.Customer),
    iterate: (opts: ChangedSinceOptions = {}) => iterateById('customers', P.Customer, { ...opts, filter: changedSince(opts) }),
    listAddresses: (customerId: number) => collect(iterate(`customers/${enc(customerId)}/addresses`, P.Address, { sort: ['id'] })),
    getAddress: (customerId: number, addressId: number) => get(`customers/${enc(customerId)}/addresses/${enc(addressId)}`, P.Address),
    createAddress: (customerId: number, body: P.AddressCreate) => create(`customers/${enc(customerId)}/addresses`, P.AddressCreate.parse(body), P.Address),
    updateAddress: (customerId: number, addressId: number, patch: P.AddressUpdate) => update(`customers/${enc(customerId)}/addresses/${enc(addressId)}`, P.AddressUpdate.parse(patch), P.Address),
  };

  // ---- items, grids, custom fields, settings (§3.3) ---------------------------------------------

  const items = {
    get: (id: number) => get(`items/${enc(id)}`, P.Item),
    find: (id: number) => find(`items/${enc(id)}`, P.Item),
    exists: (id: number) => exists(`items/${enc(id)}`),
    /** SKU lookup: Heartland `public_id` = Magento `sku` (§3.3). */
    findBySku: (sku: string) => findFirst('items', P.Item, { public_id: sku }),
    /** Many SKUs in few requests (`$in`, 100 per request); the map has only the SKUs found. */
    findBySkus: async (skus: readonly string[]): Promise<Map<string, P.Item>> => {
      const out = new Map<string, P.Item>();
      for (const part of chunks([...new Set(skus)], 100)) {
        for await (const item of iterate('items', P.Item, { filter: { public_id: { $in: part } }, sort: ['id'], perPage: 100 })) {
          if (item.public_id) out.set(item.public_id, item);
        }
      }
      return out;
    },
    findByCustom: (key: string, value: string | number) => findFirst('items', P.Item, { [customField(key)]: value }),
    getMany: async (ids: readonly number[]): Promise<P.Item[]> => {
      const out: P.Item[] = [];
      for (const part of chunks([...new Set(ids)], 200)) for await (const item of iterate('items', P.Item, { filter: { id: { $in: part } }, sort: ['id'], perPage: 200 })) out.push(item);
      return out;
    },
    search: (text: string, perPage = 20) => page('items', P.Item, { query: text, perPage, page: 1 }).then((r) => r.results),
    /** All items (id keyset), optionally only those updated after a timestamp. */
    iterate: (opts: ChangedSinceOptions = {}) => iterateById('items', P.Item, { ...opts, filter: changedSince(opts) }),
    create: (body: P.ItemCreate) => create('items', P.ItemCreate.parse(body), P.Item),
    update: (id: number, patch: P.ItemUpdate) => update(`items/${enc(id)}`, P.ItemUpdate.parse(patch), P.Item),
    getGrid: (id: number) => get(`item_grids/${enc(id)}`, P.ItemGrid),
    listGridItems: (gridId: number) => collect(iterate('items', P.Item, { filter: { grid_id: gridId }, sort: ['id'] })),
  };

  const customFields = {
    /** Definitions for a group: `item`, `customer`, `sales.transaction`, `sales.transaction.line_item` (§3.3). */
    list: (groupId?: string) => collect(iterate('custom_fields', P.CustomField, { filter: groupId ? { group_id: groupId } : undefined, sort: ['id'] })),
  };

  const settings = {
    get: (key: string) => get(`settings/${enc(key)}`, P.Setting).then((s) => s.value),
  };

  // ---- inventory (§3.4) ------------------------------------------------------------------------

  const INVENTORY_GROUP = { 'group[]': ['item_id', 'location_id'] };

  const inventory = {
    /** Values per item × location, page by page in item/location order. */
    iterateValues: (opts: { locationIds?: number[]; itemIds?: number[]; perPage?: number; includeItem?: boolean } = {}) =>
      iterate('inventory/values', P.InventoryValue, {
        filter: allOf(opts.locationIds ? { location_id: { $in: opts.locationIds } } : undefined, opts.itemIds ? { item_id: { $in: opts.itemIds } } : undefined),
        sort: ['item_id', 'location_id'],
        perPage: opts.perPage,
        include: opts.includeItem ? ['item'] : undefined,
        params: INVENTORY_GROUP,
      }),
    /**
     * Values per item × location by item-id keyset: stable while stock moves and rows are added.
     * A page may end in the middle of an item's locations; that item is read again from its start.
     */
    iterateValuesByItem: async function* (opts: { locationIds?: number[]; afterItemId?: number; perPage?: number } = {}): AsyncGenerator<P.InventoryValue> {
      const perPage = opts.perPage ?? pageSize;
      let after = opts.afterItemId;
      const locFilter = opts.locationIds ? { location_id: { $in: opts.locationIds } } : undefined;
      for (;;) {
        const res = await page('inventory/values', P.InventoryValue, {
          filter: allOf(locFilter, after !== undefined ? { item_id: { $gt: after } } : undefined),
          sort: ['item_id', 'location_id'], perPage, page: 1, params: INVENTORY_GROUP,
        });
        const rows = res.results;
        if (rows.length < perPage) {
          yield* rows;
          return;
        }
        const lastItem = rows[rows.length - 1].item_id!;
        const complete = rows.filter((r) => r.item_id !== lastItem);
        if (complete.length) {
          yield* complete;
          after = complete[complete.length - 1].item_id!;
        } else {
          // One item has more locations than a page holds: read that item whole.
          yield* await collect(iterate('inventory/values', P.InventoryValue, { filter: allOf(locFilter, { item_id: lastItem }), sort: ['location_id'], perPage, params: INVENTORY_GROUP }));
          after = lastItem;
        }
      }
    },
    /** Current values for a set of items (batched `$in`), e.g. after transaction hints. */
    getValues: async (itemIds: readonly number[], locationIds?: number[]): Promise<P.InventoryValue[]> => {
      const out: P.InventoryValue[] = [];
      for (const part of chunks([...new Set(itemIds)], 200)) {
        for await (const row of inventory.iterateValues({ itemIds: part, locationIds, perPage: 1000 })) out.push(row);
      }
      return out;
    },
    /** Totals per item across the given locations (`group[]=item_id`). */
    iterateItemTotals: (opts: { locationIds?: number[]; perPage?: number } = {}) =>
      iterate('inventory/values', P.InventoryValue, {
        filter: opts.locationIds ? { location_id: { $in: opts.locationIds } } : undefined,
        sort: ['item_id'], perPage: opts.perPage, params: { 'group[]': ['item_id'] },
      }),
    /** Ledger rows after an id (the incremental stock cursor, §3.4). */
    iterateTransactions: (opts: { afterId?: number; locationId?: number; itemId?: number; perPage?: number; filter?: HeartlandFilter } = {}) =>
      iterateById('inventory/transactions', P.InventoryTransaction, {
        afterId: opts.afterId, perPage: opts.perPage,
        filter: allOf(opts.filter, opts.locationId ? { location_id: opts.locationId } : undefined, opts.itemId ? { item_id: opts.itemId } : undefined),
      }),
    /** Highest ledger id now (0 when empty): the consistency fence around a full read (§3.4). */
    lastTransactionId: async (): Promise<number> => {
      const res = await page('inventory/transactions', P.InventoryTransaction, { sort: [{ field: 'id', desc: true }], perPage: 1, page: 1, only: undefined });
      return res.results[0]?.id ?? 0;
    },
    countValues: (locationIds?: number[]) => count('inventory/values', locationIds ? { location_id: { $in: locationIds } } : undefined, INVENTORY_GROUP),
    reasonCodes: () => collect(iterate('reason_codes/inventory_adjustment_reasons', P.ReasonCode, { sort: ['id'] })),
    createReasonCode: (body: { name: string; description?: string }) => create('reason_codes/inventory_adjustment_reasons', body, P.ReasonCode),
    getAdjustmentSet: (id: number) => get(`inventory/adjustment_sets/${enc(id)}`, P.AdjustmentSet, { include: ['lines'] }),
    createAdjustmentSet: (body: P.AdjustmentSetCreate) => create('inventory/adjustment_sets', P.AdjustmentSetCreate.parse(body), P.AdjustmentSet),
    addAdjustmentSetLine: (setId: number, body: P.AdjustmentSetLineCreate) => create(`inventory/adjustment_sets/${enc(setId)}/lines`, P.AdjustmentSetLineCreate.parse(body), P.AdjustmentSetLine),
    completeAdjustmentSet: (setId: number) => update(`inventory/adjustment_sets/${enc(setId)}`, { status: 'complete' }, P.AdjustmentSet),
    /** Adjusts on-hand by deltas at one location: set → lines → complete (§3.4 [O/U]). */
    adjust: async (body: P.AdjustmentSetCreate & { lines: P.AdjustmentSetLineCreate[] }): Promise<P.AdjustmentSet> => {
      if (!body.lines.length) throw new Error('An inventory adjustment needs at least one line');
      const { lines, ...header } = body;
      const set = await inventory.createAdjustmentSet(header);
      for (const line of lines) await inventory.addAdjustmentSetLine(set.id, line);
      return inventory.completeAdjustmentSet(set.id);
    },
  };

  // ---- payment types, shipping methods (§3.7) ----------------------------------------------------

  const paymentTypes = {
    list: () => collect(iterate('payment_types', P.PaymentType, { sort: ['id'] })),
    findByName: (name: string) => findFirst('payment_types', P.PaymentType, { name }),
    create: (body: P.PaymentTypeCreate) => create('payment_types', P.PaymentTypeCreate.parse(body), P.PaymentType),
  };
  const shippingMethods = {
    list: () => collect(iterate('shipping_methods', P.ShippingMethod, { sort: ['id'] })),
    findByName: (name: string) => findFirst('shipping_methods', P.ShippingMethod, { name }),
  };
  const payments = {
    iterate: (opts: ChangedSinceOptions = {}) => iterateById('payments', P.Payment, { ...opts, filter: changedSince(opts) }),
  };

  // ---- sales orders (§3.5) ---------------------------------------------------------------------

  const orders = {
    get: (id: number, opts: { include?: Array<'lines' | 'payments' | 'taxes' | 'discounts' | 'customer' | 'location'> } = {}) =>
      get(`sales/orders/${enc(id)}`, P.SalesOrder, opts.include?.length ? { include: opts.include } : undefined),
    find: (id: number) => find(`sales/orders/${enc(id)}`, P.SalesOrder),
    /** Idempotency key of web orders: `custom.ecommerce_number` = Magento `increment_id` (CONTRACTS.md). */
    findByEcommerceNumber: (incrementId: string) => findFirst('sales/orders', P.SalesOrder, { [customField('ecommerce_number')]: incrementId }),
    findByPublicId: (publicId: string) => findFirst('sales/orders', P.SalesOrder, { public_id: publicId }),
    iterate: (opts: ChangedSinceOptions & { status?: string } = {}) =>
      iterateById('sales/orders', P.SalesOrder, { ...opts, filter: allOf(changedSince(opts), opts.status ? { status: opts.status } : undefined) }),
    create: (body: P.SalesOrderCreate) => create('sales/orders', P.SalesOrderCreate.parse(body), P.SalesOrder),
    update: (id: number, patch: P.SalesOrderUpdate) => update(`sales/orders/${enc(id)}`, P.SalesOrderUpdate.parse(patch), P.SalesOrder),
    /** pending → open: lines commit stock at their ship-from locations (§4). */
    open: (id: number) => update(`sales/orders/${enc(id)}`, { status: 'open' }, P.SalesOrder),
    /** ASSUMED cancel value `canceled` (§4 open question); pass the merchant's value when known. */
    cancel: (id: number, status = 'canceled') => update(`sales/orders/${enc(id)}`, { status }, P.SalesOrder),
    listLines: (id: number) => collect(iterate(`sales/orders/${enc(id)}/lines`, P.SalesOrderLine, { sort: ['id'] })),
    addLine: (id: number, body: P.SalesOrderLineCreate) => create(`sales/orders/${enc(id)}/lines`, P.SalesOrderLineCreate.parse(body), P.SalesOrderLine),
    updateLine: (id: number, lineId: number, patch: P.SalesOrderLineUpdate) => update(`sales/orders/${enc(id)}/lines/${enc(lineId)}`, P.SalesOrderLineUpdate.parse(patch), P.SalesOrderLine),
    listTaxes: (id: number) => collect(iterate(`sales/orders/${enc(id)}/taxes`, P.SalesOrderTax, {})),
    /** Taxes answer without Location (§2.4): nothing to read back. */
    addTax: async (id: number, body: P.SalesOrderTaxCreate): Promise<void> => { await post(`sales/orders/${enc(id)}/taxes`, P.SalesOrderTaxCreate.parse(body)); },
    listDiscounts: (id: number) => collect(iterate(`sales/orders/${enc(id)}/discounts`, P.SalesOrderDiscount, {})),
    addDiscount: async (id: number, body: P.SalesOrderDiscountCreate): Promise<void> => { await post(`sales/orders/${enc(id)}/discounts`, P.SalesOrderDiscountCreate.parse(body)); },
    listPayments: (id: number) => collect(iterate(`sales/orders/${enc(id)}/payments`, P.Payment, { sort: ['id'] })),
    /** A `CustomPayment` with `payment_type_id`; gateway references go in `custom`, never card data (§7). */
    addPayment: (id: number, body: P.PaymentCreate) => create(`sales/orders/${enc(id)}/payments`, P.PaymentCreate.parse(body), P.Payment),
  };

  // ---- invoices (§3.5) -------------------------------------------------------------------------

  const invoices = {
    get: (id: number, opts: { includeLines?: boolean } = {}) => get(`sales/invoices/${enc(id)}`, P.Invoice, opts.includeLines ? { include: ['lines'] } : undefined),
    find: (id: number) => find(`sales/invoices/${enc(id)}`, P.Invoice),
    listForOrder: (orderId: number, opts: { includeLines?: boolean } = {}) =>
      collect(iterate('sales/invoices', P.Invoice, { filter: { order_id: orderId }, sort: ['id'], include: opts.includeLines ? ['lines'] : undefined })),
    /** Invoices (optionally only `complete` ones, optionally changed after a time) by id keyset. */
    iterate: (opts: ChangedSinceOptions & { status?: string; includeLines?: boolean } = {}) =>
      iterateById('sales/invoices', P.Invoice, { ...opts, include: opts.includeLines ? ['lines'] : opts.include, filter: allOf(changedSince(opts), opts.status ? { status: opts.status } : undefined) }),
    create: (body: P.InvoiceCreate) => create('sales/invoices', P.InvoiceCreate.parse(body), P.Invoice),
    listLines: (id: number) => collect(iterate(`sales/invoices/${enc(id)}/lines`, P.InvoiceLine, { sort: ['id'] })),
    addLine: (id: number, body: P.InvoiceLineCreate) => create(`sales/invoices/${enc(id)}/lines`, P.InvoiceLineCreate.parse(body), P.InvoiceLine),
    update: (id: number, patch: P.InvoiceUpdate) => update(`sales/invoices/${enc(id)}`, P.InvoiceUpdate.parse(patch), P.Invoice),
    /** Completing deducts on-hand, releases committed and may close the order (§3.5). */
    complete: (id: number, custom?: P.InvoiceCustom) => update(`sales/invoices/${enc(id)}`, { status: 'complete', ...(custom ? { custom } : {}) }, P.Invoice),
  };

  // ---- tickets (§3.6) --------------------------------------------------------------------------

  const tickets = {
    get: (id: number, opts: { includeLines?: boolean } = {}) => get(`sales/tickets/${enc(id)}`, P.Ticket, opts.includeLines ? { include: ['lines'] } : undefined),
    listLines: (id: number) => collect(iterate(`sales/tickets/${enc(id)}/lines`, P.TicketLine, { sort: ['id'] })),
    /** Tickets by id keyset; `type: 'Return'` for returns, `status: 'complete'` for finished ones. */
    iterate: (opts: ChangedSinceOptions & { type?: 'Ticket' | 'Return'; status?: string; includeLines?: boolean } = {}) =>
      iterateById('sales/tickets', P.Ticket, {
        ...opts, include: opts.includeLines ? ['lines'] : opts.include,
        filter: allOf(changedSince(opts), opts.type ? { type: opts.type } : undefined, opts.status ? { status: opts.status } : undefined),
      }),
    /** Search-before-create for returns we push (e.g. `custom@ecommerce_creditmemo`). */
    findByCustom: (key: string, value: string | number) => findFirst('sales/tickets', P.Ticket, { [customField(key)]: value }),
    /** Whole ticket in one POST (§3.6); a `Return` has negative item qty and `parent_transaction_id` = invoice id. */
    create: (body: P.TicketCreate) => create('sales/tickets', P.TicketCreate.parse(body), P.Ticket),
    complete: (id: number) => update(`sales/tickets/${enc(id)}`, { status: 'complete' }, P.Ticket),
  };

  // ---- gift cards (§3.8) -----------------------------------------------------------------------

  const giftCardAdjustmentPath = options.giftCardAdjustmentPath ?? 'gift_card/adjustments';
  const giftCards = {
    /** By card number (not id); undefined when unknown. */
    get: (number: string) => find(`gift_cards/${enc(number)}`, P.GiftCard),
    findMany: async (numbers: readonly string[]): Promise<Map<string, P.GiftCard>> => {
      const out = new Map<string, P.GiftCard>();
      for (const part of chunks([...new Set(numbers)], 100)) for await (const card of iterate('gift_cards', P.GiftCard, { filter: { number: { $in: part } }, sort: ['id'], perPage: 100 })) out.set(card.number, card);
      return out;
    },
    iterate: (opts: ChangedSinceOptions = {}) => iterateById('gift_cards', P.GiftCard, { ...opts, filter: changedSince(opts) }),
    create: (body: P.GiftCardCreate) => create('gift_cards', P.GiftCardCreate.parse(body), P.GiftCard),
    /** A balance delta; the ledger of deltas is the flow's job (DESIGN.md §1.2). */
    adjust: async (body: P.GiftCardAdjustmentCreate, number?: string): Promise<P.GiftCardAdjustment | undefined> => {
      const parsed = P.GiftCardAdjustmentCreate.parse(body);
      if (giftCardAdjustmentPath === 'gift_card_adjustments') {
        if (!number) throw new Error('gift_card_adjustments path needs the card number');
        const res = await post('gift_card_adjustments', { gift_card_number: number, amount: parsed.delta_balance, reason_id: parsed.reason_id });
        return res.location ? get(new URL(res.location, baseUrl).toString(), P.GiftCardAdjustment) : undefined;
      }
      return create(giftCardAdjustmentPath, parsed, P.GiftCardAdjustment);
    },
    listAdjustments: (giftCardId: number) => collect(iterate(giftCardAdjustmentPath, P.GiftCardAdjustment, { filter: { gift_card_id: giftCardId }, sort: ['id'] })),
    reasonCodes: () => collect(iterate('reason_codes/gift_card_adjustment_reasons', P.ReasonCode, { sort: ['id'] })),
  };

  return {
    baseUrl,
    /** Requests sent and retries (for tests, benchmarks and the panel). */
    stats: http.stats,
    request,
    get,
    find,
    page,
    iterate,
    iteratePages,
    iterateById,
    count,
    findFirst,
    create,
    update,
    exists,
    locations,
    customers,
    items,
    customFields,
    settings,
    inventory,
    paymentTypes,
    shippingMethods,
    payments,
    orders,
    invoices,
    tickets,
    giftCards,
  };
}

export type HeartlandClient = ReturnType<typeof createHeartlandClient>;

/** Drains an async iterator into an array (for small collections). */
export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}
