/**
 * Event dedup `seen.<source>.<eventId>.<flow>` (7 days). I/O Events and webhooks deliver at least
 * once, so the same delivery id comes back after timeouts and redeliveries. This is only a cheap
 * fast path: without compare-and-set two concurrent copies both pass the check, and the mark is
 * written only after the unit's outcome is recorded (a crash in between must not turn the
 * redelivery into a silent loss). Correctness comes from the unit lease, the stale guard and the
 * target-side lookup by external reference in every flow's `write`.
 * The flow is part of the key because one event can feed several flows (order and order-status).
 */
import type { StateStore } from '../platform/ports';
import { stateKey } from '../platform/state-key';
import type { Upstream } from './types';

export const SEEN_TTL_SECONDS = 7 * 24 * 3600;

export function seenKey(source: Upstream, eventId: string, flow: string): string {
  return stateKey('seen', source, eventId, flow);
}

export async function wasSeen(state: StateStore, source: Upstream, eventId: string, flow: string): Promise<boolean> {
  return (await state.get(seenKey(source, eventId, flow))) !== undefined;
}

export async function markSeen(state: StateStore, source: Upstream, eventId: string, flow: string, at: number): Promise<void> {
  await state.put(seenKey(source, eventId, flow), { at }, { ttlSeconds: SEEN_TTL_SECONDS });
}
