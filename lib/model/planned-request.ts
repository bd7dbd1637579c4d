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
  // Values with spaces or braces are quoted so the placeholder still reads as one token per key.
  const parts = Object.entries(keys).map(([k, v]) => {
    const text = String(v);
    return /[\s{}"]/.test(text) ? `${k}=${JSON.stringify(text.replace(/[{}]/g, ''))}` : `${k}=${text}`;
  });
  return `{{${[name, ...parts].join(' ')}}}`;
}

const VALUE = '(?:"(?:[^"\\\\]|\\\\.)*"|[^\\s}"]*)';
const PLACEHOLDER = new RegExp(`\\{\\{[a-z_.]+(?:\\s+[a-z_]+=${VALUE})*\\}\\}`, 'g');
const WHOLE = new RegExp(`^\\{\\{[a-z_.]+(?:\\s+[a-z_]+=${VALUE})*\\}\\}$`);

export function isPlaceholder(value: unknown): value is string {
  return typeof value === 'string' && WHOLE.test(value);
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

/** `{{heartland.item_id sku=ABC}}` → `{ name: 'heartland.item_id', keys: { sku: 'ABC' } }`; undefined if not a placeholder. */
export function parsePlaceholder(text: string): { name: string; keys: Record<string, string> } | undefined {
  if (!WHOLE.test(text)) return undefined;
  const inner = text.slice(2, -2);
  const name = /^[a-z_.]+/.exec(inner)![0];
  const keys: Record<string, string> = {};
  for (const m of inner.slice(name.length).matchAll(new RegExp(`([a-z_]+)=(${VALUE})`, 'g'))) {
    keys[m[1]] = m[2].startsWith('"') ? (JSON.parse(m[2]) as string) : m[2];
  }
  return { name, keys };
}

/**
 * Replaces placeholders the resolver knows, anywhere in a plan: a value that is exactly one
 * placeholder becomes the resolved value (a number stays a number); placeholders inside a longer
 * string (a path) are replaced as text. Unknown placeholders stay as they are.
 */
export function resolvePlaceholders<T>(value: T, resolve: (name: string, keys: Record<string, string>) => Ref | undefined): T {
  const visit = (v: unknown): unknown => {
    if (typeof v === 'string') {
      if (WHOLE.test(v)) {
        const p = parsePlaceholder(v)!;
        return resolve(p.name, p.keys) ?? v;
      }
      return v.replace(PLACEHOLDER, (m) => {
        const p = parsePlaceholder(m);
        const r = p ? resolve(p.name, p.keys) : undefined;
        return r === undefined ? m : String(r);
      });
    }
    if (Array.isArray(v)) return v.map(visit);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, visit(x)]));
    return v;
  };
  return visit(value) as T;
}
