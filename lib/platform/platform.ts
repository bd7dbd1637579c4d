/**
 * Chooses the adapter behind each port from the environment, once per activation (DESIGN.md §1.7:
 * production and local differ only here). Environment names:
 *
 *   AIO_STATE_ENDPOINT      local state service URL; unset on Adobe (aio-lib-state's own endpoint)
 *   AIO_STATE_REGION        optional: amer (default) | emea | apac | aus
 *   HCC_FILES_DIR           folder for the filesystem FileStore; unset → aio-lib-files
 *   __OW_NAMESPACE          Runtime namespace (fallback AIO_RUNTIME_NAMESPACE)
 *   __OW_API_KEY            Runtime API key `uuid:key` (fallback AIO_RUNTIME_AUTH)
 *   __OW_API_HOST           Runtime API host (fallback AIO_RUNTIME_APIHOST)
 *   __OW_ACTION_NAME        logger name (Runtime sets it); else `hcc`
 *   LOG_LEVEL               debug | info | warn | error (default info)
 *   HCC_LOG_SINK            `aio` to write the JSON lines through @adobe/aio-lib-core-logging; default stdout
 *
 * Adapters are built lazily where building touches the network or needs credentials, so an action
 * that never invokes another one does not need __OW_API_HOST.
 */
import type { Invoker, Platform, StateStore } from './ports';
import { systemClock } from './ports';
import { createAioStateStore } from './state';
import { createAioFileStore, createFsFileStore } from './files';
import { createOpenwhiskInvoker } from './invoker';
import { createAioLoggingSink, createLogger, stdoutSink } from './logger';
import { parseLogLevel } from './log-level';

export type PlatformEnv = Record<string, string | undefined>;

/** `aio app dev` passes missing AIO_RUNTIME_* values as the string "undefined"; treat that as unset. */
function read(env: PlatformEnv, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = env[name]?.trim();
    if (value && value !== 'undefined') return value;
  }
  return undefined;
}

function lazyInvoker(env: PlatformEnv): Invoker {
  let invoker: Invoker | undefined;
  return {
    invoke(action, params, options) {
      if (!invoker) {
        const apihost = read(env, '__OW_API_HOST', 'AIO_RUNTIME_APIHOST');
        const namespace = read(env, '__OW_NAMESPACE', 'AIO_RUNTIME_NAMESPACE');
        const apiKey = read(env, '__OW_API_KEY', 'AIO_RUNTIME_AUTH');
        const missing = [
          apihost ? undefined : '__OW_API_HOST (or AIO_RUNTIME_APIHOST)',
          namespace ? undefined : '__OW_NAMESPACE (or AIO_RUNTIME_NAMESPACE)',
          apiKey ? undefined : '__OW_API_KEY (or AIO_RUNTIME_AUTH)',
        ].filter(Boolean);
        if (missing.length > 0) {
          return Promise.reject(new Error(`cannot invoke ${action}: missing environment ${missing.join(', ')}`));
        }
        invoker = createOpenwhiskInvoker({ apihost: apihost!, namespace: namespace!, apiKey: apiKey! });
      }
      return invoker.invoke(action, params, options);
    },
  };
}

/**
 * One state store per state identity for the life of the container. Every activation builds its
 * platform, but the store is what keys the container's circuit breakers (their failure counts must
 * add up across activations, sync/breaker.ts) and their cached view of `breaker.<upstream>`; a
 * fresh store per activation would also initialise aio-lib-state again for every event.
 */
const stateStores = new Map<string, StateStore>();

function containerStateStore(options: { region?: string; endpoint?: string; namespace?: string; apiKey?: string }): StateStore {
  const key = JSON.stringify([options.region, options.endpoint, options.namespace, options.apiKey]);
  let store = stateStores.get(key);
  if (!store) {
    store = createAioStateStore(options);
    stateStores.set(key, store);
  }
  return store;
}

export function createPlatform(env: PlatformEnv = process.env, overrides: Partial<Platform> = {}): Platform {
  const namespace = read(env, '__OW_NAMESPACE', 'AIO_RUNTIME_NAMESPACE');
  const apiKey = read(env, '__OW_API_KEY', 'AIO_RUNTIME_AUTH');
  const filesDir = read(env, 'HCC_FILES_DIR');

  const state =
    overrides.state ??
    containerStateStore({ region: read(env, 'AIO_STATE_REGION'), endpoint: read(env, 'AIO_STATE_ENDPOINT'), namespace, apiKey });
  const files = overrides.files ?? (filesDir ? createFsFileStore(filesDir) : createAioFileStore({ namespace, apiKey }));
  const invoker = overrides.invoker ?? lazyInvoker(env);
  const clock = overrides.clock ?? systemClock;
  const logger =
    overrides.logger ??
    (() => {
      const name = read(env, '__OW_ACTION_NAME') ?? 'hcc';
      return createLogger({
        name,
        level: parseLogLevel(read(env, 'LOG_LEVEL')),
        sink: read(env, 'HCC_LOG_SINK') === 'aio' ? createAioLoggingSink(name) : stdoutSink,
        clock,
      });
    })();
  return { state, files, invoker, clock, logger };
}
