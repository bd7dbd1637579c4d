/**
 * Reading what Runtime hands an action (appbuilder.md §2.3). Runtime merges three things into one
 * flat params object: the action's inputs from app.config.yaml, the caller's query/body fields and
 * the web extras (`__ow_method`, `__ow_headers`, `__ow_path`, and for raw actions `__ow_body` /
 * `__ow_query`). This module splits them apart again so handlers never mix secrets with payload.
 */
import { HttpError } from './http-error';

export type RawParams = Record<string, unknown>;

/**
 * Inputs are named like environment variables (`HEARTLAND_API_TOKEN`, `LOG_LEVEL`) because they
 * come from `$ENV` in app.config.yaml; request fields never are (CloudEvents, JSON bodies and
 * query strings use lower or camel case). The name pattern is therefore a reliable separator.
 */
const INPUT_NAME = /^[A-Z][A-Z0-9_]*$/;

export interface SplitParams {
  /** Configuration inputs (`$ENV` values), including secrets: never echo them back. */
  inputs: Record<string, string>;
  /** The caller's own fields (query + body for web actions, the event for non-web ones). */
  payload: Record<string, unknown>;
  /** The `__ow_*` extras Runtime adds to web invocations. */
  web: Record<string, unknown>;
}

export function splitParams(params: RawParams): SplitParams {
  const inputs: Record<string, string> = {};
  const payload: Record<string, unknown> = {};
  const web: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(params ?? {})) {
    if (name.startsWith('__ow_')) web[name] = value;
    else if (INPUT_NAME.test(name)) {
      // Unresolved `$VAR` inputs arrive as empty strings or undefined; treat both as "not set".
      if (value !== undefined && value !== null && value !== '') inputs[name] = String(value);
    } else payload[name] = value;
  }
  return { inputs, payload, web };
}

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete' | 'head' | 'options';

export interface WebRequest {
  method: HttpMethod;
  /** Path after the action name, always starting with `/` (`/status`, `/dlq/order/42`); `/` when empty. */
  path: string;
  /** Header names lower-cased, as Runtime delivers them. */
  headers: Record<string, string>;
  /** Query fields: parsed from `__ow_query` for raw actions, otherwise the merged fields. */
  query: Record<string, string>;
  /** Merged query + JSON/form body fields (non-raw actions). Empty for raw actions. */
  fields: Record<string, unknown>;
  /** Exact request bytes (raw actions only; empty for merged actions). */
  rawBody: Buffer;
  inputs: Record<string, string>;
}

const METHODS: ReadonlySet<string> = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options']);

function lowerCaseHeaders(value: unknown): Record<string, string> {
  const headers: Record<string, string> = {};
  if (typeof value !== 'object' || value === null) return headers;
  for (const [name, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === undefined || v === null) continue;
    headers[name.toLowerCase()] = Array.isArray(v) ? v.map(String).join(', ') : String(v);
  }
  return headers;
}

export function normalizePath(owPath: unknown): string {
  const text = typeof owPath === 'string' ? owPath : '';
  const trimmed = text.replace(/^\/+/, '').replace(/\/+$/, '');
  return '/' + trimmed;
}

/**
 * Runtime base64-encodes raw bodies that are JSON or binary and passes text as-is.
 * ASSUMED (appbuilder.md §2.3 and aio app dev notes): text/* and form bodies arrive as plain
 * strings; everything else (JSON, octet-stream, unknown) as base64.
 */
export function decodeRawBody(owBody: unknown, contentType: string | undefined): Buffer {
  if (owBody === undefined || owBody === null || owBody === '') return Buffer.alloc(0);
  if (typeof owBody !== 'string') {
    // A platform that already parsed the body: re-serialise so signatures are computed on JSON text.
    return Buffer.from(JSON.stringify(owBody), 'utf8');
  }
  const type = (contentType ?? '').toLowerCase();
  if (type.startsWith('text/') || type.startsWith('application/x-www-form-urlencoded')) {
    return Buffer.from(owBody, 'utf8');
  }
  if (!/^[A-Za-z0-9+/=\r\n]*$/.test(owBody)) {
    throw new HttpError(400, 'invalid_body', '__ow_body is not valid base64', '__ow_body');
  }
  return Buffer.from(owBody, 'base64');
}

function queryFromString(query: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof query === 'string') {
    for (const [k, v] of new URLSearchParams(query)) out[k] = v;
  } else if (typeof query === 'object' && query !== null) {
    // aio app dev passes an object instead of Runtime's string.
    for (const [k, v] of Object.entries(query as Record<string, unknown>)) out[k] = String(v);
  }
  return out;
}

function stringFields(fields: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(fields)) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
  }
  return out;
}

export function readWebRequest(params: RawParams, options: { raw: boolean }): WebRequest {
  const { inputs, payload, web } = splitParams(params);
  const method = typeof web.__ow_method === 'string' ? web.__ow_method.toLowerCase() : 'get';
  if (!METHODS.has(method)) {
    throw new HttpError(405, 'method_not_allowed', `HTTP method ${String(web.__ow_method)} is not supported`);
  }
  const headers = lowerCaseHeaders(web.__ow_headers);
  const path = normalizePath(web.__ow_path);
  if (options.raw) {
    return {
      method: method as HttpMethod,
      path,
      headers,
      query: queryFromString(web.__ow_query),
      fields: {},
      rawBody: decodeRawBody(web.__ow_body, headers['content-type']),
      inputs,
    };
  }
  return {
    method: method as HttpMethod,
    path,
    headers,
    query: stringFields(payload),
    fields: payload,
    rawBody: Buffer.alloc(0),
    inputs,
  };
}

/** Parses a raw JSON body, naming the problem (400) instead of throwing a SyntaxError. */
export function parseJsonBody(rawBody: Buffer): unknown {
  const text = rawBody.toString('utf8');
  if (text.trim() === '') throw new HttpError(400, 'empty_body', 'the request body is empty; a JSON document is required');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, 'malformed_json', `the request body is not valid JSON: ${(error as Error).message}`);
  }
}
