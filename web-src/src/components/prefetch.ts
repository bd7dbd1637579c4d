/**
 * Requests the panel starts before the page that shows their answer has loaded its code. The page
 * takes the request already in flight instead of starting its own, so a page's data and its chunk
 * travel at the same time (the Overview's `GET status` while its chunk downloads).
 */
const inFlight = new Map<string, Promise<unknown>>();

/** Starts `load` now unless a request under `key` is already waiting to be taken. */
export function prefetch<T>(key: string, load: () => Promise<T>): void {
  if (inFlight.has(key)) return;
  const request = load();
  // Nobody may take it (the merchant switched pages); its failure is reported when it is taken.
  request.catch(() => undefined);
  inFlight.set(key, request);
}

/** The prefetched request under `key`, once (a later reload asks afresh), else a new `load()`. */
export function takePrefetched<T>(key: string, load: () => Promise<T>): Promise<T> {
  const request = inFlight.get(key) as Promise<T> | undefined;
  inFlight.delete(key);
  return request ?? load();
}
