/**
 * Links `link.<entity>.<system>.<id>`: the id of the same record on the other system, plus the
 * fingerprint of what the connector last wrote into this system. Flows use links to find the
 * target record without searching, and two-way flows use the fingerprint for echo suppression:
 * when our own write comes back as a change event, its values hash to what we stored.
 */
import type { Clock, StateStore } from '../platform/ports';
import { stateKey } from '../platform/state-key';
import type { LinkRecord, LinkStore, Upstream } from './types';

export const LINK_TTL_SECONDS = 365 * 24 * 3600;

export function linkKey(entity: string, system: Upstream, id: string): string {
  return stateKey('link', entity, system, id);
}

export function createLinkStore(state: StateStore, clock: Clock): LinkStore {
  return {
    async get(entity, system, id) {
      return state.get<LinkRecord>(linkKey(entity, system, id));
    },
    async put(entity, system, id, link) {
      await state.put(linkKey(entity, system, id), { ...link, at: clock.now() } satisfies LinkRecord, { ttlSeconds: LINK_TTL_SECONDS });
    },
  };
}
