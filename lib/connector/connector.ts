/**
 * The composition root: turns an action's inputs into the pipeline's dependencies (platform
 * adapters, upstream clients, the registry of every area's flows, feeds and jobs) and routes
 * outside signals (Commerce events, Heartland webhooks) to the areas. Actions call this and
 * nothing else; flows never construct clients or read inputs themselves.
 */
import { createPlatform } from '../platform/platform';
import type { Platform } from '../platform/ports';
import { readConnectionSettings, type ConnectionSettings } from '../config/settings';
import { loadConnectorSettings, type ConnectorSettings, isFlowEnabled } from '../config/connector-settings';
import { HttpError } from '../runtime/http-error';
import { createSyncRegistry, type SyncDeps, type UnitInput } from '../sync';
import type { ParsedCommerceEvent } from '../commerce/events';
import type { EventNotification } from '../heartland/payloads';
import type { AreaContext, FlowArea, WebhookAnswer } from '../flows/area';
import { AREAS } from './areas';
import { clientFactories, type ClientTuning } from './clients';

export interface Connector {
  deps: SyncDeps;
  connection: ConnectionSettings;
  areas: FlowArea[];
  /** The merchant's operational settings (read once per invocation). */
  settings(): Promise<ConnectorSettings>;
  areaContext(): Promise<AreaContext>;
}

export interface ConnectorOptions {
  /** Action inputs (connection settings). */
  inputs: Record<string, string | undefined>;
  platform?: Platform;
  areas?: FlowArea[];
  /** Absolute epoch ms by which the invocation must end; Runtime passes `__OW_DEADLINE`. */
  deadlineMs?: number;
  tuning?: ClientTuning;
  env?: Record<string, string | undefined>;
}

function deadlineFromEnv(env: Record<string, string | undefined>): number | undefined {
  const raw = Number(env.__OW_DEADLINE);
  return Number.isFinite(raw) && raw > 0 ? raw : undefined;
}

export function createConnector(options: ConnectorOptions): Connector {
  const env = options.env ?? process.env;
  const reading = readConnectionSettings(options.inputs);
  if (!reading.ok) {
    const first = reading.missing[0] ?? reading.invalid[0]?.name;
    throw new HttpError(
      503,
      'not_configured',
      `the connector is not configured: ${[...reading.missing.map((m) => `${m} is missing`), ...reading.invalid.map((p) => `${p.name} ${p.message}`)].join('; ')}`,
      first,
    );
  }
  const platform = options.platform ?? createPlatform(env);
  const areas = options.areas ?? AREAS;
  const registry = createSyncRegistry({
    flows: areas.flatMap((a) => a.flows),
    feeds: areas.flatMap((a) => a.feeds ?? []),
    jobs: areas.flatMap((a) => a.jobs ?? []),
  });
  const deps: SyncDeps = {
    platform,
    registry,
    clients: clientFactories(reading.settings, options.tuning),
    deadlineMs: options.deadlineMs ?? deadlineFromEnv(env),
  };
  let settingsPromise: Promise<ConnectorSettings> | undefined;
  const settings = () => (settingsPromise ??= loadConnectorSettings(platform.state));
  return {
    deps,
    connection: reading.settings,
    areas,
    settings,
    areaContext: async () => ({ deps, settings: await settings() }),
  };
}

/** Units every area derives from one Commerce event, minus those of disabled flows. */
export async function unitsForCommerceEvent(connector: Connector, event: ParsedCommerceEvent): Promise<UnitInput[]> {
  const ctx = await connector.areaContext();
  const units: UnitInput[] = [];
  for (const area of connector.areas) {
    if (area.unitsForCommerceEvent) units.push(...(await area.unitsForCommerceEvent(event, ctx)));
  }
  return units.filter((u) => isFlowEnabled(ctx.settings, u.flow));
}

/** Units every area derives from one Heartland notification, minus those of disabled flows. */
export async function unitsForHeartlandNotification(connector: Connector, notification: EventNotification): Promise<UnitInput[]> {
  const ctx = await connector.areaContext();
  const units: UnitInput[] = [];
  for (const area of connector.areas) {
    if (area.unitsForHeartlandNotification) units.push(...(await area.unitsForHeartlandNotification(notification, ctx)));
  }
  return units.filter((u) => isFlowEnabled(ctx.settings, u.flow));
}

/** The first area that answers a synchronous Heartland webhook kind, or undefined. */
export async function answerHeartlandWebhook(connector: Connector, kind: string, body: unknown): Promise<WebhookAnswer | undefined> {
  const ctx = await connector.areaContext();
  for (const area of connector.areas) {
    const answer = await area.handleHeartlandWebhook?.(kind, body, ctx);
    if (answer) return answer;
  }
  return undefined;
}
