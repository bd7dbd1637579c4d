/**
 * The dry run at the end of setup: one recent Magento order and one Heartland SKU go through the
 * same mapping pipeline the flows use (`mapEntity`, as `hcc map` does), with the chosen settings
 * folded into the value maps, and come out as the requests that would be sent. Nothing is sent.
 */
import type { ConnectorSettings } from '../config/connector-settings';
import { defaultMappingDocument } from '../mapping/defaults/document';
import { VALUE_MAP_NAMES } from '../mapping/defaults/value-maps';
import type { MappingDocument } from '../mapping/document';
import { mapEntity } from '../mapping/pipeline';
import { placeholdersIn, type PlannedRequest } from '../model/planned-request';

export interface DryRunPlan {
  entity: 'order' | 'product';
  /** `#000000042` or a SKU. */
  subject: string;
  status: 'planned' | 'skipped' | 'invalid' | 'nothing';
  requests: PlannedRequest[];
  /** Ids the plan still needs from the target (filled in when the flow runs). */
  placeholders: string[];
  message: string;
}

const asId = (value: string) => (/^\d+$/.test(value) ? Number(value) : value);

/** The default mapping document with the settings' maps as value map entries (ids as numbers). */
export function documentWithSettings(settings: ConnectorSettings, base: MappingDocument = defaultMappingDocument()): MappingDocument {
  const doc = structuredClone(base);
  const apply = (name: string, pairs: [string, string][]) => {
    const map = doc.valueMaps[name] ?? { entries: {} };
    const entries = { ...map.entries };
    let fallback = map.default;
    for (const [key, value] of pairs) {
      if (key === '*') fallback = asId(value);
      else entries[key] = asId(value);
    }
    doc.valueMaps[name] = { ...map, entries, ...(fallback !== undefined ? { default: fallback } : {}) };
  };
  apply(VALUE_MAP_NAMES.paymentTypeForMethod, settings.paymentMethodMap.map((m) => [m.magentoCode, m.paymentTypeId]));
  apply(VALUE_MAP_NAMES.shippingMethodForCarrier, settings.shippingMethodMap.map((m) => [m.magentoCode, m.heartlandShippingMethodId]));
  apply(VALUE_MAP_NAMES.sourceForLocation, settings.locationToSource.map((m) => [m.locationId, m.sourceCode]));
  if (settings.giftCards.paymentTypeId) apply(VALUE_MAP_NAMES.paymentTypeForMethod, [['giftcard', settings.giftCards.paymentTypeId]]);
  return doc;
}

function planFrom(entity: DryRunPlan['entity'], subject: string, outcome: ReturnType<typeof mapEntity>): DryRunPlan {
  switch (outcome.status) {
    case 'mapped': {
      const requests = (Array.isArray(outcome.output) ? outcome.output : []) as PlannedRequest[];
      const open = placeholdersIn(requests);
      return { entity, subject, status: 'planned', requests, placeholders: open, message: `${requests.length} request${requests.length === 1 ? '' : 's'} planned${outcome.warnings.length ? `; ${outcome.warnings.join('; ')}` : ''}` };
    }
    case 'skipped':
      return { entity, subject, status: 'skipped', requests: [], placeholders: [], message: `the ${outcome.direction} filter skips it: ${outcome.reason}` };
    case 'invalid':
      return { entity, subject, status: 'invalid', requests: [], placeholders: [], message: outcome.issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ') };
    case 'unsupported':
      return { entity, subject, status: 'invalid', requests: [], placeholders: [], message: outcome.message };
  }
}

/** The newest order that would be sent; when every recent order is filtered out, the newest one's verdict. */
export function dryRunRecentOrder(orders: Record<string, unknown>[], settings: ConnectorSettings, document?: MappingDocument): DryRunPlan {
  let first: DryRunPlan | undefined;
  for (const order of orders) {
    const plan = dryRunOrder(order, settings, document);
    if (plan.status === 'planned') return plan;
    first ??= plan;
  }
  return first ?? dryRunOrder(undefined, settings, document);
}

export function dryRunOrder(order: Record<string, unknown> | undefined, settings: ConnectorSettings, document?: MappingDocument): DryRunPlan {
  if (!order) return { entity: 'order', subject: '(none)', status: 'nothing', requests: [], placeholders: [], message: 'the store has no order yet; place one and run `hcc map order --from commerce --to heartland`' };
  const subject = `#${String(order.increment_id ?? order.entity_id ?? '?')}`;
  const outcome = mapEntity({
    entity: 'order',
    from: 'commerce',
    to: 'heartland',
    input: order,
    document: documentWithSettings(settings, document),
    context: {
      stationId: settings.stationId ? Number(settings.stationId) : undefined,
      sourceLocationId: settings.sourceLocationId ? Number(settings.sourceLocationId) : undefined,
    },
  });
  return planFrom('order', subject, outcome);
}

export function dryRunItem(item: Record<string, unknown> | undefined, settings: ConnectorSettings, document?: MappingDocument): DryRunPlan {
  if (!item) return { entity: 'product', subject: '(none)', status: 'nothing', requests: [], placeholders: [], message: 'Heartland has no item yet' };
  const subject = String(item.public_id ?? item.id ?? '?');
  const outcome = mapEntity({
    entity: 'product',
    from: 'heartland',
    to: 'commerce',
    input: item,
    document: documentWithSettings(settings, document),
    context: { createProducts: settings.products.createNew },
  });
  return planFrom('product', subject, outcome);
}
