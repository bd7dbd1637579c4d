/**
 * Builds Magento searchCriteria query strings (commerce.md §2.1): filters inside one group are ORed,
 * groups are ANDed; sort orders; paging. Snake_case parameter names, as the docs use.
 */
export type ConditionType =
  | 'eq' | 'finset' | 'from' | 'gt' | 'gteq' | 'in' | 'like' | 'lt' | 'lteq' | 'moreq' | 'neq' | 'nfinset' | 'nin' | 'notnull' | 'null' | 'to';

export interface SearchFilterInput {
  field: string;
  value?: string | number | boolean | Array<string | number>;
  condition?: ConditionType;
}

export class SearchCriteriaBuilder {
  private readonly groups: SearchFilterInput[][] = [];
  private readonly sorts: { field: string; direction: 'ASC' | 'DESC' }[] = [];
  private size?: number;
  private current?: number;

  /** ANDs one condition: `where('status', 'pending')`, `where('updated_at', '2026-01-01 00:00:00', 'gt')`. */
  where(field: string, value: SearchFilterInput['value'], condition: ConditionType = 'eq'): this {
    this.groups.push([{ field, value, condition }]);
    return this;
  }

  /** ANDs a group whose filters are ORed: `anyOf({field:'email',value:a},{field:'email',value:b})`. */
  anyOf(...filters: SearchFilterInput[]): this {
    if (filters.length) this.groups.push(filters);
    return this;
  }

  sortBy(field: string, direction: 'ASC' | 'DESC' = 'ASC'): this {
    this.sorts.push({ field, direction });
    return this;
  }

  /** Page size and 1-based page number. */
  page(pageSize: number, currentPage = 1): this {
    if (!Number.isInteger(pageSize) || pageSize < 1) throw new RangeError(`pageSize must be a positive integer, got ${pageSize}`);
    if (!Number.isInteger(currentPage) || currentPage < 1) throw new RangeError(`currentPage must be a positive integer, got ${currentPage}`);
    this.size = pageSize;
    this.current = currentPage;
    return this;
  }

  get pageSize(): number | undefined {
    return this.size;
  }

  clone(): SearchCriteriaBuilder {
    const copy = new SearchCriteriaBuilder();
    copy.groups.push(...this.groups.map((g) => [...g]));
    copy.sorts.push(...this.sorts);
    copy.size = this.size;
    copy.current = this.current;
    return copy;
  }

  /** The query parameters; with no criteria at all, `searchCriteria` (required by list endpoints) is sent empty. */
  toSearchParams(): URLSearchParams {
    const q = new URLSearchParams();
    this.groups.forEach((group, g) =>
      group.forEach((f, i) => {
        const prefix = `searchCriteria[filter_groups][${g}][filters][${i}]`;
        q.append(`${prefix}[field]`, f.field);
        if (f.value !== undefined) q.append(`${prefix}[value]`, Array.isArray(f.value) ? f.value.join(',') : String(f.value));
        q.append(`${prefix}[condition_type]`, f.condition ?? 'eq');
      }),
    );
    this.sorts.forEach((s, i) => {
      q.append(`searchCriteria[sortOrders][${i}][field]`, s.field);
      q.append(`searchCriteria[sortOrders][${i}][direction]`, s.direction);
    });
    if (this.size !== undefined) q.append('searchCriteria[pageSize]', String(this.size));
    if (this.current !== undefined) q.append('searchCriteria[currentPage]', String(this.current));
    if ([...q.keys()].length === 0) q.append('searchCriteria', '');
    return q;
  }
}

export const searchCriteria = () => new SearchCriteriaBuilder();

/** Magento's `YYYY-MM-DD HH:MM:SS` (UTC) for `created_at`/`updated_at` filters. */
export function magentoTimestamp(epochMs: number): string {
  return new Date(epochMs).toISOString().replace('T', ' ').slice(0, 19);
}
