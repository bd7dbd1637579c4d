/**
 * Operational settings: how the merchant wants the sync to behave (station, location ↔ MSI source
 * map, payment and shipping maps, safety stock, thresholds, schedules). They live in state
 * (`cfg.settings`, DESIGN.md §5) and are edited from the panel or `hcc setup`. Connection settings
 * and secrets are NOT here: they come only from action inputs (lib/config/settings.ts), so a state
 * dump or a dead letter can never leak a credential.
 *
 * Field names follow the admin-api contract (lib/admin/contract.ts `settings`) so the panel maps
 * one to one. Every field has a default, so an empty store is a valid configuration.
 */
import { z } from 'zod';
import type { StateStore } from '../platform/ports';

export const SETTINGS_KEY = 'cfg.settings';
const YEAR_SECONDS = 365 * 24 * 3600;

const id = z.union([z.string().min(1), z.number().int().nonnegative()]).transform(String);
const share = z.number().min(0).max(1);

export const connectorSettingsSchema = z
  .object({
    /** Heartland station web orders are rung up on (heartland.md §3.5 `station_id`). */
    stationId: id.optional(),
    /** Heartland location web orders are fulfilled from (`source_location_id`, default `ship_from_location_id`). */
    sourceLocationId: id.optional(),
    /** Heartland location → Magento MSI source; several locations may feed one source. */
    locationToSource: z.array(z.object({ locationId: id, sourceCode: z.string().min(1) })).default([]),
    /** Magento payment method code → Heartland payment type id; `*` is the fallback. */
    paymentMethodMap: z.array(z.object({ magentoCode: z.string().min(1), paymentTypeId: id })).default([]),
    /** Magento shipping method code (carrier_method) → Heartland shipping method id; `*` is the fallback. */
    shippingMethodMap: z.array(z.object({ magentoCode: z.string().min(1), heartlandShippingMethodId: id })).default([]),
    /** Magento order statuses that send an order to Heartland (default: paid). */
    orderTriggerStatuses: z.array(z.string().min(1)).default(['processing']),
    /** What to do with the Heartland order when a Magento payment fails. */
    paymentFailureAction: z.enum(['hold', 'cancel']).default('hold'),
    safetyStock: z.number().min(0).default(0),
    safetyStockBySku: z.record(z.string(), z.number().min(0)).default({}),
    /** At or below this pushed quantity the source item is out of stock. */
    outOfStockThreshold: z.number().min(0).default(0),
    wipeGuard: z
      .object({ maxSkuShare: share.default(0.2), maxUnitShare: share.default(0.5) })
      .default({ maxSkuShare: 0.2, maxUnitShare: 0.5 }),
    schedules: z
      .object({
        pollSeconds: z.number().int().min(30).max(86_400).default(60),
        nightlyHourUtc: z.number().int().min(0).max(23).default(2),
        /** Window over which inventory hints are coalesced before values are re-read. */
        stockCoalesceMs: z.number().int().min(0).max(60_000).default(1000),
      })
      .default({ pollSeconds: 60, nightlyHourUtc: 2, stockCoalesceMs: 1000 }),
    /** Flow name → enabled; a flow not listed is enabled. */
    flowsEnabled: z.record(z.string(), z.boolean()).default({}),
    shipments: z
      .object({
        notifyCustomer: z.boolean().default(true),
        trackingNumberField: z.string().min(1).default('tracking_number'),
        carrierField: z.string().min(1).default('shipping_carrier'),
      })
      .default({ notifyCustomer: true, trackingNumberField: 'tracking_number', carrierField: 'shipping_carrier' }),
    refunds: z.object({ returnToStock: z.boolean().default(true) }).default({ returnToStock: true }),
    products: z
      .object({
        createNew: z.boolean().default(true),
        /** Magento attributes the merchant edits in Magento; the product flow never overwrites them. */
        magentoOwnedAttributes: z.array(z.string()).default(['description', 'meta_title', 'meta_description', 'url_key']),
      })
      .default({ createNew: true, magentoOwnedAttributes: ['description', 'meta_title', 'meta_description', 'url_key'] }),
    customers: z
      .object({
        createInMagento: z.boolean().default(false),
        conflictRule: z.enum(['newest-wins', 'commerce-wins', 'heartland-wins']).default('newest-wins'),
        duplicates: z.enum(['report', 'merge', 'reject']).default('report'),
        secondaryMatch: z.enum(['none', 'phone-last-name']).default('phone-last-name'),
        /** Heartland customer custom field ↔ Magento customer custom attribute, synced both ways (e.g. loyalty points). */
        attributeMap: z.array(z.object({ heartlandField: z.string().min(1), magentoAttribute: z.string().min(1) })).default([]),
      })
      .default({ createInMagento: false, conflictRule: 'newest-wins', duplicates: 'report', secondaryMatch: 'phone-last-name', attributeMap: [] }),
    giftCards: z
      .object({
        enabled: z.boolean().default(true),
        /** Heartland payment type whose custom-payment webhooks are answered from Magento gift card accounts. */
        paymentTypeId: id.optional(),
      })
      .default({ enabled: true }),
    /** Post Magento order comments visible to the customer (e.g. payment problems). */
    notifyCustomerOnComments: z.boolean().default(false),
    /** Fraud signals on web orders before they are sent (lib/insights/fraud): flag, or hold for review. */
    fraud: z
      .object({
        enabled: z.boolean().default(true),
        /** At or above this score the order waits for approval on the Anomalies page. */
        holdAtScore: z.number().min(0).max(100).default(60),
        /** At or above this score the order is sent but listed on the Anomalies page. */
        flagAtScore: z.number().min(0).max(100).default(30),
        /** Orders per email (or address) within the window that start to look like a burst. */
        maxOrdersInWindow: z.number().int().min(1).default(3),
        windowMinutes: z.number().int().min(1).max(1440).default(60),
      })
      .default({ enabled: true, holdAtScore: 60, flagAtScore: 30, maxOrdersInWindow: 3, windowMinutes: 60 }),
    /** Where alerts go (DLQ growth, anomalies, a connection down, silence): a webhook and/or an HTTP mail endpoint. */
    alerts: z
      .object({
        webhookUrl: z.string().regex(/^https?:\/\/\S+$/, 'must be an http(s) URL').optional(),
        mailEndpoint: z.string().regex(/^https?:\/\/\S+$/, 'must be an http(s) URL').optional(),
        mailTo: z.array(z.string().email()).default([]),
        /** One alert per kind and subject within this many minutes. */
        dedupMinutes: z.number().int().min(1).max(10_080).default(60),
      })
      .default({ mailTo: [], dedupMinutes: 60 }),
    /** Anomaly scans over the flows' own hourly metrics (order rate, error rate, latency). */
    anomalies: z
      .object({
        scanEnabled: z.boolean().default(true),
        /** Dead letters added within an hour before DLQ growth is alerted. */
        dlqGrowthMin: z.number().int().min(1).default(5),
        /** Share of a product's price that a single change may move before it is flagged (product flow); 0 turns the check off. */
        maxPriceChangeShare: share.default(0.5),
        /** A price change beyond that share waits for approval on the Anomalies page (off: written and listed). */
        holdPriceChanges: z.boolean().default(true),
      })
      .default({ scanEnabled: true, dlqGrowthMin: 5, maxPriceChangeShare: 0.5, holdPriceChanges: true }),
  })
  .strict();

export type ConnectorSettings = z.output<typeof connectorSettingsSchema>;
export type ConnectorSettingsInput = z.input<typeof connectorSettingsSchema>;

export const DEFAULT_CONNECTOR_SETTINGS: ConnectorSettings = connectorSettingsSchema.parse({});

export class SettingsValidationError extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.name = 'SettingsValidationError';
    this.field = field;
  }
}

/** Parses settings; the first problem is thrown with its dotted path (`wipeGuard.maxSkuShare`). */
export function parseConnectorSettings(value: unknown): ConnectorSettings {
  const result = connectorSettingsSchema.safeParse(value ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue.path.map(String).join('.') || '(settings)';
  throw new SettingsValidationError(field, issue.message);
}

/** Stored settings with defaults filled in. A stored document that no longer parses is reported, not silently replaced. */
export async function loadConnectorSettings(state: StateStore): Promise<ConnectorSettings> {
  const stored = await state.get<unknown>(SETTINGS_KEY);
  return parseConnectorSettings(stored ?? {});
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Deep-merges objects; arrays and scalars in the update replace what is stored. */
export function mergeSettings(base: Record<string, unknown>, update: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(update)) {
    out[k] = isPlainObject(v) && isPlainObject(base[k]) ? mergeSettings(base[k] as Record<string, unknown>, v) : v;
  }
  return out;
}

/** Validates a partial update against the merged result and stores it (the scheduler and panel are the only writers). */
export async function saveConnectorSettings(state: StateStore, update: Record<string, unknown>): Promise<ConnectorSettings> {
  const stored = ((await state.get<Record<string, unknown>>(SETTINGS_KEY)) ?? {}) as Record<string, unknown>;
  const merged = mergeSettings(stored, update);
  const parsed = parseConnectorSettings(merged);
  await state.put(SETTINGS_KEY, parsed, { ttlSeconds: YEAR_SECONDS });
  return parsed;
}

/** Whether a flow is enabled (flows not mentioned are on). */
export function isFlowEnabled(settings: ConnectorSettings, flow: string): boolean {
  return settings.flowsEnabled[flow] !== false;
}

/** Heartland payment type for a Magento payment method, falling back to the `*` entry. */
export function paymentTypeFor(settings: ConnectorSettings, magentoCode: string): string | undefined {
  return (
    settings.paymentMethodMap.find((m) => m.magentoCode === magentoCode)?.paymentTypeId ??
    settings.paymentMethodMap.find((m) => m.magentoCode === '*')?.paymentTypeId
  );
}

/** MSI source code for a Heartland location, if mapped. */
export function sourceForLocation(settings: ConnectorSettings, locationId: string | number): string | undefined {
  return settings.locationToSource.find((m) => m.locationId === String(locationId))?.sourceCode;
}

/** Heartland locations that feed an MSI source. */
export function locationsForSource(settings: ConnectorSettings, sourceCode: string): string[] {
  return settings.locationToSource.filter((m) => m.sourceCode === sourceCode).map((m) => m.locationId);
}
