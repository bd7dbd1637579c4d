/**
 * Turns a typed handler into the `main(params)` Runtime calls. Every action gets the same
 * plumbing: params split into inputs / payload / web extras, payload validated with zod, results
 * mapped to `{statusCode, headers, body}`, errors to `{error:{statusCode, body:{error:{code,
 * message, field?}}}}`, and unexpected exceptions to a 500 carrying only a correlation id.
 * Runtime kills the container on an unhandled rejection, so nothing escapes `main`.
 */
import { z } from 'zod';
import { createLogger } from '../platform/logger';
import { parseLogLevel } from '../platform/log-level';
import { registerSecretInputs } from '../platform/redact';
import type { Logger } from '../platform/ports';
import {
  type ActionResponse,
  type ActionResult,
  errorToResult,
  isErrorResult,
  jsonResponse,
  newCorrelationId,
} from './response';
import { type RawParams, type WebRequest, readWebRequest, splitParams } from './request';

export interface ActionContext {
  /** Ties log lines and the error body together; from `x-request-id` or the activation id. */
  correlationId: string;
  /** `<package>/<action>` as declared in app.config.yaml. */
  actionName: string;
  inputs: Record<string, string>;
  /** Redacting JSON logger carrying the action name and correlation id on every line. */
  logger: Logger;
}

export type ActionMain = (params: RawParams) => Promise<ActionResult>;

function correlationIdFor(headers: Record<string, string>): string {
  const fromHeader = headers['x-request-id'] ?? headers['x-correlation-id'];
  if (fromHeader && /^[A-Za-z0-9._:-]{1,128}$/.test(fromHeader)) return fromHeader;
  return process.env.__OW_ACTIVATION_ID || newCorrelationId();
}

function loggerFor(actionName: string, correlationId: string, inputs: Record<string, string>): Logger {
  // Every credential input is masked by value in all logs, run records and dead letters from here on.
  registerSecretInputs(inputs);
  return createLogger({ name: actionName, level: parseLogLevel(inputs.LOG_LEVEL), fields: { correlationId } });
}

function reportUnexpected(logger: Logger) {
  return (error: unknown) => {
    // Logs are the only place a stack trace goes (redacted); the caller sees the correlation id.
    const detail = error instanceof Error ? { error: error.message, stack: error.stack } : { error: String(error) };
    logger.error('unexpected error', detail);
  };
}

/** A handler may return a full response, an error result, or a plain value (sent as 200 JSON). */
function toResult(value: unknown): ActionResult {
  if (isErrorResult(value)) return value;
  if (
    typeof value === 'object' &&
    value !== null &&
    'statusCode' in value &&
    typeof (value as ActionResponse).statusCode === 'number'
  ) {
    return value as ActionResponse;
  }
  return jsonResponse(value ?? {});
}

export interface ActionSpec<S extends z.ZodType> {
  /** `<package>/<action>`, used in logs and error reports. */
  name: string;
  /** Schema for the caller's payload (everything but inputs and `__ow_*`). */
  payload: S;
  handle: (payload: z.infer<S>, context: ActionContext) => Promise<unknown> | unknown;
}

/** A non-web action (event consumer, alarm target, worker): params are the event or job itself. */
export function defineAction<S extends z.ZodType>(spec: ActionSpec<S>): ActionMain {
  return async function main(params: RawParams): Promise<ActionResult> {
    const { inputs, payload, web } = splitParams(params ?? {});
    const headers = (typeof web.__ow_headers === 'object' && web.__ow_headers !== null
      ? Object.fromEntries(Object.entries(web.__ow_headers as Record<string, unknown>).map(([k, v]) => [k.toLowerCase(), String(v)]))
      : {}) as Record<string, string>;
    const correlationId = correlationIdFor(headers);
    const logger = loggerFor(spec.name, correlationId, inputs);
    const context: ActionContext = { correlationId, actionName: spec.name, inputs, logger };
    try {
      const parsed = spec.payload.parse(payload);
      return toResult(await spec.handle(parsed, context));
    } catch (error) {
      return errorToResult(error, { correlationId, report: reportUnexpected(logger) });
    }
  };
}

export interface WebActionSpec {
  name: string;
  /** `web: raw` in app.config.yaml: the body arrives undecoded in `__ow_body` and is not merged. */
  raw?: boolean;
  handle: (request: WebRequest, context: ActionContext) => Promise<unknown> | unknown;
}

export function defineWebAction(spec: WebActionSpec): ActionMain {
  return async function main(params: RawParams): Promise<ActionResult> {
    let correlationId = newCorrelationId();
    let logger = loggerFor(spec.name, correlationId, {});
    try {
      const request = readWebRequest(params ?? {}, { raw: spec.raw === true });
      correlationId = correlationIdFor(request.headers);
      logger = loggerFor(spec.name, correlationId, request.inputs);
      const context: ActionContext = { correlationId, actionName: spec.name, inputs: request.inputs, logger };
      return toResult(await spec.handle(request, context));
    } catch (error) {
      return errorToResult(error, { correlationId, report: reportUnexpected(logger) });
    }
  };
}
