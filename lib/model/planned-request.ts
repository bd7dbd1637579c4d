/**
 * A request a flow will send, as data: what `hcc map --to …` prints and what flows execute.
 * Ids not known yet (a Heartland item id for a SKU, the id of a record an earlier request creates)
 * are explicit placeholders such as `{{heartland.item_id sku=ABC}}`, never guesses.
 */

export interface PlannedRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path relative to the system's API base (`/sales/orders`, `/V1/order/42/ship`). */
  path: string;
  body?: unknown;
  /** Why or when this request is sent, when that is not obvious ("only if no customer has this email"). */
  note?: string;
}

/** A placeholder string: `placeholder('heartland.item_id', { sku: 'ABC' })` → `{{heartland.item_id sku=ABC}}`. */
export function placeholder(name: string, keys: Record<string, string | number> = {}): string {
  const parts = Object.entries(keys).map(([k, v]) => `${k}=${String(v).replace(/[\s}]/g, (c) => encodeURIComponent(c))}`);
  return `{{${[name, ...parts].join(' ')}}}`;
}

const PLACEHOLDER = /\{\{([a-z_.]+)((?:\s+[a-z_]+=[^\s}]*)*)\}\}/g;

export function isPlaceholder(value: unknown): value is string {
  return typeof value === 'string' && /^\{\{[a-z_.]+(?:\s+[a-z_]+=[^\s}]*)*\}\}$/.test(value);
}

/** Every placeholder in a plan, deduplicated, in order of first appearance. */
export function placeholdersIn(value: unknown): string[] {
  const found = new Set<string>();
  const visit = (v: unknown) => {
    if (typeof v === 'string') for (const m of v.matchAll(PLACEHOLDER)) found.add(m[0]);
    else if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') Object.values(v).forEach(visit);
  };
  visit(value);
  return [...found];
}

/** A value that is either known or a placeholder for a later lookup. */
export type Ref = number | string;
