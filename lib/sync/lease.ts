/**
 * Leases `lease.<job>`: an owner token with an expiry, so two activations do not run the same
 * scheduler pass, job chunk or unit of work at once. aio-lib-state has no compare-and-set, so a
 * lease is acquired by "read, write our token, wait a moment, read again": when two activations
 * race, the later write wins and the earlier one sees a foreign token on re-read and backs off.
 * A window remains (both re-read before the second write lands), which is why leases are best
 * effort and every write behind them is still idempotent (DESIGN.md §1.3).
 */
import { randomUUID } from 'node:crypto';
import type { Clock, StateStore } from '../platform/ports';
import { stateKey } from '../platform/state-key';

export interface LeaseRecord {
  owner: string;
  expiresAt: number;
  acquiredAt: number;
}

export interface Lease {
  key: string;
  owner: string;
  expiresAt: number;
  /** Extends the lease if we still own it; false when it was lost. */
  renew(ttlMs: number): Promise<boolean>;
  /** Deletes the lease only if we still own it (never someone else's). */
  release(): Promise<void>;
}

export interface LeaseOptions {
  ttlMs: number;
  /** Wait between write and re-read; 0 in tests with in-process stores. */
  settleMs: number;
  owner?: string;
}

/** The state key of a lease: `lease.<part>.<part>...` (parts encoded). */
export function leaseKey(...job: Array<string | number>): string {
  return stateKey('lease', ...job);
}

function ttlSecondsFor(ttlMs: number): number {
  // The expiry inside the value is authoritative (it follows the Clock); the state TTL only
  // garbage-collects a lease whose owner died, so it is rounded up.
  return Math.max(1, Math.ceil(ttlMs / 1000) + 1);
}

export async function acquireLease(state: StateStore, clock: Clock, key: string, options: LeaseOptions): Promise<Lease | undefined> {
  const owner = options.owner ?? randomUUID();
  const current = await state.get<LeaseRecord>(key);
  if (current && current.owner !== owner && current.expiresAt > clock.now()) return undefined;
  const record: LeaseRecord = { owner, acquiredAt: clock.now(), expiresAt: clock.now() + options.ttlMs };
  await state.put(key, record, { ttlSeconds: ttlSecondsFor(options.ttlMs) });
  if (options.settleMs > 0) await clock.sleep(options.settleMs);
  // Lost race detection: a concurrent acquirer that wrote after us owns the key now.
  const check = await state.get<LeaseRecord>(key);
  if (!check || check.owner !== owner) return undefined;

  let expiresAt = record.expiresAt;
  return {
    key,
    owner,
    get expiresAt() {
      return expiresAt;
    },
    async renew(ttlMs: number): Promise<boolean> {
      const now = await state.get<LeaseRecord>(key);
      if (!now || now.owner !== owner) return false;
      expiresAt = clock.now() + ttlMs;
      await state.put(key, { ...now, expiresAt }, { ttlSeconds: ttlSecondsFor(ttlMs) });
      return true;
    },
    async release(): Promise<void> {
      const now = await state.get<LeaseRecord>(key);
      if (now && now.owner === owner) await state.delete(key);
    },
  };
}
