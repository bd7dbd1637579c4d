/**
 * Heartland error bodies `{error, message, details: {field: [...]}}` (heartland.md §2.5) turned into
 * the fields of `UpstreamError` (code, message, details), and helpers to read them back.
 */
import { UpstreamError } from '../platform/http';
import { HeartlandErrorBody } from './payloads';

export function parseHeartlandError(status: number, body: unknown, text: string): { code?: string; message: string; details?: unknown } {
  const parsed = HeartlandErrorBody.safeParse(body);
  if (parsed.success) {
    const { error, message, details } = parsed.data;
    const fields = details ? Object.entries(details).map(([f, v]) => `${f} ${Array.isArray(v) ? v.join(', ') : String(v)}`) : [];
    const text = message ?? error;
    return { code: error, message: fields.length && !fields.every((f) => text.includes(f)) ? `${text} (${fields.join('; ')})` : text, details };
  }
  const fallback = status === 401 ? 'unauthorized' : status === 403 ? 'forbidden' : status === 404 ? 'not_found' : status === 429 ? 'rate_limited' : undefined;
  return { code: fallback, message: text ? text.slice(0, 300) : `HTTP ${status}` };
}

export function isHeartlandError(err: unknown): err is UpstreamError {
  return err instanceof UpstreamError && err.system === 'heartland';
}

export function isNotFound(err: unknown): boolean {
  return isHeartlandError(err) && err.status === 404;
}

/** Per-field messages of a Heartland validation error, e.g. `{qty: ["must be greater than 0"]}`. */
export function fieldErrors(err: unknown): Record<string, string[]> | undefined {
  if (!isHeartlandError(err) || !err.details || typeof err.details !== 'object') return undefined;
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(err.details as Record<string, unknown>)) out[k] = Array.isArray(v) ? v.map(String) : [String(v)];
  return out;
}
