/**
 * The local I/O Runtime host: serves the actions declared in app.config.yaml with Runtime's
 * conventions so the same `main(params)` runs here, in tests and on Adobe (DESIGN.md §3):
 *
 *   GET  /health                                              host + components (from a callback)
 *   ANY  /api/v1/web/<package>/<action>[/<path>]              web actions (`web: yes|raw`)
 *   POST /api/v1/namespaces/<ns>/actions/<package>/<action>   OpenWhisk REST invoke (Basic auth)
 *   GET  /api/v1/namespaces/<ns>/activations/<id>[/result]    activation records
 *   GET  /…                                                   the built panel (web-src/dist)
 *
 * Alarm triggers fire their rules' actions on schedule. Nothing a client sends can crash the
 * host: every failure becomes a JSON error response.
 */
import { existsSync, readFileSync } from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { ActionRunner, type ActivationRecord, newActivationId } from './activations';
import { startAlarms } from './alarms';
import { type ActionDeclaration, type AppConfig, loadAppConfig } from './app-config';
import { PAYLOAD_LIMIT_BYTES, readBody } from './body';
import { interpolateInputs } from './inputs';
import { type HostLimits, createHostGate, limitsFromEnv } from './limits';
import { servePanel } from './static-files';
import { type WebCall, WebRequestError, mergedWebParams, rawWebParams } from './web-params';

export interface HostOptions {
  /** 0 or absent: an ephemeral port. */
  port?: number;
  host?: string;
  appConfigPath?: string;
  /** Source for `$VAR` inputs. Default: `.env` next to app.config.yaml over process.env. */
  env?: Record<string, string | undefined>;
  /** Fire alarm triggers on their schedule (default true). */
  alarms?: boolean;
  /** Length of one alarm "minute" in ms (default 60000); tests shrink it. */
  alarmIntervalMs?: number;
  /** Built panel folder (default web-src/dist next to app.config.yaml). */
  webRoot?: string;
  /** `<uuid>:<key>` namespace credentials the OpenWhisk REST routes require as Basic auth. */
  runtimeAuth?: string;
  namespace?: string;
  /** Extra /health components, e.g. `{ state: { up: true } }`; may ping URLs. */
  components?: () => Record<string, unknown> | Promise<Record<string, unknown>>;
  log?: (line: string) => void;
  /** Per-source rate and activations in flight (defaults, or HCC_HOST_* from env; see limits.ts). */
  limits?: HostLimits;
}

export interface Host {
  url: string;
  port: number;
  namespace: string;
  /** `Basic …` header value for the OpenWhisk REST routes. */
  authorization: string;
  /** Blocking invoke URL of a non-web action, e.g. for the Commerce simulator's event delivery. */
  invokeUrl(fullName: string, options?: { blocking?: boolean; result?: boolean }): string;
  close(): Promise<void>;
  /** Fires an alarm trigger now and waits for its actions. */
  fireTrigger(name: string): Promise<void>;
}

export const SANDBOX_NAMESPACE = 'hcc-sandbox';
export const SANDBOX_RUNTIME_AUTH = 'sandbox-runtime:sandbox-runtime-key';
/** OpenWhisk answers a blocking call that outlives this with 202 and the activation id. */
const BLOCKING_WAIT_MS = 60_000;

const NOT_FOUND = { error: 'The requested resource does not exist.' };

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (response.headersSent) return;
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...headers });
  response.end(text);
}

function defaultEnv(appConfigPath: string): Record<string, string | undefined> {
  const file = resolve(appConfigPath, '..', '.env');
  const fromFile = existsSync(file) ? parseDotenv(readFileSync(file)) : {};
  return { ...fromFile, ...process.env };
}

function stringHeaders(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof value !== 'object' || value === null) return out;
  for (const [name, v] of Object.entries(value as Record<string, unknown>)) if (v !== undefined && v !== null) out[name.toLowerCase()] = String(v);
  return out;
}

/** Writes a web action's activation the way Runtime's web gateway does. */
function sendWebResult(response: ServerResponse, record: ActivationRecord, headOnly: boolean): void {
  const extra = { 'x-openwhisk-activation-id': record.activationId };
  const result = record.response.result as Record<string, unknown> | undefined;
  if (record.response.status === 'action developer error') {
    sendJson(response, 502, { error: 'The action did not produce a valid response.', activationId: record.activationId }, extra);
    return;
  }
  let statusCode: number;
  let headers: Record<string, string>;
  let body: unknown;
  if (record.response.status === 'application error') {
    const error = result?.error;
    if (typeof error === 'object' && error !== null && typeof (error as { statusCode?: unknown }).statusCode === 'number') {
      const e = error as { statusCode: number; headers?: unknown; body?: unknown };
      statusCode = e.statusCode;
      headers = stringHeaders(e.headers);
      body = e.body;
    } else {
      statusCode = 502;
      headers = {};
      body = { error };
    }
  } else if (result && ('statusCode' in result || 'body' in result || 'headers' in result)) {
    statusCode = typeof result.statusCode === 'number' ? result.statusCode : 200;
    headers = stringHeaders(result.headers);
    body = result.body;
  } else {
    statusCode = 200;
    headers = { 'content-type': 'application/json' };
    body = result ?? {};
  }
  if (!Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599) {
    sendJson(response, 502, { error: `The action answered with an invalid status code ${String(statusCode)}.` }, extra);
    return;
  }
  if (body === undefined || body === null) {
    response.writeHead(statusCode === 200 ? 204 : statusCode, { ...headers, ...extra });
    response.end();
    return;
  }
  let payload: Buffer;
  if (typeof body === 'string') {
    payload = Buffer.from(body, 'utf8');
    headers['content-type'] ??= 'text/html; charset=utf-8';
  } else {
    payload = Buffer.from(JSON.stringify(body), 'utf8');
    headers['content-type'] ??= 'application/json';
  }
  response.writeHead(statusCode, { ...headers, ...extra, 'content-length': String(payload.length) });
  response.end(headOnly ? undefined : payload);
}

function tooLarge(response: ServerResponse, reading: { tooLarge: boolean; bytes: number }): void {
  const bytes = reading.bytes;
  // A client that aborted mid-body gets nothing: there is no one left to answer.
  if (!reading.tooLarge) return void response.destroy();
  sendJson(response, 413, {
    error: `The request body is ${bytes} bytes; the limit is ${PAYLOAD_LIMIT_BYTES} bytes (1 MB).`,
    code: 'payload_too_large',
  });
}

export async function startHost(options: HostOptions = {}): Promise<Host> {
  const appConfigPath = resolve(options.appConfigPath ?? 'app.config.yaml');
  const config: AppConfig = loadAppConfig(appConfigPath);
  const env = options.env ?? defaultEnv(appConfigPath);
  const namespace = options.namespace ?? env.AIO_RUNTIME_NAMESPACE ?? SANDBOX_NAMESPACE;
  const runtimeAuth = options.runtimeAuth ?? env.AIO_RUNTIME_AUTH ?? SANDBOX_RUNTIME_AUTH;
  const authorization = `Basic ${Buffer.from(runtimeAuth).toString('base64')}`;
  const webRoot = resolve(options.webRoot ?? resolve(appConfigPath, '..', 'web-src', 'dist'));
  const log = options.log ?? ((line: string) => console.log(line));
  const runner = new ActionRunner(namespace);
  const gate = createHostGate(limitsFromEnv(env, options.limits));

  /** 429 like Runtime's gateway; true when the request was refused. */
  function refuseOverLimit(request: IncomingMessage, response: ServerResponse): boolean {
    const retryAfter = gate.admit(request.socket.remoteAddress ?? 'unknown');
    if (retryAfter === undefined) return false;
    sendJson(response, 429, { error: 'Too many requests from this address.', code: 'rate_limited' }, { 'retry-after': String(retryAfter) });
    return true;
  }

  function tooManyInFlight(response: ServerResponse): void {
    sendJson(response, 429, { error: 'Too many concurrent requests in flight.', code: 'too_many_activations' }, { 'retry-after': '1' });
  }
  const background = new Set<Promise<unknown>>();

  const inputsOf = (action: ActionDeclaration) => interpolateInputs(action.inputs, env);

  function runInBackground(action: ActionDeclaration, params: Record<string, unknown>, activationId = newActivationId()): Promise<ActivationRecord> {
    const run = runner.run(action, params, activationId);
    background.add(run);
    void run.finally(() => background.delete(run));
    return run;
  }

  async function health(response: ServerResponse): Promise<void> {
    let components: Record<string, unknown> = {};
    try {
      components = (await options.components?.()) ?? {};
    } catch (error) {
      components = { components: { up: false, error: (error as Error).message } };
    }
    const all = { host: { up: true }, ...components };
    const up = Object.values(all).every((c) => typeof c !== 'object' || c === null || (c as { up?: unknown }).up !== false);
    sendJson(response, 200, { status: up ? 'ok' : 'degraded', components: all });
  }

  function findWebAction(segments: string[]): { action: ActionDeclaration; rest: string[] } | undefined {
    // `/web/<pkg>/<action>` and the older `/web/<namespace>/<pkg>/<action>` both resolve.
    for (const skip of [0, 1]) {
      if (skip === 1 && segments[0] !== namespace) continue;
      const [pkg, name] = segments.slice(skip, skip + 2);
      const action = pkg && name ? config.actions.get(`${pkg}/${name}`) : undefined;
      if (action) return { action, rest: segments.slice(skip + 2) };
    }
    return undefined;
  }

  async function webAction(request: IncomingMessage, response: ServerResponse, url: URL, segments: string[]): Promise<void> {
    const found = findWebAction(segments);
    if (!found || found.action.web === 'no') return sendJson(response, 404, NOT_FOUND);
    const { action, rest } = found;
    if (refuseOverLimit(request, response)) return;
    // Like Runtime's gateway: the peer address is appended to x-forwarded-for for the action.
    const peer = request.socket.remoteAddress ?? 'unknown';
    const forwarded = request.headers['x-forwarded-for'];
    const headers: IncomingMessage['headers'] = { ...request.headers, 'x-forwarded-for': forwarded ? `${Array.isArray(forwarded) ? forwarded.join(', ') : forwarded}, ${peer}` : peer };
    if (action.requireAdobeAuth) {
      if (!headers.authorization) return sendJson(response, 401, { error: 'cannot authorize request, reason: missing authorization header' });
      if (!headers['x-gw-ims-org-id']) return sendJson(response, 401, { error: 'cannot authorize request, reason: missing x-gw-ims-org-id header' });
    }
    const body = await readBody(request);
    if (!body.ok) return tooLarge(response, body);
    const call: WebCall = {
      method: request.method ?? 'GET',
      headers,
      path: rest.length > 0 ? '/' + rest.join('/') : '',
      query: url.searchParams,
      rawQuery: url.search.replace(/^\?/, ''),
      body: body.body,
    };
    let params: Record<string, unknown>;
    try {
      params = action.web === 'raw' ? rawWebParams(call, inputsOf(action)) : mergedWebParams(call, inputsOf(action), action.final);
    } catch (error) {
      if (error instanceof WebRequestError) return sendJson(response, error.status, { error: error.message });
      throw error;
    }
    const leave = gate.enter();
    if (!leave) return tooManyInFlight(response);
    let record: ActivationRecord;
    try {
      record = await runner.run(action, params);
    } finally {
      leave();
    }
    sendWebResult(response, record, request.method === 'HEAD');
  }

  function checkNamespaceAuth(request: IncomingMessage, response: ServerResponse, ns: string): boolean {
    if (request.headers.authorization !== authorization) {
      sendJson(response, 401, { error: 'The supplied authentication is invalid.', code: 'unauthorized' });
      return false;
    }
    if (ns !== namespace && ns !== '_') {
      sendJson(response, 403, { error: `The supplied authentication is not authorized to access '${ns}'.`, code: 'forbidden' });
      return false;
    }
    return true;
  }

  async function invokeAction(request: IncomingMessage, response: ServerResponse, url: URL, ns: string, fullName: string): Promise<void> {
    if (refuseOverLimit(request, response)) return;
    if (!checkNamespaceAuth(request, response, ns)) return;
    const action = config.actions.get(fullName);
    if (!action) return sendJson(response, 404, NOT_FOUND);
    if (request.method !== 'POST') return sendJson(response, 405, { error: `Use POST to invoke ${fullName}.` });
    const body = await readBody(request);
    if (!body.ok) return tooLarge(response, body);
    let invokeParams: unknown = {};
    if (body.body.length > 0) {
      try {
        invokeParams = JSON.parse(body.body.toString('utf8'));
      } catch (error) {
        return sendJson(response, 400, { error: `The request content was malformed: ${(error as Error).message}` });
      }
    }
    if (typeof invokeParams !== 'object' || invokeParams === null || Array.isArray(invokeParams)) {
      return sendJson(response, 400, { error: 'The request content was malformed: the params must be a JSON object.' });
    }
    const params = { ...inputsOf(action), ...(invokeParams as Record<string, unknown>) };
    const activationId = newActivationId();
    const leave = gate.enter();
    if (!leave) return tooManyInFlight(response);
    const run = runInBackground(action, params, activationId);
    void run.finally(leave);
    if (url.searchParams.get('blocking') !== 'true') return sendJson(response, 202, { activationId });
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<undefined>((done) => {
      timer = setTimeout(() => done(undefined), BLOCKING_WAIT_MS);
    });
    const record = await Promise.race([run, timedOut]);
    clearTimeout(timer);
    if (!record) return sendJson(response, 202, { activationId });
    const status = record.response.success ? 200 : 502;
    sendJson(response, status, url.searchParams.get('result') === 'true' ? record.response.result : record);
  }

  function activation(request: IncomingMessage, response: ServerResponse, ns: string, id: string, part: string | undefined): void {
    if (!checkNamespaceAuth(request, response, ns)) return;
    const record = runner.activation(id);
    if (!record) return sendJson(response, 404, NOT_FOUND);
    if (part === 'result') return sendJson(response, 200, record.response);
    if (part === 'logs') return sendJson(response, 200, { logs: record.logs });
    sendJson(response, 200, record);
  }

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    let segments: string[];
    try {
      segments = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    } catch {
      return sendJson(response, 400, { error: 'The request path is not valid URL encoding.' });
    }
    if (url.pathname === '/health') return health(response);
    if (segments[0] === 'api' && segments[1] === 'v1') {
      if (segments[2] === 'web') return webAction(request, response, url, segments.slice(3));
      if (segments[2] === 'namespaces' && segments[4] === 'actions' && segments.length === 7) {
        return invokeAction(request, response, url, segments[3], `${segments[5]}/${segments[6]}`);
      }
      if (segments[2] === 'namespaces' && segments[4] === 'activations' && segments.length >= 6 && request.method === 'GET') {
        return activation(request, response, segments[3], segments[5], segments[6]);
      }
      return sendJson(response, 404, NOT_FOUND);
    }
    if ((request.method === 'GET' || request.method === 'HEAD') && (await servePanel(webRoot, url.pathname, response, request.method === 'HEAD'))) return;
    sendJson(response, 404, NOT_FOUND);
  }

  const server = http.createServer((request, response) => {
    route(request, response).catch((error: unknown) => {
      // The path is left out: webhook URLs carry their shared secret in it.
      log(`[host] ${request.method} ${(request.url ?? '').split('/').slice(0, 5).join('/')}/… failed: ${(error as Error)?.stack ?? String(error)}`);
      if (!response.headersSent) sendJson(response, 500, { error: 'The local host failed to handle the request; see its log.' });
      else response.destroy();
    });
  });
  server.on('clientError', (_error, socket) => {
    // Malformed HTTP (bad headers, garbage bytes): answer 400 and drop the connection.
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n{"error":"malformed HTTP request"}');
    else socket.destroy();
  });

  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', fail);
      done();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1'}:${port}`;

  // Runtime's fixed per-namespace variables: aio-lib-state, aio-lib-files and the openwhisk
  // client inside the actions read them from process.env.
  process.env.__OW_NAMESPACE = namespace;
  process.env.__OW_API_KEY = runtimeAuth;
  process.env.__OW_API_HOST = url;

  const alarms = startAlarms({
    config,
    minuteMs: options.alarmIntervalMs ?? 60_000,
    enabled: options.alarms !== false,
    log,
    runAction: async (fullName, payload) => {
      const action = config.actions.get(fullName);
      if (!action) throw new Error(`rule names unknown action ${fullName}`);
      const record = await runInBackground(action, { ...inputsOf(action), ...payload });
      if (!record.response.success) log(`[alarms] ${fullName} ended with ${record.response.status}`);
    },
  });

  return {
    url,
    port,
    namespace,
    authorization,
    invokeUrl(fullName, invokeOptions = {}) {
      const query = new URLSearchParams({ blocking: String(invokeOptions.blocking ?? true) });
      if (invokeOptions.result) query.set('result', 'true');
      return `${url}/api/v1/namespaces/${encodeURIComponent(namespace)}/actions/${fullName}?${query}`;
    },
    fireTrigger: (name) => alarms.fire(name),
    async close() {
      alarms.stop();
      await new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      });
      // Let non-blocking activations finish (bounded), so their writes are not cut in half.
      await Promise.race([Promise.allSettled([...background]), new Promise((done) => setTimeout(done, 5_000).unref())]);
    },
  };
}
