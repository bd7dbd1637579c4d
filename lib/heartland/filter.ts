/**
 * Builders for Heartland collection queries (heartland.md §2.1–2.3): `_filter` as JSON, operators
 * `$eq $neq $gt $gte $lt $lte $in $nin $or $and`, custom fields as `custom@key`, `sort[]=f[,desc]`,
 * `_only[]`, `_include[]`, `page`/`per_page`, `query`. The JSON form is what Heartland's own
 * client uses (§2.2 [C]); we never send the bracket form.
 */

export type Scalar = string | number | boolean | null;
export interface FieldCondition {
  $eq?: Scalar;
  $neq?: Scalar;
  $gt?: Scalar;
  $gte?: Scalar;
  $lt?: Scalar;
  $lte?: Scalar;
  $in?: Scalar[];
  $nin?: Scalar[];
}
/** A filter object: `{field: value | {$op: value}, $or: [...], $and: [...]}`. */
export type HeartlandFilter = { [field: string]: Scalar | FieldCondition | HeartlandFilter[] | undefined } & {
  $or?: HeartlandFilter[];
  $and?: HeartlandFilter[];
};

/** `custom@key`: the filter/sort name of a custom field (§2.2). */
export function customField(key: string): string {
  return `custom@${key}`;
}

/** AND of several filters, dropping empty ones; undefined when nothing is left. */
export function allOf(...filters: Array<HeartlandFilter | undefined>): HeartlandFilter | undefined {
  const parts = filters.filter((f): f is HeartlandFilter => !!f && Object.keys(f).length > 0);
  if (parts.length === 0) return undefined;
  if (parts.length === 1) return parts[0];
  return { $and: parts };
}

export function anyOf(...filters: HeartlandFilter[]): HeartlandFilter {
  return { $or: filters };
}

export interface SortKey {
  field: string;
  desc?: boolean;
}

export interface CollectionQuery {
  page?: number;
  perPage?: number | 'all';
  filter?: HeartlandFilter;
  sort?: Array<string | SortKey>;
  only?: string[];
  include?: string[];
  /** Full-text search (`query=`, customers and items [O]). */
  query?: string;
  /** Plain parameters some endpoints accept (e.g. `group[]`, `location_id` on /inventory/values). */
  params?: Record<string, string | number | boolean | Array<string | number> | undefined>;
}

export function toSearchParams(q: CollectionQuery = {}): URLSearchParams {
  const p = new URLSearchParams();
  if (q.page !== undefined) p.set('page', String(q.page));
  if (q.perPage !== undefined) p.set('per_page', String(q.perPage));
  if (q.filter && Object.keys(q.filter).length) p.set('_filter', JSON.stringify(q.filter));
  for (const s of q.sort ?? []) {
    const key = typeof s === 'string' ? { field: s } : s;
    p.append('sort[]', key.desc ? `${key.field},desc` : key.field);
  }
  for (const f of q.only ?? []) p.append('_only[]', f);
  for (const i of q.include ?? []) p.append('_include[]', i);
  if (q.query !== undefined) p.set('query', q.query);
  for (const [k, v] of Object.entries(q.params ?? {})) {
    if (v === undefined) continue;
    if (Array.isArray(v)) v.forEach((x) => p.append(k.endsWith('[]') ? k : `${k}[]`, String(x)));
    else p.set(k, String(v));
  }
  return p;
}

/** Splits a list into chunks (for `$in` filters that must stay within URL length limits). */
export function chunks<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}
