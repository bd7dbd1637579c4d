/**
 * Heartland Retail API simulator (issue 3). Serves `http://host:port/api/` with bearer auth, the
 * resources in ./api, OAuth 2.0 endpoints (§1.3, partly unverified upstream), and `/__sim/` control
 * endpoints for seeding, fault injection, counters, notifications and payment webhooks.
 *
 * Standalone: `npx tsx sandbox/heartland/server.ts --port 9081 --data-dir DIR [--token T] [--no-notify]`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { Store } from './store';
import { HeartlandApi, type Reply, type Route } from './api';
import { SimError } from './errors';
import { Faults, FaultRuleBody } from './faults';
import { Outbound, PAYMENT_OPERATIONS, type PaymentOperation } from './outbound';
import { seedCatalog, seedCustomers, seedReference } from './seed';
import { parseBody } from './validate';

export const DEFAULT_TOKEN = 'sandbox-heartland-token';
export const DEFAULT_OAUTH_CLIENT = { clientId: 'sandbox-heartland-client', clientSecret: 'sandbox-heartland-secret' };
const MAX_BODY_BYTES = 10 * 1024 * 1024;
const MAX_LOG = 200_000;

export interface HeartlandSimulatorOptions {
  port?: number;
  host?: string;
  /** Data persists here across restarts; omit for a purely in-memory simulator. */
  dataDir?: string;
  /** Accepted API token. Default `sandbox-heartland-token`. */
  token?: string;
  /** ASSUMED event notifications (§3.9 unknown upstream); on by default, switchable at runtime. */
  notify?: { enabled: boolean; secret?: string };
  /** OAuth app registered with this simulated account. */
  oauth?: { clientId: string; clientSecret: string };
}

export interface HeartlandSimulator {
  /** Base URL of the API, `http://host:port/api/`. */
  url: string;
  port: number;
  close(): Promise<void>;
}

interface LogEntry {
  t: number;
  method: string;
  path: string;
  status: number;
}

/** `/api/sales/orders/100001/lines` → `/api/sales/orders/:id/lines` for per-endpoint counters. */
function endpointKey(method: string, path: string): string {
  return `${method} ${path.replace(/\/\d+(?=\/|$)/g, '/:id')}`;
}

export async function startHeartlandSimulator(opts: HeartlandSimulatorOptions = {}): Promise<HeartlandSimulator> {
  const host = opts.host ?? '127.0.0.1';
  const store = new Store(opts.dataDir);
  const out = new Outbound(store, { enabled: opts.notify?.enabled ?? true, secret: opts.notify?.secret });
  const config = { putEmptyBody: false, cancelStatus: 'canceled', ...(store.meta.config as object | undefined) };
  const api = new HeartlandApi(store, out, config);
  const faults = new Faults();
  const oauthClient = opts.oauth ?? DEFAULT_OAUTH_CLIENT;
  const apiToken = opts.token ?? DEFAULT_TOKEN;
  const codes = new Map<string, { redirectUri?: string; scope: string }>();
  /**
   * API paths the token's user may not use (`items`, `inventory/values`, `sales/orders`...): the
   * account answers 403 there, as Heartland does for a user without the permission (§2.5 [O]).
   * Lets onboarding tests deny one permission at a time. Not persisted: a test control only.
   */
  let deniedPaths: string[] = [];
  const issuedTokens = (): string[] => (store.meta.oauthTokens as string[] | undefined) ?? [];
  seedReference(store);

  const counters = { total: 0, byEndpoint: {} as Record<string, number>, byStatus: {} as Record<string, number> };
  let log: LogEntry[] = [];
  const sockets = new Set<Socket>();
  let selfHost = '';

  /** JSON bodies everywhere; a form body only where OAuth clients may send one (token exchange). */
  async function readBody(req: IncomingMessage, allowForm = false): Promise<unknown> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY_BYTES) throw new SimError(413, 'invalid_request', `Request body larger than ${MAX_BODY_BYTES} bytes`);
      chunks.push(chunk as Buffer);
    }
    const raw = Buffer.concat(chunks).toString('utf8');
    if (!raw.trim()) return undefined;
    const type = req.headers['content-type'] ?? '';
    if (allowForm && type.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(raw));
    try {
      return JSON.parse(raw);
    } catch {
      throw new SimError(400, 'invalid_request', 'Request body is not valid JSON');
    }
  }

  function send(res: ServerResponse, reply: Reply, head = false): void {
    const headers: Record<string, string> = { ...reply.headers };
    let payload: string | undefined;
    if (reply.body !== undefined) {
      payload = JSON.stringify(reply.body);
      headers['content-type'] = 'application/json; charset=utf-8';
    }
    headers['content-length'] = String(payload ? Buffer.byteLength(payload) : 0);
    res.writeHead(reply.status, headers);
    res.end(head ? undefined : payload);
  }

  function matchRoute(routes: Route[], method: string, path: string): { route: Route; params: Record<string, string> } | 'method' | undefined {
    let pathMatched = false;
    for (const route of routes) {
      const m = route.pattern.exec(path);
      if (!m) continue;
      pathMatched = true;
      if (route.method !== method) continue;
      const params: Record<string, string> = {};
      route.keys.forEach((k, i) => (params[k] = decodeURIComponent(m[i + 1])));
      return { route, params };
    }
    return pathMatched ? 'method' : undefined;
  }

  function authorized(req: IncomingMessage): boolean {
    const header = req.headers.authorization ?? '';
    const m = /^Bearer\s+(.+)$/i.exec(header);
    if (!m) return false;
    const token = m[1].trim();
    return token === apiToken || issuedTokens().includes(token);
  }

  // ---- OAuth 2.0 (§1.3): authorize is certain, token exchange + host discovery are [U] ----------

  function oauthAuthorize(url: URL): Reply {
    const p = url.searchParams;
    const missing: Record<string, string[]> = {};
    for (const f of ['client_id', 'scope', 'redirect_uri']) if (!p.get(f)) missing[f] = ["can't be blank"];
    if (Object.keys(missing).length) throw new SimError(400, 'invalid_request', 'Missing OAuth parameters', missing);
    if (p.get('client_id') !== oauthClient.clientId) throw new SimError(400, 'invalid_request', 'Unknown client_id', { client_id: ['is not registered'] });
    // The simulated merchant always approves: redirect back with a one-time code.
    const code = randomBytes(12).toString('hex');
    codes.set(code, { redirectUri: p.get('redirect_uri') ?? undefined, scope: p.get('scope') ?? '' });
    const target = new URL(p.get('redirect_uri')!);
    target.searchParams.set('code', code);
    if (p.get('state')) target.searchParams.set('state', p.get('state')!);
    return { status: 302, headers: { location: target.toString() } };
  }

  function oauthToken(params: Record<string, unknown>): Reply {
    const body = parseBody(z.object({
      client_id: z.string(), client_secret: z.string(), code: z.string(), grant_type: z.literal('authorization_code', { error: 'must be authorization_code' }), redirect_uri: z.string().optional(),
    }), params);
    if (body.client_id !== oauthClient.clientId || body.client_secret !== oauthClient.clientSecret) throw new SimError(401, 'unauthorized', 'Invalid client credentials');
    const grant = codes.get(body.code);
    if (!grant) throw new SimError(400, 'invalid_request', 'Unknown or used authorization code', { code: ['is invalid'] });
    if (grant.redirectUri && body.redirect_uri && grant.redirectUri !== body.redirect_uri) throw new SimError(400, 'invalid_request', 'redirect_uri does not match', { redirect_uri: ['does not match'] });
    codes.delete(body.code);
    const token = 'oauth-' + randomBytes(16).toString('hex');
    store.meta.oauthTokens = [...issuedTokens(), token];
    store.changed('meta');
    return { status: 200, body: { access_token: token, token_type: 'bearer', scope: grant.scope } };
  }

  // ---- /__sim/ control ---------------------------------------------------------------------

  const control: Route[] = [];
  const ctl = (method: string, path: string, handler: (body: unknown, url: URL, params: string[]) => Reply | Promise<Reply>) => {
    const pattern = new RegExp('^/__sim' + path.replace(/:(\w+)/g, '([^/]+)') + '/?$');
    control.push({ method, pattern, keys: [], handler: (c) => handler(c.body, new URL('http://x/?' + c.query.toString()), Object.values(c.params)) });
  };
  ctl('GET', '/health', () => ({ status: 200, body: { ok: true, items: store.tables.items.rows.size, locations: store.tables.locations.rows.size } }));
  ctl('POST', '/reset', () => {
    store.reset();
    seedReference(store);
    faults.clear();
    deniedPaths = [];
    codes.clear();
    return { status: 200, body: { ok: true } };
  });
  ctl('POST', '/seed', (body) => {
    const b = parseBody(z.object({
      items: z.number().int().min(0).max(1_000_000).default(100), locations: z.number().int().min(0).max(100).default(3),
      customers: z.number().int().min(0).max(100_000).default(0), seed: z.number().int().default(1),
      stock: z.object({ min: z.number().int().min(0), max: z.number().int().min(0) }).refine((s) => s.max >= s.min, { message: 'max must be ≥ min', path: ['max'] }).optional(),
    }), body ?? {});
    return { status: 200, body: seedCatalog(store, b) };
  });
  ctl('POST', '/seed/customers', (body) => {
    const b = parseBody(z.object({ count: z.number().int().min(1).max(100_000), seed: z.number().int().default(1) }), body ?? {});
    return { status: 200, body: { customers: seedCustomers(store, b.count, b.seed) } };
  });
  ctl('GET', '/faults', () => ({ status: 200, body: { rules: faults.rules, injected: faults.injected } }));
  ctl('POST', '/faults', (body) => {
    const b = parseBody(FaultRuleBody, body);
    try {
      return { status: 201, body: faults.add(b) };
    } catch (err) {
      throw new SimError(422, 'validation_error', (err as Error).message, { path: [(err as Error).message] });
    }
  });
  ctl('DELETE', '/faults', () => { faults.clear(); return { status: 204 }; });
  ctl('DELETE', '/faults/:id', (_b, _u, [idText]) => {
    if (!faults.remove(Number(idText))) throw new SimError(404, 'not_found', `Fault rule ${idText} not found`);
    return { status: 204 };
  });
  ctl('GET', '/counters', () => ({ status: 200, body: { ...counters, faultsInjected: faults.injected, notifications: out.counts } }));
  ctl('DELETE', '/counters', () => {
    counters.total = 0;
    counters.byEndpoint = {};
    counters.byStatus = {};
    faults.injected = 0;
    log = [];
    return { status: 204 };
  });
  ctl('GET', '/requests', (_b, url) => {
    const since = Number(url.searchParams.get('since') ?? 0);
    return { status: 200, body: { requests: since ? log.filter((e) => e.t >= since) : log } };
  });
  ctl('GET', '/notifications', () => ({ status: 200, body: { enabled: out.notifyEnabled, targets: out.targets.map(({ secret, ...t }) => ({ ...t, hasSecret: !!secret })), deliveries: out.deliveries, counts: out.counts } }));
  ctl('POST', '/notifications', (body) => {
    const b = parseBody(z.object({ url: z.url({ error: 'must be an absolute URL' }), secret: z.string().min(1).optional(), events: z.array(z.string()).optional() }), body);
    const { secret, ...t } = out.addTarget(b);
    return { status: 201, body: { ...t, hasSecret: !!secret } };
  });
  ctl('DELETE', '/notifications', () => { out.clearTargets(); return { status: 204 }; });
  ctl('PUT', '/notifications/settings', (body) => {
    const b = parseBody(z.object({ enabled: z.boolean() }), body);
    out.notifyEnabled = b.enabled;
    return { status: 200, body: { enabled: out.notifyEnabled } };
  });
  ctl('GET', '/payment-webhooks', () => ({ status: 200, body: { webhooks: out.paymentWebhooks } }));
  ctl('POST', '/payment-webhooks', (body) => {
    const url = z.url({ error: 'must be an absolute URL' }).optional();
    const b = parseBody(z.object({ payment_type_id: z.number().int(), capture: url, refund: url, void: url, check_balance: url }), body);
    if (!store.tables.payment_types.get(b.payment_type_id)) throw new SimError(422, 'validation_error', 'payment_type_id does not exist', { payment_type_id: ['does not exist'] });
    out.setPaymentWebhooks(b);
    return { status: 200, body: b };
  });
  // Simulates a POS user pressing capture/refund/void/check balance on a custom-webhook payment type.
  ctl('POST', '/payment-webhooks/call', async (body) => {
    const b = parseBody(z.object({
      payment_type_id: z.number().int(), operation: z.enum(PAYMENT_OPERATIONS as [PaymentOperation, ...PaymentOperation[]]),
      payment_id: z.union([z.string(), z.number()]).default('1'), amount: z.number().default(0), number: z.string().optional(),
    }), body);
    const url = out.paymentHookFor(b.payment_type_id, b.operation);
    if (!url) throw new SimError(422, 'validation_error', `No ${b.operation} URL configured for payment type ${b.payment_type_id}`, { operation: ['has no URL configured'] });
    const result = await out.callPayment(url, { payment_id: String(b.payment_id), amount: b.amount.toFixed(2), ...(b.number ? { number: b.number } : {}) });
    return { status: 200, body: result };
  });
  ctl('GET', '/config', () => ({ status: 200, body: config }));
  ctl('PUT', '/config', (body) => {
    const b = parseBody(z.object({ putEmptyBody: z.boolean().optional(), cancelStatus: z.string().min(1).optional() }), body);
    Object.assign(config, b);
    store.meta.config = { ...config };
    store.changed('meta');
    return { status: 200, body: config };
  });
  ctl('GET', '/permissions', () => ({ status: 200, body: { deny: deniedPaths } }));
  ctl('PUT', '/permissions', (body) => {
    const b = parseBody(z.object({ deny: z.array(z.string().regex(/^[a-z_]+(\/[a-z_]+)*$/, 'must be an API path without ids, e.g. items or sales/orders')) }), body);
    deniedPaths = b.deny;
    return { status: 200, body: { deny: deniedPaths } };
  });
  ctl('GET', '/tokens', () => ({ status: 200, body: { apiToken, oauthClient: { clientId: oauthClient.clientId } } }));

  // ---- request handling ----------------------------------------------------------------------

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    if (path.startsWith('/__sim/')) {
      const match = matchRoute(control, method, path);
      if (!match) throw new SimError(404, 'not_found', `No control endpoint ${method} ${path}`);
      if (match === 'method') throw new SimError(405, 'method_not_allowed', `${method} not allowed on ${path}`);
      const body = method === 'GET' || method === 'DELETE' ? undefined : await readBody(req);
      return send(res, await match.route.handler({ method, params: match.params, query: url.searchParams, body }));
    }
    if (method === 'GET' && path === '/oauth/authorize') return send(res, oauthAuthorize(url));

    const apiPath = path.startsWith('/api/') ? path.slice(4) : path === '/api' ? '/' : undefined;
    if (apiPath === undefined) throw new SimError(404, 'not_found', `No route ${path}; the API lives under /api/`);

    // Everything under /api/ counts and may be faulted (that is what the connector sees).
    const key = endpointKey(method, path);
    const entry: LogEntry = { t: Date.now(), method, path, status: 0 };
    counters.total++;
    counters.byEndpoint[key] = (counters.byEndpoint[key] ?? 0) + 1;
    if (log.length < MAX_LOG) log.push(entry);
    res.on('finish', () => {
      entry.status = res.statusCode;
      counters.byStatus[res.statusCode] = (counters.byStatus[res.statusCode] ?? 0) + 1;
    });
    const fault = faults.decide(method, apiPath);
    if (fault.latencyMs) await new Promise((r) => setTimeout(r, fault.latencyMs));
    if (fault.drop) {
      entry.status = -1;
      req.socket.destroy();
      return;
    }
    if (fault.status !== undefined) {
      const code = fault.status === 429 ? 'rate_limited' : fault.status >= 500 ? 'server_error' : 'invalid_request';
      // ASSUMED body shape for 429 (§2.6: invented, labelled as such).
      throw new SimError(fault.status, code, fault.status === 429 ? 'Too many requests (simulated)' : `Simulated failure ${fault.status}`, undefined,
        fault.retryAfter !== undefined ? { 'retry-after': String(fault.retryAfter) } : undefined);
    }

    if (apiPath === '/oauth/token' && (method === 'GET' || method === 'POST')) {
      const body = method === 'POST' ? await readBody(req, true) : undefined;
      return send(res, oauthToken({ ...Object.fromEntries(url.searchParams), ...(body && typeof body === 'object' ? body : {}) }));
    }
    if (!authorized(req)) throw new SimError(401, 'unauthorized', 'Missing or invalid bearer token');
    if (apiPath === '/system/host' && method === 'GET') return send(res, { status: 200, body: { host: selfHost } });
    const resourcePath = apiPath.slice(1);
    const denied = deniedPaths.find((p) => resourcePath === p || resourcePath.startsWith(`${p}/`) || resourcePath.startsWith(`${p}?`));
    // ASSUMED body: the 403 status is observed [O]; Heartland's wording is unknown.
    if (denied) throw new SimError(403, 'forbidden', `You do not have permission to access ${denied}`);

    const lookupMethod = method === 'HEAD' ? 'GET' : method;
    const match = matchRoute(api.routes, lookupMethod, apiPath);
    if (!match) throw new SimError(404, 'not_found', `No resource at ${path}`);
    if (match === 'method') throw new SimError(405, 'method_not_allowed', `${method} is not allowed on ${path}`);
    const body = method === 'POST' || method === 'PUT' || method === 'PATCH' ? await readBody(req) : undefined;
    const reply = await match.route.handler({ method, params: match.params, query: url.searchParams, body });
    send(res, reply, method === 'HEAD');
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (res.headersSent || res.destroyed) return;
      if (err instanceof SimError) {
        send(res, { status: err.status, body: err.body(), headers: err.headers }, req.method === 'HEAD');
      } else {
        // A bug in the simulator: say so loudly but keep serving.
        process.stderr.write(`heartland simulator: ${(err as Error).stack ?? err}\n`);
        send(res, { status: 500, body: { error: 'server_error', message: (err as Error).message } });
      }
    });
  });
  server.keepAliveTimeout = 5000;
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  selfHost = `${host}:${port}`;
  return {
    url: `http://${host}:${port}/api/`,
    port,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
      await out.idle();
      await store.flush();
    },
  };
}

// ---- standalone ------------------------------------------------------------------------------

function argValue(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const port = Number(argValue(args, '--port') ?? process.env.HEARTLAND_SIM_PORT ?? 9081);
  startHeartlandSimulator({
    port,
    host: argValue(args, '--host') ?? '127.0.0.1',
    dataDir: argValue(args, '--data-dir'),
    token: argValue(args, '--token'),
    notify: { enabled: !args.includes('--no-notify'), secret: argValue(args, '--notify-secret') ?? process.env.HEARTLAND_WEBHOOK_SECRET },
  }).then((sim) => {
    process.stdout.write(`Heartland simulator listening on ${sim.url}\n`);
    const stop = () => void sim.close().then(() => process.exit(0));
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  }, (err) => {
    process.stderr.write(`Heartland simulator failed to start: ${(err as Error).message}\n`);
    process.exit(1);
  });
}
