/**
 * Stable hashes. `fingerprint` must give the same value for the same data whatever the key order
 * or the process, because it is compared across activations (echo suppression, unit ids).
 */
import { createHash } from 'node:crypto';

/** JSON with object keys sorted and `undefined` members dropped, so equal data gives equal text. */
export function stableStringify(value: unknown): string {
  return JSON.stringify(normalize(value));
}

function normalize(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return typeof value === 'bigint' ? value.toString() : value;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : normalize(item)));
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const member = (value as Record<string, unknown>)[key];
    if (member !== undefined && typeof member !== 'function') out[key] = normalize(member);
  }
  return out;
}

/** SHA-256 of the stable JSON form, hex. */
export function fingerprint(value: unknown): string {
  return createHash('sha256').update(stableStringify(value ?? null)).digest('hex');
}

/**
 * The id of "entity `key` of `flow`", stable across deliveries and retries. Dead letters, retries
 * and unit leases are keyed by it so repeated failures of one entity share one dead letter.
 */
export function unitIdOf(flow: string, key: string): string {
  return createHash('sha256').update(`${flow}\n${key}`).digest('hex').slice(0, 24);
}
