/**
 * Runs a direction's field rules: each enabled rule computes a value from the source and writes
 * it at its target path in a copy of the target. A rule that cannot compute its value (a transform
 * on a bad value) is reported with its position, never silently dropped.
 */
import type { FieldIssue } from '../model/field-issues';
import type { Rule, ValueMap } from './document';
import { evaluateFilter } from './filters';
import { getPath, setPath } from './paths';
import { applyTransform, TransformError } from './transforms';

export interface RuleContext {
  valueMaps: Record<string, ValueMap>;
  /** Prefix for issue paths, e.g. `entities.order.toHeartland`. */
  where?: string;
}

export type RulesOutcome<T> = { ok: true; value: T; applied: string[] } | { ok: false; issues: FieldIssue[] };

/** The value map entry for a value; undefined on a miss without a default. */
export function lookupValue(map: ValueMap, value: unknown): unknown {
  if (value !== undefined && value !== null) {
    const key = String(value);
    if (Object.prototype.hasOwnProperty.call(map.entries, key)) return map.entries[key];
  }
  return map.default;
}

const TEMPLATE_SLOT = /\{\{\s*([^{}\s]+)\s*\}\}/g;

/** `"Web order {{externalId}}"` with values from the source; missing values render empty. */
export function renderTemplate(template: string, source: unknown): string {
  return template.replace(TEMPLATE_SLOT, (_, path: string) => {
    const value = getPath(source, path);
    if (value === undefined || value === null) return '';
    return Array.isArray(value) ? value.join(', ') : typeof value === 'object' ? JSON.stringify(value) : String(value);
  });
}

function ruleValue(rule: Rule, source: unknown, ctx: RuleContext): unknown {
  switch (rule.kind) {
    case 'copy': return getPath(source, rule.source);
    case 'constant': return rule.value;
    case 'template': return renderTemplate(rule.template, source);
    case 'lookup': {
      const map = ctx.valueMaps[rule.map];
      if (!map) throw new TransformError(`no value map named "${rule.map}"`);
      const value = getPath(source, rule.source);
      return Array.isArray(value) ? value.map((v) => lookupValue(map, v)) : lookupValue(map, value);
    }
  }
}

/** Applies rules in order to a deep copy of `target`; later rules win on the same target path. */
export function applyRules<T extends object>(rules: Rule[], source: unknown, target: T, ctx: RuleContext): RulesOutcome<T> {
  const out = structuredClone(target) as T;
  const issues: FieldIssue[] = [];
  const applied: string[] = [];
  rules.forEach((rule, i) => {
    if (!rule.enabled) return;
    const where = `${ctx.where ? `${ctx.where}.` : ''}rules[${i}]`;
    if (rule.when && !evaluateFilter(rule.when, source).run) return;
    try {
      let value = ruleValue(rule, source, ctx);
      for (const transform of rule.transforms) value = applyTransform(value, transform);
      // A miss (no source value, no default) leaves whatever the built-in mapping produced.
      if (value === undefined) return;
      setPath(out as Record<string, unknown>, rule.target, value);
      applied.push(rule.id ?? `${where} → ${rule.target}`);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const source = 'source' in rule ? ` (source ${rule.source})` : '';
      issues.push({ path: `${where}.target`, message: `${rule.target}${source}: ${message}` });
    }
  });
  return issues.length ? { ok: false, issues } : { ok: true, value: out, applied };
}
