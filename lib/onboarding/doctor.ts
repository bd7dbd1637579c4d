/**
 * `hcc doctor`: the setup checks without changing anything, plus what tends to break a go-live
 * (issue 12): SKUs that do not match a Heartland item `public_id`, Heartland locations and Magento
 * payment or shipping methods the settings do not map, missing event subscriptions, and duplicate
 * customer emails (sampled). Every problem comes with its fix.
 */
import { loadConnectorSettings, type ConnectorSettings } from '../config/connector-settings';
import type { StateStore } from '../platform/ports';
import { runConnectionChecks } from './checks';
import { commerceRequester, discoverCommerce, magentoMessage } from './commerce';
import { eventsFor, listEventSubscriptions } from './events';
import { ok, type Finding } from './findings';
import { customFieldFindings } from './custom-fields';
import { discoverHeartland, heartlandList } from './heartland';
import type { Progress } from './progress';
import { missingRuntimeAccess, runtimeAccessFrom, runtimeStateStore } from './runtime-state';

export interface DoctorOptions {
  progress?: Progress;
  timeoutMs?: number;
  fetch?: typeof fetch;
  /** State store with the settings; default: the connector's store from AIO_RUNTIME_* (skipped when not set). */
  state?: StateStore;
  /** How many Magento products and customers to sample (default 200). */
  sampleSize?: number;
}

export async function runDoctor(inputs: Record<string, string | undefined>, options: DoctorOptions = {}): Promise<Finding[]> {
  const checks = await runConnectionChecks(inputs, options);
  const findings = [...checks.findings];
  const conn = checks.settings;
  const heartlandCheck = checks.heartland;
  const commerceCheck = checks.commerce;
  if (!conn || !heartlandCheck?.usable || !commerceCheck?.usable) return findings;
  const connection = conn;
  const step = <T>(label: string, work: () => Promise<T>) => (options.progress ? options.progress.step(label, work) : work());
  const hConn = { baseUrl: connection.heartland.baseUrl, apiToken: connection.heartland.apiToken };
  const probeOptions = { timeoutMs: options.timeoutMs, fetch: options.fetch };
  const request = commerceRequester(connection.commerce, probeOptions);
  const sample = options.sampleSize ?? 200;
  const deeperChecks = async (): Promise<void> => {

    // Settings and maps.
    let settings: ConnectorSettings | undefined;
    const access = runtimeAccessFrom(inputs);
    if (options.state || missingRuntimeAccess(access).length === 0) {
      try {
        settings = await loadConnectorSettings(options.state ?? runtimeStateStore(access));
      } catch (error) {
        findings.push({ system: 'runtime', check: 'settings store', level: 'error', kind: 'unreachable', message: `The connector settings could not be read: ${(error as Error).message}.`, fix: 'Check AIO_RUNTIME_NAMESPACE / AIO_RUNTIME_AUTH (and AIO_STATE_ENDPOINT in the sandbox).' });
      }
    } else {
      findings.push({ system: 'runtime', check: 'settings store', level: 'warning', kind: 'not_configured', message: `The connector settings were not checked: ${missingRuntimeAccess(access).join(' and ')} not set.`, missing: missingRuntimeAccess(access)[0], fix: 'Run `aio app use` in this folder (or set them), then `hcc doctor` again.' });
    }
    if (settings) {
      const [heartland, commerce] = await step('Comparing the settings with both systems', async () => [
        await discoverHeartland(hConn, heartlandCheck.readable, probeOptions),
        await discoverCommerce(connection.commerce, commerceCheck, { ...probeOptions, recentOrders: 100 }),
      ] as const);
      if (heartlandCheck.readable.has('custom_fields')) findings.push(...customFieldFindings(heartland, settings));
      const fix = 'Map it with `hcc setup` or on the panel\'s Settings page.';
      if (!settings.stationId || !heartland.locations.some((l) => l.stations.some((s) => s.id === settings!.stationId))) {
        findings.push({ system: 'connector', check: 'settings', level: 'error', kind: 'unmapped', message: settings.stationId ? `The station ${settings.stationId} does not exist in Heartland.` : 'No Heartland station is chosen for web orders.', missing: 'stationId', fix });
      }
      if (!settings.sourceLocationId || !heartland.locations.some((l) => l.id === settings!.sourceLocationId)) {
        findings.push({ system: 'connector', check: 'settings', level: 'error', kind: 'unmapped', message: settings.sourceLocationId ? `The fulfilment location ${settings.sourceLocationId} does not exist in Heartland.` : 'No Heartland location is chosen to fulfil web orders.', missing: 'sourceLocationId', fix });
      }
      const unmappedLocations = heartland.locations.filter((l) => l.active && !settings!.locationToSource.some((m) => m.locationId === l.id));
      if (unmappedLocations.length) findings.push({ system: 'connector', check: 'locations', level: 'warning', kind: 'unmapped', message: `Heartland locations without an MSI source (their stock is not pushed): ${unmappedLocations.map((l) => `${l.name} (${l.id})`).join(', ')}.`, missing: unmappedLocations.map((l) => l.id).join(','), fix });
      const unknownSources = settings.locationToSource.filter((m) => commerce.sources.length && !commerce.sources.some((s) => s.code === m.sourceCode));
      if (unknownSources.length) findings.push({ system: 'connector', check: 'locations', level: 'error', kind: 'unmapped', message: `The location map names MSI sources Magento does not have: ${unknownSources.map((m) => m.sourceCode).join(', ')}.`, fix });
      const hasFallback = (map: { magentoCode: string }[]) => map.some((m) => m.magentoCode === '*');
      const unmappedPayments = commerce.paymentMethods.filter((c) => !settings!.paymentMethodMap.some((m) => m.magentoCode === c));
      if (unmappedPayments.length && !hasFallback(settings.paymentMethodMap)) findings.push({ system: 'connector', check: 'payment methods', level: 'error', kind: 'unmapped', message: `Magento payment methods used on recent orders with no Heartland payment type and no "*" fallback: ${unmappedPayments.join(', ')}; those orders cannot be sent.`, missing: unmappedPayments.join(','), fix });
      else if (unmappedPayments.length) findings.push({ system: 'connector', check: 'payment methods', level: 'warning', kind: 'unmapped', message: `Magento payment methods paid as the "*" fallback type: ${unmappedPayments.join(', ')}.`, fix });
      const unmappedShipping = commerce.shippingMethods.filter((c) => !settings!.shippingMethodMap.some((m) => m.magentoCode === c));
      if (unmappedShipping.length) findings.push({ system: 'connector', check: 'shipping methods', level: 'warning', kind: 'unmapped', message: `Magento shipping methods ${hasFallback(settings.shippingMethodMap) ? 'sent as the "*" fallback method' : 'sent without a Heartland shipping method'}: ${unmappedShipping.join(', ')}.`, fix });
      if (!findings.some((f) => f.kind === 'unmapped')) findings.push(ok('connector', 'settings', 'Station, fulfilment location, locations, payment and shipping methods are mapped.'));
    }

    // Event subscriptions (read only).
    if (commerceCheck.modules.eventing && commerceCheck.readable.has('event subscriptions')) {
      const names = await step('Reading the Commerce event subscriptions', () => listEventSubscriptions(request));
      const missing = eventsFor(commerceCheck.modules).filter((e) => !names.includes(e));
      if (missing.length) findings.push({ system: 'commerce', check: 'event subscriptions', level: 'error', kind: 'not_configured', message: `Commerce events the connector needs are not subscribed: ${missing.join(', ')}.`, missing: missing.join(','), fix: 'Run `hcc setup` (it subscribes them through POST /V1/eventing/eventSubscribe).' });
      else findings.push(ok('commerce', 'event subscriptions', 'Every event the connector needs is subscribed.'));
    }

    // SKU ↔ public_id.
    if (commerceCheck.readable.has('products') && heartlandCheck.readable.has('items')) {
      const { total, unmatched } = await step(`Matching up to ${sample} Magento SKUs with Heartland item numbers`, async () => {
        const r = await request({ path: 'products', query: { 'searchCriteria[pageSize]': String(sample), 'searchCriteria[currentPage]': '1', fields: 'items[sku,type_id]' } });
        if (r.kind !== 'answer' || r.status >= 400) throw new Error(r.kind === 'answer' ? magentoMessage(r) : 'Commerce did not answer');
        const skus = (((r.body as { items?: { sku?: string; type_id?: string }[] }).items ?? []).filter((p) => !p.type_id || p.type_id === 'simple').map((p) => String(p.sku)));
        const found = new Set<string>();
        for (let i = 0; i < skus.length; i += 100) {
          const part = skus.slice(i, i + 100);
          const rows = await heartlandList(hConn, 'items', { ...probeOptions, query: `_filter=${encodeURIComponent(JSON.stringify({ public_id: { $in: part } }))}` });
          for (const row of rows) if (row.public_id) found.add(String(row.public_id));
        }
        return { total: skus.length, unmatched: skus.filter((s) => !found.has(s)) };
      });
      if (total === 0) findings.push({ system: 'connector', check: 'SKU match', level: 'warning', kind: 'data_quality', message: 'Magento has no simple products yet; SKU matching was not checked.', fix: 'Let the product flow create them from Heartland, or import them, then run `hcc doctor` again.' });
      else {
        const rate = (total - unmatched.length) / total;
        const message = `${Math.round(rate * 100)}% of ${total} sampled Magento SKUs match a Heartland item number (public_id)`;
        if (rate >= 0.95) findings.push(ok('connector', 'SKU match', `${message}.`));
        else findings.push({ system: 'connector', check: 'SKU match', level: rate < 0.5 ? 'error' : 'warning', kind: 'data_quality', message: `${message}; unmatched: ${unmatched.slice(0, 10).join(', ')}${unmatched.length > 10 ? ', …' : ''}. Orders with these SKUs are dead-lettered and their stock is not synced.`, fix: 'Give the Heartland items the Magento SKU as Item # (public_id), or change the Magento SKUs to the Heartland item numbers.' });
      }
    }

    // Duplicate customer emails (sampled): matching by email is ambiguous for them.
    if (heartlandCheck.readable.has('customers')) {
      const dupes = await step(`Looking for duplicate customer emails in up to ${sample} Heartland customers`, async () => {
        const rows = await heartlandList(hConn, 'customers', { ...probeOptions, limit: sample });
        const seen = new Map<string, number>();
        for (const c of rows) {
          const email = typeof c.email === 'string' ? c.email.trim().toLowerCase() : '';
          if (email) seen.set(email, (seen.get(email) ?? 0) + 1);
        }
        return [...seen].filter(([, n]) => n > 1).map(([e]) => e);
      });
      if (dupes.length) findings.push({ system: 'heartland', check: 'duplicate emails', level: 'warning', kind: 'data_quality', message: `${dupes.length} email address${dupes.length === 1 ? ' is' : 'es are'} shared by several Heartland customers in the sample (e.g. ${dupes.slice(0, 3).join(', ')}); web orders from them match the first one.`, fix: 'Merge the duplicate customers in Heartland (Customers → merge), or set the customer duplicates rule on the panel\'s Settings page.' });
      else findings.push(ok('heartland', 'duplicate emails', 'No duplicate customer emails in the sample.'));
    }
  };
  try {
    await deeperChecks();
  } catch (error) {
    // An outage or timeout after the connection checks passed: report it, keep what was found.
    findings.push({ system: 'connector', check: 'doctor', level: 'error', kind: 'unexpected_answer', message: `A check failed part way: ${(error as Error).message}.`, fix: 'Run `hcc doctor` again; if it persists, check the system named in the message.' });
  }
  return findings;
}
