/**
 * Three value maps have a second home in the operational settings: payment methods
 * (`paymentMethodMap`), shipping methods (`shippingMethodMap`) and locations → MSI sources
 * (`locationToSource`). The flows layer the settings over the mapping document (settings win,
 * lib/flows/orders/context.ts `layerSettings`), so the Mappings page shows them the same way and
 * writes an edit of one of these maps to the settings too, or the edit would not change anything.
 */
import type { ConnectorSettings } from '../config/connector-settings';
import { saveConnectorSettings } from '../config/connector-settings';
import { VALUE_MAP_NAMES } from '../mapping/defaults/value-maps';
import type { MappingDocument } from '../mapping/document';
import type { StateStore } from '../platform/ports';
import { FALLBACK_ENTRY } from './mapping-view';

type Pairs = 'paymentMethodMap' | 'shippingMethodMap' | 'locationToSource';

const SETTINGS_MAPS: Record<string, { list: Pairs; key: string; value: string; ids: boolean }> = {
  [VALUE_MAP_NAMES.paymentTypeForMethod]: { list: 'paymentMethodMap', key: 'magentoCode', value: 'paymentTypeId', ids: true },
  [VALUE_MAP_NAMES.shippingMethodForCarrier]: { list: 'shippingMethodMap', key: 'magentoCode', value: 'heartlandShippingMethodId', ids: true },
  [VALUE_MAP_NAMES.sourceForLocation]: { list: 'locationToSource', key: 'locationId', value: 'sourceCode', ids: false },
};

/** Numeric ids as numbers, as the flows pass them to the mappers (ids, not names). */
const idValue = (v: string, ids: boolean): string | number => (ids && /^\d+$/.test(v) ? Number(v) : v);

/** The document with the settings' maps layered on, as the flows run it. */
export function withSettingsMaps(document: MappingDocument, settings: ConnectorSettings): MappingDocument {
  const doc = structuredClone(document);
  for (const [name, spec] of Object.entries(SETTINGS_MAPS)) {
    const rows = settings[spec.list] as Array<Record<string, string>>;
    if (rows.length === 0) continue;
    const map = doc.valueMaps[name] ? structuredClone(doc.valueMaps[name]) : { entries: {} };
    for (const row of rows) {
      if (row[spec.key] === FALLBACK_ENTRY) map.default = idValue(row[spec.value], spec.ids);
      else map.entries[row[spec.key]] = idValue(row[spec.value], spec.ids);
    }
    doc.valueMaps[name] = map;
  }
  return doc;
}

/** Writes changed entries of the settings-backed maps into the settings lists (upsert by code). */
export async function saveSettingsMaps(state: StateStore, settings: ConnectorSettings, changed: Record<string, Record<string, unknown>>): Promise<void> {
  const update: Record<string, unknown> = {};
  for (const [name, entries] of Object.entries(changed)) {
    const spec = SETTINGS_MAPS[name];
    if (!spec) continue;
    const rows = [...(settings[spec.list] as Array<Record<string, string>>)].map((r) => ({ ...r }));
    for (const [code, value] of Object.entries(entries)) {
      const at = rows.findIndex((r) => r[spec.key] === code);
      const row = { [spec.key]: code, [spec.value]: String(value) };
      if (at >= 0) rows[at] = row;
      else rows.push(row);
    }
    update[spec.list] = rows;
  }
  if (Object.keys(update).length > 0) await saveConnectorSettings(state, update);
}
