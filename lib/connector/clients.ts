/**
 * Upstream clients built from the connection settings (action inputs). One client per upstream
 * and configuration is kept for the life of the container: the rate limiter and connection pool
 * must be shared by every unit a container runs at once, or 20 concurrent units would each get
 * their own "5 requests per second" and together overrun Heartland.
 */
import { createHeartlandClient, type HeartlandClient } from '../heartland/client';
import { createCommerceClient, type CommerceClient } from '../commerce/client';
import type { ConnectionSettings } from '../config/settings';
import type { ClientFactories } from '../sync';
import type { Logger } from '../platform/ports';

declare module '../sync/types' {
  interface UpstreamClients {
    heartland: HeartlandClient;
    commerce: CommerceClient;
  }
}

export interface ClientTuning {
  heartlandRatePerSecond?: number;
  commerceRatePerSecond?: number;
  /** Tests and the sandbox shorten waits; production keeps the client defaults. */
  maxAttempts?: number;
  timeoutMs?: number;
}

const heartlandClients = new Map<string, HeartlandClient>();
const commerceClients = new Map<string, CommerceClient>();

/**
 * `COMMERCE_BASE_URL` is the REST root (`https://shop.example/rest`, as .env.example documents);
 * the Commerce client wants the store root and adds `rest/<store>/V1` itself.
 */
export function commerceStoreRoot(restRoot: string): string {
  return restRoot.replace(/\/rest\/?$/, '');
}

export function heartlandClientFor(settings: ConnectionSettings, tuning: ClientTuning = {}, logger?: Logger): HeartlandClient {
  const key = JSON.stringify([settings.heartland.baseUrl, settings.heartland.apiToken, settings.heartland.ratePerSecond, tuning]);
  let client = heartlandClients.get(key);
  if (!client) {
    client = createHeartlandClient({
      baseUrl: settings.heartland.baseUrl.endsWith('/') ? settings.heartland.baseUrl : `${settings.heartland.baseUrl}/`,
      token: settings.heartland.apiToken,
      // Tuning (tests, benchmarks) overrides; otherwise the merchant's HEARTLAND_RATE_PER_SECOND.
      ratePerSecond: tuning.heartlandRatePerSecond ?? settings.heartland.ratePerSecond,
      maxAttempts: tuning.maxAttempts,
      timeoutMs: tuning.timeoutMs,
      logger,
    });
    heartlandClients.set(key, client);
  }
  return client;
}

export function commerceClientFor(settings: ConnectionSettings, tuning: ClientTuning = {}, logger?: Logger): CommerceClient {
  const key = JSON.stringify([settings.commerce.baseUrl, settings.commerce.auth, tuning]);
  let client = commerceClients.get(key);
  if (!client) {
    const auth = settings.commerce.auth;
    client = createCommerceClient({
      baseUrl: commerceStoreRoot(settings.commerce.baseUrl),
      auth:
        auth.kind === 'bearer'
          ? { kind: 'bearer', token: auth.accessToken }
          : auth.kind === 'oauth1'
            ? auth
            : { kind: 'ims', clientId: auth.clientId, clientSecret: auth.clientSecret, orgId: auth.orgId, scopes: auth.scopes },
      ratePerSecond: tuning.commerceRatePerSecond,
      maxAttempts: tuning.maxAttempts,
      timeoutMs: tuning.timeoutMs,
      logger,
    });
    commerceClients.set(key, client);
  }
  return client;
}

export function clientFactories(settings: ConnectionSettings, tuning: ClientTuning = {}): ClientFactories {
  return {
    heartland: (scope) => heartlandClientFor(settings, tuning, scope.logger),
    commerce: (scope) => commerceClientFor(settings, tuning, scope.logger),
  };
}
