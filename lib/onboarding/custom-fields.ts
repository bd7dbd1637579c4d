/**
 * Heartland custom fields the connector writes and searches by: the web order reference
 * (`custom.ecommerce_number` = Magento increment id, the idempotency key of every web order), the
 * Magento customer id on customers, and the invoice fields shipments read tracking from. They are
 * per-account definitions (heartland.md §3.3), created in Heartland's settings; the API documents
 * no way to create one, so a missing field is a finding with the manual fix.
 */
import type { ConnectorSettings } from '../config/connector-settings';
import { DEFAULT_OPTIONS } from '../mapping/defaults/document';
import type { Finding } from './findings';
import type { HeartlandDiscovery } from './heartland';

const GROUP_WORDS: Record<string, string> = { 'sales.transaction': 'Sales transactions', customer: 'Customers', item: 'Items' };

export function customFieldFindings(heartland: HeartlandDiscovery, settings: ConnectorSettings): Finding[] {
  const needed: { key: string; group: string; usedFor: string; level: 'error' | 'warning' }[] = [
    { key: DEFAULT_OPTIONS.ecommerceNumberField, group: 'sales.transaction', usedFor: 'finding a web order again before creating it (no duplicates)', level: 'error' },
    { key: DEFAULT_OPTIONS.customerIdField, group: 'customer', usedFor: 'linking Heartland customers to Magento customers', level: 'warning' },
    { key: settings.shipments.trackingNumberField, group: 'sales.transaction', usedFor: 'tracking numbers on shipments', level: 'warning' },
    { key: settings.shipments.carrierField, group: 'sales.transaction', usedFor: 'the carrier on shipments', level: 'warning' },
  ];
  const out: Finding[] = [];
  for (const n of needed) {
    if (heartland.customFields.some((f) => f.key === n.key && f.group === n.group)) continue;
    out.push({
      system: 'heartland', check: 'custom fields', level: n.level, kind: 'not_configured',
      message: `Heartland has no ${GROUP_WORDS[n.group] ?? n.group} custom field "${n.key}", used for ${n.usedFor}.`,
      missing: `${n.group}:${n.key}`,
      fix: `In Heartland open Settings → Custom fields → ${GROUP_WORDS[n.group] ?? n.group}, add a text field with the key "${n.key}", then run \`hcc doctor\` again.`,
    });
  }
  return out;
}
