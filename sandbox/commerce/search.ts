/**
 * The searchCriteria engine (commerce.md §2.1): bracketed query parameters in snake_case or
 * camelCase, filter groups ANDed with filters ORed inside, every documented condition type, sort
 * orders, paging, the echoed `search_criteria`, and `fields=` projection (§1.6).
 *
 * Comparison follows MySQL's defaults because that is what Magento delegates to: string equality
 * and LIKE are case-insensitive, numbers compare numerically.
 */
import { inputError, requiredField } from './errors';

export const CONDITION_TYPES = [
  'eq', 'finset', 'from', 'gt', 'gteq', 'in', 'like', 'lt', 'lteq', 'moreq', 'neq', 'nfinset', 'nin', 'notnull', 'null', 'to',
] as const;
export type ConditionType = (typeof CONDITION_TYPES)[number];

export interface Filter {
  field: string;
  value: string;
  condition_type: ConditionType;
}
export interface SearchCriteria {
  filter_groups: { filters: Filter[] }[];
  sort_orders: { field: string; direction: 'ASC' | 'DESC' }[];
  page_size?: number;
  current_page?: number;
}

type Tree = { [key: string]: Tree | string };

const snake = (key: string) => key.replace(/(?<=\w)(?=[A-Z])/g, '_').toLowerCase();

/** `a[b][0][c]=v` → {a:{b:{0:{c:v}}}}; keys normalised to snake_case like ServiceInputProcessor does. */
function parseBrackets(query: URLSearchParams, root: string): Tree | string | undefined {
  let result: Tree | string | undefined;
  query.forEach((value, rawKey) => {
    const m = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(rawKey);
    if (!m || m[1] !== root) return;
    const path = [...m[2]!.matchAll(/\[([^[\]]*)\]/g)].map((p) => snake(p[1]!));
    if (path.length === 0) {
      if (result === undefined) result = value;
      return;
    }
    if (typeof result !== 'object') result = {};
    let node: Tree = result;
    path.forEach((key, i) => {
      if (i === path.length - 1) {
        node[key] = value;
      } else {
        const next = node[key];
        if (typeof next !== 'object') node[key] = {};
        node = node[key] as Tree;
      }
    });
  });
  return result;
}

function indexed(tree: Tree | string | undefined): Tree[] {
  if (!tree || typeof tree !== 'object') return [];
  return Object.keys(tree)
    .filter((k) => /^\d+$/.test(k))
    .sort((a, b) => Number(a) - Number(b))
    .map((k) => tree[k])
    .filter((v): v is Tree => typeof v === 'object');
}

function positiveInt(raw: string | Tree | undefined, field: string): number | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || !/^\d+$/.test(raw.trim())) throw inputError('"%fieldName" has an invalid value.', { fieldName: field });
  return Number(raw);
}

/**
 * Reads `searchCriteria[...]` from a query string. `required` mirrors the list endpoints, whose
 * service parameter is mandatory (a bare `searchCriteria` or `searchCriteria=all` means "everything").
 */
export function parseSearchCriteria(query: URLSearchParams, required = true): SearchCriteria {
  const tree = parseBrackets(query, 'searchCriteria');
  if (tree === undefined && required) throw requiredField('searchCriteria');
  const criteria: SearchCriteria = { filter_groups: [], sort_orders: [] };
  if (!tree || typeof tree === 'string') return criteria;
  indexed(tree.filter_groups as Tree).forEach((group, g) => {
    const filters: Filter[] = [];
    indexed(group.filters as Tree).forEach((f, i) => {
      const field = f.field;
      if (typeof field !== 'string' || !field) throw requiredField(`searchCriteria.filter_groups[${g}].filters[${i}].field`);
      const condition = (typeof f.condition_type === 'string' && f.condition_type ? f.condition_type : 'eq').toLowerCase();
      if (!(CONDITION_TYPES as readonly string[]).includes(condition)) {
        throw inputError('Invalid condition type "%1" for field "%2".', [condition, field]);
      }
      filters.push({ field, value: typeof f.value === 'string' ? f.value : '', condition_type: condition as ConditionType });
    });
    criteria.filter_groups.push({ filters });
  });
  indexed(tree.sort_orders as Tree).forEach((s, i) => {
    if (typeof s.field !== 'string' || !s.field) throw requiredField(`searchCriteria.sort_orders[${i}].field`);
    const direction = typeof s.direction === 'string' && s.direction.toUpperCase() === 'DESC' ? 'DESC' : 'ASC';
    criteria.sort_orders.push({ field: s.field, direction });
  });
  criteria.page_size = positiveInt(tree.page_size, 'searchCriteria.pageSize');
  criteria.current_page = positiveInt(tree.current_page, 'searchCriteria.currentPage');
  return criteria;
}

const isNumeric = (v: unknown) => (typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.trim()));

function compare(a: unknown, b: unknown): number {
  if (isNumeric(a) && isNumeric(b)) return Number(a) - Number(b);
  const sa = String(a ?? '').toLowerCase();
  const sb = String(b ?? '').toLowerCase();
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

const isNull = (v: unknown) => v === null || v === undefined;

function likeToRegex(pattern: string): RegExp {
  const escaped = pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.');
  return new RegExp(`^${escaped}$`, 'is');
}

function toScalar(v: unknown): unknown {
  if (typeof v === 'boolean') return v ? 1 : 0;
  return v;
}

export function matchesFilter(item: Record<string, unknown>, filter: Filter): boolean {
  const actual = toScalar(item[filter.field]);
  const value = filter.value;
  switch (filter.condition_type) {
    case 'eq':
      return !isNull(actual) && compare(actual, value) === 0;
    case 'neq':
      return !isNull(actual) && compare(actual, value) !== 0;
    case 'gt':
      return !isNull(actual) && compare(actual, value) > 0;
    case 'gteq':
    case 'moreq':
    case 'from':
      return !isNull(actual) && compare(actual, value) >= 0;
    case 'lt':
      return !isNull(actual) && compare(actual, value) < 0;
    case 'lteq':
    case 'to':
      return !isNull(actual) && compare(actual, value) <= 0;
    case 'in':
    case 'nin': {
      const list = value.split(',').map((s) => s.trim());
      const found = !isNull(actual) && list.some((v) => compare(actual, v) === 0);
      return filter.condition_type === 'in' ? found : !isNull(actual) && !found;
    }
    case 'like':
      return !isNull(actual) && likeToRegex(value).test(String(actual));
    case 'finset':
    case 'nfinset': {
      const set = isNull(actual) ? [] : String(actual).split(',').map((s) => s.trim().toLowerCase());
      const found = set.includes(value.trim().toLowerCase());
      return filter.condition_type === 'finset' ? found : !found;
    }
    case 'null':
      return isNull(actual);
    case 'notnull':
      return !isNull(actual);
  }
}

export interface SearchPage<T> {
  items: T[];
  total_count: number;
}

/** Filters, sorts and pages. Pages past the end clamp to the last page, as Magento collections do. */
export function search<T extends Record<string, unknown>>(all: Iterable<T>, criteria: SearchCriteria): SearchPage<T> {
  let items: T[] = [];
  for (const item of all) {
    if (criteria.filter_groups.every((g) => g.filters.length === 0 || g.filters.some((f) => matchesFilter(item, f)))) items.push(item);
  }
  if (criteria.sort_orders.length) {
    items.sort((a, b) => {
      for (const s of criteria.sort_orders) {
        const c = compare(toScalar(a[s.field]), toScalar(b[s.field]));
        if (c !== 0) return s.direction === 'DESC' ? -c : c;
      }
      return 0;
    });
  }
  const total = items.length;
  if (criteria.page_size && criteria.page_size > 0) {
    const lastPage = Math.max(1, Math.ceil(total / criteria.page_size));
    // ASSUMED (Magento\Framework\Data\Collection::getCurPage): a page past the end returns the last page.
    const page = Math.min(Math.max(1, criteria.current_page ?? 1), lastPage);
    items = items.slice((page - 1) * criteria.page_size, page * criteria.page_size);
  }
  return { items, total_count: total };
}

/** The `search_criteria` echo of a result. */
export function echoCriteria(criteria: SearchCriteria): Record<string, unknown> {
  const echo: Record<string, unknown> = { filter_groups: criteria.filter_groups };
  if (criteria.sort_orders.length) echo.sort_orders = criteria.sort_orders;
  if (criteria.page_size !== undefined) echo.page_size = criteria.page_size;
  if (criteria.current_page !== undefined) echo.current_page = criteria.current_page;
  return echo;
}

// ---------------------------------------------------------------- fields= projection

export type FieldSelection = Map<string, FieldSelection | true>;

/** `items[entity_id,items[sku]],total_count` → a selection tree. */
export function parseFields(spec: string): FieldSelection {
  let pos = 0;
  function list(): FieldSelection {
    const selection: FieldSelection = new Map();
    while (pos < spec.length) {
      const m = /^[A-Za-z0-9_]+/.exec(spec.slice(pos));
      if (!m) throw inputError('Invalid fields filter: %1', [spec]);
      pos += m[0].length;
      if (spec[pos] === '[') {
        pos++;
        selection.set(m[0], list());
        if (spec[pos] !== ']') throw inputError('Invalid fields filter: %1', [spec]);
        pos++;
      } else {
        selection.set(m[0], true);
      }
      if (spec[pos] === ',') {
        pos++;
        continue;
      }
      break;
    }
    return selection;
  }
  const result = list();
  if (pos !== spec.length) throw inputError('Invalid fields filter: %1', [spec]);
  return result;
}

export function project(value: unknown, selection: FieldSelection): unknown {
  if (Array.isArray(value)) return value.map((v) => project(v, selection));
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, sub] of selection) {
    if (!(key in (value as Record<string, unknown>))) continue;
    const v = (value as Record<string, unknown>)[key];
    out[key] = sub === true ? v : project(v, sub);
  }
  return out;
}
