/**
 * Connection checks: one cheap, real call per system (Heartland: the first location; Commerce: a
 * one-order search) with its latency and a message a merchant can act on. The last result is kept
 * in state (`admin.connection.<system>`) so the Overview shows a recent verdict without calling
 * both systems on every refresh.
 */
import { z } from 'zod';
import type { ConnectionStatus, ConnectionTestResponse, System } from './contract';
import { connectionStatuses } from '../config/connection-status';
import { commerceClientFor, heartlandClientFor } from '../connector/clients';
import { searchCriteria } from '../commerce/search-criteria';
import { UpstreamError } from '../platform/http';
import { stateKey } from '../platform/state-key';
import type { AdminContext } from './context';

/** A stored verdict younger than this is shown as is; older ones are re-checked. */
export const CONNECTION_CACHE_MS = 5 * 60_000;
const TTL_SECONDS = 24 * 3600;

interface StoredCheck extends ConnectionTestResponse {
  checkedAt: string;
}

export const connectionKey = (system: System) => stateKey('admin', 'connection', system);

const SYSTEM_NAMES: Record<System, string> = { heartland: 'Heartland', commerce: 'Commerce' };

/** Words for what went wrong, most specific first: auth, not found, rate limit, upstream, network. */
export function describeFailure(system: System, error: unknown): string {
  const name = SYSTEM_NAMES[system];
  if (error instanceof UpstreamError) {
    if (error.status === 401 || error.status === 403) {
      return `${name} refused the credentials (HTTP ${error.status}); check the ${system === 'heartland' ? 'HEARTLAND_API_TOKEN' : 'COMMERCE_*'} inputs (hcc setup)`;
    }
    if (error.status === 404) return `${name} answered 404 at ${error.url.split('?')[0]}; check the ${system === 'heartland' ? 'HEARTLAND_BASE_URL' : 'COMMERCE_BASE_URL'} input`;
    if (error.status === 429) return `${name} is rate limiting the connector (HTTP 429); try again shortly`;
    if (error.status === 0) return `${name} could not be reached: ${error.message}`;
    return `${name} answered HTTP ${error.status}${error.code ? ` (${error.code})` : ''}: ${error.message}`;
  }
  return `${name} check failed: ${(error as Error)?.message ?? String(error)}`;
}

export async function testConnection(system: System, ctx: AdminContext): Promise<ConnectionTestResponse> {
  const { connector, interactiveTuning, logger } = ctx;
  const started = performance.now();
  let ok = false;
  let message: string;
  try {
    if (system === 'heartland') {
      const client = heartlandClientFor(connector.connection, interactiveTuning, logger);
      const page = await client.page('locations', z.unknown(), { page: 1, perPage: 1 });
      message = `Heartland answered: ${page.total} location(s)`;
    } else {
      const client = commerceClientFor(connector.connection, interactiveTuning, logger);
      const result = await client.orders.search(searchCriteria().page(1, 1));
      message = `Commerce answered: ${result.total_count} order(s) in the store`;
    }
    ok = true;
  } catch (error) {
    message = describeFailure(system, error);
  }
  const result: ConnectionTestResponse = { ok, latencyMs: Math.round(performance.now() - started), message };
  const stored: StoredCheck = { ...result, checkedAt: new Date(ctx.deps.platform.clock.now()).toISOString() };
  await ctx.deps.platform.state.put(connectionKey(system), stored, { ttlSeconds: TTL_SECONDS });
  return result;
}

/** The Overview's connection tiles: configuration from the inputs, health from a recent check. */
export async function connectionOverview(ctx: AdminContext): Promise<Record<System, ConnectionStatus>> {
  const configured = connectionStatuses(ctx.inputs);
  const out = { ...configured };
  const now = ctx.deps.platform.clock.now();
  await Promise.all(
    (['heartland', 'commerce'] as const).map(async (system) => {
      if (!configured[system].configured) return;
      let check = await ctx.deps.platform.state.get<StoredCheck>(connectionKey(system));
      if (!check || now - Date.parse(check.checkedAt) > CONNECTION_CACHE_MS) {
        await testConnection(system, ctx);
        check = await ctx.deps.platform.state.get<StoredCheck>(connectionKey(system));
      }
      if (check) out[system] = { configured: true, ok: check.ok, checkedAt: check.checkedAt, message: `${check.message} (${check.latencyMs} ms)` };
    }),
  );
  return out;
}
