/**
 * Stale-version guard `ver.<entity>.<source>.<id>`: the last source version applied to the target.
 * Events arrive reordered (an "updated" hint for version 3 after the one for version 4); since
 * `load` re-reads the source, a late hint usually finds the newest data anyway, but a hint whose
 * version is already applied needs no source read at all, and a slow activation must not push an
 * older version over a newer one that a faster activation already wrote.
 * Written after a successful write without compare-and-set: two racing writers could leave the
 * older version recorded, which only costs one redundant (idempotent) write later.
 *
 * The `<entity>` slot of the key holds the flow name: two flows reading the same source entity
 * (order and order-status) apply different parts of it, and one flow's applied version must not
 * make the other skip a change it never saw.
 */
import type { StateStore } from '../platform/ports';
import { stateKey } from '../platform/state-key';
import type { Upstream } from './types';

export const VERSION_TTL_SECONDS = 365 * 24 * 3600;

export type Version = string | number;

export interface AppliedVersion {
  version: Version;
  at: number;
}

export function versionKey(flow: string, source: Upstream, id: string): string {
  return stateKey('ver', flow, source, id);
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Numbers (and numeric strings, e.g. ledger ids) numerically, ISO timestamps by instant, else text. */
export function compareVersions(a: Version, b: Version): number {
  const na = typeof a === 'number' ? a : /^-?\d+(\.\d+)?$/.test(a) ? Number(a) : NaN;
  const nb = typeof b === 'number' ? b : /^-?\d+(\.\d+)?$/.test(b) ? Number(b) : NaN;
  if (!Number.isNaN(na) && !Number.isNaN(nb)) return na - nb;
  if (typeof a === 'string' && typeof b === 'string' && ISO_DATE.test(a) && ISO_DATE.test(b)) {
    // Magento writes "2026-11-28 07:00:00" (UTC, no zone); Heartland writes ISO with a zone.
    const ta = Date.parse(/[Zz]|[+-]\d{2}:?\d{2}$/.test(a) ? a : a.replace(' ', 'T') + 'Z');
    const tb = Date.parse(/[Zz]|[+-]\d{2}:?\d{2}$/.test(b) ? b : b.replace(' ', 'T') + 'Z');
    if (!Number.isNaN(ta) && !Number.isNaN(tb)) return ta - tb;
  }
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

export async function appliedVersion(state: StateStore, flow: string, source: Upstream, id: string): Promise<AppliedVersion | undefined> {
  return state.get<AppliedVersion>(versionKey(flow, source, id));
}

export async function recordAppliedVersion(state: StateStore, flow: string, source: Upstream, id: string, version: Version, at: number): Promise<void> {
  await state.put(versionKey(flow, source, id), { version, at } satisfies AppliedVersion, { ttlSeconds: VERSION_TTL_SECONDS });
}
