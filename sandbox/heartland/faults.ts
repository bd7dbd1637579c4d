/**
 * Fault injection for the Heartland simulator: rate limiting (429 + Retry-After), 5xx, latency and
 * dropped connections, applied by rate (probability) or by count, optionally only to paths
 * matching a pattern and/or one method. Rates use a seeded generator so a failing test reproduces.
 */
import { z } from 'zod';
import { prng } from './seed';

export const FaultRuleBody = z.object({
  /** HTTP status to answer with (429 or 5xx typically); omit for latency/drop-only rules. */
  status: z.number().int().min(400).max(599).optional(),
  /** Seconds for `Retry-After` (429/503). */
  retryAfter: z.number().min(0).optional(),
  /** Delay before answering (or before the fault), in ms. */
  latencyMs: z.number().int().min(0).max(120_000).optional(),
  /** Destroy the socket without answering. */
  drop: z.boolean().optional(),
  /** Probability per matching request, 0..1. Default 1. */
  rate: z.number().min(0).max(1).optional(),
  /** Only the next N matching requests; then the rule retires. */
  count: z.number().int().min(1).optional(),
  /** Regular expression tested against the path after `/api` (e.g. `^/inventory/values`). */
  path: z.string().optional(),
  method: z.string().optional(),
  /** Seed for the rate generator. */
  seed: z.number().int().optional(),
}).refine((r) => r.status !== undefined || r.latencyMs !== undefined || r.drop, { message: 'a fault needs status, latencyMs or drop', path: ['status'] });
export type FaultRuleInput = z.infer<typeof FaultRuleBody>;

export interface FaultRule extends FaultRuleInput {
  id: number;
  hits: number;
}

export interface FaultDecision {
  latencyMs: number;
  status?: number;
  retryAfter?: number;
  drop: boolean;
  ruleId?: number;
}

export class Faults {
  rules: FaultRule[] = [];
  injected = 0;
  private nextId = 1;
  private randoms = new Map<number, () => number>();
  private patterns = new Map<number, RegExp>();

  add(input: FaultRuleInput): FaultRule {
    if (input.path) {
      try {
        new RegExp(input.path);
      } catch {
        throw new Error(`path is not a valid regular expression: ${input.path}`);
      }
    }
    const rule: FaultRule = { ...input, id: this.nextId++, hits: 0 };
    this.rules.push(rule);
    this.randoms.set(rule.id, prng(input.seed ?? rule.id * 104729));
    if (input.path) this.patterns.set(rule.id, new RegExp(input.path));
    return rule;
  }

  remove(id: number): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((r) => r.id !== id);
    return this.rules.length < before;
  }

  clear(): void {
    this.rules = [];
  }

  /** What to do with this request; rules are tried in order, latency adds up, the first failure wins. */
  decide(method: string, path: string): FaultDecision {
    const decision: FaultDecision = { latencyMs: 0, drop: false };
    for (const rule of [...this.rules]) {
      if (rule.method && rule.method.toUpperCase() !== method) continue;
      const re = this.patterns.get(rule.id);
      if (re && !re.test(path)) continue;
      if ((rule.rate ?? 1) < 1 && this.randoms.get(rule.id)!() >= rule.rate!) continue;
      rule.hits++;
      if (rule.count !== undefined && rule.hits >= rule.count) this.remove(rule.id);
      decision.latencyMs += rule.latencyMs ?? 0;
      if (decision.status === undefined && !decision.drop && (rule.status !== undefined || rule.drop)) {
        decision.status = rule.status;
        decision.retryAfter = rule.retryAfter;
        decision.drop = rule.drop ?? false;
        decision.ruleId = rule.id;
      }
    }
    if (decision.status !== undefined || decision.drop) this.injected++;
    return decision;
  }
}
