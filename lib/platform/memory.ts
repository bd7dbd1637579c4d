/**
 * In-memory adapters for unit tests of flows and the sync pipeline. They follow the real adapters'
 * rules exactly (key pattern, explicit TTL of 1 s..365 d, 1 MB JSON value limit, JSON copies in and
 * out, FileStore path rules, logger redaction), so a test that passes here does not fail on Adobe
 * for a reason the test could have caught. Time comes from a Clock, so TTL tests need no waiting.
 */
import type { Clock, FileStore, Logger, LogFields, StateStore } from './ports';
import { systemClock } from './ports';
import { assertStateKey, assertStateMatch, assertStateTtl, serializeStateValue, stateMatchToRegExp } from './state-rules';
import { filePathPrefix, normalizeFilePath } from './file-path';
import { redactSecrets, redactText } from './redact';
import type { LogLevel } from './log-level';

export type MemoryStateStore = StateStore & {
  /** Live (unexpired) keys. */
  size(): number;
};

export function createMemoryStateStore(clock: Clock = systemClock): MemoryStateStore {
  const entries = new Map<string, { text: string; expiresAtMs: number }>();

  // Same visibility rule as the state service: a key is gone from its expiry instant on.
  const live = (key: string) => {
    const entry = entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAtMs <= clock.now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };

  return {
    async get<T = unknown>(key: string): Promise<T | undefined> {
      assertStateKey(key);
      const entry = live(key);
      return entry ? (JSON.parse(entry.text) as T) : undefined;
    },
    async put<T>(key: string, value: T, options: { ttlSeconds: number }): Promise<void> {
      assertStateKey(key);
      assertStateTtl(key, options?.ttlSeconds);
      const text = serializeStateValue(key, value);
      entries.set(key, { text, expiresAtMs: clock.now() + options.ttlSeconds * 1000 });
    },
    async delete(key: string): Promise<void> {
      assertStateKey(key);
      entries.delete(key);
    },
    list(match: string): AsyncIterable<string> {
      assertStateMatch(match);
      const pattern = stateMatchToRegExp(match);
      // Snapshot at call time, like one page of the real list; sorted for stable test output.
      const keys = [...entries.keys()].filter((key) => pattern.test(key) && live(key)).sort();
      return (async function* () {
        yield* keys;
      })();
    },
    size(): number {
      let count = 0;
      for (const key of [...entries.keys()]) if (live(key)) count++;
      return count;
    },
  };
}

export function createMemoryFileStore(): FileStore {
  const files = new Map<string, Buffer>();
  return {
    async read(path: string): Promise<Buffer | undefined> {
      const file = files.get(normalizeFilePath(path));
      return file ? Buffer.from(file) : undefined;
    },
    async write(path: string, data: string | Buffer): Promise<void> {
      if (typeof data !== 'string' && !Buffer.isBuffer(data)) throw new TypeError(`file "${path}": data must be a string or a Buffer`);
      files.set(normalizeFilePath(path), Buffer.from(data));
    },
    async list(prefix: string): Promise<string[]> {
      const folder = filePathPrefix(prefix);
      if (folder.kind === 'file') return files.has(folder.path) ? [folder.path] : [];
      return [...files.keys()].filter((path) => path.startsWith(folder.path)).sort();
    },
    async delete(path: string): Promise<void> {
      const target = filePathPrefix(path);
      if (target.kind === 'file') {
        files.delete(target.path);
        return;
      }
      for (const key of [...files.keys()]) if (key.startsWith(target.path)) files.delete(key);
    },
  };
}

export type ManualClock = Clock & {
  /** Moves time forward and wakes every sleeper that is due, in due order. */
  advance(ms: number): void;
  /** Jumps to an absolute time (forward wakes due sleepers; backward wakes none). */
  set(ms: number): void;
};

export function createManualClock(startMs = Date.UTC(2026, 0, 1)): ManualClock {
  let now = startMs;
  let sequence = 0;
  const sleepers: Array<{ dueMs: number; order: number; wake: () => void }> = [];

  const wakeDue = () => {
    const due = sleepers.filter((s) => s.dueMs <= now).sort((a, b) => a.dueMs - b.dueMs || a.order - b.order);
    for (const sleeper of due) {
      sleepers.splice(sleepers.indexOf(sleeper), 1);
      sleeper.wake();
    }
  };

  return {
    now: () => now,
    sleep(ms: number): Promise<void> {
      if (!(ms > 0)) return Promise.resolve();
      return new Promise((resolve) => sleepers.push({ dueMs: now + ms, order: sequence++, wake: resolve }));
    },
    advance(ms: number): void {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`advance(ms) needs a finite ms >= 0, got ${ms}`);
      now += ms;
      wakeDue();
    },
    set(ms: number): void {
      if (!Number.isFinite(ms)) throw new RangeError(`set(ms) needs a finite epoch ms, got ${ms}`);
      now = ms;
      wakeDue();
    },
  };
}

export interface MemoryLogLine {
  level: LogLevel;
  message: string;
  fields: LogFields;
}

export type MemoryLogger = Logger & { lines: MemoryLogLine[] };

/** Records every line (all levels), redacted exactly as the real logger redacts; children share `lines`. */
export function createMemoryLogger(): MemoryLogger {
  const lines: MemoryLogLine[] = [];
  const make = (base: LogFields): MemoryLogger => {
    const write = (level: LogLevel) => (message: string, fields?: LogFields) => {
      lines.push({ level, message: redactText(String(message)), fields: redactSecrets({ ...base, ...fields }) });
    };
    return {
      lines,
      debug: write('debug'),
      info: write('info'),
      warn: write('warn'),
      error: write('error'),
      child: (fields: LogFields) => make({ ...base, ...fields }),
    };
  };
  return make({});
}
