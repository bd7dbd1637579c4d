/**
 * The Heartland collection engine (heartland.md §2.1–2.3): page/per_page, the `{results,total,pages}`
 * envelope, `_filter` (JSON object, JSON array, `_filter[]=<json>`, Rails bracket form), operators
 * `$eq $neq $gt $gte $lt $lte $in $nin $or $and`, null, `custom@key`, `sort[]`, `_only[]`, `query=`.
 *
 * Written from the API document only (DESIGN.md §3: the simulator shares no code with the client).
 * Every malformed query becomes a `SimError` with a 400 `invalid_request`, never an exception that
 * would turn into a 500.
 */
import { SimError } from './errors';

export type Row = Record<string, unknown>;
export type Predicate = (row: Row) => boolean;

export interface CollectionSpec {
  /** Fields that may be filtered and sorted on; anything else is a 400 (§2.2 "not every field is filterable"). */
  filterable: readonly string[];
  /** Whether `custom@key` filters/sorts are allowed. */
  custom: boolean;
  /** Fields searched by `query=` (case-insensitive substring). */
  searchable?: readonly string[];
  /** Plain query parameters accepted as equality filters (e.g. `/inventory/values?location_id=`). */
  plainFilters?: readonly string[];
}

const OPERATORS = new Set(['$eq', '$neq', '$gt', '$gte', '$lt', '$lte', '$in', '$nin', '$or', '$and', '$like']);

export const DEFAULT_PER_PAGE = 20;
/** ASSUMED cap (§2.1: 5000 used by official code; `all` accepted). */
export const MAX_PER_PAGE = 5000;

// ---- query-string parsing --------------------------------------------------------------------

/** Nested object from Rails bracket keys: `_filter[a][$in][]=1` → `{a:{$in:["1"]}}`. */
function setBracket(target: Record<string, unknown>, keys: string[], value: string): void {
  let node: Record<string, unknown> = target;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const last = i === keys.length - 1;
    const nextIsArray = keys[i + 1] === '';
    if (key === '') throw new SimError(400, 'invalid_request', 'Malformed bracket parameter: empty key in the middle');
    if (last) {
      node[key] = value;
      return;
    }
    if (nextIsArray && i + 1 === keys.length - 1) {
      const existing = node[key];
      if (existing !== undefined && !Array.isArray(existing)) throw new SimError(400, 'invalid_request', `Conflicting values for filter key "${key}"`);
      node[key] = [...((existing as unknown[]) ?? []), value];
      return;
    }
    const child = node[key];
    if (child === undefined) node[key] = {};
    else if (typeof child !== 'object' || Array.isArray(child)) throw new SimError(400, 'invalid_request', `Conflicting values for filter key "${key}"`);
    node = node[key] as Record<string, unknown>;
  }
}

function parseJsonParam(name: string, raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    throw new SimError(400, 'invalid_request', `${name} is not valid JSON`, { [name]: ['is not valid JSON'] });
  }
}

/** Bracket-form values are strings: `"null"`, booleans and numbers are read as such. */
function coerceBracket(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(coerceBracket);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, coerceBracket(v)]));
  if (value === 'null') return null;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return value;
}

export interface ParsedQuery {
  filters: unknown[]; // each a filter object, ANDed
  sort: Array<{ field: string; desc: boolean }>;
  only?: string[];
  include: string[];
  group: string[];
  page: number;
  perPage: number | 'all';
  query?: string;
  plain: Record<string, string[]>;
}

export function parseQuery(params: URLSearchParams): ParsedQuery {
  const filters: unknown[] = [];
  const bracket: Record<string, unknown> = {};
  let hasBracket = false;
  const sort: ParsedQuery['sort'] = [];
  const include: string[] = [];
  const group: string[] = [];
  let only: string[] | undefined;
  const plain: Record<string, string[]> = {};
  let page = 1;
  let perPage: number | 'all' = DEFAULT_PER_PAGE;
  let query: string | undefined;

  for (const [key, value] of params) {
    if (key === '_filter') {
      const parsed = parseJsonParam('_filter', value);
      if (Array.isArray(parsed)) filters.push(...parsed);
      else filters.push(parsed);
    } else if (key === '_filter[]') {
      filters.push(parseJsonParam('_filter[]', value));
    } else if (key.startsWith('_filter[')) {
      const m = key.slice('_filter'.length).match(/^(\[[^\[\]]*\])+$/);
      if (!m) throw new SimError(400, 'invalid_request', `Malformed filter parameter "${key}"`);
      const keys = [...key.slice('_filter'.length).matchAll(/\[([^\[\]]*)\]/g)].map((x) => x[1]);
      setBracket(bracket, keys, value);
      hasBracket = true;
    } else if (key === 'sort[]' || key === 'sort') {
      const [field, dir, ...rest] = value.split(',').map((s) => s.trim());
      if (!field || rest.length || (dir !== undefined && dir !== 'desc' && dir !== 'asc')) {
        throw new SimError(400, 'invalid_request', `Invalid sort "${value}": expected field or field,desc`, { sort: ['is invalid'] });
      }
      sort.push({ field, desc: dir === 'desc' });
    } else if (key === '_only[]' || key === '_only') {
      (only ??= []).push(...value.split(',').map((s) => s.trim()).filter(Boolean));
    } else if (key === '_include[]' || key === '_include') {
      include.push(value);
    } else if (key === 'group[]' || key === 'group') {
      group.push(value);
    } else if (key === 'page') {
      if (!/^\d+$/.test(value) || Number(value) < 1) throw new SimError(400, 'invalid_request', 'page must be a positive integer', { page: ['must be a positive integer'] });
      page = Number(value);
    } else if (key === 'per_page') {
      if (value === 'all') perPage = 'all';
      else if (!/^\d+$/.test(value) || Number(value) < 1) throw new SimError(400, 'invalid_request', 'per_page must be a positive integer or "all"', { per_page: ['must be a positive integer or "all"'] });
      else perPage = Math.min(Number(value), MAX_PER_PAGE);
    } else if (key === 'query') {
      query = value;
    } else {
      (plain[key.replace(/\[\]$/, '')] ??= []).push(value);
    }
  }
  if (hasBracket) filters.push(coerceBracket(bracket));
  return { filters, sort, only, include, group, page, perPage, query, plain };
}

// ---- filter compilation ----------------------------------------------------------------------

function fieldValue(row: Row, field: string): unknown {
  if (field.startsWith('custom@')) {
    const custom = row.custom as Row | undefined;
    return custom ? custom[field.slice(7)] : undefined;
  }
  return row[field];
}

/** Compare like the API would: numbers numerically (numeric strings too), everything else as strings. */
function compare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  const na = typeof a === 'number' ? a : typeof a === 'string' && a.trim() !== '' && !Number.isNaN(Number(a)) ? Number(a) : NaN;
  const nb = typeof b === 'number' ? b : typeof b === 'string' && b.trim() !== '' && !Number.isNaN(Number(b)) ? Number(b) : NaN;
  if ((typeof a === 'number' || typeof b === 'number') && !Number.isNaN(na) && !Number.isNaN(nb)) return na - nb;
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

function equals(a: unknown, b: unknown): boolean {
  if (a === undefined) a = null;
  if (b === null || a === null) return a === b;
  if (typeof a === 'boolean' || typeof b === 'boolean') return String(a) === String(b);
  return compare(a, b) === 0;
}

function checkField(spec: CollectionSpec, field: string): void {
  if (field.startsWith('custom@')) {
    if (!spec.custom || field.length <= 7) throw new SimError(400, 'invalid_request', `Filtering on "${field}" is not supported here`, { [field]: ['is not filterable'] });
    return;
  }
  if (!spec.filterable.includes(field)) {
    throw new SimError(400, 'invalid_request', `Field "${field}" is not filterable`, { [field]: ['is not filterable'] });
  }
}

function compileCondition(field: string, cond: unknown): Predicate {
  if (cond === null || typeof cond !== 'object' || Array.isArray(cond)) {
    if (Array.isArray(cond)) throw new SimError(400, 'invalid_request', `Filter on "${field}": use {"$in":[…]} for lists`, { [field]: ['array needs $in'] });
    return (row) => equals(fieldValue(row, field), cond);
  }
  const parts: Predicate[] = [];
  for (const [op, operand] of Object.entries(cond as Row)) {
    if (!OPERATORS.has(op) || op === '$or' || op === '$and') {
      throw new SimError(400, 'invalid_request', `Unknown operator "${op}" on "${field}"`, { [field]: [`unknown operator ${op}`] });
    }
    if ((op === '$in' || op === '$nin') && !Array.isArray(operand)) {
      throw new SimError(400, 'invalid_request', `${op} on "${field}" needs an array`, { [field]: [`${op} needs an array`] });
    }
    if (operand !== null && typeof operand === 'object' && !Array.isArray(operand)) {
      throw new SimError(400, 'invalid_request', `${op} on "${field}" needs a scalar`, { [field]: [`${op} needs a scalar`] });
    }
    switch (op) {
      case '$eq': parts.push((r) => equals(fieldValue(r, field), operand)); break;
      case '$neq': parts.push((r) => !equals(fieldValue(r, field), operand)); break;
      case '$gt': parts.push((r) => { const v = fieldValue(r, field); return v != null && compare(v, operand) > 0; }); break;
      case '$gte': parts.push((r) => { const v = fieldValue(r, field); return v != null && compare(v, operand) >= 0; }); break;
      case '$lt': parts.push((r) => { const v = fieldValue(r, field); return v != null && compare(v, operand) < 0; }); break;
      case '$lte': parts.push((r) => { const v = fieldValue(r, field); return v != null && compare(v, operand) <= 0; }); break;
      case '$in': { const list = operand as unknown[]; parts.push((r) => { const v = fieldValue(r, field); return list.some((x) => equals(v, x)); }); break; }
      case '$nin': { const list = operand as unknown[]; parts.push((r) => { const v = fieldValue(r, field); return !list.some((x) => equals(v, x)); }); break; }
      case '$like': { // [U] S6 only: SQL-like with % wildcards, case-insensitive
        const re = new RegExp('^' + String(operand).replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*') + '$', 'i');
        parts.push((r) => re.test(String(fieldValue(r, field) ?? ''))); break;
      }
    }
  }
  return (row) => parts.every((p) => p(row));
}

export function compileFilter(spec: CollectionSpec, filter: unknown): Predicate {
  if (filter === null || typeof filter !== 'object' || Array.isArray(filter)) {
    if (Array.isArray(filter)) return compileAll(spec, filter);
    throw new SimError(400, 'invalid_request', '_filter must be a JSON object or an array of objects', { _filter: ['must be an object'] });
  }
  const parts: Predicate[] = [];
  for (const [key, cond] of Object.entries(filter as Row)) {
    if (key === '$or' || key === '$and') {
      if (!Array.isArray(cond) || cond.length === 0) throw new SimError(400, 'invalid_request', `${key} needs a non-empty array of filters`, { _filter: [`${key} needs an array`] });
      const subs = cond.map((c) => compileFilter(spec, c));
      parts.push(key === '$or' ? (r) => subs.some((s) => s(r)) : (r) => subs.every((s) => s(r)));
      continue;
    }
    if (key.startsWith('$')) throw new SimError(400, 'invalid_request', `Unknown operator "${key}"`, { _filter: [`unknown operator ${key}`] });
    checkField(spec, key);
    parts.push(compileCondition(key, cond));
  }
  return (row) => parts.every((p) => p(row));
}

function compileAll(spec: CollectionSpec, filters: unknown[]): Predicate {
  const preds = filters.map((f) => compileFilter(spec, f));
  return (row) => preds.every((p) => p(row));
}

// ---- listing ---------------------------------------------------------------------------------

export interface ListOptions {
  /** Rows already in the collection's natural order (ascending id). */
  rows: Row[];
  spec: CollectionSpec;
  query: ParsedQuery;
  /** Projects a stored row into its API shape (embedding includes happens after paging). */
  present?: (row: Row) => Row;
  /** Natural order key: when sorting by it ascending the sort can be skipped. */
  naturalKey?: string;
}

export function listCollection(opts: ListOptions): { results: Row[]; total: number; pages: number; per_page: number } {
  const { spec, query } = opts;
  const preds: Predicate[] = [];
  if (query.filters.length) preds.push(compileAll(spec, query.filters));
  for (const [name, values] of Object.entries(query.plain)) {
    if (!spec.plainFilters?.includes(name)) continue; // unknown plain params are ignored, like most HTTP APIs
    preds.push((r) => values.some((v) => equals(r[name], v)));
  }
  if (query.query !== undefined && query.query !== '') {
    const needle = query.query.toLowerCase();
    const fields = spec.searchable ?? [];
    preds.push((r) => fields.some((f) => String(r[f] ?? '').toLowerCase().includes(needle)));
  }
  for (const s of query.sort) checkField(spec, s.field);

  let rows = preds.length ? opts.rows.filter((r) => preds.every((p) => p(r))) : opts.rows;
  const natural = opts.naturalKey ?? 'id';
  const skipSort = query.sort.length === 0 || (query.sort.length === 1 && query.sort[0].field === natural && !query.sort[0].desc);
  if (!skipSort) {
    rows = [...rows].sort((a, b) => {
      for (const s of query.sort) {
        const c = compare(fieldValue(a, s.field), fieldValue(b, s.field));
        if (c !== 0) return s.desc ? -c : c;
      }
      return compare(a[natural], b[natural]);
    });
  }
  const total = rows.length;
  const perPage = query.perPage === 'all' ? Math.max(total, 1) : query.perPage;
  const pages = Math.ceil(total / perPage);
  const start = (query.page - 1) * perPage;
  let results = rows.slice(start, start + perPage);
  if (opts.present) results = results.map(opts.present);
  if (query.only) results = results.map((r) => project(r, query.only!));
  return { results, total, pages, per_page: perPage };
}

export function project(row: Row, only: string[]): Row {
  const out: Row = {};
  for (const f of only) {
    if (f.startsWith('custom@')) {
      const v = (row.custom as Row | undefined)?.[f.slice(7)];
      if (v !== undefined) ((out.custom ??= {}) as Row)[f.slice(7)] = v;
    } else if (f in row) out[f] = row[f];
  }
  return out;
}
