/**
 * Invoker on the `openwhisk` npm client: the same REST call on I/O Runtime and on the local host
 * (`POST /api/v1/namespaces/<ns>/actions/<pkg>/<action>?blocking=...`, Basic auth of the API key).
 * Used for fan-out to `connector/worker` (non-blocking) and the rare blocking call.
 */
import openwhisk from 'openwhisk';
import type { InvokeResult, Invoker } from './ports';
import { isRetryableStatus } from './http';

/** `<package>/<action>`; OpenWhisk entity names start with a letter, digit or `_`. */
const ACTION_NAME = /^[A-Za-z0-9_][A-Za-z0-9_@.\-]*\/[A-Za-z0-9_][A-Za-z0-9_@.\-]*$/;
/** Runtime refuses params over 1 MB. ASSUMED: 1 MiB of JSON; checked here for a clear error instead of a 413. */
export const MAX_INVOKE_PARAMS_BYTES = 1024 * 1024;

export class ActionInvokeError extends Error {
  readonly action: string;
  /** HTTP status from Runtime; 0 when nothing was sent or the network failed. */
  readonly status: number;
  readonly activationId?: string;
  /** The action's own result for an application error (e.g. `{ error: ... }`). */
  readonly result?: unknown;
  readonly retryable: boolean;
  constructor(init: { action: string; status: number; message: string; activationId?: string; result?: unknown; retryable: boolean; cause?: unknown }) {
    super(init.message, { cause: init.cause });
    this.name = 'ActionInvokeError';
    this.action = init.action;
    this.status = init.status;
    this.activationId = init.activationId;
    this.result = init.result;
    this.retryable = init.retryable;
  }
}

export interface OpenwhiskInvokerOptions {
  /** e.g. `https://adobeioruntime.net` or `http://127.0.0.1:9080`; a host without protocol means https. */
  apihost: string;
  namespace: string;
  /** `uuid:key` as Runtime issues it; sent as `Authorization: Basic base64(apiKey)`. */
  apiKey: string;
}

interface ActivationRecord {
  activationId?: string;
  response?: { result?: unknown; success?: boolean; status?: string };
}

function requireOption(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.trim() === '' || value === 'undefined') {
    throw new TypeError(`openwhisk invoker: ${name} is required (set it from __OW_API_HOST/__OW_NAMESPACE/__OW_API_KEY)`);
  }
  return value;
}

export function createOpenwhiskInvoker(options: OpenwhiskInvokerOptions): Invoker {
  const apihost = requireOption(options?.apihost, 'apihost');
  const namespace = requireOption(options?.namespace, 'namespace');
  const apiKey = requireOption(options?.apiKey, 'apiKey');
  const ow = openwhisk({ apihost, namespace, api_key: apiKey });

  return {
    async invoke(action: string, params: Record<string, unknown>, invokeOptions?: { blocking?: boolean }): Promise<InvokeResult> {
      if (typeof action !== 'string' || !ACTION_NAME.test(action)) {
        throw new ActionInvokeError({ action: String(action), status: 0, retryable: false, message: `action must be "<package>/<action>", got "${String(action)}"` });
      }
      if (params === null || typeof params !== 'object' || Array.isArray(params)) {
        throw new ActionInvokeError({ action, status: 0, retryable: false, message: `params for ${action} must be an object` });
      }
      const bytes = Buffer.byteLength(JSON.stringify(params));
      if (bytes > MAX_INVOKE_PARAMS_BYTES) {
        throw new ActionInvokeError({
          action,
          status: 0,
          retryable: false,
          message: `params for ${action} are ${bytes} bytes; Runtime accepts at most ${MAX_INVOKE_PARAMS_BYTES}. Put the payload in the FileStore and pass its path.`,
        });
      }
      const blocking = invokeOptions?.blocking === true;

      let answer: ActivationRecord;
      try {
        answer = (await ow.actions.invoke({ name: action, params, blocking })) as ActivationRecord;
      } catch (error) {
        throw toInvokeError(action, error);
      }
      if (typeof answer?.activationId !== 'string') {
        throw new ActionInvokeError({ action, status: 0, retryable: true, message: `Runtime answered ${action} without an activationId` });
      }
      // A blocking call that outlives Runtime's wait answers 202 with only the id: the result must be fetched later.
      if (!blocking || answer.response === undefined) return { activationId: answer.activationId };
      return { activationId: answer.activationId, result: answer.response.result };
    },
  };
}

function toInvokeError(action: string, error: unknown): ActionInvokeError {
  const statusCode = (error as { statusCode?: unknown })?.statusCode;
  const status = typeof statusCode === 'number' ? statusCode : 0;
  const body = (error as { error?: unknown })?.error as ActivationRecord | undefined;
  const activationId = typeof body?.activationId === 'string' ? body.activationId : undefined;
  // A blocking call whose action failed: OpenWhisk sends the activation record with a 502.
  const applicationError = body?.response?.status === 'application error';
  return new ActionInvokeError({
    action,
    status,
    activationId,
    result: body?.response?.result,
    retryable: applicationError ? false : isRetryableStatus(status),
    message: `invoking ${action} failed: ${(error as Error)?.message ?? String(error)}`,
    cause: error,
  });
}
