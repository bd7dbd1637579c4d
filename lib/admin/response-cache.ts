/**
 * A few seconds of memory for admin-api answers that are costly to compute and read often: the
 * Overview's `GET status` lists dead letters, anomalies and run records from state on every call,
 * and the panel asks again on every page load and refresh. One cache per admin-api handler, so per
 * warm Runtime container (and per test harness); a change this container makes through the panel
 * (any POST or PUT route) empties it at once, changes made elsewhere (units of work in other
 * actions) show after at most `ttlMs`.
 */
export interface ResponseCache {
  /**
   * The value cached under `key` if younger than the TTL at `now` (the platform clock, so tests
   * control it), else what `load` returns; concurrent callers share one load.
   */
  get<T>(key: string, now: number, load: () => Promise<T>): Promise<T>;
  clear(): void;
}

export function createResponseCache(options: { ttlMs: number }): ResponseCache {
  const entries = new Map<string, { at: number; value: Promise<unknown> }>();
  return {
    get<T>(key: string, now: number, load: () => Promise<T>): Promise<T> {
      if (options.ttlMs <= 0) return load();
      const hit = entries.get(key);
      if (hit && now - hit.at < options.ttlMs) return hit.value as Promise<T>;
      const value = load();
      const entry = { at: now, value };
      entries.set(key, entry);
      // A failed load is not remembered: the next call tries again.
      value.catch(() => {
        if (entries.get(key) === entry) entries.delete(key);
      });
      return value;
    },
    clear() {
      entries.clear();
    },
  };
}
