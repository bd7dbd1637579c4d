/**
 * Commerce-side event subscriptions (commerce.md §2.13, §3.3): `POST /V1/eventing/eventSubscribe`,
 * `PUT /V1/eventing/eventSubscribe/{name}` (fields and rules merged), `POST
 * /V1/eventing/eventUnsubscribe/{name}`, `GET /V1/eventing/getEventSubscriptions`,
 * `PUT /V1/eventing/updateConfiguration`. A subscription selects the fields sent in `data.value`
 * (`*`, `a`, `a.b`, `items[].sku`) and may carry rules; a conditional event names its `parent`.
 */
import { bodyObject, param, requiredObject, type RequestContext, type SimCore } from './context';
import { inputError, noSuchEntity } from './errors';
import type { Rec } from './state';

export interface EventSubscription {
  name: string;
  parent?: string;
  fields: { name: string; converter?: string; source?: string }[];
  rules: { field: string; operator: string; value: string }[];
  destination?: string;
  priority?: boolean;
  hipaa_audit_required?: boolean;
  provider_id?: string;
}

const FIELD_NAME = /^([a-zA-Z0-9_\-.[\]]+|\*)$/;
const OPERATORS = ['greaterThan', 'lessThan', 'equal', 'regex', 'in', 'onChange'];

function subscriptions(sim: SimCore): Record<string, EventSubscription> {
  return (sim.store.state.eventSubscriptions ??= {}) as Record<string, EventSubscription>;
}

export function listSubscriptions(sim: SimCore): EventSubscription[] {
  return Object.values(subscriptions(sim));
}

function validate(raw: Rec, existing?: EventSubscription): EventSubscription {
  const name = String(raw.name ?? existing?.name ?? '');
  if (!/^(?:[a-z0-9_]+\.)*(observer|plugin)\.[a-zA-Z0-9_.]+$/.test(name)) throw inputError('Event name "%1" is not valid.', [name]); // ASSUMED wording
  const fields = (raw.fields ?? []) as Rec[];
  if (!Array.isArray(fields)) throw inputError('Invalid value of "%value" provided for the %fieldName field.', { fieldName: 'event.fields', value: JSON.stringify(raw.fields) });
  for (const f of fields) if (!f || typeof f.name !== 'string' || !FIELD_NAME.test(f.name)) throw inputError('Invalid value of "%value" provided for the %fieldName field.', { fieldName: 'event.fields.name', value: JSON.stringify(f?.name) });
  const rules = (raw.rules ?? []) as Rec[];
  if (!Array.isArray(rules)) throw inputError('Invalid value of "%value" provided for the %fieldName field.', { fieldName: 'event.rules', value: JSON.stringify(raw.rules) });
  for (const r of rules) if (!r || typeof r.field !== 'string' || !OPERATORS.includes(r.operator)) throw inputError('Invalid value of "%value" provided for the %fieldName field.', { fieldName: 'event.rules.operator', value: JSON.stringify(r?.operator) });
  // Fields and rules merge on update (§2.13).
  const mergedFields = [...(existing?.fields ?? [])];
  for (const f of fields) if (!mergedFields.some((m) => m.name === f.name)) mergedFields.push({ name: f.name, converter: f.converter, source: f.source });
  const mergedRules = [...(existing?.rules ?? [])];
  for (const r of rules) if (!mergedRules.some((m) => m.field === r.field && m.operator === r.operator)) mergedRules.push({ field: r.field, operator: r.operator, value: String(r.value ?? '') });
  if (rules.length && !(raw.parent ?? existing?.parent)) throw inputError('"%fieldName" is required. Enter and try again.', { fieldName: 'event.parent' });
  return {
    name,
    parent: (raw.parent ?? existing?.parent) || undefined,
    fields: mergedFields.length ? mergedFields : [{ name: '*' }],
    rules: mergedRules,
    destination: raw.destination ?? existing?.destination ?? 'default',
    priority: Boolean(raw.priority ?? existing?.priority ?? false),
    hipaa_audit_required: Boolean(raw.hipaa_audit_required ?? existing?.hipaa_audit_required ?? false),
    provider_id: raw.provider_id ?? existing?.provider_id,
  };
}

export function subscribe(ctx: RequestContext, sim: SimCore): boolean {
  const body = bodyObject(ctx);
  const sub = validate(requiredObject(body, 'event'));
  const all = subscriptions(sim);
  if (all[sub.name] && param(body, 'force') !== true) throw inputError('An event subscription with the name "%1" already exists.', [sub.name]); // ASSUMED wording
  all[sub.name] = sub;
  sim.store.changed();
  return true;
}

export function updateSubscription(ctx: RequestContext, sim: SimCore): boolean {
  const all = subscriptions(sim);
  const existing = all[ctx.params.name ?? ''];
  if (!existing) throw noSuchEntity('name', ctx.params.name);
  all[existing.name] = validate({ ...requiredObject(bodyObject(ctx), 'event'), name: existing.name }, existing);
  sim.store.changed();
  return true;
}

export function unsubscribe(ctx: RequestContext, sim: SimCore): boolean {
  const all = subscriptions(sim);
  if (!all[ctx.params.name ?? '']) throw noSuchEntity('name', ctx.params.name);
  delete all[ctx.params.name!];
  sim.store.changed();
  return true;
}

export function updateConfiguration(ctx: RequestContext, sim: SimCore): boolean {
  const config = requiredObject(bodyObject(ctx), 'config');
  sim.store.state.eventingConfig = { ...(sim.store.state.eventingConfig ?? {}), ...config };
  sim.store.changed();
  return true;
}

// ------------------------------------------------------------------ applying a subscription

function pick(value: unknown, path: string[]): unknown {
  if (!path.length) return value;
  const [head, ...rest] = path;
  if (head!.endsWith('[]')) {
    const list = (value as Rec | undefined)?.[head!.slice(0, -2)];
    return Array.isArray(list) ? list.map((v) => pick(v, rest)) : undefined;
  }
  const next = (value as Rec | undefined)?.[head!];
  return next === undefined ? undefined : pick(next, rest);
}

function put(target: Rec, path: string[], value: unknown) {
  const [head, ...rest] = path;
  if (!rest.length) {
    target[head!.replace(/\[\]$/, '')] = value;
    return;
  }
  if (head!.endsWith('[]')) {
    const key = head!.slice(0, -2);
    const values = value as unknown[];
    const list = (target[key] ??= values.map(() => ({}))) as Rec[];
    values.forEach((v, i) => put((list[i] ??= {}), rest, v));
    return;
  }
  put((target[head!] ??= {}) as Rec, rest, value);
}

/** `data.value` for a subscription: every field for `*`, otherwise only the named paths. */
export function selectFields(value: Rec, fields: { name: string }[]): Rec {
  if (fields.some((f) => f.name === '*')) return value;
  const out: Rec = {};
  for (const f of fields) {
    const path = f.name.replace(/\[\]\./g, '[].').split('.');
    const v = pick(value, path);
    if (v !== undefined) put(out, path, v);
  }
  return out;
}

/** All rules must hold; `onChange` is taken as true (the simulator keeps no `_origData`). */
export function rulesHold(value: Rec, rules: EventSubscription['rules']): boolean {
  return rules.every((r) => {
    const actual = pick(value, r.field.split('.'));
    switch (r.operator) {
      case 'greaterThan':
        return Number(actual) > Number(r.value);
      case 'lessThan':
        return Number(actual) < Number(r.value);
      case 'equal':
        return String(actual) === r.value;
      case 'in':
        return r.value.split(',').map((s) => s.trim()).includes(String(actual));
      case 'regex': {
        const m = /^\/(.*)\/([a-z]*)$/.exec(r.value);
        try {
          return m ? new RegExp(m[1]!, m[2]).test(String(actual)) : false;
        } catch {
          return false;
        }
      }
      default:
        return true;
    }
  });
}
