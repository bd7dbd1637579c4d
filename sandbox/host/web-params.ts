/**
 * Builds the params I/O Runtime gives a web action (appbuilder.md §2.3, §5.2): inputs, query and
 * JSON/form body merged flat for `web: yes`; for `web: raw` the body stays undecoded in `__ow_body`
 * and the query in `__ow_query`. Both get `__ow_method`, `__ow_headers` (lower-cased), `__ow_path`.
 */
import type { IncomingHttpHeaders } from 'node:http';

export class WebRequestError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export interface WebCall {
  method: string;
  headers: IncomingHttpHeaders;
  /** Rest of the path after `<package>/<action>`, e.g. `/status`, or ''. */
  path: string;
  query: URLSearchParams;
  rawQuery: string;
  body: Buffer;
}

function headersForAction(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function mediaType(headers: IncomingHttpHeaders): string {
  return (headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
}

function isTextType(type: string): boolean {
  return type.startsWith('text/') || type === 'application/x-www-form-urlencoded';
}

function owExtras(call: WebCall): Record<string, unknown> {
  return { __ow_method: call.method.toLowerCase(), __ow_headers: headersForAction(call.headers), __ow_path: call.path };
}

export function rawWebParams(call: WebCall, inputs: Record<string, unknown>): Record<string, unknown> {
  const type = mediaType(call.headers);
  // Runtime passes text as-is and JSON or binary as base64.
  const owBody = call.body.length === 0 ? '' : isTextType(type) ? call.body.toString('utf8') : call.body.toString('base64');
  return { ...inputs, ...owExtras(call), __ow_body: owBody, __ow_query: call.rawQuery };
}

/**
 * Merged params. `final: true` inputs may not be redefined by the request; Runtime rejects that
 * with 400, which also keeps a caller from swapping a connection secret for their own.
 */
export function mergedWebParams(call: WebCall, inputs: Record<string, unknown>, final: boolean): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [name, value] of call.query) fields[name] = value;
  const extras: Record<string, unknown> = {};
  if (call.body.length > 0) {
    const type = mediaType(call.headers);
    if (type === 'application/json' || type.endsWith('+json')) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(call.body.toString('utf8'));
      } catch (error) {
        throw new WebRequestError(400, `malformed JSON in the request body: ${(error as Error).message}`);
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        throw new WebRequestError(400, 'the JSON request body must be an object; its fields become the action params');
      }
      Object.assign(fields, parsed);
    } else if (type === 'application/x-www-form-urlencoded') {
      for (const [name, value] of new URLSearchParams(call.body.toString('utf8'))) fields[name] = value;
    } else {
      extras.__ow_body = isTextType(type) ? call.body.toString('utf8') : call.body.toString('base64');
    }
  }
  for (const name of Object.keys(fields)) {
    if (name.startsWith('__ow_')) throw new WebRequestError(400, `request field "${name}" is reserved for the platform`);
    if (final && name in inputs) {
      throw new WebRequestError(400, `Request defines parameters that are not allowed: "${name}" is a final input of this action`);
    }
  }
  return { ...inputs, ...fields, ...extras, ...owExtras(call) };
}
