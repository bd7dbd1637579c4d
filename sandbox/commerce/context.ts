/**
 * What a route handler gets, and the request-body conventions of Magento's REST layer
 * (commerce.md §1.6): top-level keys are service parameter names accepted in camelCase or
 * snake_case; nested data objects accept camelCase keys but are stored (and returned) in snake_case.
 */
import { inputError, invalidField, requiredField } from './errors';
import type { Rec, Store } from './state';

export interface RequestContext {
  method: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  storeCode: string;
}

export interface SimCore {
  store: Store;
  now(): number;
  /** Records an observer event (e.g. `observer.sales_order_save_commit_after`) with its DB-typed value. */
  emit(eventName: string, value: Rec): void;
}

export type Handler = (ctx: RequestContext, sim: SimCore) => unknown;

const snake = (key: string) => key.replace(/(?<=\w)(?=[A-Z])/g, '_').toLowerCase();

export function snakeDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(snakeDeep);
  if (value && typeof value === 'object') {
    const out: Rec = {};
    for (const [k, v] of Object.entries(value)) out[snake(k)] = snakeDeep(v);
    return out;
  }
  return value;
}

/** The body as an object of service parameters; anything else is a 400. */
export function bodyObject(ctx: RequestContext): Rec {
  if (ctx.body === undefined || ctx.body === null || ctx.body === '') return {};
  if (typeof ctx.body !== 'object' || Array.isArray(ctx.body)) throw inputError('The request body must be a JSON object of service parameters.');
  return ctx.body as Rec;
}

/** A top-level service parameter by its PHP name, also found in snake_case. */
export function param(body: Rec, name: string): unknown {
  if (name in body) return body[name];
  const s = snake(name);
  return s in body ? body[s] : undefined;
}

export function requiredObject(body: Rec, name: string): Rec {
  const v = param(body, name);
  if (v === undefined || v === null) throw requiredField(name);
  if (typeof v !== 'object' || Array.isArray(v)) throw invalidField(name, JSON.stringify(v));
  return snakeDeep(v) as Rec;
}

export function optionalArray(body: Rec, name: string): Rec[] | undefined {
  const v = param(body, name);
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw invalidField(name, JSON.stringify(v));
  return snakeDeep(v) as Rec[];
}

/** A number (or numeric string, as Magento casts) at `field`; throws a 400 naming the field. */
export function toNumber(value: unknown, field: string, opts: { required?: boolean; min?: number; integer?: boolean } = {}): number | undefined {
  if (value === undefined || value === null || value === '') {
    if (opts.required) throw requiredField(field);
    return undefined;
  }
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isFinite(n) || (opts.integer && !Number.isInteger(n)) || (opts.min !== undefined && n < opts.min)) throw invalidField(field, value);
  return n;
}

export function toBool(value: unknown): boolean {
  return value === true || value === 1 || value === '1' || value === 'true';
}

export function toText(value: unknown, field: string, required = false): string | undefined {
  if (value === undefined || value === null || value === '') {
    if (required) throw requiredField(field);
    return undefined;
  }
  if (typeof value !== 'string' && typeof value !== 'number') throw invalidField(field, JSON.stringify(value));
  return String(value);
}

export function pathId(ctx: RequestContext, name: string): number {
  const raw = ctx.params[name] ?? '';
  if (!/^\d+$/.test(raw)) throw invalidField(name, raw);
  return Number(raw);
}
