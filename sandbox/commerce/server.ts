/**
 * Adobe Commerce (Magento 2) REST + I/O Events simulator, written from ../shared/api/commerce.md
 * only (it imports nothing from lib/): PaaS paths `/rest[/<store>]/V1/…` (+ async and bulk),
 * SaaS-style `[/<tenant>]/V1/…` with a `Store` header and IMS bearer tokens, OAuth 1.0a HMAC-SHA256
 * verification, Magento-shaped errors, the searchCriteria engine, MSI reservations, async bulk,
 * gift card accounts, and CloudEvent delivery to a consumer. Control endpoints live under `/__sim/`.
 *
 * Run standalone: `npx tsx sandbox/commerce/server.ts [--port 9082] [--data-dir DIR] [--events-url URL]`.
 */
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { acceptBulk } from './bulk';
import type { RequestContext, SimCore } from './context';
import { SANDBOX_COMMERCE_CREDENTIALS, type SimulatorCredentials } from './credentials';
import { MagentoError, inputError, noRoute, notAuthorized } from './errors';
import { Faults, validateFaultRule } from './faults';
import { EventHub, type EventDeliverySettings } from './io-events';
import { checkOAuthSignature, TIME_DEVIATION_SECONDS } from './oauth';
import { matchRoute, type RouteMatch } from './routes';
import { parseFields, project } from './search';
import { prng, seed, validateSeed } from './seed';
import { Store, type Rec } from './state';

export interface CommerceSimulatorOptions {
  port?: number;
  host?: string;
  /** Where the durable snapshot (entities, reservations, event journal) is kept; in memory without it. */
  dataDir?: string;
  /** The I/O Events consumer: the CloudEvent is POSTed there as JSON with this Authorization header. */
  eventsTarget?: { url: string; authorization?: string };
  /** Further delivery settings (duplicates, reordering, time scale…); also changeable at `/__sim/events/settings`. */
  events?: Partial<Omit<EventDeliverySettings, 'target'>>;
  credentials?: Partial<SimulatorCredentials>;
  /** Store view codes accepted in `/rest/<store_code>/V1`; default `default` and `all`. */
  storeCodes?: string[];
  /** Delay before the async/bulk "consumer" runs queued operations. Default 20 ms. */
  bulkDelayMs?: number;
  /**
   * Optional modules. `giftCardAccounts: false` behaves like a store without `/V1/giftcardaccounts`
   * (Magento Open Source, or PaaS 2.4.9 core, commerce.md §2.12): those routes answer "Request does not match any route.".
   */
  features?: CommerceFeatures;
  /**
   * Magento's optional web API input limits (commerce.md §1.7; off by default as in Magento):
   * list inputs of at most `listLimit` entities per sync request (5,000 async), `maxPageSize`, and
   * `defaultPageSize` applied when a search names none.
   */
  inputLimits?: { listLimit?: number; asyncListLimit?: number; maxPageSize?: number; defaultPageSize?: number };
  /** Seed for the simulator's dice (fault rates, duplicate/reorder choices). */
  randomSeed?: number;
  /** Clock (epoch ms) for timestamps and the OAuth window. */
  now?: () => number;
}

/**
 * Optional modules a store may lack. A missing module's routes answer 404 "Request does not match
 * any route.", as Magento does for a module that is not installed.
 */
export interface CommerceFeatures {
  /** Gift card accounts (`/V1/giftcardaccounts`): Adobe Commerce SaaS only (commerce.md §2.12). */
  giftCardAccounts?: boolean;
  /** Multi-Source Inventory (`/V1/inventory/*`): can be disabled on a store (commerce.md §2.9). */
  msi?: boolean;
  /** Adobe I/O Events for Commerce (`/V1/eventing/*`): the `magento/commerce-eventing` module (commerce.md §2.13). */
  eventing?: boolean;
}

const FEATURE_ROUTES: Record<keyof CommerceFeatures, string> = {
  giftCardAccounts: '/V1/giftcardaccounts',
  msi: '/V1/inventory/',
  eventing: '/V1/eventing/',
};

export interface CommerceSimulator {
  /** `http://host:port/` */
  url: string;
  port: number;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 32 * 1024 * 1024;
const IMS_TOKEN_TTL_SECONDS = 86_399;

interface ParsedPath {
  flavour: 'paas' | 'saas';
  mode: 'sync' | 'async' | 'bulk';
  storeCode?: string;
  segments: string[];
}

/** Splits a request path into flavour, store code, async mode and the `/V1/…` segments. */
export function parseRestPath(pathname: string): ParsedPath | undefined {
  const parts = pathname.split('/').filter(Boolean);
  if (parts[0] === 'rest') {
    let i = 1;
    let storeCode: string | undefined;
    if (parts[i] && parts[i] !== 'V1' && parts[i] !== 'async') storeCode = parts[i++];
    let mode: ParsedPath['mode'] = 'sync';
    if (parts[i] === 'async') {
      i++;
      mode = 'async';
      if (parts[i] === 'bulk') {
        i++;
        mode = 'bulk';
      }
    }
    if (parts[i] !== 'V1') return undefined;
    return { flavour: 'paas', mode, storeCode: storeCode ?? 'default', segments: ['V1', ...parts.slice(i + 1)] };
  }
  // SaaS: [/<tenant>]/V1/[async/[bulk/]]<route>
  const v1 = parts[0] === 'V1' ? 0 : parts[1] === 'V1' ? 1 : -1;
  if (v1 < 0) return undefined;
  let i = v1 + 1;
  let mode: ParsedPath['mode'] = 'sync';
  if (parts[i] === 'async') {
    i++;
    mode = 'async';
    if (parts[i] === 'bulk') {
      i++;
      mode = 'bulk';
    }
  }
  return { flavour: 'saas', mode, segments: ['V1', ...parts.slice(i)] };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(inputError('The request body is too large.'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  if (res.headersSent || res.destroyed) return;
  const payload = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(payload), ...headers });
  res.end(payload);
}

const safeEqual = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

export async function startCommerceSimulator(options: CommerceSimulatorOptions = {}): Promise<CommerceSimulator> {
  const credentials: SimulatorCredentials = { ...SANDBOX_COMMERCE_CREDENTIALS, ...options.credentials };
  const now = options.now ?? (() => Date.now());
  const random = prng(options.randomSeed ?? 20260101);
  const store = new Store(options.dataDir);
  const hub = new EventHub(store, now, random, { ...options.events, target: options.eventsTarget });
  const faults = new Faults(random);
  const storeCodes = new Set(options.storeCodes ?? ['default', 'all']);
  const bulkDelayMs = options.bulkDelayMs ?? 20;
  const sim: SimCore = { store, now, emit: (name, value) => void hub.emit(name, value) };
  const nonces = new Map<string, number>();
  const imsTokens = new Map<string, number>(); // token → expiry (ms)
  const counters = { total: 0, byEndpoint: {} as Record<string, number>, byStatus: {} as Record<string, number> };
  const features: Required<CommerceFeatures> = { giftCardAccounts: true, msi: true, eventing: true, ...options.features };
  /** ACL resources the integration was not granted (`/__sim/acl`): their routes answer 401 naming the resource. */
  let deniedAcl: string[] = [];

  const useNonce = (nonce: string, timestamp: number) => {
    const cutoff = now() / 1000 - TIME_DEVIATION_SECONDS * 2;
    if (nonces.size > 10_000) for (const [n, ts] of nonces) if (ts < cutoff) nonces.delete(n);
    if (nonces.has(nonce)) return false;
    nonces.set(nonce, timestamp);
    return true;
  };

  function authenticate(req: IncomingMessage, url: URL, parsed: ParsedPath, match: RouteMatch): void {
    const header = req.headers.authorization ?? '';
    const bearer = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim();
    if (bearer) {
      const expiry = imsTokens.get(bearer);
      if (expiry !== undefined && expiry > now()) {
        if (parsed.flavour === 'saas' && !req.headers['x-api-key']) throw notAuthorized(match.route.acl);
        return;
      }
      // SaaS takes IMS tokens only (commerce.md §1.4); PaaS takes the integration token as a bearer token.
      if (parsed.flavour === 'paas' && safeEqual(bearer, credentials.accessToken)) return;
      throw notAuthorized(match.route.acl);
    }
    if (parsed.flavour === 'paas' && /^OAuth\s/i.test(header)) {
      const host = req.headers.host ?? url.host;
      const problem = checkOAuthSignature({
        method: req.method ?? 'GET',
        baseUrl: `http://${host.toLowerCase()}${url.pathname}`,
        query: url.searchParams,
        authorization: header,
        consumerKey: credentials.consumerKey,
        consumerSecret: credentials.consumerSecret,
        accessToken: credentials.accessToken,
        accessTokenSecret: credentials.accessTokenSecret,
        nowSeconds: Math.floor(now() / 1000),
        useNonce,
      });
      if (!problem) return;
    }
    // Magento answers every failed integration auth with the ACL message (the caller is treated as a guest).
    throw notAuthorized(match.route.acl);
  }

  async function handleRest(req: IncomingMessage, res: ServerResponse, url: URL, parsed: ParsedPath, rawBody: string) {
    const method = (req.method ?? 'GET').toUpperCase();
    const bulk = parsed.mode !== 'sync';
    const { match } = matchRoute(method, parsed.segments, parsed.mode === 'bulk');
    if (!match || (bulk && method === 'GET')) throw noRoute();
    for (const [feature, prefix] of Object.entries(FEATURE_ROUTES) as [keyof CommerceFeatures, string][]) {
      if (!features[feature] && match.route.template.startsWith(prefix)) throw noRoute();
    }
    authenticate(req, url, parsed, match);
    if (deniedAcl.includes(match.route.acl)) throw notAuthorized(match.route.acl);
    const storeCode = parsed.flavour === 'saas' ? String(req.headers.store ?? 'default') : parsed.storeCode!;
    if (!storeCodes.has(storeCode)) throw new MagentoError(404, 'Requested store is not found'); // ASSUMED wording
    let body: unknown = undefined;
    if (rawBody.trim()) {
      try {
        body = JSON.parse(rawBody);
      } catch {
        throw inputError('Decoding error.');
      }
    }
    if (bulk) {
      const bodies = parsed.mode === 'bulk' ? body : [body];
      if (!Array.isArray(bodies) || bodies.length === 0) throw inputError('The bulk request body must be a non-empty JSON array of request bodies.');
      const asyncLimit = options.inputLimits ? options.inputLimits.asyncListLimit ?? 5000 : undefined;
      if (asyncLimit !== undefined && bodies.length > asyncLimit) throw inputError('Maximum items of type "%type" is %max', { type: 'request', max: asyncLimit });
      const topic = `async.${match.route.topic}.${method.toLowerCase()}`;
      const run = (one: unknown) => {
        const params: Record<string, string> = {};
        for (const [k, v] of Object.entries(match.params)) {
          if (!v.startsWith('\u0000')) params[k] = v;
          else {
            const fromBody = findParam(one, k);
            if (fromBody === undefined) throw inputError('"%fieldName" is required. Enter and try again.', { fieldName: k });
            params[k] = String(fromBody);
          }
        }
        return match.route.handler({ method, params, query: new URLSearchParams(), body: one, storeCode }, sim);
      };
      send(res, 202, acceptBulk(sim, topic, bodies, run, bulkDelayMs));
      return;
    }
    const query = applyInputLimits(url.searchParams, body, method);
    const ctx: RequestContext = { method, params: match.params, query, body, storeCode };
    let result = match.route.handler(ctx, sim);
    const fields = url.searchParams.get('fields');
    if (fields) result = project(result, parseFields(fields));
    send(res, 200, result);
  }

  /** Requests per endpoint template (`POST /async/bulk/V1/inventory/source-items`), counted before faults apply. */
  function countEndpoint(method: string, pathname: string) {
    const parsed = parseRestPath(pathname);
    const match = parsed ? matchRoute(method, parsed.segments, parsed.mode === 'bulk').match : undefined;
    const prefix = parsed?.mode === 'bulk' ? '/async/bulk' : parsed?.mode === 'async' ? '/async' : '';
    const endpoint = match ? `${method} ${prefix}${match.route.template}` : `${method} (no route)`;
    counters.byEndpoint[endpoint] = (counters.byEndpoint[endpoint] ?? 0) + 1;
  }

  /** Enforces the input limits when configured; returns the query the handler should see. */
  function applyInputLimits(query: URLSearchParams, body: unknown, method: string): URLSearchParams {
    const limits = options.inputLimits;
    if (!limits) return query;
    const listLimit = limits.listLimit ?? 20;
    if (body && typeof body === 'object' && !Array.isArray(body)) {
      for (const [key, value] of Object.entries(body)) {
        // ASSUMED wording of Magento\Framework\Webapi\Validator\EntityArrayValidator.
        if (Array.isArray(value) && value.length > listLimit) throw inputError('Maximum items of type "%type" is %max', { type: key, max: listLimit });
      }
    }
    if (method !== 'GET') return query;
    const maxPageSize = limits.maxPageSize ?? 300;
    const sizeKey = [...query.keys()].find((k) => /^searchCriteria\[(pageSize|page_size)\]$/.test(k));
    if (sizeKey) {
      if (Number(query.get(sizeKey)) > maxPageSize) throw inputError('Maximum SearchCriteria pageSize is %max', { max: maxPageSize });
      return query;
    }
    if (![...query.keys()].some((k) => k.startsWith('searchCriteria'))) return query;
    const limited = new URLSearchParams(query);
    limited.set('searchCriteria[pageSize]', String(limits.defaultPageSize ?? 20));
    return limited;
  }

  function handleIms(res: ServerResponse, url: URL, rawBody: string) {
    const form = new URLSearchParams(rawBody);
    const get = (k: string) => form.get(k) ?? url.searchParams.get(k) ?? '';
    if (get('grant_type') !== 'client_credentials') {
      send(res, 400, { error: 'unsupported_grant_type', error_description: 'grant_type must be client_credentials' });
      return;
    }
    if (!safeEqual(get('client_id'), credentials.imsClientId) || !safeEqual(get('client_secret'), credentials.imsClientSecret)) {
      send(res, 401, { error: 'invalid_client', error_description: 'invalid client_id or client_secret' });
      return;
    }
    const token = `ims-${randomBytes(24).toString('hex')}`;
    imsTokens.set(token, now() + IMS_TOKEN_TTL_SECONDS * 1000);
    send(res, 200, { access_token: token, token_type: 'bearer', expires_in: IMS_TOKEN_TTL_SECONDS });
  }

  async function handleControl(req: IncomingMessage, res: ServerResponse, url: URL, rawBody: string) {
    const method = req.method ?? 'GET';
    const path = url.pathname.replace(/\/+$/, '');
    let body: Rec | undefined;
    if (rawBody.trim()) {
      try {
        body = JSON.parse(rawBody);
      } catch {
        throw inputError('Decoding error.');
      }
    }
    const route = `${method} ${path}`;
    if (route === 'GET /__sim/health') {
      const s = store.state;
      return send(res, 200, {
        status: 'ok',
        counts: { orders: Object.keys(s.orders).length, customers: Object.keys(s.customers).length, products: Object.keys(s.products).length, sourceItems: Object.keys(s.sourceItems).length, journal: s.journal.length },
      });
    }
    if (route === 'POST /__sim/reset') {
      store.reset();
      faults.remove();
      deniedAcl = [];
      Object.assign(features, { giftCardAccounts: true, msi: true, eventing: true, ...options.features });
      counters.total = 0;
      counters.byEndpoint = {};
      counters.byStatus = {};
      return send(res, 200, { reset: true });
    }
    if (route === 'POST /__sim/seed') {
      const input = validateSeed(body);
      const withEvents = body?.events === true;
      hub.suppressed = !withEvents;
      try {
        return send(res, 200, seed(sim, input));
      } finally {
        hub.suppressed = false;
      }
    }
    if (route === 'GET /__sim/acl') return send(res, 200, { deny: deniedAcl });
    if (route === 'PUT /__sim/acl') {
      const deny = body?.deny;
      if (!Array.isArray(deny) || deny.some((r: unknown) => typeof r !== 'string' || !/^[A-Za-z0-9_]+::[A-Za-z0-9_]+$/.test(r))) {
        throw inputError('Invalid value of "%value" provided for the %fieldName field.', { fieldName: 'deny', value: JSON.stringify(deny) });
      }
      deniedAcl = deny as string[];
      return send(res, 200, { deny: deniedAcl });
    }
    if (route === 'GET /__sim/features') return send(res, 200, features);
    if (route === 'PUT /__sim/features') {
      for (const [key, value] of Object.entries(body ?? {})) {
        if (!(key in FEATURE_ROUTES) || typeof value !== 'boolean') throw inputError('Invalid value of "%value" provided for the %fieldName field.', { fieldName: key, value: JSON.stringify(value) });
        features[key as keyof CommerceFeatures] = value;
      }
      return send(res, 200, features);
    }
    if (route === 'POST /__sim/flush') {
      store.flush();
      return send(res, 200, { flushed: true });
    }
    if (route === 'POST /__sim/ims/revoke') {
      imsTokens.clear();
      return send(res, 200, { revoked: true });
    }
    if (route === 'GET /__sim/counters') return send(res, 200, counters);
    if (route === 'POST /__sim/counters/reset' || route === 'DELETE /__sim/counters') {
      counters.total = 0;
      counters.byEndpoint = {};
      counters.byStatus = {};
      return send(res, 200, counters);
    }
    if (route === 'GET /__sim/faults') return send(res, 200, faults.rules);
    if (route === 'POST /__sim/faults') {
      const rules = Array.isArray(body) ? body : [body];
      return send(res, 200, rules.map((r) => faults.add(validateFaultRule(r))));
    }
    if (route === 'DELETE /__sim/faults') {
      faults.remove();
      return send(res, 200, []);
    }
    const faultId = /^DELETE \/__sim\/faults\/([\w-]+)$/.exec(route);
    if (faultId) {
      faults.remove(faultId[1]);
      return send(res, 200, faults.rules);
    }
    if (route === 'GET /__sim/events/settings') return send(res, 200, hub.settings);
    if (route === 'PUT /__sim/events/settings' || route === 'POST /__sim/events/settings') {
      hub.settings = { ...hub.settings, ...validateSettings(body) };
      return send(res, 200, hub.settings);
    }
    if (route === 'POST /__sim/events/sign') {
      // Signs the raw request body the way deliveries are signed, so tests can tamper with signed events.
      return send(res, 200, hub.keys.headersFor(rawBody));
    }
    if (route === 'POST /__sim/events/challenge') {
      if (!hub.settings.target) throw inputError('No event target is configured; set one at /__sim/events/settings.');
      return send(res, 200, await hub.challenge());
    }
    if (method === 'GET' && path.startsWith('/__sim/static/')) {
      const pem = hub.keys.publicPem(path.slice('/__sim/static'.length));
      if (!pem) throw noRoute();
      res.writeHead(200, { 'content-type': 'application/x-pem-file', 'content-length': Buffer.byteLength(pem) });
      return res.end(pem);
    }
    if (route === 'GET /__sim/events') {
      const since = intParam(url, 'since', 0);
      const limit = Math.min(intParam(url, 'limit', 100), 1000);
      const page = hub.journal(since, limit);
      const next = `${url.origin}/__sim/events?since=${page.last ?? since}&limit=${limit}`;
      if (!page.events.length) {
        res.writeHead(204, { 'retry-after': '10', link: `<${next}>; rel="next", <${url.origin}/__sim/health>; rel="validate"` });
        return res.end();
      }
      return send(res, 200, { events: page.events.map((e) => ({ position: String(e.position), event: e.event })), _page: { last: String(page.last), count: page.events.length } }, { link: `<${next}>; rel="next"` });
    }
    if (route === 'POST /__sim/events/replay') {
      const since = Number(body?.since ?? 0);
      const until = body?.until === undefined ? Number.POSITIVE_INFINITY : Number(body.until);
      if (!Number.isInteger(since) || since < 0) throw inputError('Invalid value of "%value" provided for the %fieldName field.', { fieldName: 'since', value: String(body?.since) });
      if (!hub.settings.target) throw inputError('No event target is configured; set one at /__sim/events/settings.');
      return send(res, 200, { replayed: hub.replay(since, until) });
    }
    if (route === 'GET /__sim/events/deliveries') {
      const since = intParam(url, 'since', 0);
      return send(res, 200, hub.deliveries.filter((d) => d.position > since));
    }
    if (route === 'GET /__sim/reservations') {
      const sku = url.searchParams.get('sku');
      const rows = store.state.reservations.filter((r) => !sku || r.sku === sku);
      return send(res, 200, { items: rows, total: rows.reduce((s, r) => s + r.quantity, 0) });
    }
    throw noRoute();
  }

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
    counters.total++;
    res.on('finish', () => {
      counters.byStatus[res.statusCode] = (counters.byStatus[res.statusCode] ?? 0) + 1;
    });
    try {
      const rawBody = await readBody(req);
      if (url.pathname.startsWith('/__sim/')) return await handleControl(req, res, url, rawBody);
      if (url.pathname === '/ims/token/v3' && req.method === 'POST') return handleIms(res, url, rawBody);
      countEndpoint((req.method ?? 'GET').toUpperCase(), url.pathname);
      for (const rule of faults.match((req.method ?? 'GET').toUpperCase(), url.pathname)) {
        if (rule.kind === 'latency') await new Promise((r) => setTimeout(r, rule.latencyMs));
        else if (rule.kind === 'drop') {
          req.socket.destroy();
          return;
        } else {
          const headers: Record<string, string> = {};
          if (rule.retryAfterSeconds !== undefined) headers['retry-after'] = String(rule.retryAfterSeconds);
          const message = rule.status === 429 ? 'Too Many Requests' : rule.status! >= 500 ? `Internal Error. Details are available in Magento log file. Report ID: webapi-${randomUUID().slice(0, 13)}` : 'Injected fault';
          return send(res, rule.status!, { message }, headers);
        }
      }
      const parsed = parseRestPath(url.pathname);
      if (!parsed) throw noRoute();
      await handleRest(req, res, url, parsed, rawBody);
    } catch (err) {
      if (err instanceof MagentoError) return send(res, err.status, err.body(), err.headers);
      // A simulator bug, masked exactly as Magento masks unexpected exceptions.
      console.error('[commerce-sim]', err);
      send(res, 500, { message: `Internal Error. Details are available in Magento log file. Report ID: webapi-${randomUUID().slice(0, 13)}` });
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = options.host && options.host !== '0.0.0.0' && options.host !== '::' ? options.host : '127.0.0.1';
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/`,
    port,
    close: async () => {
      hub.close();
      store.flush();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function findParam(body: unknown, name: string): unknown {
  if (!body || typeof body !== 'object') return undefined;
  const b = body as Rec;
  if (b[name] !== undefined) return b[name];
  for (const v of Object.values(b)) if (v && typeof v === 'object' && !Array.isArray(v) && (v as Rec)[name] !== undefined) return (v as Rec)[name];
  return undefined;
}

function intParam(url: URL, name: string, fallback: number): number {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw inputError('Invalid value of "%value" provided for the %fieldName field.', { fieldName: name, value: raw });
  return Number(raw);
}

function validateSettings(raw: unknown): Partial<EventDeliverySettings> {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw inputError('The settings must be a JSON object.');
  const r = raw as Rec;
  const out: Partial<EventDeliverySettings> = {};
  const bad = (field: string) => inputError('Invalid value of "%value" provided for the %fieldName field.', { fieldName: field, value: JSON.stringify(r[field]) });
  if ('target' in r) {
    if (r.target === null) out.target = undefined;
    else if (typeof r.target !== 'object' || typeof r.target.url !== 'string' || !/^https?:\/\//.test(r.target.url)) throw bad('target');
    else out.target = { url: r.target.url, authorization: typeof r.target.authorization === 'string' ? r.target.authorization : undefined };
  }
  for (const k of ['duplicateRate', 'reorderRate'] as const) {
    if (k in r) {
      if (typeof r[k] !== 'number' || r[k] < 0 || r[k] > 1) throw bad(k);
      out[k] = r[k];
    }
  }
  for (const k of ['reorderMaxDelayMs', 'timeScale', 'timeoutMs'] as const) {
    if (k in r) {
      if (typeof r[k] !== 'number' || !(r[k] > 0)) throw bad(k);
      out[k] = r[k];
    }
  }
  if ('subscriptions' in r) {
    if (!Array.isArray(r.subscriptions) || r.subscriptions.some((s: unknown) => typeof s !== 'string')) throw bad('subscriptions');
    out.subscriptions = r.subscriptions;
  }
  if ('signing' in r) {
    if (typeof r.signing !== 'boolean') throw bad('signing');
    out.signing = r.signing;
  }
  for (const k of ['namespace', 'merchantSource', 'providerId', 'recipientClientId'] as const) {
    if (k in r) {
      if (typeof r[k] !== 'string') throw bad(k);
      out[k] = r[k];
    }
  }
  return out;
}

// Standalone: `npx tsx sandbox/commerce/server.ts --port 9082 --data-dir DIR --events-url URL --events-auth "Basic …"`
if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const eventsUrl = arg('events-url') ?? process.env.COMMERCE_SIM_EVENTS_URL;
  startCommerceSimulator({
    port: Number(arg('port') ?? process.env.COMMERCE_SIM_PORT ?? 9082),
    host: arg('host') ?? '127.0.0.1',
    dataDir: arg('data-dir'),
    eventsTarget: eventsUrl ? { url: eventsUrl, authorization: arg('events-auth') ?? process.env.COMMERCE_SIM_EVENTS_AUTH } : undefined,
  }).then((sim) => {
    console.log(`Commerce simulator listening on ${sim.url} (REST ${sim.url}rest/V1/)`);
    const stop = () => void sim.close().then(() => process.exit(0));
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
