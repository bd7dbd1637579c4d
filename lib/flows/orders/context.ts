/**
 * What every order-to-cash flow needs besides its source: the merchant's operational settings and
 * the effective mapping document, with the settings layered on top of the document's value maps.
 *
 * Why layer: the mapping document carries defaults by *name* ("Check / Money order") that only
 * resolve when a Heartland record has that name, while the Settings page stores the merchant's
 * choices by *id*. Settings win where they say something; the document fills in the rest, so panel
 * edits to either apply on the next unit.
 */
import { loadConnectorSettings, type ConnectorSettings } from '../../config/connector-settings';
import { createMappingRepository, VALUE_MAP_NAMES, type MappingDocument, type ValueMap } from '../../mapping';
import type { StateStore } from '../../platform/ports';
import { TerminalError } from '../../sync';

export interface OrdersContext {
  settings: ConnectorSettings;
  /** Effective mapping document with the settings' maps layered on (see module comment). */
  document: MappingDocument;
}

/** Per unit: the context object of a unit is its cache key, so nothing outlives the unit. */
const cache = new WeakMap<object, Promise<OrdersContext>>();

export function ordersContext(ctx: { state: StateStore }): Promise<OrdersContext> {
  let found = cache.get(ctx);
  if (!found) {
    found = (async () => {
      const [settings, document] = await Promise.all([loadConnectorSettings(ctx.state), createMappingRepository(ctx.state).effective()]);
      return { settings, document: layerSettings(document, settings) };
    })();
    cache.set(ctx, found);
  }
  return found;
}

function withEntries(map: ValueMap | undefined, entries: Record<string, string | number>, fallback?: string | number): ValueMap {
  const base: ValueMap = map ? structuredClone(map) : { entries: {} };
  Object.assign(base.entries, entries);
  if (fallback !== undefined) base.default = fallback;
  return base;
}

/** Settings ids as numbers where they are numeric, so the mappers treat them as ids, not names. */
function idValue(id: string): string | number {
  return /^\d+$/.test(id) ? Number(id) : id;
}

export function layerSettings(document: MappingDocument, settings: ConnectorSettings): MappingDocument {
  const doc = structuredClone(document);
  const payments: Record<string, string | number> = {};
  let paymentDefault: string | number | undefined;
  for (const m of settings.paymentMethodMap) {
    if (m.magentoCode === '*') paymentDefault = idValue(m.paymentTypeId);
    else payments[m.magentoCode] = idValue(m.paymentTypeId);
  }
  doc.valueMaps[VALUE_MAP_NAMES.paymentTypeForMethod] = withEntries(doc.valueMaps[VALUE_MAP_NAMES.paymentTypeForMethod], payments, paymentDefault);

  const shipping: Record<string, string | number> = {};
  let shippingDefault: string | number | undefined;
  for (const m of settings.shippingMethodMap) {
    if (m.magentoCode === '*') shippingDefault = idValue(m.heartlandShippingMethodId);
    else shipping[m.magentoCode] = idValue(m.heartlandShippingMethodId);
  }
  doc.valueMaps[VALUE_MAP_NAMES.shippingMethodForCarrier] = withEntries(doc.valueMaps[VALUE_MAP_NAMES.shippingMethodForCarrier], shipping, shippingDefault);

  const sources: Record<string, string> = {};
  for (const m of settings.locationToSource) sources[m.locationId] = m.sourceCode;
  doc.valueMaps[VALUE_MAP_NAMES.sourceForLocation] = withEntries(doc.valueMaps[VALUE_MAP_NAMES.sourceForLocation], sources);

  doc.options = {
    ...doc.options,
    trackingNumberField: settings.shipments.trackingNumberField,
    shippingCarrierField: settings.shipments.carrierField,
  };
  return doc;
}

/** Station and fulfilment location are required on every Heartland sales transaction (heartland.md §3.5). */
export function requiredLocation(settings: ConnectorSettings): { stationId: number; sourceLocationId: number } {
  const station = settings.stationId;
  const location = settings.sourceLocationId;
  if (!station || !/^\d+$/.test(station)) {
    throw new TerminalError('stationId is not set in the connector settings: choose the Heartland station web orders are rung up on', { field: 'settings.stationId', code: 'settings' });
  }
  if (!location || !/^\d+$/.test(location)) {
    throw new TerminalError('sourceLocationId is not set in the connector settings: choose the Heartland location web orders ship from', { field: 'settings.sourceLocationId', code: 'settings' });
  }
  return { stationId: Number(station), sourceLocationId: Number(location) };
}
