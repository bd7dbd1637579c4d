/**
 * StateStore on the real @adobe/aio-lib-state v5, in production and in the sandbox alike (the
 * sandbox only sets AIO_STATE_ENDPOINT to the local state service). Values are JSON; key, TTL and
 * size are checked here before any request, with the same rules and errors as the memory store
 * (state-rules.ts), so callers get a typed error naming the key instead of a 413 from the service.
 */
import type { AdobeState } from '@adobe/aio-lib-state';
import type { StateStore } from './ports';
import {
  assertStateKey,
  assertStateMatch,
  assertStateTtl,
  serializeStateValue,
  StateKeyError,
  StateValueTooLargeError,
} from './state-rules';

export { StateKeyError, StateTtlError, StateValueError, StateValueTooLargeError } from './state-rules';

/** The state service failed or refused (credentials, rate limit, outage). `retryable` follows DESIGN.md §6. */
export class StateServiceError extends Error {
  readonly operation: string;
  readonly key?: string;
  /** aio-lib-state's error code, e.g. ERROR_REQUEST_RATE_TOO_HIGH. */
  readonly code?: string;
  readonly retryable: boolean;
  constructor(operation: string, key: string | undefined, cause: unknown) {
    const code = (cause as { code?: unknown })?.code;
    const message = (cause as Error)?.message ?? String(cause);
    super(`state ${operation}${key ? ` "${key}"` : ''} failed: ${message}`, { cause });
    this.name = 'StateServiceError';
    this.operation = operation;
    this.key = key;
    this.code = typeof code === 'string' ? code : undefined;
    // Rate limits and internal errors pass; bad credentials, bad arguments and sizes do not.
    this.retryable = this.code === undefined || this.code === 'ERROR_REQUEST_RATE_TOO_HIGH' || this.code === 'ERROR_INTERNAL';
  }
}

/** A stored value that is not JSON (written by something other than this adapter). */
export class StateValueCorruptError extends Error {
  readonly key: string;
  constructor(key: string, cause: unknown) {
    super(`state value for key "${key}" is not valid JSON; it was not written by the connector's StateStore`, { cause });
    this.name = 'StateValueCorruptError';
    this.key = key;
  }
}

export interface AioStateStoreOptions {
  /** `amer` (default), `emea`, `apac` or `aus`; independent stores. */
  region?: string;
  /** Runtime namespace and API key; default: aio-lib-state reads __OW_NAMESPACE/__OW_API_KEY itself. */
  namespace?: string;
  apiKey?: string;
  /**
   * Local state service URL (AIO_STATE_ENDPOINT). aio-lib-state only reads it from process.env when
   * its module loads, so it is copied there before the first import and checked after init.
   */
  endpoint?: string;
}

export function createAioStateStore(options: AioStateStoreOptions = {}): StateStore {
  let client: Promise<AdobeState> | undefined;

  // Lazy and imported on first use: aio-lib-state reads AIO_STATE_ENDPOINT when its module loads
  // and __OW_NAMESPACE/__OW_API_KEY at init, so both must see the environment as it is at first
  // use, not as it was when this module was imported.
  const state = (): Promise<AdobeState> => {
    client ??= (async () => {
      if (options.endpoint) process.env.AIO_STATE_ENDPOINT = options.endpoint;
      const { init } = await import('@adobe/aio-lib-state');
      let instance: AdobeState;
      try {
        instance = await init({
          ...(options.region ? { region: options.region } : {}),
          ...(options.namespace && options.apiKey ? { ow: { namespace: options.namespace, auth: options.apiKey } } : {}),
        });
      } catch (error) {
        throw new StateServiceError(
          'init',
          undefined,
          // Keep aio's code (ERROR_BAD_ARGUMENT for missing credentials): it decides `retryable`.
          Object.assign(new Error(`${(error as Error).message} (aio-lib-state needs __OW_NAMESPACE and __OW_API_KEY; locally also AIO_STATE_ENDPOINT)`), {
            code: (error as { code?: string })?.code ?? 'ERROR_BAD_ARGUMENT',
          }),
        );
      }
      // `endpoint` is a plain field of the client; a mismatch means the module was loaded earlier
      // with another AIO_STATE_ENDPOINT, and writes would silently go to the wrong service.
      const actual = (instance as unknown as { endpoint?: string }).endpoint;
      if (options.endpoint && actual !== options.endpoint) {
        throw new StateServiceError(
          'init',
          undefined,
          Object.assign(
            new Error(`aio-lib-state was loaded with endpoint ${actual}, not ${options.endpoint}; set AIO_STATE_ENDPOINT before the first state call`),
            { code: 'ERROR_ENDPOINT_MISMATCH' },
          ),
        );
      }
      return instance;
    })();
    // A failed init (missing credentials) must not poison every later call of a warm container.
    client.catch(() => {
      client = undefined;
    });
    return client;
  };

  const call = async <R>(operation: string, key: string | undefined, run: (s: AdobeState) => Promise<R>, bytes?: number): Promise<R> => {
    const s = await state();
    try {
      return await run(s);
    } catch (error) {
      const code = (error as { code?: string })?.code;
      // Our own checks run first; these mappings cover a service whose limits differ from ours.
      if (code === 'ERROR_PAYLOAD_TOO_LARGE' && key) throw new StateValueTooLargeError(key, bytes ?? Number.NaN);
      if (code === 'ERROR_BAD_ARGUMENT' && key && /key/i.test((error as Error).message)) throw new StateKeyError(key);
      throw new StateServiceError(operation, key, error);
    }
  };

  return {
    async get<T = unknown>(key: string): Promise<T | undefined> {
      assertStateKey(key);
      const found = await call('get', key, (s) => s.get(key));
      if (found === undefined) return undefined;
      try {
        return JSON.parse(found.value) as T;
      } catch (error) {
        throw new StateValueCorruptError(key, error);
      }
    },

    async put<T>(key: string, value: T, putOptions: { ttlSeconds: number }): Promise<void> {
      assertStateKey(key);
      assertStateTtl(key, putOptions?.ttlSeconds);
      const text = serializeStateValue(key, value);
      await call('put', key, (s) => s.put(key, text, { ttl: putOptions.ttlSeconds }), Buffer.byteLength(text));
    },

    async delete(key: string): Promise<void> {
      assertStateKey(key);
      // aio-lib-state answers null for a missing key; the port makes that a non-event.
      await call('delete', key, (s) => s.delete(key));
    },

    list(match: string): AsyncIterable<string> {
      assertStateMatch(match);
      return (async function* () {
        const s = await state();
        // The service may repeat a key across pages; callers get each key once per listing.
        const seen = new Set<string>();
        try {
          for await (const page of s.list({ match })) {
            for (const key of page.keys) {
              if (seen.has(key)) continue;
              seen.add(key);
              yield key;
            }
          }
        } catch (error) {
          throw new StateServiceError('list', match, error);
        }
      })();
    },
  };
}
