/**
 * Heartland side of onboarding: is the account reachable, does it take the token, which
 * permissions does the token's user lack (heartland.md §1.2: a token inherits its user's
 * permissions; §2.5: 401 = bad token, 403 = missing permission), and what is there to map
 * (locations with stations, payment types, shipping methods, custom fields).
 */
import { describeNetworkCode, probe, type ProbeResult } from './probe';
import { ok, type Finding } from './findings';

export interface HeartlandConnection {
  /** API root including `/api`. */
  baseUrl: string;
  apiToken: string;
}

export interface HeartlandProbeOptions {
  timeoutMs?: number;
  fetch?: typeof fetch;
  /** Gift card webhooks are answered only when gift cards are used; their permission is then needed. */
  giftCards?: boolean;
}

/**
 * What the connector reads or writes in Heartland, and the permission a user needs for it.
 * ASSUMED: Heartland publishes no permission list for its API. The first four names are the ones
 * integrators ask merchants for (heartland.md §1.2 [O]); the others follow the same wording.
 */
export const HEARTLAND_PERMISSIONS: { check: string; path: string; permission: string; usedFor: string; needs?: 'giftCards' }[] = [
  { check: 'locations', path: 'locations', permission: 'Manage locations, stations and cash drawers', usedFor: 'the location → MSI source map' },
  { check: 'stations', path: 'stations', permission: 'Manage locations, stations and cash drawers', usedFor: 'the station web orders are rung up on' },
  { check: 'items', path: 'items', permission: 'Manage items and grids', usedFor: 'products and SKU matching' },
  { check: 'inventory', path: 'inventory/values', permission: 'View inventory current values', usedFor: 'stock levels pushed to MSI' },
  { check: 'custom fields', path: 'custom_fields', permission: 'Manage custom fields', usedFor: 'product attributes and order references' },
  { check: 'customers', path: 'customers', permission: 'Manage customers', usedFor: 'customers of web orders' },
  { check: 'sales orders', path: 'sales/orders', permission: 'Manage sales orders', usedFor: 'web orders sent to Heartland' },
  { check: 'invoices', path: 'sales/invoices', permission: 'Manage sales orders', usedFor: 'shipments back to Magento' },
  { check: 'tickets', path: 'sales/tickets', permission: 'View sales history (tickets)', usedFor: 'returns and refunds' },
  { check: 'payment types', path: 'payment_types', permission: 'Manage payment types', usedFor: 'the payment method map' },
  { check: 'shipping methods', path: 'shipping_methods', permission: 'Manage shipping methods', usedFor: 'the shipping method map' },
  { check: 'gift cards', path: 'gift_cards', permission: 'Manage gift cards', usedFor: 'gift card balances', needs: 'giftCards' },
];

function apiUrl(baseUrl: string, path: string, query = 'per_page=1'): string {
  return `${baseUrl.replace(/\/+$/, '')}/${path}${query ? `?${query}` : ''}`;
}

function heartlandMessage(result: ProbeResult & { kind: 'answer' }): string {
  const body = result.body as { message?: unknown; error?: unknown } | undefined;
  if (body && typeof body.message === 'string') return body.message;
  return result.text.slice(0, 120) || `HTTP ${result.status}`;
}

export interface HeartlandCheck {
  findings: Finding[];
  /** False when nothing else can be checked (unreachable, wrong URL, bad token). */
  usable: boolean;
  /** Paths the token may read. */
  readable: Set<string>;
}

/** Checks reachability, token and every permission the connector needs; changes nothing. */
export async function checkHeartland(conn: HeartlandConnection, options: HeartlandProbeOptions = {}): Promise<HeartlandCheck> {
  const findings: Finding[] = [];
  const readable = new Set<string>();
  const get = (path: string) =>
    probe({ url: apiUrl(conn.baseUrl, path), headers: { authorization: `Bearer ${conn.apiToken}` }, timeoutMs: options.timeoutMs, fetch: options.fetch });

  const first = await get(HEARTLAND_PERMISSIONS[0]!.path);
  if (first.kind === 'network') {
    findings.push({
      system: 'heartland', check: 'connection', level: 'error', kind: 'unreachable',
      message: `Heartland at ${conn.baseUrl} is unreachable: ${describeNetworkCode(first.code)}.`,
      missing: 'HEARTLAND_BASE_URL',
      fix: 'Check HEARTLAND_BASE_URL: it is https://<your-account>.retail.heartland.us/api (your account name, with /api), and that this machine can reach it.',
    });
    return { findings, usable: false, readable };
  }
  if (first.status === 401) {
    findings.push({
      system: 'heartland', check: 'token', level: 'error', kind: 'bad_credentials',
      message: `Heartland rejected HEARTLAND_API_TOKEN (401: ${heartlandMessage(first)}).`,
      missing: 'HEARTLAND_API_TOKEN',
      fix: 'Generate a new token in Heartland (your name, top right → My Account → API Tokens → Generate new token) and set HEARTLAND_API_TOKEN to it. The token is shown once.',
    });
    return { findings, usable: false, readable };
  }
  const looksLikeApi = first.body !== undefined && typeof first.body === 'object';
  if (first.status === 404 || (first.status < 400 && !looksLikeApi)) {
    findings.push({
      system: 'heartland', check: 'connection', level: 'error', kind: 'wrong_base_url',
      message: `${conn.baseUrl} answers but is not the Heartland API (GET locations → ${first.status}${looksLikeApi ? '' : ', not JSON'}).`,
      missing: 'HEARTLAND_BASE_URL',
      fix: 'HEARTLAND_BASE_URL must be the API root ending in /api, e.g. https://acme.retail.heartland.us/api.',
    });
    return { findings, usable: false, readable };
  }
  findings.push(ok('heartland', 'token', `Heartland answers at ${conn.baseUrl} and accepts the token.`));

  const missingByPermission = new Map<string, string[]>();
  for (const entry of HEARTLAND_PERMISSIONS) {
    if (entry.needs === 'giftCards' && options.giftCards === false) continue;
    const result = entry === HEARTLAND_PERMISSIONS[0] ? first : await get(entry.path);
    if (result.kind === 'network') {
      findings.push({ system: 'heartland', check: entry.check, level: 'error', kind: 'unreachable', message: `GET ${entry.path}: ${describeNetworkCode(result.code)}.`, fix: 'Run the check again; if it persists, check the network path to Heartland.' });
      continue;
    }
    if (result.status === 403) {
      const list = missingByPermission.get(entry.permission) ?? [];
      list.push(entry.check);
      missingByPermission.set(entry.permission, list);
      findings.push({
        system: 'heartland', check: entry.check, level: entry.needs ? 'warning' : 'error', kind: 'missing_permission',
        message: `The Heartland user behind HEARTLAND_API_TOKEN may not read ${entry.path} (403), needed for ${entry.usedFor}: permission "${entry.permission}" is missing.`,
        missing: entry.permission,
        fix: `In Heartland, give that user's role the permission "${entry.permission}" (Settings → Users & roles), then run \`hcc doctor\` again. API tokens carry their user's permissions, so no new token is needed.`,
      });
      continue;
    }
    if (result.status >= 400) {
      findings.push({ system: 'heartland', check: entry.check, level: 'error', kind: 'unexpected_answer', message: `GET ${entry.path} answered ${result.status}: ${heartlandMessage(result)}.`, fix: 'Run the check again; if it persists, contact Heartland support with this message.' });
      continue;
    }
    readable.add(entry.path);
  }
  if (missingByPermission.size === 0) findings.push(ok('heartland', 'permissions', 'The token has every permission the connector uses.'));
  return { findings, usable: true, readable };
}

// ---- discovery --------------------------------------------------------------------------------

export interface HeartlandLocation {
  id: string;
  name: string;
  publicId?: string;
  active: boolean;
  stations: { id: string; name: string; active: boolean }[];
}

export interface HeartlandDiscovery {
  locations: HeartlandLocation[];
  paymentTypes: { id: string; name: string; active: boolean }[];
  shippingMethods: { id: string; name: string; active: boolean }[];
  customFields: { id: string; key: string; group: string; name?: string }[];
}

type Row = Record<string, unknown>;

/** Every row of a Heartland collection (page by page, §2.1). */
export async function heartlandList(conn: HeartlandConnection, path: string, options: HeartlandProbeOptions & { query?: string; limit?: number } = {}): Promise<Row[]> {
  const rows: Row[] = [];
  for (let page = 1; page < 1000; page++) {
    const result = await probe({
      url: apiUrl(conn.baseUrl, path, `per_page=500&page=${page}&sort[]=id${options.query ? `&${options.query}` : ''}`),
      headers: { authorization: `Bearer ${conn.apiToken}` },
      timeoutMs: options.timeoutMs,
      fetch: options.fetch,
    });
    if (result.kind === 'network') throw new Error(`Heartland GET ${path}: ${describeNetworkCode(result.code)}`);
    if (result.status >= 400) throw new Error(`Heartland GET ${path} answered ${result.status}: ${heartlandMessage(result)}`);
    const body = result.body as { results?: Row[]; pages?: number } | undefined;
    if (!body || !Array.isArray(body.results)) throw new Error(`Heartland GET ${path}: the answer has no results list`);
    rows.push(...body.results);
    if (!body.pages || page >= body.pages || body.results.length === 0) break;
    if (options.limit !== undefined && rows.length >= options.limit) break;
  }
  return options.limit !== undefined ? rows.slice(0, options.limit) : rows;
}

const str = (v: unknown) => (v === null || v === undefined ? '' : String(v));

/** Reads what there is to map. Paths the token may not read come back empty (their findings say why). */
export async function discoverHeartland(conn: HeartlandConnection, readable: Set<string>, options: HeartlandProbeOptions = {}): Promise<HeartlandDiscovery> {
  const list = (path: string) => (readable.has(path) ? heartlandList(conn, path, options) : Promise.resolve([] as Row[]));
  const [locations, stations, paymentTypes, shippingMethods, customFields] = [
    await list('locations'),
    await list('stations'),
    await list('payment_types'),
    await list('shipping_methods'),
    await list('custom_fields'),
  ];
  return {
    locations: locations.map((l) => ({
      id: str(l.id),
      name: str(l.name) || `Location ${str(l.id)}`,
      publicId: l.public_id ? str(l.public_id) : undefined,
      active: l.active !== false,
      stations: stations.filter((s) => str(s.location_id) === str(l.id)).map((s) => ({ id: str(s.id), name: str(s.name), active: s.active !== false })),
    })),
    paymentTypes: paymentTypes.map((p) => ({ id: str(p.id), name: str(p.name), active: p.active !== false })),
    shippingMethods: shippingMethods.map((m) => ({ id: str(m.id), name: str(m.name), active: m.active !== false })),
    customFields: customFields.map((f) => ({ id: str(f.id), key: str(f.key), group: str(f.group_id), name: f.name ? str(f.name) : undefined })),
  };
}
