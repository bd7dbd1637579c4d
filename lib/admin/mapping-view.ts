/**
 * The panel edits mappings as a list of entity + direction blocks, each with field rules and the
 * value maps those rules use (lib/admin/contract.ts `mappingDocument`). The connector stores a
 * different, richer document (lib/mapping: per entity the four stages fromCommerce, fromHeartland,
 * toHeartland, toCommerce, global value maps, filters), holding only the merchant's overrides on
 * top of the shipped defaults. This module translates both ways:
 *
 * - view: the EFFECTIVE document (defaults + overrides) as blocks. A rule says which stage it runs
 *   in (`stage: "source"` = a `from*` rule, raw source payload → canonical field; `stage: "target"` =
 *   a `to*` rule, canonical field → outgoing request body) and keeps its kind, id, transforms and
 *   conditions as extra fields the panel carries along untouched. Value-map defaults show as the
 *   entry `*`. The block's outbound filter rides along as `filter`.
 * - overrides: what the panel sends back, diffed against the defaults so only real changes are
 *   stored. A default rule missing from the view is stored disabled (that is how it is removed); a
 *   default value-map entry cannot be removed, only changed. A rule without a stage (added in the
 *   panel, or taken from a suggestion) is a source-stage rule: suggestions and previews read the
 *   raw source payload.
 *
 * Problems found in the stored form are reported at the view's paths (`entities.0.rules.2.source`)
 * so the panel can show them next to the field.
 */
import { isDeepStrictEqual } from 'node:util';
import type { EntityMapping as ViewEntity, MappingDirection, MappingDocument as ViewDocument, MappingProblem, MappingRule as ViewRule } from './contract';
import { ENTITIES, type DirectionName, type EntityName, type FilterNode, type MappingDocument, type Rule, type ValueMap } from '../mapping/document';
import { SUPPORTED } from '../mapping/pipeline';
import { VALUE_MAP_NAMES } from '../mapping/defaults/value-maps';
import { layerMapping } from '../mapping/layering';
import type { FieldIssue } from '../model/field-issues';

export const SOURCE_STAGE: Record<MappingDirection, DirectionName> = { 'commerce-to-heartland': 'fromCommerce', 'heartland-to-commerce': 'fromHeartland' };
export const TARGET_STAGE: Record<MappingDirection, DirectionName> = { 'commerce-to-heartland': 'toHeartland', 'heartland-to-commerce': 'toCommerce' };

/** The entry that stands for a value map's fallback (`default`) in the view. */
export const FALLBACK_ENTRY = '*';

/** Value maps the built-in mappers use for a block, shown even when no rule names them. */
const BUILT_IN_MAPS: Partial<Record<string, string[]>> = {
  'order:commerce-to-heartland': [
    VALUE_MAP_NAMES.paymentTypeForMethod,
    VALUE_MAP_NAMES.shippingMethodForCarrier,
    VALUE_MAP_NAMES.orderStatusFromCommerce,
    VALUE_MAP_NAMES.orderStatusToHeartland,
  ],
  'refund:commerce-to-heartland': [VALUE_MAP_NAMES.paymentTypeForMethod],
  'shipment:heartland-to-commerce': [VALUE_MAP_NAMES.carrierCode, VALUE_MAP_NAMES.carrierTitle, VALUE_MAP_NAMES.sourceForLocation],
  'stock:heartland-to-commerce': [VALUE_MAP_NAMES.sourceForLocation],
};

/** Directions a block exists for: the entity is read from one system and written to the other. */
export function viewDirections(entity: EntityName): MappingDirection[] {
  const support = SUPPORTED[entity];
  const out: MappingDirection[] = [];
  if (support.from.includes('commerce') && support.to.includes('heartland')) out.push('commerce-to-heartland');
  if (support.from.includes('heartland') && support.to.includes('commerce')) out.push('heartland-to-commerce');
  return out;
}

export function isEntityName(value: string): value is EntityName {
  return (ENTITIES as readonly string[]).includes(value);
}

const isScalar = (v: unknown): v is string | number | boolean | null => v === null || ['string', 'number', 'boolean'].includes(typeof v);
const SIMPLE_TRANSFORMS = new Set(['trim', 'upper', 'lower', 'number']);

type ViewRuleOut = ViewRule & Record<string, unknown>;

function ruleToView(rule: Rule, stage: 'source' | 'target'): ViewRuleOut {
  const view: ViewRuleOut = { target: rule.target, stage, kind: rule.kind };
  if (rule.id) view.id = rule.id;
  if (rule.description) view.description = rule.description;
  if (rule.enabled === false) view.enabled = false;
  if (rule.when) view.when = rule.when;
  if (rule.kind === 'copy' || rule.kind === 'lookup') view.source = rule.source;
  if (rule.kind === 'lookup') view.valueMap = rule.map;
  if (rule.kind === 'template') view.template = rule.template;
  if (rule.kind === 'constant') {
    if (isScalar(rule.value)) view.default = rule.value;
    else view.value = rule.value;
  }
  const transforms = rule.transforms as Array<{ op: string; value?: unknown }>;
  const fallback = transforms.find((t) => t.op === 'default');
  if (fallback && rule.kind !== 'constant' && isScalar(fallback.value)) view.default = fallback.value;
  const others = transforms.filter((t) => t !== fallback || !isScalar(fallback.value));
  if (others.length > 0 && others.every((t) => SIMPLE_TRANSFORMS.has(t.op) && Object.keys(t).length === 1)) view.transform = others.map((t) => t.op).join(',');
  else if (others.length > 0) view.transforms = others;
  return view;
}

function mapToView(map: ValueMap): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [from, to] of Object.entries(map.entries)) out[from] = typeof to === 'number' || typeof to === 'string' ? to : String(to);
  if (map.default !== undefined && map.default !== null) out[FALLBACK_ENTRY] = typeof map.default === 'number' ? map.default : String(map.default);
  return out;
}

/** The effective document as the panel's blocks. */
export function toView(effective: MappingDocument): ViewDocument {
  const entities: ViewEntity[] = [];
  for (const entity of ENTITIES) {
    for (const direction of viewDirections(entity)) {
      const stages = effective.entities[entity] ?? {};
      const rules = [
        ...(stages[SOURCE_STAGE[direction]]?.rules ?? []).map((r) => ruleToView(r, 'source')),
        ...(stages[TARGET_STAGE[direction]]?.rules ?? []).map((r) => ruleToView(r, 'target')),
      ];
      const names = new Set(BUILT_IN_MAPS[`${entity}:${direction}`] ?? []);
      for (const r of rules) if (typeof r.valueMap === 'string') names.add(r.valueMap);
      const valueMaps: ViewEntity['valueMaps'] = {};
      for (const name of names) if (effective.valueMaps[name]) valueMaps[name] = mapToView(effective.valueMaps[name]);
      const filter = stages[TARGET_STAGE[direction]]?.filter;
      entities.push({ entity, direction, rules, valueMaps, ...(filter ? { filter } : {}) });
    }
  }
  return { schemaVersion: effective.schemaVersion, options: effective.options, entities };
}

// ---------------------------------------------------------------------------------------------
// View → overrides

type RuleInput = Record<string, unknown>;

function ruleFromView(view: Record<string, unknown>): RuleInput {
  const kind =
    typeof view.kind === 'string'
      ? view.kind
      : typeof view.valueMap === 'string'
        ? 'lookup'
        : typeof view.source === 'string'
          ? 'copy'
          : typeof view.template === 'string'
            ? 'template'
            : 'constant';
  const rule: RuleInput = { kind, target: view.target };
  for (const key of ['id', 'description', 'enabled', 'when'] as const) if (view[key] !== undefined) rule[key] = view[key];
  if (kind === 'copy' || kind === 'lookup') rule.source = view.source;
  if (kind === 'lookup') rule.map = view.valueMap;
  if (kind === 'template') rule.template = view.template;
  if (kind === 'constant') rule.value = view.value !== undefined ? view.value : (view.default ?? null);
  let transforms: unknown[] = Array.isArray(view.transforms)
    ? [...view.transforms]
    : typeof view.transform === 'string' && view.transform.trim() !== ''
      ? view.transform.split(',').map((t) => t.trim()).filter(Boolean)
      : [];
  transforms = transforms.filter((t) => !(typeof t === 'object' && t !== null && (t as { op?: unknown }).op === 'default'));
  if (kind !== 'constant' && view.default !== undefined) transforms.push({ op: 'default', value: view.default });
  if (transforms.length > 0) rule.transforms = transforms;
  return rule;
}

/** Text typed into a value map that is a whole number becomes a number (Heartland ids are numbers). */
function mapValue(value: string | number): string | number {
  return typeof value === 'string' && /^\d{1,15}$/.test(value.trim()) ? Number(value.trim()) : value;
}

export interface ViewTranslation {
  /** Value-map entries that differ from what the view showed, per map name (what the merchant changed). */
  changedEntries: Record<string, Record<string, unknown>>;
  /** The overrides to validate and store (lib/mapping document input). */
  overrides: Record<string, unknown>;
  /** Problems found before the mapping engine sees the document (unknown entity, duplicate block). */
  issues: MappingProblem[];
  /** Stored-form path prefix → view path prefix, longest first. */
  paths: Array<[string, string]>;
}

/** Compares a parsed default rule with a view rule's stored form (defaults filled the same way). */
function sameRule(a: Rule, b: RuleInput): boolean {
  const normal = (r: Record<string, unknown>) => ({ ...r, enabled: r.enabled ?? true, transforms: r.transforms ?? [] });
  return isDeepStrictEqual(JSON.parse(JSON.stringify(normal(a as unknown as Record<string, unknown>))), JSON.parse(JSON.stringify(normal(b))));
}

/**
 * `shown` is the document the view was built from (defaults + overrides, plus anything layered on
 * top for display such as the settings' method maps); an entry is a change when it differs from it.
 */
export function fromView(view: ViewDocument, defaults: MappingDocument, current: MappingDocument | null, shown?: MappingDocument): ViewTranslation {
  const issues: MappingProblem[] = [];
  const paths: Array<[string, string]> = [];
  const base = (current ? structuredClone(current) : {}) as Record<string, unknown> & { valueMaps?: Record<string, unknown>; entities?: Record<string, Record<string, unknown>> };
  const overrides: Record<string, unknown> = {
    ...(base.description !== undefined ? { description: base.description } : {}),
    options: (view as Record<string, unknown>).options ?? base.options ?? {},
    valueMaps: { ...(base.valueMaps ?? {}) },
    entities: structuredClone(base.entities ?? {}),
  };
  const valueMaps = overrides.valueMaps as Record<string, unknown>;
  const entities = overrides.entities as Record<string, Record<string, unknown>>;
  const seen = new Set<string>();
  const effective = shown ?? layerMapping(defaults, current);
  const finalMaps = new Map<string, { entries: Record<string, unknown>; default?: unknown }>();
  const changedEntries: Record<string, Record<string, unknown>> = {};

  view.entities.forEach((block, ci) => {
    const at = `entities.${ci}`;
    if (!isEntityName(block.entity)) {
      issues.push({ path: `${at}.entity`, message: `unknown entity "${block.entity}"; one of ${ENTITIES.join(', ')}` });
      return;
    }
    const entity = block.entity;
    if (!viewDirections(entity).includes(block.direction)) {
      issues.push({ path: `${at}.direction`, message: `${entity} is not synced ${block.direction.replace(/-/g, ' ')}` });
      return;
    }
    if (seen.has(`${entity}:${block.direction}`)) {
      issues.push({ path: `${at}.entity`, message: `${entity} (${block.direction}) appears twice` });
      return;
    }
    seen.add(`${entity}:${block.direction}`);
    const stages = (entities[entity] ??= {});
    const byStage: Record<'source' | 'target', Array<{ rule: RuleInput; index: number }>> = { source: [], target: [] };
    block.rules.forEach((rule, ri) => {
      const r = rule as Record<string, unknown>;
      byStage[r.stage === 'target' ? 'target' : 'source'].push({ rule: ruleFromView(r), index: ri });
    });
    for (const stage of ['source', 'target'] as const) {
      const direction = stage === 'source' ? SOURCE_STAGE[block.direction] : TARGET_STAGE[block.direction];
      const defaultStage = defaults.entities[entity]?.[direction];
      const defaultRules = defaultStage?.rules ?? [];
      const stored: RuleInput[] = [];
      for (const { rule, index } of byStage[stage]) {
        if (defaultRules.some((d) => sameRule(d, rule))) continue;
        paths.push([`entities.${entity}.${direction}.rules[${stored.length}]`, `${at}.rules.${index}`]);
        stored.push(rule);
      }
      // A default rule the merchant removed is stored disabled: layering keeps default rules otherwise.
      for (const d of defaultRules) {
        if (d.id && !byStage[stage].some(({ rule }) => rule.id === d.id)) stored.push({ ...(d as unknown as RuleInput), enabled: false });
      }
      const entry: Record<string, unknown> = {};
      if (stored.length > 0) entry.rules = stored;
      if (stage === 'target') {
        const filter = (block as Record<string, unknown>).filter as FilterNode | undefined;
        // No filter in the view while the defaults have one: an empty group, which lets everything through.
        const wanted = filter ?? (defaultStage?.filter ? { all: [] } : undefined);
        if (wanted && !isDeepStrictEqual(wanted, defaultStage?.filter)) {
          entry.filter = wanted;
          paths.push([`entities.${entity}.${direction}.filter`, `${at}.filter`]);
        }
      }
      if (Object.keys(entry).length > 0) stages[direction] = entry;
      else delete stages[direction];
    }
    if (Object.keys(stages).length === 0) delete entities[entity];

    for (const [name, entries] of Object.entries(block.valueMaps)) {
      // A map may show in several blocks (payment methods: orders and refunds); an entry changed
      // in any of them, relative to what is in force now, is the change.
      const now = effective.valueMaps[name];
      const merged = finalMaps.get(name) ?? { entries: { ...(now?.entries ?? {}) }, ...(now?.default !== undefined ? { default: now.default } : {}) };
      for (const [from, to] of Object.entries(entries)) {
        const value = mapValue(to);
        const changed = from === FALLBACK_ENTRY ? now?.default !== value : now?.entries[from] !== value;
        if (!changed) continue;
        if (from === FALLBACK_ENTRY) merged.default = value;
        else merged.entries[from] = value;
        (changedEntries[name] ??= {})[from] = value;
      }
      finalMaps.set(name, merged);
      paths.push([`valueMaps.${name}`, `${at}.valueMaps.${name}`]);
    }
  });
  for (const [name, merged] of finalMaps) {
    const prior = defaults.valueMaps[name];
    const stored: { entries: Record<string, unknown>; default?: unknown } = { entries: {} };
    for (const [from, value] of Object.entries(merged.entries)) if (!prior || prior.entries[from] !== value) stored.entries[from] = value;
    if (merged.default !== undefined && merged.default !== prior?.default) stored.default = merged.default;
    if (Object.keys(stored.entries).length > 0 || stored.default !== undefined) valueMaps[name] = stored;
    else delete valueMaps[name];
  }
  paths.sort((a, b) => b[0].length - a[0].length);
  return { overrides, issues, paths, changedEntries };
}

/** A stored-form problem at the view's path (falls back to `document` level when it has none). */
export function viewPath(path: string, paths: Array<[string, string]>): string {
  for (const [stored, viewed] of paths) {
    if (path === stored) return viewed;
    if (path.startsWith(`${stored}.`) || path.startsWith(`${stored}[`)) {
      const rest = path.slice(stored.length).replace(/^\./, '').replace(/\[(\d+)\]/g, '.$1').replace(/^\./, '');
      return rest ? `${viewed}.${rest}` : viewed;
    }
  }
  return path.replace(/\[(\d+)\]/g, '.$1');
}

export function viewIssues(issues: FieldIssue[], paths: Array<[string, string]>): MappingProblem[] {
  return issues.map((i) => ({ path: viewPath(i.path, paths), message: i.message }));
}
