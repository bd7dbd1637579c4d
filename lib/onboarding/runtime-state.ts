/**
 * Where `hcc setup` and `hcc doctor` read and write the connector's operational settings: the
 * connector's own aio-lib-state store, reached with the Runtime namespace and auth (`aio app use`
 * writes AIO_RUNTIME_NAMESPACE / AIO_RUNTIME_AUTH to .env) and, in the sandbox, the local state
 * service (AIO_STATE_ENDPOINT). The same key the panel and the actions use (`cfg.settings`), so
 * one code path serves production and the sandbox; no admin-api (which wants an Adobe IMS user
 * token a CLI does not have) is needed.
 */
import { createAioStateStore } from '../platform/state';
import type { StateStore } from '../platform/ports';

export interface RuntimeAccess {
  namespace?: string;
  auth?: string;
  stateEndpoint?: string;
}

export function runtimeAccessFrom(inputs: Record<string, string | undefined>, override: RuntimeAccess = {}): RuntimeAccess {
  return {
    namespace: override.namespace ?? inputs.AIO_RUNTIME_NAMESPACE ?? inputs.__OW_NAMESPACE,
    auth: override.auth ?? inputs.AIO_RUNTIME_AUTH ?? inputs.__OW_API_KEY,
    stateEndpoint: override.stateEndpoint ?? inputs.AIO_STATE_ENDPOINT,
  };
}

/** Missing names, for the finding that says why settings cannot be read or saved. */
export function missingRuntimeAccess(access: RuntimeAccess): string[] {
  return [access.namespace ? undefined : 'AIO_RUNTIME_NAMESPACE', access.auth ? undefined : 'AIO_RUNTIME_AUTH'].filter((x): x is string => Boolean(x));
}

export function runtimeStateStore(access: RuntimeAccess): StateStore {
  return createAioStateStore({ namespace: access.namespace, apiKey: access.auth, endpoint: access.stateEndpoint });
}
