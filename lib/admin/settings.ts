/**
 * GET/PUT settings. Three sources behind one contract shape:
 * - connection values and secrets come ONLY from the action inputs (App Builder inputs / `.env`,
 *   written by `hcc setup`; issue 11). They are shown (secrets as `{set}`), never stored in state.
 *   A PUT may repeat the values it was shown (the panel sends the whole form) but any attempt to
 *   change one, or to send a secret at all, is a 400 naming the field;
 * - operational settings are `cfg.settings` (lib/config/connector-settings);
 * - `flowFilters` live in the mapping document (flow-filters.ts).
 */
import type { Settings, SettingsUpdate } from './contract';
import { settingsUpdate } from './contract';
import { commerceAuthKind, heartlandRateFromInputs } from '../config/settings';
import { mergeSettings, parseConnectorSettings, saveConnectorSettings, SETTINGS_KEY, SettingsValidationError, type ConnectorSettings } from '../config/connector-settings';
import { HttpError } from '../runtime/http-error';
import type { AdminContext } from './context';
import { readFlowFilters, saveFlowFilters } from './flow-filters';
import { mappingRepository } from './mappings';

const INPUTS_HINT = 'is set in the App Builder action inputs (.env); change it with `hcc setup` and redeploy, not here';

const trimSlash = (url: string | undefined) => (url ?? '').trim().replace(/\/+$/, '');

function connectionView(inputs: Record<string, string>): Pick<Settings, 'heartland' | 'commerce'> {
  const set = (name: string) => ({ set: typeof inputs[name] === 'string' && inputs[name].trim() !== '' });
  const kind = commerceAuthKind(inputs);
  return {
    heartland: {
      baseUrl: trimSlash(inputs.HEARTLAND_BASE_URL),
      apiToken: set('HEARTLAND_API_TOKEN'),
      // An input (HEARTLAND_RATE_PER_SECOND), so the panel shows it read-only like the base URL.
      ratePerSecond: heartlandRateFromInputs(inputs),
      webhookSecret: set('HEARTLAND_WEBHOOK_SECRET'),
    },
    commerce: {
      baseUrl: trimSlash(inputs.COMMERCE_BASE_URL),
      authKind: kind === 'none' ? 'oauth1' : kind,
      consumerKey: kind === 'ims' ? (inputs.COMMERCE_IMS_CLIENT_ID ?? '') : (inputs.COMMERCE_CONSUMER_KEY ?? ''),
      consumerSecret: set(kind === 'ims' ? 'COMMERCE_IMS_CLIENT_SECRET' : 'COMMERCE_CONSUMER_SECRET'),
      accessToken: set('COMMERCE_ACCESS_TOKEN'),
      accessTokenSecret: set('COMMERCE_ACCESS_TOKEN_SECRET'),
    },
  };
}

export async function readSettings(ctx: AdminContext, stored?: ConnectorSettings): Promise<Settings> {
  const s = stored ?? (await ctx.connector.settings());
  const effective = await mappingRepository(ctx).effective();
  return {
    ...connectionView(ctx.inputs),
    stationId: s.stationId ?? '',
    sourceLocationId: s.sourceLocationId ?? '',
    locationToSource: s.locationToSource,
    paymentMethodMap: s.paymentMethodMap,
    shippingMethodMap: s.shippingMethodMap,
    orderTriggerStatuses: s.orderTriggerStatuses,
    safetyStock: s.safetyStock,
    outOfStockThreshold: s.outOfStockThreshold,
    wipeGuard: s.wipeGuard,
    schedules: { pollSeconds: s.schedules.pollSeconds, nightlyHourUtc: s.schedules.nightlyHourUtc },
    flowsEnabled: s.flowsEnabled,
    flowFilters: readFlowFilters(effective, ctx.deps.registry.flows()),
    customers: { createInMagento: s.customers.createInMagento, conflictRule: s.customers.conflictRule },
    fraud: s.fraud,
    alerts: { webhookUrl: s.alerts.webhookUrl ?? '', mailEndpoint: s.alerts.mailEndpoint ?? '', mailTo: s.alerts.mailTo, dedupMinutes: s.alerts.dedupMinutes },
    anomalies: s.anomalies,
  };
}

/**
 * Rules across fields of one group, checked on the merged result but only for a group the update
 * touches (a stored document from before a rule existed must not block unrelated saves).
 */
function refuseInconsistentInsightSettings(update: SettingsUpdate, merged: ConnectorSettings): void {
  if (update.fraud && merged.fraud.flagAtScore > merged.fraud.holdAtScore) {
    // Name the field the merchant just changed; an order at the hold score is held, so a higher flag score would never list anything.
    const field = update.fraud.holdAtScore !== undefined && update.fraud.flagAtScore === undefined ? 'fraud.holdAtScore' : 'fraud.flagAtScore';
    const message = field === 'fraud.holdAtScore'
      ? `must be at or above the flag score (${merged.fraud.flagAtScore})`
      : `must be at or below the hold score (${merged.fraud.holdAtScore}); orders at the hold score are held, not just flagged`;
    throw new HttpError(400, 'invalid_request', `${field}: ${message}`, field);
  }
  if (update.alerts && merged.alerts.mailEndpoint && merged.alerts.mailTo.length === 0) {
    // alerts-watch sends no mail without recipients: refuse rather than let the merchant believe mail is on.
    throw new HttpError(400, 'invalid_request', 'alerts.mailTo: add at least one recipient for the mail endpoint (or clear the endpoint)', 'alerts.mailTo');
  }
}

const SECRET_FIELDS = { heartland: ['apiToken', 'webhookSecret'], commerce: ['consumerSecret', 'accessToken', 'accessTokenSecret'] } as const;

/** Connection fields in a PUT must equal what GET shows; secrets may not be sent at all. */
function refuseConnectionChanges(update: SettingsUpdate, inputs: Record<string, string>): void {
  const shown = connectionView(inputs);
  for (const system of ['heartland', 'commerce'] as const) {
    const part = update[system] as Record<string, unknown> | undefined;
    if (!part) continue;
    for (const [key, value] of Object.entries(part)) {
      if (value === undefined) continue;
      const field = `${system}.${key}`;
      if ((SECRET_FIELDS[system] as readonly string[]).includes(key)) {
        throw new HttpError(400, 'invalid_request', `${field}: secrets are never stored by the connector; this one ${INPUTS_HINT}`, field);
      }
      const current = (shown[system] as Record<string, unknown>)[key];
      const same = key === 'baseUrl' ? trimSlash(String(value)) === current : value === current;
      if (!same) throw new HttpError(400, 'invalid_request', `${field}: ${INPUTS_HINT}`, field);
    }
  }
}

export async function updateSettings(body: unknown, ctx: AdminContext): Promise<Settings> {
  const update = settingsUpdate.parse(body);
  refuseConnectionChanges(update, ctx.inputs);
  const { heartland: _h, commerce: _c, flowFilters, ...operational } = update;
  const patch: Record<string, unknown> = { ...operational };
  // The panel sends "" for an id it leaves empty: that means "not set", not an id.
  for (const key of ['stationId', 'sourceLocationId'] as const) if (patch[key] === '') patch[key] = undefined;
  // Likewise an alert destination left empty (or null) means "none".
  if (update.alerts) {
    const alerts: Record<string, unknown> = { ...update.alerts };
    for (const key of ['webhookUrl', 'mailEndpoint'] as const) if (alerts[key] === '' || alerts[key] === null) alerts[key] = undefined;
    patch.alerts = alerts;
  }
  let saved: ConnectorSettings;
  try {
    // Check the whole update before writing anything, so a bad value never leaves half a save.
    const stored = (await ctx.deps.platform.state.get<Record<string, unknown>>(SETTINGS_KEY)) ?? {};
    refuseInconsistentInsightSettings(update, parseConnectorSettings(mergeSettings(stored, patch)));
    if (flowFilters) await saveFlowFilters(flowFilters, ctx);
    saved = await saveConnectorSettings(ctx.deps.platform.state, patch);
  } catch (error) {
    if (error instanceof SettingsValidationError) throw new HttpError(400, 'invalid_request', error.message, error.field);
    throw error;
  }
  return readSettings(ctx, saved);
}
