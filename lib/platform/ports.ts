/**
 * Ports: what the connector needs from the platform it runs on. Production (I/O Runtime) and
 * the local sandbox differ only in which adapter is plugged in behind each port (DESIGN.md §1.7).
 * Nothing in lib/ talks to aio-lib-state, aio-lib-files, openwhisk or the clock directly.
 */

/** Typed JSON key-value store on top of aio-lib-state. Keys: `[a-zA-Z0-9-_.]{1,1024}`; build them with `stateKey()`. */
export interface StateStore {
  /** The stored value, or undefined when missing or expired. */
  get<T = unknown>(key: string): Promise<T | undefined>;
  /** Writes a JSON value. The TTL is always explicit (aio-lib-state's default of 1 day surprises). */
  put<T>(key: string, value: T, options: { ttlSeconds: number }): Promise<void>;
  /** Deletes a key; deleting a missing key is not an error. */
  delete(key: string): Promise<void>;
  /** Keys matching a glob (`*` wildcard). Slow and eventually consistent on Adobe: never on a hot path. */
  list(match: string): AsyncIterable<string>;
}

/** Blob store for payloads over ~100 KB, snapshots and reports (aio-lib-files or the filesystem). */
export interface FileStore {
  /** The file's bytes, or undefined when it does not exist. */
  read(path: string): Promise<Buffer | undefined>;
  write(path: string, data: string | Buffer): Promise<void>;
  /** Paths of the files below a folder prefix (ending in `/`), recursively. */
  list(prefix: string): Promise<string[]>;
  /** Deletes a file or a folder prefix; missing paths are not an error. */
  delete(path: string): Promise<void>;
}

export interface InvokeResult {
  activationId: string;
  /** Present for blocking invocations only. */
  result?: unknown;
}

/** Invokes another action of this app (fan-out to `connector/worker`, for instance). */
export interface Invoker {
  /** `action` is `<package>/<action>`, e.g. `connector/worker`. */
  invoke(action: string, params: Record<string, unknown>, options?: { blocking?: boolean }): Promise<InvokeResult>;
}

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export type LogFields = Record<string, unknown>;

/** Structured logger; adapters redact secrets and card numbers before anything is written. */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger that adds these fields (e.g. `correlationId`) to every line. */
  child(fields: LogFields): Logger;
}

/** Everything a flow or action needs from the platform, chosen once at start-up. */
export interface Platform {
  state: StateStore;
  files: FileStore;
  invoker: Invoker;
  clock: Clock;
  logger: Logger;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};
