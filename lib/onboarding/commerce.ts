/**
 * Commerce side of onboarding: is the store reachable, does it take the integration credentials,
 * which ACL resources does the integration lack (Magento answers 401 "The consumer isn't
 * authorized to access %resources." naming the resource, commerce.md §1.5), and which optional
 * modules the edition has (MSI, gift card accounts, I/O Events: a missing module's routes answer
 * 404 "Request does not match any route."). Then what there is to map: sources, stocks, and the
 * payment and shipping methods the shop uses.
 */
import { bearerAuthorizer, imsAuthorizer, imsTokenSource, oauth1Authorizer, type Authorize, type CommerceAuth as ClientAuth } from '../commerce/auth';
import { NO_ROUTE_MESSAGE, formatMagentoMessage } from '../commerce/errors';
import type { ConnectionSettings } from '../config/settings';
import { describeNetworkCode, probe, type ProbeResult } from './probe';
import { ok, type Finding } from './findings';

export interface CommerceProbeOptions {
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export type CommerceConnection = ConnectionSettings['commerce'];

export interface CommerceRequest {
  method?: 'GET' | 'POST' | 'PUT';
  /** Path after `/V1/`, e.g. `orders`. */
  path: string;
  query?: Record<string, string>;
  body?: unknown;
}

/** A signed request to `<COMMERCE_BASE_URL>/V1/<path>` (the REST root works for PaaS and SaaS alike). */
export type CommerceRequester = (request: CommerceRequest) => Promise<ProbeResult>;

function clientAuth(auth: CommerceConnection['auth']): ClientAuth {
  if (auth.kind === 'bearer') return { kind: 'bearer', token: auth.accessToken };
  if (auth.kind === 'oauth1') return auth;
  return { kind: 'ims', clientId: auth.clientId, clientSecret: auth.clientSecret, orgId: auth.orgId, scopes: auth.scopes };
}

export function commerceRequester(conn: CommerceConnection, options: CommerceProbeOptions = {}): CommerceRequester {
  const auth = clientAuth(conn.auth);
  const authorize: Authorize =
    auth.kind === 'oauth1' ? oauth1Authorizer(auth) : auth.kind === 'bearer' ? bearerAuthorizer(auth.token) : imsAuthorizer(auth, imsTokenSource(auth, { fetch: options.fetch }));
  return async (request) => {
    const url = new URL(`${conn.baseUrl.replace(/\/+$/, '')}/V1/${request.path.replace(/^\//, '')}`);
    for (const [k, v] of Object.entries(request.query ?? {})) url.searchParams.set(k, v);
    const headers: Record<string, string> = {};
    const method = request.method ?? 'GET';
    try {
      await authorize({ method, url: url.toString(), headers });
    } catch (error) {
      // IMS token request failed: report as an answer of the token service.
      const e = error as { status?: number; message?: string };
      return { kind: 'answer', status: e.status && e.status > 0 ? e.status : 401, body: { message: e.message ?? 'IMS token request failed', ims: true }, text: e.message ?? '', headers: new Headers() };
    }
    return probe({ method, url: url.toString(), headers, body: request.body, timeoutMs: options.timeoutMs, fetch: options.fetch });
  };
}

export function magentoMessage(result: ProbeResult & { kind: 'answer' }): string {
  const body = result.body as { message?: unknown; parameters?: unknown } | undefined;
  if (body && typeof body.message === 'string') return formatMagentoMessage(body.message, body.parameters);
  return result.text.slice(0, 120) || `HTTP ${result.status}`;
}

const isNoRoute = (r: ProbeResult) => r.kind === 'answer' && r.status === 404 && (r.body as { message?: string } | undefined)?.message === NO_ROUTE_MESSAGE;

/** The ACL resource a 401 names (`parameters.resources`), if any. */
function deniedResource(r: ProbeResult): string | undefined {
  if (r.kind !== 'answer' || r.status !== 401) return undefined;
  const params = (r.body as { parameters?: unknown } | undefined)?.parameters;
  if (params && typeof params === 'object' && !Array.isArray(params) && typeof (params as { resources?: unknown }).resources === 'string') return (params as { resources: string }).resources;
  if (Array.isArray(params) && typeof params[0] === 'string') return params[0];
  return undefined;
}

export type CommerceModule = 'msi' | 'giftCardAccounts' | 'eventing';

export const MODULE_NAMES: Record<CommerceModule, string> = {
  msi: 'Multi-Source Inventory (MSI)',
  giftCardAccounts: 'Gift card accounts',
  eventing: 'Adobe I/O Events for Commerce',
};

const MODULE_FIX: Record<CommerceModule, string> = {
  msi: 'Enable the Magento_Inventory* modules (bin/magento module:enable $(bin/magento module:status | grep Magento_Inventory) && bin/magento setup:upgrade). Stock cannot be pushed per location without MSI.',
  giftCardAccounts:
    'Gift card account REST endpoints exist on Adobe Commerce as a Cloud Service (commerce.md §2.12), not on Magento Open Source or PaaS core. Gift card sync stays off; everything else works.',
  eventing:
    'Install Adobe I/O Events for Commerce (composer require magento/commerce-eventing && bin/magento setup:upgrade), enable it under Stores → Configuration → Adobe Services → Adobe I/O Events, then run `hcc setup` again.',
};

/**
 * Endpoints the connector uses and the ACL resource each needs. ASSUMED: the Sales resource names
 * are inferred for 2.4 (commerce.md §6); the 401 body names the real one, which wins when present.
 */
export const COMMERCE_PROBES: { check: string; path: string; query?: Record<string, string>; acl: string; usedFor: string; module?: CommerceModule }[] = [
  { check: 'orders', path: 'orders', query: { 'searchCriteria[pageSize]': '1' }, acl: 'Magento_Sales::actions_view', usedFor: 'reading web orders' },
  { check: 'products', path: 'products', query: { 'searchCriteria[pageSize]': '1' }, acl: 'Magento_Catalog::products', usedFor: 'products and SKU matching' },
  { check: 'customers', path: 'customers/search', query: { 'searchCriteria[pageSize]': '1' }, acl: 'Magento_Customer::customer', usedFor: 'customer sync' },
  { check: 'MSI sources', path: 'inventory/sources', query: { 'searchCriteria[pageSize]': '1' }, acl: 'Magento_InventoryApi::source', usedFor: 'the location → source map', module: 'msi' },
  { check: 'MSI stocks', path: 'inventory/stocks', query: { 'searchCriteria[pageSize]': '1' }, acl: 'Magento_InventoryApi::stock', usedFor: 'salable quantities', module: 'msi' },
  { check: 'gift card accounts', path: 'giftcardaccounts', query: { 'searchCriteria[pageSize]': '1' }, acl: 'Magento_GiftCardAccount::giftcardaccount', usedFor: 'gift card balances', module: 'giftCardAccounts' },
  { check: 'event subscriptions', path: 'eventing/getEventSubscriptions', acl: 'Magento_AdobeCommerceEventsClient::event_subscribe', usedFor: 'subscribing the order, customer and credit memo events', module: 'eventing' },
];

export interface CommerceCheck {
  findings: Finding[];
  usable: boolean;
  modules: Record<CommerceModule, boolean>;
  /** Probe checks that answered 2xx. */
  readable: Set<string>;
}

const ACL_FIX = (resource: string) =>
  `In the Commerce admin open System → Extensions → Integrations → (the connector's integration) → API, set Resource Access to Custom and tick "${resource}", save, then Reauthorize the integration if Commerce asks. Then run \`hcc doctor\` again.`;

/** Checks reachability, credentials, ACL resources and optional modules; changes nothing. */
export async function checkCommerce(conn: CommerceConnection, options: CommerceProbeOptions = {}): Promise<CommerceCheck> {
  const request = commerceRequester(conn, options);
  const findings: Finding[] = [];
  const modules: Record<CommerceModule, boolean> = { msi: false, giftCardAccounts: false, eventing: false };
  const readable = new Set<string>();
  const results = [];
  for (const p of COMMERCE_PROBES) results.push({ p, r: await request({ path: p.path, query: p.query }) });

  const network = results.find((x) => x.r.kind === 'network');
  if (network && network.r.kind === 'network') {
    findings.push({
      system: 'commerce', check: 'connection', level: 'error', kind: 'unreachable',
      message: `Commerce at ${conn.baseUrl} is unreachable: ${describeNetworkCode(network.r.code)}.`,
      missing: 'COMMERCE_BASE_URL',
      fix: 'Check COMMERCE_BASE_URL: the REST root, e.g. https://shop.example.com/rest (PaaS) or https://<server>.api.commerce.adobe.com/<tenant-id> (SaaS), and that this machine can reach it.',
    });
    return { findings, usable: false, modules, readable };
  }
  const answers = results as { p: (typeof COMMERCE_PROBES)[number]; r: ProbeResult & { kind: 'answer' } }[];
  const ims = answers.find((x) => (x.r.body as { ims?: boolean } | undefined)?.ims);
  if (ims) {
    findings.push({
      system: 'commerce', check: 'credentials', level: 'error', kind: 'bad_credentials',
      message: `Adobe IMS refused the Commerce client credentials: ${magentoMessage(ims.r)}.`,
      missing: 'COMMERCE_IMS_CLIENT_ID',
      fix: 'Copy the client id, client secret and org id of the OAuth Server-to-Server credential from Adobe Developer Console into COMMERCE_IMS_CLIENT_ID, COMMERCE_IMS_CLIENT_SECRET and COMMERCE_IMS_ORG_ID.',
    });
    return { findings, usable: false, modules, readable };
  }
  const core = answers.filter((x) => !x.p.module);
  if (core.every((x) => isNoRoute(x.r) || (x.r.status === 404 && x.r.body === undefined))) {
    findings.push({
      system: 'commerce', check: 'connection', level: 'error', kind: 'wrong_base_url',
      message: `${conn.baseUrl} answers but has no Commerce REST API there (GET /V1/orders → 404).`,
      missing: 'COMMERCE_BASE_URL',
      fix: 'COMMERCE_BASE_URL is the part before /V1: https://shop.example.com/rest for PaaS (with /rest), the tenant URL for SaaS.',
    });
    return { findings, usable: false, modules, readable };
  }
  const nonModule401 = answers.filter((x) => x.r.status === 401 && !isNoRoute(x.r));
  if (nonModule401.length === answers.filter((x) => !isNoRoute(x.r)).length) {
    // Every existing route refuses: Magento treats a failed integration signature as a guest, so
    // each answer names a resource, but the real cause is the credentials (or an empty integration).
    findings.push({
      system: 'commerce', check: 'credentials', level: 'error', kind: 'bad_credentials',
      message: `Commerce refused every request (401: ${magentoMessage(nonModule401[0]!.r)}). The integration credentials are wrong, the integration is not active, or it was granted no API resources.`,
      missing: conn.auth.kind === 'oauth1' ? 'COMMERCE_CONSUMER_KEY' : conn.auth.kind === 'bearer' ? 'COMMERCE_ACCESS_TOKEN' : 'COMMERCE_IMS_CLIENT_ID',
      fix:
        conn.auth.kind === 'bearer'
          ? 'Check COMMERCE_ACCESS_TOKEN, and that Stores → Configuration → Services → OAuth → "Allow OAuth Access Tokens to be used as standalone Bearer tokens" is Yes; or set all four integration values for OAuth 1.0a.'
          : 'Open System → Extensions → Integrations, (re)activate the integration and copy its consumer key, consumer secret, access token and access token secret into COMMERCE_CONSUMER_KEY, COMMERCE_CONSUMER_SECRET, COMMERCE_ACCESS_TOKEN and COMMERCE_ACCESS_TOKEN_SECRET.',
    });
    return { findings, usable: false, modules, readable };
  }
  findings.push(ok('commerce', 'credentials', `Commerce answers at ${conn.baseUrl} and accepts the ${conn.auth.kind === 'oauth1' ? 'OAuth 1.0a integration' : conn.auth.kind === 'bearer' ? 'bearer token' : 'IMS'} credentials.`));

  for (const { p, r } of answers) {
    if (p.module && isNoRoute(r)) {
      findings.push({
        system: 'commerce', check: p.check, level: p.module === 'giftCardAccounts' ? 'warning' : 'error', kind: 'missing_module',
        message: `${MODULE_NAMES[p.module]} is not available on this store (GET /V1/${p.path} → "${NO_ROUTE_MESSAGE}"), needed for ${p.usedFor}.`,
        missing: MODULE_NAMES[p.module],
        fix: MODULE_FIX[p.module],
      });
      continue;
    }
    if (p.module) modules[p.module] = true;
    if (r.status === 401) {
      const resource = deniedResource(r) ?? p.acl;
      findings.push({
        system: 'commerce', check: p.check, level: 'error', kind: 'missing_acl',
        message: `The integration may not use /V1/${p.path}, needed for ${p.usedFor}: ACL resource "${resource}" is not granted.`,
        missing: resource,
        fix: ACL_FIX(resource),
      });
      continue;
    }
    if (r.status >= 400) {
      findings.push({ system: 'commerce', check: p.check, level: 'error', kind: 'unexpected_answer', message: `GET /V1/${p.path} answered ${r.status}: ${magentoMessage(r)}.`, fix: 'Run the check again; if it persists, look for the report id in the Commerce logs.' });
      continue;
    }
    readable.add(p.check);
  }
  const features = (Object.keys(modules) as CommerceModule[]).map((m) => `${MODULE_NAMES[m]}: ${modules[m] ? 'yes' : 'no'}`).join(', ');
  findings.push(ok('commerce', 'edition', `Edition features: ${features}.`));
  return { findings, usable: true, modules, readable };
}

// ---- discovery --------------------------------------------------------------------------------

export interface CommerceDiscovery {
  sources: { code: string; name: string; enabled: boolean }[];
  stocks: { id: string; name: string }[];
  /**
   * Payment and shipping method codes seen on recent orders. ASSUMED: Commerce has no admin REST
   * endpoint listing the enabled payment or shipping methods (only per-cart ones), so the shop's
   * recent orders are the evidence; methods not used lately can be added to the maps later.
   */
  paymentMethods: string[];
  shippingMethods: string[];
  /** The newest orders (up to 10), raw, for the dry run. */
  recentOrders: Record<string, unknown>[];
  /** How many recent orders were read for the method codes. */
  ordersRead: number;
}

type Row = Record<string, unknown>;

async function searchItems(request: CommerceRequester, path: string, query: Record<string, string>): Promise<Row[]> {
  const r = await request({ path, query });
  if (r.kind === 'network') throw new Error(`Commerce GET /V1/${path}: ${describeNetworkCode(r.code)}`);
  if (r.status >= 400) throw new Error(`Commerce GET /V1/${path} answered ${r.status}: ${magentoMessage(r)}`);
  const items = (r.body as { items?: unknown } | undefined)?.items;
  return Array.isArray(items) ? (items as Row[]) : [];
}

export async function discoverCommerce(conn: CommerceConnection, check: CommerceCheck, options: CommerceProbeOptions & { recentOrders?: number } = {}): Promise<CommerceDiscovery> {
  const request = commerceRequester(conn, options);
  const sources = check.readable.has('MSI sources') ? await searchItems(request, 'inventory/sources', { 'searchCriteria[pageSize]': '300' }) : [];
  const stocks = check.readable.has('MSI stocks') ? await searchItems(request, 'inventory/stocks', { 'searchCriteria[pageSize]': '300' }) : [];
  const orders = check.readable.has('orders')
    ? await searchItems(request, 'orders', {
        'searchCriteria[sortOrders][0][field]': 'created_at',
        'searchCriteria[sortOrders][0][direction]': 'DESC',
        'searchCriteria[pageSize]': String(options.recentOrders ?? 50),
        'searchCriteria[currentPage]': '1',
      })
    : [];
  const payment = new Set<string>();
  const shipping = new Set<string>();
  for (const o of orders) {
    const method = (o.payment as { method?: unknown } | undefined)?.method;
    if (typeof method === 'string' && method) payment.add(method);
    const assignments = (o.extension_attributes as { shipping_assignments?: { shipping?: { method?: unknown } }[] } | undefined)?.shipping_assignments ?? [];
    for (const a of assignments) if (typeof a.shipping?.method === 'string' && a.shipping.method) shipping.add(a.shipping.method);
    if (typeof o.shipping_method === 'string' && o.shipping_method) shipping.add(o.shipping_method);
  }
  return {
    sources: sources.map((s) => ({ code: String(s.source_code), name: String(s.name ?? s.source_code), enabled: s.enabled !== false && s.enabled !== 0 })),
    stocks: stocks.map((s) => ({ id: String(s.stock_id), name: String(s.name ?? s.stock_id) })),
    paymentMethods: [...payment].sort(),
    shippingMethods: [...shipping].sort(),
    recentOrders: orders.slice(0, 10),
    ordersRead: orders.length,
  };
}
