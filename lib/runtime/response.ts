/**
 * The two result shapes an I/O Runtime action returns (appbuilder.md §2.3): a web response
 * `{statusCode, headers, body}`, or `{error:{statusCode, body}}`, which Runtime records as an
 * application error (and which I/O Events and the panel both read as a failure).
 */
import { randomUUID } from 'node:crypto';
import { ZodError } from 'zod';
import { HttpError } from './http-error';
import { UpstreamError } from '../platform/http';

export interface ActionResponse {
  statusCode: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface ErrorBody {
  error: { code: string; message: string; field?: string; correlationId?: string };
}

export interface ActionErrorResult {
  error: { statusCode: number; body: ErrorBody };
}

export type ActionResult = ActionResponse | ActionErrorResult;

export function isErrorResult(result: unknown): result is ActionErrorResult {
  return (
    typeof result === 'object' &&
    result !== null &&
    'error' in result &&
    typeof (result as { error: unknown }).error === 'object' &&
    (result as { error: { statusCode?: unknown } }).error !== null &&
    typeof (result as { error: { statusCode?: unknown } }).error.statusCode === 'number'
  );
}

const JSON_HEADERS = { 'content-type': 'application/json' };

export function jsonResponse(body: unknown, statusCode = 200, headers: Record<string, string> = {}): ActionResponse {
  return { statusCode, headers: { ...JSON_HEADERS, ...headers }, body };
}

export function errorResult(
  statusCode: number,
  error: { code: string; message: string; field?: string; correlationId?: string },
): ActionErrorResult {
  const body: ErrorBody = { error: { code: error.code, message: error.message } };
  if (error.field !== undefined) body.error.field = error.field;
  if (error.correlationId !== undefined) body.error.correlationId = error.correlationId;
  return { error: { statusCode, body } };
}

/** Dotted path of a zod issue (`lines.0.sku`), or undefined for a problem with the whole value. */
export function zodIssuePath(path: ReadonlyArray<PropertyKey>): string | undefined {
  return path.length > 0 ? path.map(String).join('.') : undefined;
}

export interface ErrorMappingOptions {
  correlationId: string;
  /** Where unexpected errors are reported with their stack; the caller only gets the correlation id. */
  report?: (error: unknown, correlationId: string) => void;
}

/**
 * Maps anything thrown by a handler to an error result. HttpError and ZodError are the caller's
 * fault and keep their message; everything else is a 500 with only a correlation id, because a
 * stack trace or upstream message may carry secrets or customer data.
 */
export function errorToResult(error: unknown, options: ErrorMappingOptions): ActionErrorResult {
  if (error instanceof HttpError) {
    return errorResult(error.status, {
      code: error.code,
      message: error.message,
      field: error.field,
      correlationId: options.correlationId,
    });
  }
  if (error instanceof ZodError) {
    const issue = error.issues[0];
    const field = issue ? zodIssuePath(issue.path) : undefined;
    const message = issue
      ? `${field ?? 'request'}: ${issue.message}`
      : 'the request does not match the expected shape';
    return errorResult(400, { code: 'invalid_request', message, field, correlationId: options.correlationId });
  }
  if (error instanceof UpstreamError) {
    // Heartland or Commerce failed, not this action and not the caller: 502 (503 while it throttles
    // or is unreachable) so callers and I/O Events retry, naming the system but not the URL.
    options.report?.(error, options.correlationId);
    const unreachable = error.status === 0 || error.status === 429;
    return errorResult(unreachable ? 503 : 502, {
      code: 'upstream_unavailable',
      message: `${error.system} ${error.status === 0 ? 'could not be reached' : `answered ${error.status}`}; retry later (correlation id ${options.correlationId})`,
      correlationId: options.correlationId,
    });
  }
  options.report?.(error, options.correlationId);
  return errorResult(500, {
    code: 'internal_error',
    message: `unexpected error; quote correlation id ${options.correlationId} when reporting it`,
    correlationId: options.correlationId,
  });
}

export function newCorrelationId(): string {
  return randomUUID();
}
