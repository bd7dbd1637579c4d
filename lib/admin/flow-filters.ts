/**
 * Flow filter conditions (settings `flowFilters`, the Flows page) live in the mapping document, as
 * the outbound filter of the flow's entity (`entities.<entity>.to<Target>.filter`). That is where
 * every flow already decides whether a unit runs (lib/mapping `mapEntity` skips with the reason),
 * so panel conditions need no extra code in any flow, are versioned with the mapping and can be
 * rolled back. A flow's conditions are one group described `flow:<name>`, ANDed with the filter
 * that was there before (the default "only paid orders" stays in force):
 *
 *   { description: "flow filters", all: [ <previous filter>, { description: "flow:order", all: [...] } ] }
 *
 * Contract operators map onto the engine's: equals→eq, notEquals→neq, in→in, greaterThan→gt,
 * lessThan→lt, exists→exists, notIn→a group of neq, contains→regex on the escaped text.
 */
import type { FilterCondition as PanelCondition, FilterPreviewResponse } from './contract';
import { ENTITIES, type DirectionName, type EntityName, type FilterCondition, type FilterGroup, type FilterNode, type MappingDocument } from '../mapping/document';
import { evaluateFilter } from '../mapping/filters';
import { isValidPath } from '../mapping/paths';
import { mapEntity } from '../mapping/pipeline';
import { HttpError } from '../runtime/http-error';
import { createLinkStore, prepareUnit, unitIdOf, type Flow, type FlowContext } from '../sync';
import { listRunKeys, readRuns } from './run-index';
import { createTaskContext } from '../sync/task-context';
import { HOUR_MS, hourStart } from '../sync/time-keys';
import type { AdminContext } from './context';
import { registeredFlow } from './flow-catalog';
import { mappingRepository, saveOverrides } from './mappings';

const COMBINED = 'flow filters';
const flowMark = (flow: string) => `flow:${flow}`;

/** Flow entities named differently from the mapping engine's entities. */
const ENTITY_ALIASES: Record<string, EntityName> = { inventory: 'stock', 'stock-level': 'stock', 'gift-card': 'giftcard', 'gift-card-account': 'giftcard', creditmemo: 'refund', 'credit-memo': 'refund' };

export interface FilterPlace {
  entity: EntityName;
  direction: DirectionName;
}

/** Where a flow's filter lives in the mapping document, or undefined when its entity has none. */
export function filterPlace(flow: Flow<unknown, unknown>): FilterPlace | undefined {
  const entity = (ENTITIES as readonly string[]).includes(flow.entity) ? (flow.entity as EntityName) : (ENTITY_ALIASES[flow.entity] ?? ENTITY_ALIASES[flow.name]);
  if (!entity) return undefined;
  return { entity, direction: flow.targetSystem === 'heartland' ? 'toHeartland' : 'toCommerce' };
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const unescapeRegExp = (text: string): string | undefined => (/(^|[^\\])[.*+?^${}()|[\]]/.test(text) ? undefined : text.replace(/\\(.)/g, '$1'));
const listOf = (value: PanelCondition['value']): unknown[] => (Array.isArray(value) ? value : typeof value === 'string' ? value.split(',').map((v) => v.trim()).filter(Boolean) : value === undefined ? [] : [value]);

/** One panel condition as an engine filter node; throws a 400 naming the condition's field. */
export function conditionNode(condition: PanelCondition, at: string): FilterNode {
  if (!isValidPath(condition.field)) throw new HttpError(400, 'invalid_request', `${at}.field: "${condition.field}" is not a field path (e.g. status, customer.email, lines[].sku)`, `${at}.field`);
  const needsValue = condition.op !== 'exists';
  if (needsValue && (condition.value === undefined || (Array.isArray(condition.value) && condition.value.length === 0))) {
    throw new HttpError(400, 'invalid_request', `${at}.value: ${condition.op} needs a value`, `${at}.value`);
  }
  const { field, value } = condition;
  switch (condition.op) {
    case 'equals': return { field, op: 'eq', value };
    case 'notEquals': return { field, op: 'neq', value };
    case 'in': return { field, op: 'in', value: listOf(value) };
    case 'notIn': return { description: `${field} not one of ${listOf(value).join(', ')}`, all: listOf(value).map((v) => ({ field, op: 'neq', value: v }) as FilterCondition) };
    case 'contains': return { field, op: 'regex', value: escapeRegExp(String(value)) };
    case 'greaterThan':
    case 'lessThan': {
      if (typeof value !== 'number' && typeof value !== 'string') throw new HttpError(400, 'invalid_request', `${at}.value: ${condition.op} compares with a number or a date`, `${at}.value`);
      return { field, op: condition.op === 'greaterThan' ? 'gt' : 'lt', value };
    }
    case 'exists': return { field, op: 'exists', value: !(value === false || value === 'false') };
  }
}

const isGroup = (node: FilterNode): node is FilterGroup => 'all' in node || 'any' in node;

/** The panel condition a node was written from (only nodes this module writes are read back). */
export function panelCondition(node: FilterNode): PanelCondition | undefined {
  if (isGroup(node)) {
    const children = node.all ?? [];
    if (children.length > 0 && children.every((c) => !isGroup(c) && c.op === 'neq' && c.field === (children[0] as FilterCondition).field)) {
      return { field: (children[0] as FilterCondition).field, op: 'notIn', value: children.map((c) => String((c as FilterCondition).value)) };
    }
    return undefined;
  }
  const value = node.value as PanelCondition['value'];
  switch (node.op) {
    case 'eq': return { field: node.field, op: 'equals', value };
    case 'neq': return { field: node.field, op: 'notEquals', value };
    case 'in': return { field: node.field, op: 'in', value: (node.value as unknown[]).map(String) };
    case 'gt': return { field: node.field, op: 'greaterThan', value };
    case 'lt': return { field: node.field, op: 'lessThan', value };
    case 'exists': return { field: node.field, op: 'exists', value: node.value !== false };
    case 'regex': {
      const text = unescapeRegExp(String(node.value));
      return text === undefined ? undefined : { field: node.field, op: 'contains', value: text };
    }
    default: return undefined;
  }
}

/** The filter before any panel conditions, and each flow's panel group. */
function splitFilter(filter: FilterNode | undefined): { base: FilterNode | undefined; groups: FilterGroup[] } {
  if (filter && isGroup(filter) && filter.description === COMBINED && filter.all) {
    const groups = filter.all.filter((n): n is FilterGroup => isGroup(n) && typeof n.description === 'string' && n.description.startsWith('flow:'));
    const rest = filter.all.filter((n) => !groups.includes(n as FilterGroup));
    return { base: rest.length === 0 ? undefined : rest.length === 1 ? rest[0] : { all: rest }, groups };
  }
  return { base: filter, groups: [] };
}

/** Every registered flow's panel conditions, read from the effective mapping document. */
export function readFlowFilters(effective: MappingDocument, flows: Array<Flow<unknown, unknown>>): Record<string, PanelCondition[]> {
  const out: Record<string, PanelCondition[]> = {};
  for (const flow of flows) {
    const place = filterPlace(flow);
    if (!place) continue;
    const { groups } = splitFilter(effective.entities[place.entity]?.[place.direction]?.filter);
    const group = groups.find((g) => g.description === flowMark(flow.name));
    const conditions = (group?.all ?? []).map(panelCondition).filter((c): c is PanelCondition => c !== undefined);
    if (conditions.length > 0) out[flow.name] = conditions;
  }
  return out;
}

function withFlowGroup(filter: FilterNode | undefined, flow: string, conditions: FilterNode[]): FilterNode | undefined {
  const { base, groups } = splitFilter(filter);
  const others = groups.filter((g) => g.description !== flowMark(flow));
  const next = conditions.length > 0 ? [...others, { description: flowMark(flow), all: conditions }] : others;
  if (next.length === 0) return base;
  return { description: COMBINED, all: [...(base ? [base] : []), ...next] };
}

/** Applies `flowFilters` from a settings update as one new mapping version. */
export async function saveFlowFilters(update: Record<string, PanelCondition[]>, ctx: AdminContext): Promise<void> {
  const repo = mappingRepository(ctx);
  const active = await repo.active();
  const overrides = structuredClone((active.overrides ?? {}) as Record<string, unknown>) as { entities?: Record<string, Record<string, { rules?: unknown[]; filter?: FilterNode }>> };
  overrides.entities ??= {};
  for (const [flowName, conditions] of Object.entries(update)) {
    const flow = ctx.deps.registry.flows().find((f) => f.name === flowName);
    if (!flow) throw new HttpError(400, 'invalid_request', `flowFilters.${flowName}: there is no flow named "${flowName}"`, `flowFilters.${flowName}`);
    const place = filterPlace(flow);
    if (!place) throw new HttpError(400, 'invalid_request', `flowFilters.${flowName}: the ${flowName} flow has no conditions to edit`, `flowFilters.${flowName}`);
    const nodes = conditions.map((c, i) => conditionNode(c, `flowFilters.${flowName}.${i}`));
    const stages = (overrides.entities[place.entity] ??= {});
    const current = stages[place.direction]?.filter ?? active.effective.entities[place.entity]?.[place.direction]?.filter;
    const filter = withFlowGroup(current, flowName, nodes);
    stages[place.direction] = { ...(stages[place.direction] ?? {}), ...(filter ? { filter } : {}) };
    if (!filter) delete stages[place.direction].filter;
  }
  await saveOverrides(overrides, `flow filters: ${Object.keys(update).join(', ')}`, ctx, 'flowFilters');
}

/** How many recent units the preview re-reads (each one is a read from the source system). */
export const PREVIEW_UNITS = 20;

/**
 * Re-reads the flow's most recent units from their source and evaluates the proposed conditions on
 * the canonical record (what the filter sees when the flow runs).
 */
export async function previewFlowFilters(flowName: string, conditions: PanelCondition[], ctx: AdminContext): Promise<FilterPreviewResponse> {
  const { deps } = ctx;
  const flow = registeredFlow(deps, flowName);
  const place = filterPlace(flow);
  const nodes = conditions.map((c, i) => ({ condition: c, node: conditionNode(c, `conditions.${i}`) }));
  const now = deps.platform.clock.now();
  // The newest hours first, until enough distinct entities are found.
  const runKeys = await listRunKeys(deps.platform.state, { flows: new Set([flow.name]), fromHourMs: hourStart(now) - 23 * HOUR_MS, toHourMs: hourStart(now) });
  const keys: string[] = [];
  for (const hour of [...new Set(runKeys.map((k) => k.hourStartMs))].sort((a, b) => b - a)) {
    if (keys.length >= PREVIEW_UNITS) break;
    const runs = (await readRuns(deps.platform.state, runKeys.filter((k) => k.hourStartMs === hour))).sort((a, b) => b.endedAt - a.endedAt);
    for (const run of runs) if (!keys.includes(run.key) && keys.length < PREVIEW_UNITS) keys.push(run.key);
  }
  const effective = await mappingRepository(ctx).effective();
  const task = createTaskContext(deps, { owner: `filter preview ${flow.name}`, deadlineMs: now + 20_000, correlationId: ctx.correlationId });
  const items: FilterPreviewResponse['items'] = [];
  for (const key of keys) {
    const unit = prepareUnit({ flow: flow.name, key, trigger: 'manual', correlationId: ctx.correlationId }, now);
    const flowContext: FlowContext = { ...task, unit, unitId: unitIdOf(flow.name, key), links: createLinkStore(deps.platform.state, deps.platform.clock) };
    let source: unknown;
    try {
      source = await flow.load(unit, flowContext);
    } catch (error) {
      items.push({ entityId: key, key, passes: false, failedCondition: `could not read it: ${(error as Error).message}` });
      continue;
    }
    if (source === undefined) continue;
    const mapped = place ? mapEntity({ entity: place.entity, from: flow.sourceSystem, to: 'canonical', input: source, document: effective }) : undefined;
    const subject = mapped?.status === 'mapped' ? mapped.canonical : source;
    const failed = nodes.find(({ node }) => !evaluateFilter(node, subject).run);
    items.push({
      entityId: key,
      key,
      passes: !failed,
      ...(failed ? { failedCondition: `${failed.condition.field} ${failed.condition.op}${failed.condition.value === undefined ? '' : ` ${JSON.stringify(failed.condition.value)}`}` } : {}),
    });
  }
  return { items, evaluated: items.length, passed: items.filter((i) => i.passes).length };
}
