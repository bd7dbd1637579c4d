/**
 * Card data at the entry points (DESIGN.md §1.6, heartland.md §7): a card number has no business in
 * an event or webhook, but customers type them into order comments and address lines. Before a
 * payload travels on as a unit's hint (which the pipeline may keep in retry records and dead
 * letters), every card number in it is masked to its last four digits, and the caller learns that
 * it happened so the unit can be flagged.
 */
import { looksLikePan, redactPans } from '../platform/redact';

export interface CardDataScan<T> {
  value: T;
  /** How many strings held a card number (each is now masked). */
  maskedStrings: number;
}

/** A deep copy of JSON-like data with every card number masked; other values untouched. */
export function maskCardData<T>(value: T): CardDataScan<T> {
  let maskedStrings = 0;
  const seen = new WeakSet<object>();
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') {
      if (!looksLikePan(v)) return v;
      maskedStrings++;
      return redactPans(v);
    }
    if (typeof v !== 'object' || v === null) return v;
    if (seen.has(v)) return '[circular]';
    seen.add(v);
    try {
      if (Array.isArray(v)) return v.map(walk);
      const out: Record<string, unknown> = {};
      for (const [k, item] of Object.entries(v as Record<string, unknown>)) out[k] = walk(item);
      return out;
    } finally {
      seen.delete(v);
    }
  };
  const masked = walk(value) as T;
  return { value: maskedStrings > 0 ? masked : value, maskedStrings };
}

/** Masks card numbers in the hints of units about to run; returns how many hints held one. */
export function maskUnitHints<U extends { payloadHint?: unknown }>(units: U[]): { units: U[]; flagged: number } {
  let flagged = 0;
  const out = units.map((unit) => {
    if (unit.payloadHint === undefined) return unit;
    const scan = maskCardData(unit.payloadHint);
    if (scan.maskedStrings === 0) return unit;
    flagged++;
    return { ...unit, payloadHint: scan.value };
  });
  return { units: out, flagged };
}
