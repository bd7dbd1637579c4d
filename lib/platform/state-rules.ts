/**
 * The rules aio-lib-state enforces (appbuilder.md §4.1), in one place so the in-memory store, the
 * aio-lib-state adapter and the local state service reject exactly the same inputs with the same
 * typed errors. A flow that passes its unit tests on the memory store must not fail on Adobe
 * because of a key, a TTL or a value size.
 */

/** `^[a-zA-Z0-9-_.]{1,1024}$`, as in aio-lib-state's constants.js. */
export const STATE_KEY_PATTERN = /^[a-zA-Z0-9\-_.]{1,1024}$/;
/** `match` for list also allows `*`. */
export const STATE_MATCH_PATTERN = /^[a-zA-Z0-9\-_.*]{1,1024}$/;
/**
 * ASSUMED: "1 MB" means 1 MiB (1,048,576 bytes) of UTF-8 value. The docs and the client only say
 * "1MB" and the real limit is enforced server-side (413); this is the tighter common reading.
 */
export const STATE_MAX_VALUE_BYTES = 1024 * 1024;
/** aio-lib-state MAX_TTL: 365 days in seconds. */
export const STATE_MAX_TTL_SECONDS = 365 * 24 * 60 * 60;

/** A key that aio-lib-state would reject. */
export class StateKeyError extends Error {
  readonly key: string;
  constructor(key: unknown, what = 'state key') {
    const shown = typeof key === 'string' ? (key.length > 80 ? `${key.slice(0, 80)}…(${key.length} chars)` : key) : String(key);
    super(
      `invalid ${what} "${shown}": must match [a-zA-Z0-9-_.]{1,1024}` +
        (what === 'state key' ? '; build keys with stateKey(...parts) from lib/platform/state-key' : ''),
    );
    this.name = 'StateKeyError';
    this.key = typeof key === 'string' ? key : String(key);
  }
}

/** A value whose JSON form is over the 1 MB state limit; store it in the FileStore instead. */
export class StateValueTooLargeError extends Error {
  readonly key: string;
  readonly bytes: number;
  readonly limitBytes: number;
  constructor(key: string, bytes: number) {
    super(
      `state value for key "${key}" is ${bytes} bytes as JSON; the limit is ${STATE_MAX_VALUE_BYTES} bytes ` +
        `(1 MB). Keep large payloads in the FileStore and store a reference.`,
    );
    this.name = 'StateValueTooLargeError';
    this.key = key;
    this.bytes = bytes;
    this.limitBytes = STATE_MAX_VALUE_BYTES;
  }
}

/** A TTL outside 1 second .. 365 days, or not a whole number of seconds. */
export class StateTtlError extends Error {
  readonly key: string;
  readonly ttlSeconds: unknown;
  constructor(key: string, ttlSeconds: unknown) {
    super(
      `ttlSeconds for state key "${key}" is ${String(ttlSeconds)}; it must be a whole number of seconds from 1 to ` +
        `${STATE_MAX_TTL_SECONDS} (365 days)`,
    );
    this.name = 'StateTtlError';
    this.key = key;
    this.ttlSeconds = ttlSeconds;
  }
}

/** A value that has no JSON form (undefined, a function, a symbol). */
export class StateValueError extends Error {
  readonly key: string;
  constructor(key: string, reason: string) {
    super(`state value for key "${key}" cannot be stored: ${reason}`);
    this.name = 'StateValueError';
    this.key = key;
  }
}

export function assertStateKey(key: unknown): asserts key is string {
  if (typeof key !== 'string' || !STATE_KEY_PATTERN.test(key)) throw new StateKeyError(key);
}

export function assertStateMatch(match: unknown): asserts match is string {
  if (typeof match !== 'string' || !STATE_MATCH_PATTERN.test(match)) throw new StateKeyError(match, 'list pattern');
}

export function assertStateTtl(key: string, ttlSeconds: unknown): asserts ttlSeconds is number {
  if (typeof ttlSeconds !== 'number' || !Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > STATE_MAX_TTL_SECONDS) {
    throw new StateTtlError(key, ttlSeconds);
  }
}

/** JSON text of a value, checked against the size limit before anything is sent. */
export function serializeStateValue(key: string, value: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    throw new StateValueError(key, `not serialisable as JSON (${(error as Error).message})`);
  }
  if (text === undefined) throw new StateValueError(key, `${typeof value} has no JSON form`);
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > STATE_MAX_VALUE_BYTES) throw new StateValueTooLargeError(key, bytes);
  return text;
}

/** Glob with `*` as "any run of characters" → anchored RegExp; every other character is literal. */
export function stateMatchToRegExp(match: string): RegExp {
  const body = match
    .split('*')
    .map((part) => part.replace(/[.\-]/g, (c) => `\\${c}`))
    .join('.*');
  return new RegExp(`^${body}$`);
}
