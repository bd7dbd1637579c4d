/**
 * The Adobe Commerce REST client the flows use: PaaS (`rest/<store>/V1`) or SaaS (`V1` + `Store`
 * header) URLs, OAuth 1.0a / bearer / IMS auth, the shared transport (rate and concurrency limits,
 * retries honouring Retry-After), zod-validated responses, and Magento error messages with their
 * placeholders filled in.
 *
 * Retries: reads and upserts (source items, product saves by SKU, PUTs) are retried by the
 * transport; calls that create something (order save, ship, invoice, refund, customer and gift card
 * creation, comments) are sent once, because a timeout may hide a success and the flow's
 * idempotency check (look up before create) is the safe place to decide on a second attempt.
 */
import type { z } from 'zod';
import { createHttpClient, UpstreamError, type HttpClient, type HttpRequest } from '../platform/http';
import type { Clock, Logger } from '../platform/ports';
import { systemClock } from '../platform/ports';
import { bearerAuthorizer, imsAuthorizer, imsTokenSource, oauth1Authorizer, type Authorize, type CommerceAuth } from './auth';
import { CommerceResponseError, describeMagentoError, isNotFound, magentoErrorCode } from './errors';
import {
  BulkAccepted,
  BulkOperationStatus,
  BulkStatus,
  CreditMemo,
  CreditMemoSearchResults,
  Customer,
  CustomerSearchResults,
  GiftCardAccount,
  GiftCardAccountInput,
  GiftCardAccountSearchResults,
  Invoice,
  InvoiceOrderInput,
  InvoiceSearchResults,
  magentoNumber,
  Order,
  OrderAddress,
  OrderCommentInput,
  OrderSearchResults,
  Product,
  ProductInput,
  ProductSearchResults,
  RefundInput,
  SalableQuantity,
  Shipment,
  ShipmentSearchResults,
  ShipmentTrack,
  ShipOrderInput,
  Source,
  SourceItemInput,
  SourceItemSearchResults,
  SourceSearchResults,
  StatusHistory,
  type CustomerInput,
  type SearchResults,
  type SourceItem,
} from './payloads';
import { SearchCriteriaBuilder, searchCriteria } from './search-criteria';
import { z as zod } from 'zod';

export interface CommerceClientOptions {
  /** PaaS: the store's base URL (`https://shop.example.com/`); SaaS: `https://<region>.api.commerce.adobe.com/<tenant>/`. */
  baseUrl: string;
  auth: CommerceAuth;
  /** Default: `saas` when the host is `*.api.commerce.adobe.com` (as the Adobe SDK detects it), else `paas`. */
  flavour?: 'paas' | 'saas';
  /** Store view code: the PaaS path segment or the SaaS `Store` header. Default `all` (the SDK's default; admin-scope writes). */
  storeCode?: string;
  ratePerSecond?: number;
  concurrency?: number;
  timeoutMs?: number;
  maxAttempts?: number;
  fetch?: typeof fetch;
  clock?: Clock;
  logger?: Logger;
}

/** Order ship call: the documented body plus `sourceCode`, placed where MSI reads it (`arguments.extension_attributes.source_code`). */
export type ShipOrderRequest = ShipOrderInput & { sourceCode?: string };

export interface SourceItemsSaveResult {
  requests: number;
  items: number;
}

export interface CommerceClient {
  readonly flavour: 'paas' | 'saas';
  /** Requests sent (retries included), for tests and benchmarks. */
  readonly stats: HttpClient['stats'];
  orders: {
    get(id: number): Promise<Order>;
    find(id: number): Promise<Order | undefined>;
    findByIncrementId(incrementId: string): Promise<Order | undefined>;
    search(criteria?: SearchCriteriaBuilder): Promise<SearchResults<Order>>;
    /** Every match, page by page (pageSize from the criteria, default 100). */
    all(criteria?: SearchCriteriaBuilder): AsyncGenerator<Order>;
    /** `POST /V1/orders` with `{"entity": …}`: creates (no entity_id) or updates an order. */
    save(entity: Record<string, unknown>): Promise<Order>;
    /** `PUT /V1/orders/{id}` with an order address (`entity_id` or `address_type` picks which). */
    saveAddress(orderId: number, address: Record<string, unknown>): Promise<OrderAddress>;
    addComment(id: number, comment: OrderCommentInput): Promise<boolean>;
    comments(id: number): Promise<StatusHistory[]>;
    status(id: number): Promise<string>;
    cancel(id: number): Promise<boolean>;
    hold(id: number): Promise<boolean>;
    unhold(id: number): Promise<boolean>;
    /** Returns the new shipment id. */
    ship(orderId: number, request?: ShipOrderRequest): Promise<number>;
    /** Returns the new invoice id. */
    invoice(orderId: number, request?: InvoiceOrderInput): Promise<number>;
    /** Offline refund; returns the new credit memo id. */
    refund(orderId: number, request?: RefundInput): Promise<number>;
  };
  invoices: {
    get(id: number): Promise<Invoice>;
    search(criteria?: SearchCriteriaBuilder): Promise<SearchResults<Invoice>>;
    /** Refund through the invoice (online when `isOnline`); returns the credit memo id. */
    refund(invoiceId: number, request?: RefundInput): Promise<number>;
    capture(id: number): Promise<boolean>;
    void(id: number): Promise<boolean>;
  };
  shipments: {
    get(id: number): Promise<Shipment>;
    search(criteria?: SearchCriteriaBuilder): Promise<SearchResults<Shipment>>;
    forOrder(orderId: number): Promise<Shipment[]>;
    addTrack(track: { shipmentId: number; orderId: number; trackNumber: string; title: string; carrierCode: string }): Promise<ShipmentTrack>;
  };
  creditMemos: {
    get(id: number): Promise<CreditMemo>;
    search(criteria?: SearchCriteriaBuilder): Promise<SearchResults<CreditMemo>>;
    forOrder(orderId: number): Promise<CreditMemo[]>;
  };
  customers: {
    get(id: number): Promise<Customer>;
    find(id: number): Promise<Customer | undefined>;
    /** Case-insensitive on the server (MySQL collation); several websites may each have one. */
    findByEmail(email: string): Promise<Customer[]>;
    search(criteria?: SearchCriteriaBuilder): Promise<SearchResults<Customer>>;
    all(criteria?: SearchCriteriaBuilder): AsyncGenerator<Customer>;
    create(customer: CustomerInput, password?: string): Promise<Customer>;
    update(id: number, customer: CustomerInput): Promise<Customer>;
    delete(id: number): Promise<boolean>;
  };
  products: {
    get(sku: string): Promise<Product>;
    find(sku: string): Promise<Product | undefined>;
    search(criteria?: SearchCriteriaBuilder): Promise<SearchResults<Product>>;
    all(criteria?: SearchCriteriaBuilder): AsyncGenerator<Product>;
    /** Creates or updates by SKU (`PUT /V1/products/{sku}`, which Magento treats as an upsert). */
    save(product: ProductInput): Promise<Product>;
    delete(sku: string): Promise<boolean>;
  };
  inventory: {
    sources(criteria?: SearchCriteriaBuilder): Promise<SearchResults<Source>>;
    getSource(code: string): Promise<Source>;
    createSource(source: { source_code: string; name: string; postcode: string; country_id: string; enabled?: boolean; [k: string]: unknown }): Promise<void>;
    /** Source items of these SKUs (chunked into `in` filters). */
    sourceItemsForSkus(skus: string[], opts?: { chunkSize?: number }): Promise<SourceItem[]>;
    searchSourceItems(criteria?: SearchCriteriaBuilder): Promise<SearchResults<SourceItem>>;
    /** Synchronous upsert in batches (default 500 per request; Magento's input limit, when enabled, is 20). */
    saveSourceItems(items: SourceItemInput[], opts?: { batchSize?: number }): Promise<SourceItemsSaveResult>;
    deleteSourceItems(items: { sku: string; source_code: string }[]): Promise<void>;
    /** One async bulk request carrying `ceil(n / batchSize)` operations; returns the accepted bulk. */
    bulkSaveSourceItems(items: SourceItemInput[], opts?: { batchSize?: number }): Promise<BulkAccepted>;
    salableQty(sku: string, stockId?: number): Promise<number>;
    isSalable(sku: string, stockId?: number): Promise<boolean>;
  };
  bulk: {
    status(bulkUuid: string): Promise<BulkStatus>;
    /** Polls until no operation is open (status 4); resolves the final status. */
    waitFor(bulkUuid: string, opts?: { timeoutMs?: number; pollMs?: number }): Promise<BulkStatus>;
  };
  giftCards: {
    get(id: number): Promise<GiftCardAccount>;
    findByCode(code: string): Promise<GiftCardAccount | undefined>;
    search(criteria?: SearchCriteriaBuilder): Promise<SearchResults<GiftCardAccount>>;
    create(account: GiftCardAccountInput & { balance: number }): Promise<GiftCardAccount>;
    update(id: number, patch: GiftCardAccountInput): Promise<GiftCardAccount>;
    delete(id: number): Promise<boolean>;
  };
}

const SAAS_HOST = /^([a-zA-Z0-9-]+\.)?api\.commerce\.adobe\.com\/[a-zA-Z0-9-]+\/?$/;

export function detectFlavour(baseUrl: string): 'paas' | 'saas' {
  const u = new URL(baseUrl);
  return SAAS_HOST.test(`${u.host}${u.pathname}`) ? 'saas' : 'paas';
}

function validate<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new CommerceResponseError(what, parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })));
}

const enc = encodeURIComponent;

export function createCommerceClient(options: CommerceClientOptions): CommerceClient {
  const flavour = options.flavour ?? detectFlavour(options.baseUrl);
  const storeCode = options.storeCode ?? 'all';
  const clock = options.clock ?? systemClock;
  if (flavour === 'saas' && options.auth.kind !== 'ims') {
    // The SaaS gateway takes IMS tokens only (commerce.md §1.4); fail at start-up, not on the first call.
    throw new Error('Adobe Commerce as a Cloud Service accepts IMS auth only: configure the IMS client credentials.');
  }
  let authorize: Authorize;
  let ims: ReturnType<typeof imsTokenSource> | undefined;
  switch (options.auth.kind) {
    case 'oauth1':
      authorize = oauth1Authorizer(options.auth, clock);
      break;
    case 'bearer':
      authorize = bearerAuthorizer(options.auth.token);
      break;
    case 'ims':
      ims = imsTokenSource(options.auth, { fetch: options.fetch, clock });
      authorize = imsAuthorizer(options.auth, ims);
      break;
  }
  const http = createHttpClient({
    system: 'commerce',
    baseUrl: options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`,
    ratePerSecond: options.ratePerSecond,
    concurrency: options.concurrency,
    timeoutMs: options.timeoutMs,
    maxAttempts: options.maxAttempts,
    headers: flavour === 'saas' ? { store: storeCode } : undefined,
    authorize,
    parseError: (status, body, text) => ({
      code: magentoErrorCode(status),
      message: describeMagentoError(body) ?? (text.slice(0, 300) || `HTTP ${status}`),
      details: body,
    }),
    fetch: options.fetch,
    clock,
    logger: options.logger,
  });

  const prefix = flavour === 'saas' ? 'V1' : `rest/${enc(storeCode)}/V1`;
  const asyncBulkPrefix = flavour === 'saas' ? 'V1/async/bulk' : `rest/${enc(storeCode)}/async/bulk/V1`;

  async function call<S extends z.ZodType>(schema: S, what: string, req: Omit<HttpRequest, 'path'> & { path: string; bulk?: boolean }): Promise<z.output<S>> {
    const send = () => http.request({ ...req, path: `${req.bulk ? asyncBulkPrefix : prefix}/${req.path.replace(/^\//, '')}` });
    let res;
    try {
      res = await send();
    } catch (err) {
      if (!(ims && err instanceof UpstreamError && err.status === 401)) throw err;
      // A revoked or expired IMS token: nothing was processed, so fetch a new token and try once more.
      ims.invalidate();
      res = await send();
    }
    return validate(schema, res.body, what);
  }
  const once = { maxAttempts: 1 } as const;
  const bool = zod.boolean();
  const int = magentoNumber;

  async function findOrUndefined<T>(p: Promise<T>): Promise<T | undefined> {
    try {
      return await p;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  function searcher<S extends z.ZodType>(path: string, schema: S, what: string) {
    return (criteria: SearchCriteriaBuilder = searchCriteria()) => call(schema, what, { method: 'GET', path, query: criteria.toSearchParams() });
  }

  /** Pages through a search; stops on total_count because Magento clamps pages past the end to the last page. */
  async function* everything<T>(search: (c: SearchCriteriaBuilder) => Promise<SearchResults<T>>, criteria: SearchCriteriaBuilder = searchCriteria()) {
    const size = criteria.pageSize ?? 100;
    let seen = 0;
    for (let page = 1; ; page++) {
      const res = await search(criteria.clone().page(size, page));
      for (const item of res.items) yield item;
      seen += res.items.length;
      if (res.items.length < size || seen >= res.total_count) return;
    }
  }

  const searchOrders = searcher('orders', OrderSearchResults, 'order search');
  const searchCustomers = searcher('customers/search', CustomerSearchResults, 'customer search');
  const searchProducts = searcher('products', ProductSearchResults, 'product search');
  const searchSourceItems = searcher('inventory/source-items', SourceItemSearchResults, 'source item search');
  const searchShipments = searcher('shipments', ShipmentSearchResults, 'shipment search');
  const searchCreditMemos = searcher('creditmemos', CreditMemoSearchResults, 'credit memo search');
  const searchGiftCards = searcher('giftcardaccounts', GiftCardAccountSearchResults, 'gift card account search');

  const getOrder = (id: number) => call(Order, 'order', { method: 'GET', path: `orders/${id}` });
  const getCustomer = (id: number) => call(Customer, 'customer', { method: 'GET', path: `customers/${id}` });
  const getProduct = (sku: string) => call(Product, 'product', { method: 'GET', path: `products/${enc(sku)}` });

  function shipBody(req: ShipOrderRequest = {}) {
    const { sourceCode, ...rest } = req;
    const body = ShipOrderInput.parse(rest);
    if (sourceCode) body.arguments = { ...body.arguments, extension_attributes: { ...body.arguments?.extension_attributes, source_code: sourceCode } };
    return body;
  }

  function chunks<T>(items: T[], size: number): T[][] {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`batchSize must be a positive integer, got ${size}`);
    const out: T[][] = [];
    for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
    return out;
  }

  return {
    flavour,
    stats: http.stats,
    orders: {
      get: getOrder,
      find: (id) => findOrUndefined(getOrder(id)),
      async findByIncrementId(incrementId) {
        const res = await searchOrders(searchCriteria().where('increment_id', incrementId).page(1));
        return res.items[0];
      },
      search: searchOrders,
      all: (criteria) => everything(searchOrders, criteria),
      save: (entity) => call(Order, 'order save', { method: 'POST', path: 'orders', body: { entity }, ...once }),
      saveAddress: (orderId, address) => call(OrderAddress, 'order address save', { method: 'PUT', path: `orders/${orderId}`, body: { entity: address } }),
      addComment: (id, comment) => call(bool, 'order comment', { method: 'POST', path: `orders/${id}/comments`, body: { statusHistory: OrderCommentInput.parse(comment) }, ...once }),
      comments: async (id) => (await call(zod.looseObject({ items: zod.array(StatusHistory) }), 'order comments', { method: 'GET', path: `orders/${id}/comments` })).items,
      status: (id) => call(zod.string(), 'order status', { method: 'GET', path: `orders/${id}/statuses` }),
      cancel: (id) => call(bool, 'order cancel', { method: 'POST', path: `orders/${id}/cancel` }),
      hold: (id) => call(bool, 'order hold', { method: 'POST', path: `orders/${id}/hold` }),
      unhold: (id) => call(bool, 'order unhold', { method: 'POST', path: `orders/${id}/unhold` }),
      ship: (orderId, req) => call(int, 'ship', { method: 'POST', path: `order/${orderId}/ship`, body: shipBody(req), ...once }),
      invoice: (orderId, req = {}) => call(int, 'invoice', { method: 'POST', path: `order/${orderId}/invoice`, body: InvoiceOrderInput.parse(req), ...once }),
      refund: (orderId, req = {}) => call(int, 'refund', { method: 'POST', path: `order/${orderId}/refund`, body: RefundInput.parse(req), ...once }),
    },
    invoices: {
      get: (id) => call(Invoice, 'invoice', { method: 'GET', path: `invoices/${id}` }),
      search: searcher('invoices', InvoiceSearchResults, 'invoice search'),
      refund: (invoiceId, req = {}) => call(int, 'invoice refund', { method: 'POST', path: `invoice/${invoiceId}/refund`, body: RefundInput.parse(req), ...once }),
      // ASSUMED: Magento answers these with a boolean (a string on some versions); both count as success.
      capture: async (id) => Boolean(await call(zod.union([bool, zod.string()]), 'invoice capture', { method: 'POST', path: `invoices/${id}/capture`, ...once })),
      void: async (id) => Boolean(await call(zod.union([bool, zod.string()]), 'invoice void', { method: 'POST', path: `invoices/${id}/void`, ...once })),
    },
    shipments: {
      get: (id) => call(Shipment, 'shipment', { method: 'GET', path: `shipment/${id}` }),
      search: searchShipments,
      forOrder: async (orderId) => (await searchShipments(searchCriteria().where('order_id', orderId))).items,
      addTrack: (t) =>
        call(ShipmentTrack, 'shipment track', {
          method: 'POST',
          path: 'shipment/track',
          body: { entity: { order_id: t.orderId, parent_id: t.shipmentId, track_number: t.trackNumber, title: t.title, carrier_code: t.carrierCode, weight: 0, qty: 0, description: '' } },
          ...once,
        }),
    },
    creditMemos: {
      get: (id) => call(CreditMemo, 'credit memo', { method: 'GET', path: `creditmemo/${id}` }),
      search: searchCreditMemos,
      forOrder: async (orderId) => (await searchCreditMemos(searchCriteria().where('order_id', orderId))).items,
    },
    customers: {
      get: getCustomer,
      find: (id) => findOrUndefined(getCustomer(id)),
      findByEmail: async (email) => (await searchCustomers(searchCriteria().where('email', email.trim()))).items,
      search: searchCustomers,
      all: (criteria) => everything(searchCustomers, criteria),
      create: (customer, password) =>
        call(Customer, 'customer create', { method: 'POST', path: 'customers', body: password ? { customer, password } : { customer }, ...once }),
      update: (id, customer) => call(Customer, 'customer update', { method: 'PUT', path: `customers/${id}`, body: { customer: { ...customer, id } } }),
      delete: (id) => call(bool, 'customer delete', { method: 'DELETE', path: `customers/${id}` }),
    },
    products: {
      get: getProduct,
      find: (sku) => findOrUndefined(getProduct(sku)),
      search: searchProducts,
      all: (criteria) => everything(searchProducts, criteria),
      save: (product) => {
        const body = ProductInput.parse(product);
        return call(Product, 'product save', { method: 'PUT', path: `products/${enc(body.sku)}`, body: { product: body } });
      },
      delete: (sku) => call(bool, 'product delete', { method: 'DELETE', path: `products/${enc(sku)}` }),
    },
    inventory: {
      sources: searcher('inventory/sources', SourceSearchResults, 'source search'),
      getSource: (code) => call(Source, 'source', { method: 'GET', path: `inventory/sources/${enc(code)}` }),
      createSource: async (source) => {
        await call(zod.unknown(), 'source create', { method: 'POST', path: 'inventory/sources', body: { source } });
      },
      async sourceItemsForSkus(skus, opts = {}) {
        const unique = [...new Set(skus)];
        const found: SourceItem[] = [];
        // `in` lists go into the query string; 200 SKUs keep URLs well under common 8 KB limits.
        for (const chunk of chunks(unique, opts.chunkSize ?? 200)) {
          if (!chunk.length) continue;
          for await (const item of everything(searchSourceItems, searchCriteria().where('sku', chunk, 'in').page(1000))) found.push(item);
        }
        return found;
      },
      searchSourceItems,
      async saveSourceItems(items, opts = {}) {
        const valid = items.map((i) => SourceItemInput.parse(i));
        const batches = chunks(valid, opts.batchSize ?? 500);
        for (const batch of batches) await call(zod.array(zod.unknown()), 'source items save', { method: 'POST', path: 'inventory/source-items', body: { sourceItems: batch } });
        return { requests: batches.length, items: valid.length };
      },
      deleteSourceItems: async (items) => {
        if (!items.length) return;
        await call(zod.array(zod.unknown()), 'source items delete', { method: 'POST', path: 'inventory/source-items-delete', body: { sourceItems: items } });
      },
      bulkSaveSourceItems: (items, opts = {}) => {
        const valid = items.map((i) => SourceItemInput.parse(i));
        const bodies = chunks(valid, opts.batchSize ?? 500).map((sourceItems) => ({ sourceItems }));
        if (!bodies.length) throw new RangeError('bulkSaveSourceItems needs at least one source item');
        return call(BulkAccepted, 'bulk source items save', { method: 'POST', path: 'inventory/source-items', body: bodies, bulk: true, ...once });
      },
      salableQty: (sku, stockId = 1) => call(SalableQuantity, 'salable quantity', { method: 'GET', path: `inventory/get-product-salable-quantity/${enc(sku)}/${stockId}` }),
      isSalable: (sku, stockId = 1) => call(bool, 'is salable', { method: 'GET', path: `inventory/is-product-salable/${enc(sku)}/${stockId}` }),
    },
    bulk: {
      status: (uuid) => call(BulkStatus, 'bulk status', { method: 'GET', path: `bulk/${enc(uuid)}/status` }),
      async waitFor(uuid, opts = {}) {
        const deadline = clock.now() + (opts.timeoutMs ?? 60_000);
        for (;;) {
          const status = await call(BulkStatus, 'bulk status', { method: 'GET', path: `bulk/${enc(uuid)}/status` });
          if (!status.operations_list.some((o) => o.status === BulkOperationStatus.open)) return status;
          if (clock.now() >= deadline) throw new Error(`bulk ${uuid} still has open operations after ${opts.timeoutMs ?? 60_000} ms`);
          await clock.sleep(opts.pollMs ?? 500);
        }
      },
    },
    giftCards: {
      get: (id) => call(GiftCardAccount, 'gift card account', { method: 'GET', path: `giftcardaccounts/${id}` }),
      findByCode: (code) => findOrUndefined(call(GiftCardAccount, 'gift card account', { method: 'GET', path: `giftcardaccounts/code/${enc(code)}` })),
      search: searchGiftCards,
      create: (account) =>
        call(GiftCardAccount, 'gift card account create', { method: 'POST', path: 'giftcardaccounts', body: { giftcardAccount: GiftCardAccountInput.parse(account) }, ...once }),
      update: (id, patch) => call(GiftCardAccount, 'gift card account update', { method: 'PUT', path: `giftcardaccounts/${id}`, body: { giftcardAccount: GiftCardAccountInput.parse(patch) } }),
      delete: (id) => call(bool, 'gift card account delete', { method: 'DELETE', path: `giftcardaccounts/${id}` }),
    },
  };
}

export { searchCriteria, SearchCriteriaBuilder } from './search-criteria';
