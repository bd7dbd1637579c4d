/**
 * Fault injection for the REST endpoints: 429 with Retry-After, 5xx, added latency, dropped
 * connections; each rule applies to a path pattern (glob with `*`, or `/regex/`), optionally one
 * method, by rate (0..1) and/or for a number of matches.
 */
import { inputError } from './errors';

export interface FaultRuleInput {
  /** `*` matches any characters; `/…/` is a regular expression. Matched against the request path. */
  path: string;
  method?: string;
  kind: 'status' | 'latency' | 'drop';
  /** For `status`: the HTTP status (429, 500, 502, 503…). */
  status?: number;
  /** For 429/503: the Retry-After header in seconds. */
  retryAfterSeconds?: number;
  /** For `latency`: added delay in milliseconds. */
  latencyMs?: number;
  /** Chance per matching request (default 1). */
  rate?: number;
  /** Apply to this many matching requests, then stop (default unlimited). */
  count?: number;
}

export interface FaultRule extends FaultRuleInput {
  id: string;
  applied: number;
}

export function compilePattern(pattern: string): RegExp {
  const regex = /^\/(.+)\/([a-z]*)$/.exec(pattern);
  if (regex) {
    try {
      return new RegExp(regex[1]!, regex[2]);
    } catch {
      throw inputError('Invalid value of "%value" provided for the %fieldName field.', { fieldName: 'path', value: pattern });
    }
  }
  return new RegExp('^' + pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*') + '$');
}

export function validateFaultRule(raw: unknown): FaultRuleInput {
  if (!raw || typeof raw !== 'object') throw inputError('A fault rule must be a JSON object.');
  const r = raw as Record<string, unknown>;
  if (typeof r.path !== 'string' || !r.path) throw inputError('"%fieldName" is required. Enter and try again.', { fieldName: 'path' });
  compilePattern(r.path);
  if (!['status', 'latency', 'drop'].includes(String(r.kind))) throw inputError('Invalid value of "%value" provided for the %fieldName field.', { fieldName: 'kind', value: String(r.kind) });
  const num = (k: string, min: number, max: number) => {
    if (r[k] === undefined) return undefined;
    const n = Number(r[k]);
    if (!Number.isFinite(n) || n < min || n > max) throw inputError('Invalid value of "%value" provided for the %fieldName field.', { fieldName: k, value: String(r[k]) });
    return n;
  };
  const rule: FaultRuleInput = {
    path: r.path,
    method: typeof r.method === 'string' ? r.method.toUpperCase() : undefined,
    kind: r.kind as FaultRuleInput['kind'],
    status: num('status', 400, 599),
    retryAfterSeconds: num('retryAfterSeconds', 0, 86_400),
    latencyMs: num('latencyMs', 0, 120_000),
    rate: num('rate', 0, 1),
    count: num('count', 0, 1e9),
  };
  if (rule.kind === 'status' && rule.status === undefined) throw inputError('"%fieldName" is required. Enter and try again.', { fieldName: 'status' });
  if (rule.kind === 'latency' && rule.latencyMs === undefined) throw inputError('"%fieldName" is required. Enter and try again.', { fieldName: 'latencyMs' });
  return rule;
}

export class Faults {
  rules: FaultRule[] = [];
  private nextId = 1;
  constructor(private readonly random: () => number) {}

  add(input: FaultRuleInput): FaultRule {
    const rule = { ...input, id: `fault-${this.nextId++}`, applied: 0 };
    this.rules.push(rule);
    return rule;
  }

  remove(id?: string): void {
    this.rules = id ? this.rules.filter((r) => r.id !== id) : [];
  }

  /** The rules that fire for this request, in order (each consumes one of its `count`): latencies, then at most one status or drop. */
  match(method: string, path: string): FaultRule[] {
    const fired: FaultRule[] = [];
    for (const rule of this.rules) {
      if (rule.method && rule.method !== method) continue;
      if (!compilePattern(rule.path).test(path)) continue;
      if (rule.count !== undefined && rule.applied >= rule.count) continue;
      if (rule.rate !== undefined && this.random() >= rule.rate) continue;
      rule.applied++;
      fired.push(rule);
      // A status or a drop ends the request: later rules are not consumed by it.
      if (rule.kind !== 'latency') break;
    }
    return fired;
  }
}
