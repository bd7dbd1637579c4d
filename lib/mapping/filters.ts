/**
 * Filters decide whether a unit of work runs ("skip wholesale orders", "only items with web = yes").
 * A skipped unit is recorded with the reason this module words, so a person can see why.
 */
import type { FilterCondition, FilterGroup, FilterNode } from './document';
import { getAll } from './paths';

export type FilterDecision = { run: true } | { run: false; reason: string };

const numeric = (v: unknown): number | undefined => {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
  return undefined;
};

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  const na = numeric(a);
  const nb = numeric(b);
  if (na !== undefined && nb !== undefined) return na === nb;
  if (typeof a === 'boolean' || typeof b === 'boolean') return String(a) === String(b);
  return false;
}

function compare(a: unknown, b: unknown): number | undefined {
  const na = numeric(a);
  const nb = numeric(b);
  if (na !== undefined && nb !== undefined) return na - nb;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return undefined;
}

const present = (v: unknown) => v !== undefined && v !== null && v !== '';

function holds(condition: FilterCondition, values: unknown[]): boolean {
  const { op, value } = condition;
  switch (op) {
    case 'exists': {
      const wanted = value === undefined ? true : Boolean(value);
      return values.some(present) === wanted;
    }
    case 'eq': return values.some((v) => same(v, value));
    case 'neq': return !values.some((v) => same(v, value));
    case 'in': return values.some((v) => (value as unknown[]).some((w) => same(v, w)));
    case 'regex': {
      const pattern = new RegExp(String(value));
      return values.some((v) => present(v) && pattern.test(String(v)));
    }
    default: {
      const ok = (c: number) => (op === 'gt' ? c > 0 : op === 'gte' ? c >= 0 : op === 'lt' ? c < 0 : c <= 0);
      return values.some((v) => {
        const c = compare(v, value);
        return c !== undefined && ok(c);
      });
    }
  }
}

const OP_WORDS: Record<string, string> = {
  eq: 'equal to', neq: 'not equal to', in: 'one of', gt: 'greater than', gte: 'at least',
  lt: 'less than', lte: 'at most', regex: 'matching',
};

function shown(values: unknown[]): string {
  if (values.length === 0) return 'missing';
  const list = values.map((v) => JSON.stringify(v) ?? 'undefined');
  return list.length === 1 ? list[0] : `[${list.join(', ')}]`;
}

function explain(condition: FilterCondition, values: unknown[]): string {
  const why =
    condition.op === 'exists'
      ? `${condition.field} is ${condition.value === false ? `present (${shown(values)})` : 'missing'}`
      : `${condition.field} is ${shown(values)}, expected ${OP_WORDS[condition.op]} ${JSON.stringify(condition.value)}`;
  return condition.description ? `${condition.description}: ${why}` : why;
}

const isGroup = (node: FilterNode): node is FilterGroup => 'all' in node || 'any' in node;

/** Evaluates a filter on a canonical entity (or any JSON). No filter means run. */
export function evaluateFilter(node: FilterNode | undefined, subject: unknown): FilterDecision {
  if (!node) return { run: true };
  if (!isGroup(node)) {
    const values = getAll(subject, node.field);
    return holds(node, values) ? { run: true } : { run: false, reason: explain(node, values) };
  }
  const label = (reason: string) => (node.description ? `${node.description}: ${reason}` : reason);
  if (node.all) {
    for (const child of node.all) {
      const decision = evaluateFilter(child, subject);
      if (!decision.run) return { run: false, reason: label(decision.reason) };
    }
    return { run: true };
  }
  const reasons: string[] = [];
  for (const child of node.any ?? []) {
    const decision = evaluateFilter(child, subject);
    if (decision.run) return { run: true };
    reasons.push(decision.reason);
  }
  return { run: false, reason: label(`none of these held: ${reasons.join('; ')}`) };
}
