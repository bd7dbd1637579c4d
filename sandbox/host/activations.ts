/**
 * Runs an action's `main` the way Runtime does and records an activation (id, timing, result,
 * status). Errors never escape: a thrown error or rejected promise becomes an
 * "action developer error" record, a returned `{error}` an "application error" record.
 */
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import type { ActionDeclaration } from './app-config';

export type ActivationStatus = 'success' | 'application error' | 'action developer error';

export interface ActivationRecord {
  activationId: string;
  namespace: string;
  name: string;
  start: number;
  end: number;
  duration: number;
  response: { result: unknown; success: boolean; status: ActivationStatus };
  logs: string[];
  annotations: Array<{ key: string; value: unknown }>;
}

type Main = (params: Record<string, unknown>) => unknown;

/** OpenWhisk activation ids are 32 lower-case hex characters. */
export function newActivationId(): string {
  return randomBytes(16).toString('hex');
}

export class ActionRunner {
  private readonly modules = new Map<string, Promise<Main>>();
  private readonly records = new Map<string, ActivationRecord>();
  private static readonly KEPT_RECORDS = 1000;

  constructor(private readonly namespace: string) {}

  private load(action: ActionDeclaration): Promise<Main> {
    let loading = this.modules.get(action.fullName);
    if (!loading) {
      loading = import(pathToFileURL(action.functionPath).href).then((module: Record<string, unknown>) => {
        const main = (module.main ?? (module.default as Record<string, unknown> | undefined)?.main) as Main | undefined;
        if (typeof main !== 'function') throw new Error(`${action.functionPath} does not export main(params)`);
        return main;
      });
      // A module that failed to load is retried on the next call (the developer may fix it).
      loading.catch(() => this.modules.delete(action.fullName));
      this.modules.set(action.fullName, loading);
    }
    return loading;
  }

  async run(action: ActionDeclaration, params: Record<string, unknown>, activationId = newActivationId()): Promise<ActivationRecord> {
    const start = Date.now();
    let result: unknown;
    let status: ActivationStatus;
    try {
      const main = await this.load(action);
      // Per-call Runtime variables. process.env is shared, so they are exact only until the
      // action's first await; the fixed ones (__OW_NAMESPACE, __OW_API_KEY, __OW_API_HOST) are set at start.
      process.env.__OW_ACTIVATION_ID = activationId;
      process.env.__OW_ACTION_NAME = `/${this.namespace}/${action.fullName}`;
      result = await main(params);
      const isError = typeof result === 'object' && result !== null && 'error' in result;
      status = isError ? 'application error' : 'success';
      if (result === undefined) result = {};
    } catch (error) {
      status = 'action developer error';
      // Only the message: a stack trace would leak the host's file layout to callers.
      result = { error: `The action failed: ${(error as Error)?.message ?? String(error)}` };
      console.error(`[host] ${action.fullName} (${activationId}) threw`, error);
    }
    const end = Date.now();
    const record: ActivationRecord = {
      activationId,
      namespace: this.namespace,
      name: action.name,
      start,
      end,
      duration: end - start,
      response: { result, success: status === 'success', status },
      logs: [],
      annotations: [{ key: 'path', value: `${this.namespace}/${action.fullName}` }],
    };
    this.remember(record);
    return record;
  }

  private remember(record: ActivationRecord): void {
    this.records.set(record.activationId, record);
    if (this.records.size > ActionRunner.KEPT_RECORDS) {
      const oldest = this.records.keys().next().value;
      if (oldest !== undefined) this.records.delete(oldest);
    }
  }

  activation(id: string): ActivationRecord | undefined {
    return this.records.get(id);
  }
}
