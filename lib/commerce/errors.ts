/**
 * Magento error bodies turned into readable messages: `{message:"… %1 …", parameters:[…]}` or
 * `{message:"… %fieldName …", parameters:{fieldName:…}}` (commerce.md §1.5), with `errors[]` appended.
 */
import { UpstreamError } from '../platform/http';
import { MagentoErrorBody } from './payloads';

/** Substitutes `%1`, `%2` (positional) or `%name` (named) placeholders. */
export function formatMagentoMessage(message: string, parameters?: unknown): string {
  if (Array.isArray(parameters)) {
    return message.replace(/%(\d+)/g, (m, n: string) => (parameters[Number(n) - 1] !== undefined ? String(parameters[Number(n) - 1]) : m));
  }
  if (parameters && typeof parameters === 'object') {
    const named = parameters as Record<string, unknown>;
    // Longest names first, so %fieldName is not cut short by a %field parameter.
    return message.replace(/%([A-Za-z_]\w*)/g, (m, k: string) => (k in named ? String(named[k]) : m));
  }
  return message;
}

/** The human message of a Magento error body (with nested `errors[]`), or undefined if it is not one. */
export function describeMagentoError(body: unknown): string | undefined {
  const parsed = MagentoErrorBody.safeParse(body);
  if (!parsed.success) return undefined;
  const main = formatMagentoMessage(parsed.data.message, parsed.data.parameters);
  const nested = (parsed.data.errors ?? []).map((e) => formatMagentoMessage(e.message, e.parameters));
  return nested.length ? `${main}: ${nested.join('; ')}` : main;
}

/** HTTP status → a stable code the pipeline can branch on. */
export function magentoErrorCode(status: number): string {
  if (status === 400) return 'invalid_input';
  if (status === 401) return 'unauthorized';
  if (status === 404) return 'not_found';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server_error';
  return `http_${status}`;
}

export const NO_ROUTE_MESSAGE = 'Request does not match any route.';

/** True when the store has no such endpoint (e.g. gift card accounts on an edition without them). */
export function isRouteMissing(err: unknown): boolean {
  return err instanceof UpstreamError && err.system === 'commerce' && err.status === 404 && (err.details as { message?: string } | undefined)?.message === NO_ROUTE_MESSAGE;
}

export const isNotFound = (err: unknown) => err instanceof UpstreamError && err.system === 'commerce' && err.status === 404 && !isRouteMissing(err);

/** A Commerce response that does not have the documented shape (names the first bad field). */
export class CommerceResponseError extends Error {
  readonly path: string;
  readonly issues: { path: string; message: string }[];
  constructor(what: string, issues: { path: string; message: string }[]) {
    super(`Commerce ${what}: unexpected response at ${issues[0]?.path || '(root)'}: ${issues[0]?.message}`);
    this.name = 'CommerceResponseError';
    this.path = issues[0]?.path ?? '';
    this.issues = issues;
  }
}
