/**
 * Retryable or terminal (DESIGN.md §6): network errors, timeouts, 408, 429 and 5xx (except 501/505)
 * are worth another try; validation, other 4xx, unknown SKUs and mapping errors are not, and go to
 * dead letters with the field at fault. Unknown exceptions (bugs) are terminal: retrying the same
 * code would fail the same way, a dead letter can be replayed once the code is fixed.
 */
import { ZodError } from 'zod';
import { BrokenCircuitError, IsolatedCircuitError, TaskCancelledError } from 'cockatiel';
import { UpstreamError } from '../platform/http';
import { redactText } from '../platform/redact';
import { CircuitOpenError, RetryableError, TerminalError } from './errors';
import type { ErrorInfo } from './types';

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'ECONNABORTED', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT']);
// aio-lib-state error codes (appbuilder.md §4.1) that clear by themselves.
const TRANSIENT_STATE_CODES = new Set(['ERROR_REQUEST_RATE_TOO_HIGH', 'ERROR_INTERNAL']);

function messageOf(error: unknown): string {
  if (error instanceof Error) return redactText(error.message || error.name);
  return redactText(typeof error === 'string' ? error : JSON.stringify(error) ?? String(error));
}

function zodField(error: ZodError): string | undefined {
  const path = error.issues[0]?.path;
  return path && path.length > 0 ? path.map(String).join('.') : undefined;
}

/** A field named by the upstream's error body (Heartland `{field}`, Magento `parameters.fieldName`). */
function upstreamField(details: unknown): string | undefined {
  if (!details || typeof details !== 'object') return undefined;
  const d = details as Record<string, unknown>;
  if (typeof d.field === 'string') return d.field;
  const params = d.parameters as Record<string, unknown> | undefined;
  if (params && typeof params.fieldName === 'string') return params.fieldName;
  const errors = d.errors;
  if (Array.isArray(errors) && errors[0] && typeof errors[0] === 'object' && typeof (errors[0] as Record<string, unknown>).field === 'string') {
    return (errors[0] as Record<string, string>).field;
  }
  return undefined;
}

export function classifyError(error: unknown, override?: (error: unknown) => 'retryable' | 'terminal' | undefined): ErrorInfo {
  const info = defaultClassification(error);
  const verdict = override?.(error);
  return verdict === undefined ? info : { ...info, retryable: verdict === 'retryable' };
}

function defaultClassification(error: unknown): ErrorInfo {
  const message = messageOf(error);
  if (error instanceof TerminalError) {
    return { message, retryable: false, reason: error.code === 'mapping' ? 'mapping' : 'terminal', field: error.field, value: error.value, system: error.system, code: error.code };
  }
  if (error instanceof RetryableError) {
    return { message, retryable: true, reason: 'retryable', system: error.system, code: error.code, retryAfterMs: error.retryAfterMs };
  }
  if (error instanceof ZodError) {
    const issues = error.issues.slice(0, 5).map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`);
    return { message: redactText(`invalid payload: ${issues.join('; ')}`), retryable: false, reason: 'validation', field: zodField(error), code: 'validation' };
  }
  if (error instanceof UpstreamError) {
    return {
      message,
      retryable: error.retryable,
      reason: error.status === 0 ? (error.code === 'timeout' ? 'timeout' : 'network') : 'upstream',
      system: error.system,
      status: error.status,
      code: error.code,
      field: upstreamField(error.details),
      retryAfterMs: error.retryAfterMs,
    };
  }
  if (error instanceof CircuitOpenError) {
    // The pipeline schedules circuit-open units at `openUntil` itself (it knows the clock).
    return { message, retryable: true, reason: 'circuit-open', system: error.upstream };
  }
  if (error instanceof BrokenCircuitError || error instanceof IsolatedCircuitError) {
    return { message: 'circuit open after repeated upstream failures', retryable: true, reason: 'circuit-open' };
  }
  if (error instanceof TaskCancelledError) return { message, retryable: true, reason: 'timeout' };
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return { message, retryable: true, reason: 'network', code };
    if (typeof code === 'string' && TRANSIENT_STATE_CODES.has(code)) return { message, retryable: true, reason: 'state', code };
    if (error.name === 'TimeoutError' || error.name === 'AbortError') return { message, retryable: true, reason: 'timeout' };
    // undici reports connection failures as TypeError('fetch failed') with the system error as cause.
    if (error instanceof TypeError && error.message === 'fetch failed') return { message, retryable: true, reason: 'network' };
  }
  return { message, retryable: false, reason: 'unexpected' };
}
