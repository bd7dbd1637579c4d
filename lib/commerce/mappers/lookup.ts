/**
 * Mappers take the merchant's value maps as plain lookup functions, so they stay independent of
 * the mapping engine that owns the documents (lib/mapping supplies them from the effective document).
 */
export type ValueLookup = (key: string) => string | number | boolean | null | undefined;

export const noLookup: ValueLookup = () => undefined;

/** A lookup over a plain record, for tests and simple callers. */
export function lookupFrom(entries: Record<string, string | number | boolean | null>, fallback?: string | number | boolean | null): ValueLookup {
  return (key) => (Object.prototype.hasOwnProperty.call(entries, key) ? entries[key] : fallback);
}
