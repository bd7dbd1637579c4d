/**
 * Fuzzing every public entry point through the local Runtime host (issue 11): at least 10,000
 * generated and mutated requests each to heartland-webhook, commerce-events (OpenWhisk invoke),
 * commerce-webhook, admin-api and registration. Holds: no 5xx, no crashed activation, the host
 * keeps serving, and no state or file write for any batch in which every request was refused.
 *
 * Requests are sent in concurrent batches; a counting proxy in front of the state service says how
 * many writes each batch caused. The generators are built so that nearly every request is refused
 * (wrong credentials, broken bodies, unknown kinds, event types the connector is not registered
 * for); a batch that nevertheless contains an accepted request is only checked for 5xx.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { startStateProbe, type StateProbe } from '../test/security/state-probe';
import { type Host, startHost } from '../sandbox/host';
import { startCommerceSimulator, type CommerceSimulator } from '../sandbox/commerce/server';

const PER_ENTRY = 10_000;
const CONCURRENCY = 48;
const SEED = Number(process.env.FUZZ_SEED ?? 20261128);
const SECRET = 'fuzz-webhook-secret-7c1e9a';
const PREVIOUS = 'fuzz-previous-secret-33d0';

const env = {
  HEARTLAND_BASE_URL: 'http://127.0.0.1:9/api',
  HEARTLAND_API_TOKEN: 'fuzz-heartland-token-aa11',
  HEARTLAND_WEBHOOK_SECRET: SECRET,
  HEARTLAND_WEBHOOK_SECRET_PREVIOUS: PREVIOUS,
  // Already expired: the previous secret must be refused like any other.
  HEARTLAND_WEBHOOK_SECRET_PREVIOUS_EXPIRES: '2020-01-01T00:00:00Z',
  COMMERCE_BASE_URL: 'http://127.0.0.1:9/rest',
  COMMERCE_ACCESS_TOKEN: 'fuzz-commerce-token-bb22',
  // One event type only, so well-formed events of the other Commerce types are "ignored" (no writes).
  COMMERCE_EVENT_TYPES: 'observer.sales_order_save_commit_after',
  WEBHOOK_RATE_LIMIT_PER_MINUTE: '100000000',
  LOG_LEVEL: 'error',
  ADOBE_IO_EVENTS_PUBLIC_KEY_BASE_URL: '',
};

let probe: StateProbe;
let host: Host;
let sim: CommerceSimulator;

beforeAll(async () => {
  probe = await startStateProbe();
  sim = await startCommerceSimulator({ port: 0 });
  env.ADOBE_IO_EVENTS_PUBLIC_KEY_BASE_URL = `${sim.url}__sim/static`;
  host = await startHost({
    port: 0,
    appConfigPath: resolve('app.config.yaml'),
    env,
    alarms: false,
    log: () => {},
    limits: { perSourcePerMinute: 100_000_000, maxConcurrentActivations: 1000 },
  });
});
afterAll(async () => {
  await host?.close();
  await sim?.close();
  await probe?.close();
});

interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

interface Outcome {
  status: number;
  /** The action itself accepted the request (so writes may follow). */
  accepted: boolean;
  crashed: boolean;
  detail: string;
}

// ------------------------------------------------------------------ generators

const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom('', ' ', 'null', '__proto__', 'constructor', '../../etc/passwd', '%00', '4111 1111 1111 1111', '${jndi:x}', '\u0000', '😀'),
);
const scalar = fc.oneof(text, fc.integer(), fc.double(), fc.boolean(), fc.constant(null));
const anyJson = fc.jsonValue({ maxDepth: 3 });

function deepNest(depth: number): unknown {
  let v: unknown = 'x';
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
}

/** One random change to a JSON object: delete, retype, inflate, nest, pollute. */
function mutate(base: Record<string, unknown>): fc.Arbitrary<Record<string, unknown>> {
  const keys = Object.keys(base);
  return fc.oneof(
    fc.constantFrom(...keys).map((k) => {
      const copy = structuredClone(base);
      delete copy[k];
      return copy;
    }),
    fc.tuple(fc.constantFrom(...keys), fc.oneof(scalar, anyJson)).map(([k, v]) => ({ ...structuredClone(base), [k]: v })),
    fc.tuple(fc.string({ maxLength: 12 }), anyJson).map(([k, v]) => ({ ...structuredClone(base), [k]: v })),
    fc.constantFrom(...keys).map((k) => ({ ...structuredClone(base), [k]: 'x'.repeat(3000) })),
    fc.constantFrom(...keys).map((k) => ({ ...structuredClone(base), [k]: deepNest(60) })),
    fc.constant(JSON.parse(`{"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}},${JSON.stringify(base).slice(1)}`) as Record<string, unknown>),
  );
}

/** A body as text: JSON of the value, broken JSON, random text, or empty. */
function bodyOf(value: fc.Arbitrary<unknown>): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 6, arbitrary: value.map((v) => JSON.stringify(v) ?? 'null') },
    { weight: 1, arbitrary: value.map((v) => (JSON.stringify(v) ?? 'null').slice(0, -1)) },
    { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
    { weight: 1, arbitrary: fc.constant('') },
  );
}

const contentType = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'application/octet-stream', 'multipart/form-data; boundary=x', '');
const method = fc.constantFrom('POST', 'POST', 'POST', 'GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD');

function withHeaders(extra: Record<string, string>, ct: string): Record<string, string> {
  return ct ? { 'content-type': ct, ...extra } : extra;
}

const notification = { event: 'item_updated', resource_type: 'item', resource_id: 100777, occurred_at: '2026-11-28T09:00:00Z' };
/** Mutated notifications with one required field always broken, so the schema must refuse them. */
const brokenNotification = fc
  .tuple(mutate(notification), fc.constantFrom('event', 'resource_type', 'resource_id', 'occurred_at'), fc.constantFrom(undefined, {}, [], true))
  .map(([n, field, bad]) => {
    const copy: Record<string, unknown> = { ...n };
    if (bad === undefined) delete copy[field];
    else copy[field] = bad;
    return copy;
  });

function heartlandWebhookRequests(): fc.Arbitrary<FuzzRequest> {
  const wrongSecret = fc.oneof(fc.constantFrom(PREVIOUS, SECRET.slice(1), `${SECRET}x`, SECRET.toUpperCase(), encodeURIComponent(' ')), fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/));
  // Unknown kinds are few: each one asks every area (a state read), which makes it the slow path.
  const kind = fc.oneof(
    { weight: 8, arbitrary: fc.constant('notification') },
    { weight: 1, arbitrary: fc.stringMatching(/^fuzz-[a-z]{1,8}$/) },
    { weight: 1, arbitrary: fc.constantFrom('', 'NOTIFICATION/../x', 'a/b/c/d/e') },
  );
  const unauthenticated = fc
    .record({ secret: fc.option(wrongSecret, { nil: undefined }), inHeader: fc.boolean(), kind, m: method, ct: contentType, body: bodyOf(fc.oneof(anyJson, mutate(notification))) })
    .map(({ secret, inHeader, kind: k, m, ct, body }) => {
      const headers = withHeaders(inHeader && secret ? { 'x-webhook-secret': secret } : {}, ct);
      const path = `/api/v1/web/connector/heartland-webhook/${!inHeader && secret ? `${encodeURIComponent(secret)}/` : ''}${k}`;
      return { method: m, path, headers, body: m === 'GET' || m === 'HEAD' ? undefined : body };
    });
  const authenticated = fc
    .record({ inHeader: fc.boolean(), kind, ct: contentType, body: bodyOf(fc.oneof(anyJson, brokenNotification)), m: fc.constantFrom('POST', 'POST', 'PUT', 'GET') })
    .map(({ inHeader, kind: k, ct, body, m }) => {
      const headers = withHeaders(inHeader ? { 'x-webhook-secret': SECRET } : {}, ct);
      const kindPath = k === 'notification' ? k : `fuzz-${k.replace(/[^a-z]/g, '') || 'x'}`;
      const path = `/api/v1/web/connector/heartland-webhook/${inHeader ? '' : `${SECRET}/`}${kindPath}`;
      return { method: m, path, headers, body: m === 'GET' ? undefined : body };
    });
  return fc.oneof({ weight: 4, arbitrary: unauthenticated }, { weight: 6, arbitrary: authenticated });
}

const cloudEvent = {
  specversion: '1.0',
  id: 'e1c0ffee-0000-4000-8000-000000000001',
  source: 'urn:uuid:b6f3b7f2-6c1b-4a3e-9d3e-0c0ffee5a11d',
  type: 'com.adobe.commerce.observer.customer_save_commit_after',
  datacontenttype: 'application/json',
  time: '2026-11-28T09:00:00.000Z',
  eventid: 'e1c0ffee-0000-4000-8000-000000000001',
  recipientclientid: 'sandbox-connector-client',
  data: { key: 'k', value: { entity_id: '42', email: 'x@example.com', updated_at: '2026-11-28 09:00:00' }, source: 'sandbox.local' },
};
const otherTypes = [
  'com.adobe.commerce.observer.customer_save_commit_after',
  'com.adobe.commerce.observer.catalog_product_save_commit_after',
  'com.adobe.commerce.app_x.observer.sales_order_creditmemo_save_after',
  'com.adobe.commerce.observer.unknown_thing',
  'com.adobe.commerce.plugin.magento.sales.api.order_management.place',
  'com.example.other',
  '',
];
/** Events the connector must refuse or ignore: broken envelopes, other types, or the accepted type with a broken value. */
const refusedEvent: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  fc.tuple(mutate(cloudEvent), fc.constantFrom(...otherTypes)).map(([e, type]) => ({ ...e, type })),
  fc.tuple(mutate(cloudEvent), fc.constantFrom('id', 'type', 'data')).map(([e, field]) => {
    const copy: Record<string, unknown> = { ...e };
    delete copy[field];
    return copy;
  }),
  fc.oneof(text, fc.integer(), fc.array(scalar), fc.constant(null)).map((value) => ({
    ...cloudEvent,
    type: 'com.adobe.commerce.observer.sales_order_save_commit_after',
    data: { ...cloudEvent.data, value },
  })),
  fc.dictionary(fc.string({ maxLength: 10 }).filter((k) => !/^[A-Z]/.test(k) && !k.startsWith('__ow_')), anyJson, { maxKeys: 6 }),
);

function commerceEventsRequests(): fc.Arbitrary<FuzzRequest> {
  const invoke = '/api/v1/namespaces/_/actions/connector/commerce-events?blocking=true';
  const authorized = refusedEvent.map((e): FuzzRequest => ({ method: 'POST', path: invoke, headers: { authorization: host.authorization, 'content-type': 'application/json' }, body: JSON.stringify(e) }));
  const unauthorized = fc
    .record({ auth: fc.constantFrom(undefined, 'Basic Zm9vOmJhcg==', 'Bearer x', host.authorization.slice(0, -2)), body: bodyOf(anyJson) })
    .map(({ auth, body }): FuzzRequest => ({ method: 'POST', path: invoke, headers: auth ? { authorization: auth } : {}, body }));
  const brokenParams = bodyOf(fc.oneof(anyJson, fc.array(anyJson))).map((body): FuzzRequest => ({ method: 'POST', path: invoke, headers: { authorization: host.authorization }, body }));
  return fc.oneof({ weight: 6, arbitrary: authorized }, { weight: 2, arbitrary: unauthorized }, { weight: 2, arbitrary: brokenParams });
}

/** Real signatures for a few refused bodies (RSA signing is too slow for all 10,000). */
let signedSamples: Array<{ body: string; headers: Record<string, string> }> = [];

function commerceWebhookRequests(): fc.Arbitrary<FuzzRequest> {
  const base = '/api/v1/web/connector/commerce-webhook';
  const sigHeader = fc.oneof(fc.base64String({ maxLength: 700 }), fc.constant(Buffer.alloc(256, 1).toString('base64')), text);
  const keyPath = fc.oneof(fc.constantFrom('/prod/keys/pub-key-00000000-0000-4000-8000-000000000000.pem', '/../x.pem', 'https://evil.example/k.pem', ''), text);
  const forged = fc
    .record({ body: bodyOf(fc.oneof(refusedEvent, anyJson)), s1: fc.option(sigHeader, { nil: undefined }), p1: keyPath, s2: fc.option(sigHeader, { nil: undefined }), p2: keyPath, ct: contentType, m: method })
    .map(({ body, s1, p1, s2, p2, ct, m }) => {
      const headers: Record<string, string> = withHeaders({}, ct);
      if (s1 !== undefined) Object.assign(headers, { 'x-adobe-digital-signature-1': s1, 'x-adobe-public-key1-path': p1 });
      if (s2 !== undefined) Object.assign(headers, { 'x-adobe-digital-signature-2': s2, 'x-adobe-public-key2-path': p2 });
      return { method: m === 'GET' || m === 'HEAD' ? 'POST' : m, path: base, headers, body };
    });
  // A genuine signature over one body, sent with a different (tampered) body.
  const tampered = fc.tuple(fc.nat(), bodyOf(fc.oneof(refusedEvent, anyJson))).map(([i, body]) => {
    const sample = signedSamples[i % signedSamples.length]!;
    return { method: 'POST', path: base, headers: { 'content-type': 'application/json', ...sample.headers }, body: body === sample.body ? `${body} ` : body };
  });
  // Genuinely signed events the connector must ignore or refuse after verification.
  const signedRefused = fc.nat().map((i) => {
    const sample = signedSamples[i % signedSamples.length]!;
    return { method: 'POST', path: base, headers: { 'content-type': 'application/json', ...sample.headers }, body: sample.body };
  });
  const challenge = fc.oneof(text, fc.uuid()).map((c) => ({ method: 'GET', path: `${base}?challenge=${encodeURIComponent(c)}`, headers: {} }));
  return fc.oneof({ weight: 5, arbitrary: forged }, { weight: 2, arbitrary: tampered }, { weight: 1, arbitrary: signedRefused }, { weight: 2, arbitrary: challenge });
}

function adobeAuthRequests(pathBase: string): fc.Arbitrary<FuzzRequest> {
  const subPath = fc.oneof(fc.constantFrom('', '/status', '/settings', '/dlq', '/dlq/order/abc', '/mappings', '/reports/reconciliation', '/../../etc'), fc.stringMatching(/^(\/[A-Za-z0-9._%-]{1,12}){0,4}$/));
  const query = fc.oneof(fc.constant(''), fc.dictionary(fc.stringMatching(/^[a-z]{1,8}$/), fc.string({ maxLength: 20 }), { maxKeys: 3 }).map((q) => `?${new URLSearchParams(q)}`));
  const noAuth = fc.record({ p: subPath, q: query, m: method, ct: contentType, body: bodyOf(anyJson) }).map(({ p, q, m, ct, body }) => ({
    method: m,
    path: `${pathBase}${p}${q}`,
    headers: withHeaders({}, ct),
    body: m === 'GET' || m === 'HEAD' ? undefined : body,
  }));
  // ASSUMED: the host only checks that the IMS headers are present (the real gateway validates
  // the token); these reach the action and must still never produce a 5xx. They target the write
  // routes with broken bodies and unknown paths: the read routes that scan state or call the
  // upstreams (status, metrics, reconciliation) take seconds each and are covered by admin-api's tests.
  const writeRoute = fc.oneof(
    fc.constantFrom('/dead-letters/x.1/discard', '/mappings/validate', '/anomalies/x/approve', '/anomalies/x/reject', '/settings'),
    fc.stringMatching(/^\/fuzz(\/[A-Za-z0-9._%-]{1,12}){0,3}$/),
  );
  const withAuth = fc
    .record({ p: writeRoute, m: fc.constantFrom('POST', 'PUT', 'DELETE', 'PATCH'), body: bodyOf(fc.oneof(scalar, fc.array(anyJson), fc.dictionary(fc.string({ maxLength: 8 }).filter((k) => !/^[A-Z_]/.test(k)), scalar, { maxKeys: 4 }))), ct: contentType })
    .map(({ p, m, body, ct }) => ({
      method: m,
      path: `${pathBase}${p}`,
      headers: withHeaders({ authorization: 'Bearer fuzz-ims-token', 'x-gw-ims-org-id': 'FUZZ@AdobeOrg' }, ct),
      body,
    }));
  return fc.oneof({ weight: 8, arbitrary: noAuth }, { weight: 2, arbitrary: withAuth });
}

// ------------------------------------------------------------------ sending

/** HTTP cannot carry every string in a header (RFC 9110 field values); fuzz what it can carry. */
function headerSafe(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, v.replace(/[^\x20-\x7e]/g, '_').trim()]));
}

async function send(request: FuzzRequest): Promise<Outcome> {
  let res: Response;
  const started = Date.now();
  try {
    res = await fetch(`${host.url}${request.path}`, { method: request.method, headers: headerSafe(request.headers), body: request.body });
  } catch (error) {
    return { status: 0, accepted: false, crashed: true, detail: `connection failed: ${(error as Error).message}` };
  }
  const text = await res.text();
  let status = res.status;
  let crashed = false;
  let accepted = res.status >= 200 && res.status < 300;
  // A blocking OpenWhisk invoke answers 502 with the activation record when the action returned an
  // error result: the action's own status is inside. "action developer error" is a crash.
  if (request.path.includes('/actions/') && res.status === 502) {
    const record = JSON.parse(text) as { response?: { status?: string; result?: { error?: { statusCode?: number } } } };
    crashed = record.response?.status !== 'application error';
    status = record.response?.result?.error?.statusCode ?? 502;
    accepted = false;
  }
  // An ignored event and a challenge answer write nothing: their batches are checked too.
  if (accepted && (/"ignored":true/.test(text) || /^\{"challenge":/.test(text))) accepted = false;
  timings.push(Date.now() - started);
  return { status, accepted, crashed, detail: `${request.method} ${request.path.slice(0, 120)} → ${res.status} ${text.slice(0, 300)}` };
}

const timings: number[] = [];

interface Report {
  sent: number;
  byStatus: Record<number, number>;
  failures: string[];
  writesInRefusedBatches: number;
  refusedBatches: number;
}

async function fuzz(requests: FuzzRequest[]): Promise<Report> {
  const report: Report = { sent: 0, byStatus: {}, failures: [], writesInRefusedBatches: 0, refusedBatches: 0 };
  for (let i = 0; i < requests.length; i += CONCURRENCY) {
    const batch = requests.slice(i, i + CONCURRENCY);
    const writesBefore = probe.writes();
    const filesBefore = probe.files().length;
    const outcomes = await Promise.all(batch.map(send));
    for (const o of outcomes) {
      report.sent++;
      report.byStatus[o.status] = (report.byStatus[o.status] ?? 0) + 1;
      if (o.crashed || o.status >= 500 || o.status === 0) report.failures.push(o.detail);
    }
    if (outcomes.every((o) => !o.accepted)) {
      report.refusedBatches++;
      const written = probe.writes() - writesBefore + (probe.files().length - filesBefore);
      if (written > 0) {
        report.writesInRefusedBatches += written;
        report.failures.push(`batch at ${i}: ${written} state/file writes although every request was refused`);
      }
    }
  }
  return report;
}

function generate(arbitrary: fc.Arbitrary<FuzzRequest>, salt: number): FuzzRequest[] {
  return fc.sample(arbitrary, { numRuns: PER_ENTRY, seed: SEED + salt });
}

function expectClean(name: string, report: Report) {
  // Printed for the record (statuses per entry point); failures are listed in the assertion message.
  console.log(`[fuzz] ${name}: ${report.sent} requests, statuses ${JSON.stringify(report.byStatus)}, ${report.refusedBatches} all-refused batches`);
  expect(report.failures.slice(0, 5), `${name}: ${report.failures.length} failures`).toEqual([]);
  expect(report.sent).toBeGreaterThanOrEqual(PER_ENTRY);
}

describe('fuzzing every entry point through the local host', () => {
  it('heartland-webhook', async () => {
    const report = await fuzz(generate(heartlandWebhookRequests(), 1));
    expectClean('heartland-webhook', report);
    expect(report.refusedBatches).toBe(Math.ceil(PER_ENTRY / CONCURRENCY));
  }, 120_000);

  it('commerce-events (OpenWhisk invoke)', async () => {
    const report = await fuzz(generate(commerceEventsRequests(), 2));
    expectClean('commerce-events', report);
    expect(report.refusedBatches).toBe(Math.ceil(PER_ENTRY / CONCURRENCY));
  }, 120_000);

  it('commerce-webhook (signed webhook delivery)', async () => {
    const bodies = fc.sample(refusedEvent, { numRuns: 40, seed: SEED });
    signedSamples = await Promise.all(
      bodies.map(async (e) => {
        const body = JSON.stringify(e);
        const res = await fetch(`${sim.url}__sim/events/sign`, { method: 'POST', body });
        return { body, headers: (await res.json()) as Record<string, string> };
      }),
    );
    const report = await fuzz(generate(commerceWebhookRequests(), 3));
    expectClean('commerce-webhook', report);
  }, 120_000);

  it('admin-api and registration (require-adobe-auth)', async () => {
    const admin = await fuzz(generate(adobeAuthRequests('/api/v1/web/connector/admin-api'), 4));
    expectClean('admin-api', admin);
    const registration = await fuzz(generate(adobeAuthRequests('/api/v1/web/admin-ui-sdk/registration'), 5));
    expectClean('registration', registration);
  }, 180_000);

  it('the host is still healthy afterwards', async () => {
    const res = await fetch(`${host.url}/health`);
    expect(res.status).toBe(200);
  });
});
